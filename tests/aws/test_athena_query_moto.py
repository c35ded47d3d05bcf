"""`ridesweep query … --engine athena` (spec/sweep.md §11.3) through the real CLI against the authorising moto
server: the exact statement Athena received (placeholders substituted, the expected shard count from the run
manifest in the bucket when not given), with workgroup, database context and output location; the CSV printed
byte for byte as the local engine prints it for the same run — moto hands back the local engine's rows, spelled
as Athena spells them (DOUBLE values the Java way: 1.0E7, 1.5E-4); GetQueryResults pagination and a FAILED query
from a scripted stub (moto answers neither); argument errors with the local command's exit codes."""

from __future__ import annotations

import json
import math
import pathlib
import subprocess
from decimal import Decimal

import pytest

from athena_cli import QUERY_OUTPUT, execution_ids, executions_since, run_cli, seed_results
from conftest import REPO, RESULTS_PREFIX
from stub_server import StubServer, verify_sigv4
from test_athena_cli_moto import athena_stub

RUN_ID = "demo-run-001"
SQL_DIR = REPO / "infra" / "aws_serverless_sweep" / "athena"
QUERY = ["query", "--engine", "athena", "--run-id", RUN_ID, "--poll-interval-seconds", "0.05"]
ATHENA = [*QUERY, "--athena-query-output", QUERY_OUTPUT]
# The SQL types Athena reports for the columns that are not bigint.
TYPES = {
    "query_run_level_profile": {"failure_rate": "double", "points_per_second": "double"},
    "query_missing_shards": {"has_failure_record": "boolean", "last_error_code": "varchar"},
}


