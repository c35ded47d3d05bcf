"""The runbook flow on a stack Terraform applied to moto: `ridesweep submit` (SigV4, the applied invoke policy) →
the packaged bootstrap under AWS's runtime interface emulator with exactly the applied function configuration and
the applied runtime role policy → the queue Terraform made → the same bootstrap as worker → the bucket Terraform
made → `ridesweep status` and `ridesweep ingest --engine athena` with the applied operator policy.

moto cannot execute the function or play API Gateway, so two pieces stand in (tests/lambda/lambda_harness.py,
tests/operator_cli/sigv4_api_server.py): a gateway that checks the caller's SigV4 signature and the applied
invoke policy before handing the body to the function as a REST proxy event, and the SQS event source mapping.
moto's Athena records queries without running them; the two readiness queries are answered with what the local
engine computes over the same objects in the bucket.
"""

from __future__ import annotations

import csv
import fnmatch
import json
import os
import pathlib
import subprocess
import urllib.request

from lambda_harness import (LAMBDA_BASE_ENV, Emulator, EventSourceMapping, proxy_response, queue_depth, request_event,
                            unpack_runtime)
from moto_fixture import Keys, Moto
from sigv4_api_server import SigV4ApiServer
from terraform_stack import ACCOUNT, REGION, MotoServer

REPO = pathlib.Path(__file__).resolve().parents[2]
REQUEST = REPO / "examples" / "demo-request.json"
RUN_ID = "demo-run-001"
API_PATH = "/sandbox/sweep-run"
EMPTY_RESULT = {"rows": [], "column_info": []}


class StackMoto(Moto):
    """tests/lambda's view of moto (queue, bucket, keys), in the stack's region."""

    def client(self, service: str, keys: Keys | None = None):
        keys = keys or self.operator
        return self.server.client(service, keys)


def allows(policy: dict, action: str, resource: str) -> bool:
    """Whether an Allow statement grants `action` on `resource` (no Deny or conditions in the invoke policy)."""
    for statement in policy["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if statement["Effect"] == "Allow" and action in actions and any(fnmatch.fnmatchcase(resource, r)
                                                                         for r in resources):
            return True
    return False


class Gateway(SigV4ApiServer):
    """API Gateway with AWS_IAM authorisation in front of the emulated function: a valid signature by a key whose
    policy allows execute-api:Invoke on this method's ARN, then the Lambda proxy integration."""

    def __init__(self, secrets: dict[str, str], policies: dict[str, dict], method_arn: str, function: Emulator):
        super().__init__(secrets)
        self.policies, self.method_arn, self.function = policies, method_arn, function

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PATH}"

    def verify(self, received, raw_headers) -> tuple[int, bytes]:
        status, payload = super().verify(received, raw_headers)
        if received.verdict != "ok":
            return status, payload
        key_id = raw_headers["Authorization"].split("Credential=")[1].split("/")[0]
        if not allows(self.policies[key_id], "execute-api:Invoke", self.method_arn):
            received.verdict = "not authorised"
            return 403, json.dumps({"message": "User is not authorized to access this resource"}).encode()
        status, _, body = proxy_response(self.function.invoke(request_event(received.body.decode())))
        return status, body.encode()


