"""Helpers of the Athena CLI tests: the ridesweep binary, running it against moto, reading back what moto's Athena
received (ListQueryExecutions + GetQueryExecution, in start order) and seeding query results
(POST /moto-api/static/athena/query-results: moto hands each seeded result to the next query started)."""

from __future__ import annotations

import csv
import io
import json
import os
import pathlib
import subprocess
import urllib.request

from conftest import REGION, REPO, Keys, Moto

QUERY_OUTPUT = "s3://ride-sim-results/athena-query-results/"


def ridesweep_binary(harness: str) -> str:
    """$RIDESWEEP_BIN, else the ridesweep binary of the build tree the harness comes from."""
    path = os.environ.get("RIDESWEEP_BIN") or str(pathlib.Path(harness).resolve().parents[2] / "apps" / "ridesweep"
                                                  / "ridesweep")
    assert os.access(path, os.X_OK), f"ridesweep binary not found: {path}"
    return path


def run_cli(binary: str, args: list[str], moto: Moto, keys: Keys | None, extra_env: dict | None = None,
            athena_endpoint: str | None = None, cwd: pathlib.Path = REPO, timeout: float = 120):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SWEEP_", "ATHENA_", "RIDESWEEP_SQL"))}
    # No `aws` CLI fallback for credentials: PATH keeps only the system folders.
    env["PATH"] = "/usr/bin:/bin"
    env["HOME"] = str(cwd)
    if keys is not None:
        env.update({"AWS_ACCESS_KEY_ID": keys.access_key_id, "AWS_SECRET_ACCESS_KEY": keys.secret_access_key})
    env.update({"AWS_REGION": REGION, "SWEEP_S3_ENDPOINT": moto.endpoint,
                "SWEEP_ATHENA_ENDPOINT": athena_endpoint or moto.endpoint})
    env.update(extra_env or {})
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run([binary, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)


def execution_ids(moto: Moto) -> list[str]:
    return moto.client("athena").list_query_executions()["QueryExecutionIds"]


def executions_since(moto: Moto, before: list[str]) -> list[dict]:
    """The QueryExecution records started after `before` was taken, in start order."""
    athena = moto.client("athena")
    seen = set(before)
    return [athena.get_query_execution(QueryExecutionId=i)["QueryExecution"]
            for i in execution_ids(moto) if i not in seen]


def seed_results(moto: Moto, results: list[dict]) -> None:
    body = json.dumps({"account_id": "123456789012", "region": REGION, "results": results}).encode()
    request = urllib.request.Request(moto.endpoint + "/moto-api/static/athena/query-results", data=body,
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 201


EMPTY_RESULT = {"rows": [], "column_info": []}


def csv_to_result(text: str) -> dict:
    """CSV as `ridesweep query` prints it (NULL = empty unquoted field) → an Athena result with its header row."""
    lines = text.splitlines()
    header = next(csv.reader([lines[0]]))
    rows = [{"Data": [{"VarCharValue": name} for name in header]}]
    for line in lines[1:]:
        cells = next(csv.reader([line]))
        raw = line.split(",")  # the fixtures hold no quoted commas; an empty unquoted field is NULL
        rows.append({"Data": [{} if raw_cell == "" else {"VarCharValue": cell}
                              for cell, raw_cell in zip(cells, raw)]})
    columns = [{"Name": name, "Type": "varchar", "CatalogName": "hive", "SchemaName": "", "TableName": "",
                "Label": name, "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": True}
               for name in header]
    return {"rows": rows, "column_info": columns}


def sql_file(name: str, database: str = "ride_sim_analytics", location: str | None = None) -> str:
    """A one-statement SQL file as ridesweep sends it: placeholders filled, comments and the final `;` dropped."""
    text = (REPO / "infra" / "aws_serverless_sweep" / "athena" / name).read_text()
    text = text.replace("${database}", database)
    if location is not None:
        text = text.replace("${results_location}", location)
    lines = [line for line in text.splitlines() if line.strip() and not line.strip().startswith("--")]
    statement = "\n".join(lines).rstrip()
    assert statement.endswith(";")
    return statement[:-1].rstrip()