def local_query(cli, root: pathlib.Path, args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([cli, "query", *args, "--run-id", RUN_ID, "--results-dir", str(root)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def parse_csv_line(line: str) -> list[str | None]:
    """One line of `ridesweep query` CSV: quoted fields unquoted, an empty unquoted field is NULL (None)."""
    cells, i = [], 0
    while True:
        if line.startswith('"', i):
            text, i = "", i + 1
            while True:
                end = line.index('"', i)
                text += line[i:end]
                if line.startswith('"', end + 1):
                    text, i = text + '"', end + 2
                    continue
                i = end + 1
                break
            cells.append(text)
        else:
            end = line.find(",", i)
            raw = line[i:] if end < 0 else line[i:end]
            cells.append(raw or None)
            i = len(line) if end < 0 else end
        if i >= len(line):
            return cells
        assert line[i] == ","
        i += 1


def java_double(text: str) -> str:
    """A double as Athena (Trino, Java's Double.toString) spells it: 1.0E7, 1.5E-4, 0.25, Infinity, NaN."""
    value = float(text)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        return repr(value)  # Python writes this range in fixed notation with a fraction, as Java does
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple))
    power = exponent + len(digits) - 1
    digits = digits.rstrip("0")
    return f"{'-' if sign else ''}{digits[0]}.{digits[1:] or '0'}E{power}"


def athena_result(header: list[str], rows: list[list[str | None]], types: dict[str, str]) -> dict:
    """An Athena SELECT result: the header row first, NULL as a cell without VarCharValue, typed columns."""
    def cell(value):
        return {} if value is None else {"VarCharValue": value}
    column_info = [{"Name": name, "Type": types.get(name, "bigint"), "CatalogName": "hive", "SchemaName": "",
                    "TableName": "", "Label": name, "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN",
                    "CaseSensitive": True} for name in header]
    return {"rows": [{"Data": [cell(name) for name in header]}] + [{"Data": [cell(v) for v in row]} for row in rows],
            "column_info": column_info}


def athena_result_of(local_csv: str, types: dict[str, str]) -> dict:
    """What Athena returns for the rows the local engine printed: doubles in Java's spelling."""
    lines = local_csv.splitlines()
    header = parse_csv_line(lines[0])
    rows = []
    for line in lines[1:]:
        row = parse_csv_line(line)
        rows.append([java_double(v) if v is not None and types.get(name) == "double" else v
                     for name, v in zip(header, row)])
    return athena_result(header, rows, types)


def statement(name: str, expected_shards: int | None = None, database: str = "ride_sim_analytics") -> str:
    """The query file as Athena must receive it: placeholders filled, comments and the final `;` dropped."""
    text = (SQL_DIR / name).read_text().replace("${database}", database).replace("${run_id}", RUN_ID)
    if expected_shards is not None:
        text = text.replace("${expected_shards}", str(expected_shards))
    lines = [line for line in text.splitlines() if line.strip() and not line.strip().startswith("--")]
    return "\n".join(lines).rstrip().removesuffix(";").rstrip()


def test_java_spelling_helper():
    assert [java_double(t) for t in ("10000000.0", "0.00015", "1e+16", "0.25", "8.0", "0.0", "1e-05")] == \
        ["1.0E7", "1.5E-4", "1.0E16", "0.25", "8.0", "0.0", "1.0E-5"]


@pytest.mark.parametrize("query, extra, expected_shards", [
    ("query_run_level_profile", [], None),
    ("query_missing_shards", ["--expected-shards", "6"], 6),  # shards 4 and 5: NULL error codes
])
def test_prints_the_local_engines_csv_byte_for_byte(cli, moto, demo_run, query, extra, expected_shards):
    local = local_query(cli, demo_run, [query, *extra])
    assert local.returncode == 0, local.stderr
    assert len(local.stdout.splitlines()) >= 2
    seed_results(moto, [athena_result_of(local.stdout, TYPES[query])])
    before = execution_ids(moto)
    proc = run_cli(cli, [*ATHENA, query, *extra], moto, moto.operator)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout == local.stdout
    [execution] = executions_since(moto, before)
    assert execution["Query"] == statement(f"{query}.sql", expected_shards)
    assert "${" not in execution["Query"]
    assert execution["QueryExecutionContext"]["Database"] == "ride_sim_analytics"
    assert execution["WorkGroup"] == "primary"
    assert execution["ResultConfiguration"]["OutputLocation"].startswith(QUERY_OUTPUT)


def test_expected_shards_come_from_the_manifest_in_the_bucket_and_env_fallbacks(cli, moto, demo_run):
    s3 = moto.client("s3")
    for path in sorted(p for p in demo_run.rglob("*") if p.is_file()):
        s3.put_object(Bucket=moto.bucket, Key=path.relative_to(demo_run).as_posix(), Body=path.read_bytes())
    local = local_query(cli, demo_run, ["query_shard_coverage"])
    assert local.returncode == 0, local.stderr
    seed_results(moto, [athena_result_of(local.stdout, {"has_full_coverage": "boolean"})])
    before = execution_ids(moto)
    proc = run_cli(cli, [*QUERY, "query_shard_coverage", "--athena-db", "sweeps_team_a", "--athena-workgroup",
                         "primary"], moto, moto.operator,
                   extra_env={"SWEEP_RESULTS_BUCKET": moto.bucket, "ATHENA_QUERY_OUTPUT": QUERY_OUTPUT})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == local.stdout
    assert proc.stdout.splitlines()[1].endswith(",4,true")  # 4 expected shards, from the manifest
    [execution] = executions_since(moto, before)
    assert execution["Query"] == statement("query_shard_coverage.sql", 4, database="sweeps_team_a")
    assert execution["QueryExecutionContext"]["Database"] == "sweeps_team_a"


def test_values_print_exactly_as_the_local_engine_prints_them(cli, moto, demo_run, tmp_path):
    query = tmp_path / "edge_values.sql"
    query.write_text("-- the value spellings where the engines differ\n"
                     "SELECT CAST(10000000 AS DOUBLE) AS big, CAST(0.00015 AS DOUBLE) AS small,\n"
                     "       CAST(1e16 AS DOUBLE) AS huge, CAST(2 AS DOUBLE) / 3 AS third,\n"
                     "       CAST(NULL AS DOUBLE) AS nothing, 'a,\"b\"' AS text, '' AS empty,\n"
                     "       CAST(NULL AS VARCHAR) AS null_text, true AS flag, CAST(42 AS BIGINT) AS n,\n"
                     "       '${run_id}' AS run_id;\n")
    local = local_query(cli, demo_run, [str(query)])
    assert local.returncode == 0, local.stderr
    assert local.stdout == ("big,small,huge,third,nothing,text,empty,null_text,flag,n,run_id\n"
                            '10000000.0,0.00015,1e+16,0.6666666666666666,,"a,""b""","",,true,42,demo-run-001\n')
    types = {"big": "double", "small": "double", "huge": "double", "third": "double", "nothing": "double",
             "text": "varchar", "empty": "varchar", "null_text": "varchar", "flag": "boolean", "run_id": "varchar"}
    header = local.stdout.splitlines()[0].split(",")
    seed_results(moto, [athena_result(header, [["1.0E7", "1.5E-4", "1.0E16", "0.6666666666666666", None, 'a,"b"', "",
                                                None, "true", "42", RUN_ID]], types)])
    before = execution_ids(moto)
    proc = run_cli(cli, [*ATHENA, str(query)], moto, moto.operator)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == local.stdout
    [execution] = executions_since(moto, before)
    assert execution["Query"].endswith(f"'{RUN_ID}' AS run_id")


def test_results_are_read_page_by_page(cli, moto):
    """GetQueryResults pages (NextToken) from a stub: the header row only on the first page, rows in order."""
    columns = ["shard_id", "has_failure_record", "last_error_code"]
    pages = {None: (True, [["0", "true", "timeout"], ["1", "false", None]], "t1"),
             "t1": (False, [["2", "false", None], ["3", "true", "a,b"]], "t2"),
             "t2": (False, [["4", "false", None]], None)}
    stub = StubServer()
    tokens = []

    def answer(record):
        target = record.headers.get("X-Amz-Target", "").split(".")[-1]
        body = json.loads(record.body or b"{}")
        if target == "StartQueryExecution":
            return ("respond", 200, {}, json.dumps({"QueryExecutionId": "q1"}))
        if target == "GetQueryExecution":
            return ("respond", 200, {}, json.dumps({"QueryExecution": {"QueryExecutionId": "q1",
                                                                        "Status": {"State": "SUCCEEDED"}}}))
        tokens.append(body.get("NextToken"))
        with_header, rows, next_token = pages[body.get("NextToken")]
        result = athena_result(columns, rows, TYPES["query_missing_shards"])
        data = result["rows"] if with_header else result["rows"][1:]
        answer_body = {"ResultSet": {"Rows": data, "ResultSetMetadata": {"ColumnInfo": result["column_info"]}},
                       **({"NextToken": next_token} if next_token else {})}
        return ("respond", 200, {}, json.dumps(answer_body))

    stub.default = answer
    try:
        proc = run_cli(cli, [*ATHENA, "query_missing_shards", "--expected-shards", "9"], moto, moto.operator,
                       athena_endpoint=stub.endpoint)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == ("shard_id,has_failure_record,last_error_code\n0,true,timeout\n1,false,\n2,false,\n"
                               '3,true,"a,b"\n4,false,\n')
        assert tokens == [None, "t1", "t2"]
        assert all(verify_sigv4(r, moto.operator.secret_access_key) for r in stub.requests)
    finally:
        stub.close()


def test_a_failed_query_exits_like_a_failed_local_query(cli, moto, demo_run, tmp_path):
    broken = tmp_path / "broken.sql"
    broken.write_text("SELECT no_such_column FROM ${database}.sweep_shard_outcomes WHERE run_id = '${run_id}';\n")
    local = local_query(cli, demo_run, [str(broken)])
    assert local.returncode == 3 and local.stderr.startswith("Error: DuckDB query failed: "), local.stderr

    stub = athena_stub({"successful_points": [("RUNNING", ""), ("FAILED", "COLUMN_NOT_FOUND: line 3:8")]})
    try:
        proc = run_cli(cli, [*ATHENA, "query_run_level_profile"], moto, moto.operator, athena_endpoint=stub.endpoint)
        assert proc.returncode == local.returncode
        assert proc.stderr.strip() == "Error: athena query failed (FAILED): COLUMN_NOT_FOUND: line 3:8"
        assert proc.stdout == ""
        assert stub.started == [statement("query_run_level_profile.sql")]
    finally:
        stub.close()


@pytest.mark.parametrize("args, env, message", [
    (["query_run_level_profile"], {}, "--athena-query-output is required for --engine athena "
                                      "(or set ATHENA_QUERY_OUTPUT)"),
    (["query_run_level_profile", "--athena-query-output", "athena-query-results/"], {},
     "--athena-query-output must be an s3://bucket[/prefix] URI"),
    (["query_run_level_profile", "--athena-query-output", QUERY_OUTPUT], {"AWS_REGION": None},
     "--region is required when AWS_REGION is not set"),
    (["query_run_level_profile", "--athena-query-output", QUERY_OUTPUT, "--results-bucket", "b/x"], {},
     "--results-bucket should be a bucket name (no slashes) unless using s3://bucket[/prefix]"),
    (["query_run_level_profile", "--athena-query-output", QUERY_OUTPUT, "--athena-db", "Team-A"], {},
     "Invalid value for ${database}: Team-A"),
    (["query_shard_coverage", "--athena-query-output", QUERY_OUTPUT], {},
     "Missing value for ${expected_shards} in query_shard_coverage.sql"),
    (["query_nope", "--athena-query-output", QUERY_OUTPUT], {},
     "Query file not found: query_nope (looked in infra/aws_serverless_sweep/athena)"),
])
def test_argument_errors_exit_2_and_start_nothing(cli, moto, args, env, message):
    before = execution_ids(moto)
    proc = run_cli(cli, [*QUERY, *args], moto, moto.operator, extra_env=env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == f"Error: {message}"
    assert proc.stdout == ""
    assert execution_ids(moto) == before


def test_a_bad_run_id_is_the_local_engines_error(cli, moto, demo_run):
    args = ["query_run_level_profile", "--run-id", "bad run"]
    local = subprocess.run([cli, "query", *args, "--results-dir", str(demo_run)], capture_output=True, text=True,
                           cwd=REPO, timeout=60)
    proc = run_cli(cli, ["query", "--engine", "athena", *args, "--athena-query-output", QUERY_OUTPUT], moto,
                   moto.operator)
    assert (proc.returncode, proc.stderr) == (local.returncode, local.stderr) == (2, "Error: Invalid value for "
                                                                                   "${run_id}: bad run\n")
    # An unknown engine is a usage error.
    assert run_cli(cli, ["query", "query_run_level_profile", "--run-id", RUN_ID, "--engine", "presto"], moto,
                   None).returncode == 2
    # No credentials (nothing in the environment, no aws CLI): an AWS failure, like the local engine's S3 reads.
    proc = run_cli(cli, [*ATHENA, "query_run_level_profile"], moto, None)
    assert proc.returncode == 3
    assert proc.stderr.startswith("Error: AWS credentials not found")


def test_the_manifest_is_read_under_the_buckets_prefix(cli, moto, demo_run):
    """--results-bucket s3://bucket/team-a: the manifest key is team-a/<prefix>/runs/run_id=R/manifest.json."""
    manifest = f"{RESULTS_PREFIX}/runs/run_id={RUN_ID}/manifest.json"
    before = execution_ids(moto)
    proc = run_cli(cli, [*ATHENA, "query_missing_shards", "--results-bucket", f"s3://{moto.bucket}/team-b"], moto,
                   moto.operator)
    # No manifest under team-b: an unknown run there.
    assert (proc.returncode, proc.stderr) == (3, f"Error: no run '{RUN_ID}' in s3://{moto.bucket}/team-b/"
                                                 f"{RESULTS_PREFIX}\n")
    assert execution_ids(moto) == before
    moto.client("s3").put_object(Bucket=moto.bucket, Key=f"team-b/{manifest}",
                                 Body=(demo_run / manifest).read_bytes())
    seed_results(moto, [athena_result(["shard_id", "has_failure_record", "last_error_code"], [], {})])
    proc = run_cli(cli, [*ATHENA, "query_missing_shards", "--results-bucket", f"s3://{moto.bucket}/team-b"], moto,
                   moto.operator)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "shard_id,has_failure_record,last_error_code\n"
    [execution] = executions_since(moto, before)
    assert execution["Query"] == statement("query_missing_shards.sql", 4)