def _cli(ridesweep: pathlib.Path, args: list[str], keys: Keys, endpoint: str, cwd: pathlib.Path,
         extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SWEEP_", "ATHENA_", "RIDESWEEP_"))}
    env.update({"PATH": "/usr/bin:/bin", "HOME": str(cwd), "AWS_ACCESS_KEY_ID": keys.access_key_id,
                "AWS_SECRET_ACCESS_KEY": keys.secret_access_key, "AWS_REGION": REGION,
                "SWEEP_S3_ENDPOINT": endpoint, "SWEEP_ATHENA_ENDPOINT": endpoint})
    env.update(extra or {})
    return subprocess.run([str(ridesweep), *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=300)


def _csv_to_result(text: str) -> dict:
    """`ridesweep query` CSV (an empty unquoted field is NULL) as an Athena result with its header row."""
    lines = text.splitlines()
    header = next(csv.reader([lines[0]]))
    rows = [{"Data": [{"VarCharValue": name} for name in header]}]
    for line in lines[1:]:
        cells, raw = next(csv.reader([line])), line.split(",")
        rows.append({"Data": [{} if r == "" else {"VarCharValue": c} for c, r in zip(cells, raw)]})
    columns = [{"Name": n, "Type": "varchar", "CatalogName": "hive", "SchemaName": "", "TableName": "", "Label": n,
                "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": True} for n in header]
    return {"rows": rows, "column_info": columns}


def _seed_athena(endpoint: str, results: list[dict]) -> None:
    body = json.dumps({"account_id": ACCOUNT, "region": REGION, "results": results}).encode()
    request = urllib.request.Request(endpoint + "/moto-api/static/athena/query-results", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 201


def run_the_runbook_flow(*, moto: MotoServer, outputs: dict, function_name: str, runtime_policy: dict,
                         invoke_policy: dict, operator_policy: dict, rie: pathlib.Path, ridesweep: pathlib.Path,
                         runtime_zip: pathlib.Path, work: pathlib.Path) -> None:
    lam, sqs, s3 = moto.client("lambda"), moto.client("sqs"), moto.client("s3")
    config = lam.get_function_configuration(FunctionName=function_name)
    bucket, queue_url, dlq_url = outputs["results_bucket"], outputs["shard_queue_url"], outputs["shard_dlq_url"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    worker = moto.user_with_policy("sweep-runtime", runtime_policy)
    submitter = moto.user_with_policy("sweep-submitter", invoke_policy)
    operator = moto.user_with_policy("sweep-operator", operator_policy)

    # Exactly the applied configuration, plus what Lambda itself provides and the emulator endpoints.
    env = dict(LAMBDA_BASE_ENV, AWS_REGION=REGION, AWS_DEFAULT_REGION=REGION)
    env.update(config["Environment"]["Variables"])
    env.update({"AWS_ACCESS_KEY_ID": worker.access_key_id, "AWS_SECRET_ACCESS_KEY": worker.secret_access_key,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(config["MemorySize"]),
                "SWEEP_S3_ENDPOINT": moto.endpoint, "SWEEP_SQS_ENDPOINT": moto.endpoint})
    task = unpack_runtime(runtime_zip, work / "task")

    api_id = outputs["api_url"].split("//", 1)[1].split(".", 1)[0]
    method_arn = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api_id}{API_PATH.replace('/sweep-run', '/POST/sweep-run')}"
    with Emulator(rie, task, env, work / "rie.log", timeout_seconds=config["Timeout"]) as function, \
            Gateway({submitter.access_key_id: submitter.secret_access_key, worker.access_key_id:
                     worker.secret_access_key}, {submitter.access_key_id: invoke_policy,
                                                 worker.access_key_id: runtime_policy}, method_arn, function) as api:
        # The runtime's own keys may not submit: the applied invoke policy is what lets the submitter in.
        refused = _cli(ridesweep, ["submit", str(REQUEST), "--api-url", api.url], worker, moto.endpoint, work)
        assert refused.returncode != 0 and "403" in refused.stderr + refused.stdout, refused
        submitted = _cli(ridesweep, ["submit", str(REQUEST), "--api-url", api.url], submitter, moto.endpoint, work)
        assert submitted.returncode == 0, f"{submitted.stdout}\n{submitted.stderr}\n{function.log_text()[-3000:]}"
        accepted = json.loads(submitted.stdout)
        assert (accepted["run_id"], accepted["status"], accepted["shards_dispatched"]) == (
            RUN_ID, "dispatch_submitted", 4)
        assert [r.verdict for r in api.received] == ["not authorised", "ok"]

        # The queue Terraform made holds the four shards; the mapping drains it through the same function.
        assert queue_depth(sqs, queue_url) == 4
        stack_moto = StackMoto(endpoint=moto.endpoint, bucket=bucket, queue_url=queue_url, queue_arn=queue_arn,
                               dlq_url=dlq_url, worker=worker, operator=moto.admin, log=moto.log)
        stack_moto.server = moto
        mapping = EventSourceMapping(stack_moto, function)
        results = mapping.drain()
        assert len(results) == 4 and all(not r.failed_ids for r in results), function.log_text()[-3000:]
    assert queue_depth(sqs, queue_url) == 0 and queue_depth(sqs, dlq_url) == 0

    # The bucket Terraform made, under the applied prefix.
    prefix = config["Environment"]["Variables"]["SWEEP_RESULTS_PREFIX"] + "/"
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for o in page.get("Contents", []) if RUN_ID in o["Key"]]
    assert any("dataset=shard_outcomes" in k for k in keys) and any(k.endswith(".parquet") for k in keys), keys

    # Operators, with the applied operator policy: status, then ingest on (moto's) Athena.
    where = ["--results-dir", f"s3://{bucket}", "--results-prefix", prefix.rstrip("/")]
    status = _cli(ridesweep, ["status", "--run-id", RUN_ID, *where], operator, moto.endpoint, work)
    assert status.returncode == 0, status.stderr
    assert "4 succeeded, 0 failed" in status.stdout and "complete" in status.stdout, status.stdout
    seeded = [EMPTY_RESULT] * 15  # projection mode: the tables plan (tables and views), no partition loading
    for query in ("query_run_readiness", "query_missing_shards"):
        local = _cli(ridesweep, ["query", query, "--run-id", RUN_ID, *where], operator,
                     moto.endpoint, work)
        assert local.returncode == 0, local.stderr
        seeded.append(_csv_to_result(local.stdout))
    _seed_athena(moto.endpoint, seeded)
    ingest = _cli(ridesweep, ["ingest", "--engine", "athena", "--run-id", RUN_ID,
                              "--athena-workgroup", outputs["athena_workgroup"],
                              "--athena-query-output", outputs["athena_query_results_s3"],
                              "--results-prefix", prefix.rstrip("/")],
                  operator, moto.endpoint, work,
                  {"SWEEP_RESULTS_BUCKET": bucket})
    assert ingest.returncode == 0, f"{ingest.stdout}\n{ingest.stderr}"
    assert ingest.stdout.strip().endswith("Readiness check passed."), ingest.stdout + ingest.stderr
