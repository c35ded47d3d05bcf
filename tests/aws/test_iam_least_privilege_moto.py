"""IAM least privilege, dynamically (issue 5): the policies rendered from iam.tf, attached to users of the
authorising moto server, let the real code do its whole job and nothing else.

Runtime role (the `sweep-runtime` user of conftest.py; the API path and the worker are the same function, so this is
also the API path's policy): the ingress flow (manifest lookup answering 404, manifest create-if-absent, run_context,
SendMessageBatch), the queue consumer's calls, every dataset write, stale-failure deletes, listing — all succeed;
writes outside the prefix, reads and writes of another bucket, deletes of manifests, and queue actions beyond the
six it needs are denied. (Writes outside the prefix and deletes of success objects: test_auth_moto.py.)
Operator Athena policy: `ridesweep athena apply` and `ridesweep ingest --engine athena` succeed under it; it cannot
change results, write outside the query-output prefix or list other people's queries. The invoke policy
(execute-api:Invoke) cannot be exercised: moto does not authorise API Gateway invocations; test_terraform.py pins it.
"""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from athena_cli import EMPTY_RESULT, QUERY_OUTPUT, csv_to_result, ridesweep_binary, run_cli, seed_results
from conftest import ACCOUNT, REGION, RESULTS_PREFIX, Keys, harness_env, run_harness
from policy import athena_query_policy

RUN = "iam-run"
DATE = "2026-02-14"
P = RESULTS_PREFIX
OTHER_BUCKET = "other-team-bucket"


def s3_ops(harness, moto, ops, keys, bucket=None):
    return run_harness(harness, ["s3", bucket or moto.bucket], json.dumps(ops), harness_env(moto, keys))["results"]


def boto(moto, service, keys: Keys):
    return boto3.client(service, region_name=REGION, endpoint_url=moto.endpoint, aws_access_key_id=keys.access_key_id,
                        aws_secret_access_key=keys.secret_access_key,
                        config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))


def denied(call) -> bool:
    try:
        call()
    except ClientError as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"] == 403 or "AccessDenied" in str(error)
    return False


@pytest.fixture(scope="module")
def other_bucket(moto_server):
    s3 = moto_server.client("s3")
    s3.create_bucket(Bucket=OTHER_BUCKET)
    s3.put_object(Bucket=OTHER_BUCKET, Key=f"{P}/secret.txt", Body=b"not yours")
    return OTHER_BUCKET


def test_runtime_policy_allows_the_whole_flow(harness_path, moto):
    manifest = f"{P}/runs/run_id={RUN}/manifest.json"
    point = f"run_date={DATE}/run_id={RUN}/status=success/shard_id=0/point_index=0/part-0.parquet"
    outcome = f"{P}/dataset=shard_outcomes/run_date={DATE}/run_id_partition={RUN}/status_partition=%s/" \
              "shard_id_partition=0/part-0.parquet"
    ops = [{"op": "get", "key": manifest},  # absent: 404 (ListBucket), not 403
           {"op": "put_if_absent", "key": manifest, "data": "{}"},
           {"op": "put_if_absent", "key": manifest, "data": "{}"},  # second submission: already there
           {"op": "put", "key": f"{P}/dataset=run_context/run_date={DATE}/run_id_partition={RUN}/"
                                 "status_partition=accepted/part-0.parquet", "data": "ctx"},
           *[{"op": "put", "key": f"{P}/dataset={d}/{point}", "data": d}
             for d in ("shard_metrics", "trip_data", "snapshot_counts")],
           {"op": "put", "key": f"{P}/dataset=effective_parameters/run_date={DATE}/run_id_partition={RUN}/"
                                 "status_partition=success/shard_id_partition=0/point_index_partition=0/part-0.parquet",
            "data": "ep"},
           {"op": "put", "key": outcome % "failure", "data": "failed once"},
           {"op": "head", "key": f"{P}/dataset=shard_metrics/{point}"},
           {"op": "delete", "key": outcome % "failure"},  # a stale failure record after a later success
           {"op": "put", "key": outcome % "success", "data": "ok"},
           {"op": "list", "prefix": f"{P}/dataset=shard_outcomes/run_date={DATE}/run_id_partition={RUN}/"}]
    results = s3_ops(harness_path, moto, ops, moto.worker)
    assert results[0]["code"] == "NOT_FOUND", results[0]
    assert results[1]["code"] == "OK" and results[2]["code"] != "OK", results[1:3]  # create-if-absent held
    assert all(r["code"] == "OK" for r in results[3:]), [r for r in results[3:] if r["code"] != "OK"]
    assert results[-1]["keys"] == [outcome % "success"]

    report = run_harness(harness_path, ["sqs", moto.queue_url],
                         json.dumps({"messages": [{"shard_id": i, "body": json.dumps({"shard_id": i})}
                                                  for i in range(12)]}), harness_env(moto, moto.worker))
    assert report["failed"] == [] and sorted(report["enqueued"]) == list(range(12)), report

    sqs = boto(moto, "sqs", moto.worker)
    assert sqs.get_queue_attributes(QueueUrl=moto.queue_url, AttributeNames=["VisibilityTimeout"])["Attributes"]
    messages = sqs.receive_message(QueueUrl=moto.queue_url, MaxNumberOfMessages=10)["Messages"]
    assert messages
    for message in messages:
        sqs.change_message_visibility(QueueUrl=moto.queue_url, ReceiptHandle=message["ReceiptHandle"],
                                      VisibilityTimeout=0)
        sqs.delete_message(QueueUrl=moto.queue_url, ReceiptHandle=message["ReceiptHandle"])


def test_runtime_policy_denies_everything_else(harness_path, moto, other_bucket):
    results = s3_ops(harness_path, moto, [{"op": "get", "key": f"{P}/secret.txt"},
                                          {"op": "put", "key": f"{P}/dataset=x/part-0.parquet", "data": "x"},
                                          {"op": "list", "prefix": P}], moto.worker, bucket=other_bucket)
    assert [r["code"] for r in results] == ["FAILED_PRECONDITION"] * 3, results
    assert all("403" in r["message"] for r in results), results
    (delete,) = s3_ops(harness_path, moto, [{"op": "delete", "key": f"{P}/runs/run_id={RUN}/manifest.json"}],
                       moto.worker)
    assert delete["code"] == "FAILED_PRECONDITION" and "AccessDenied" in delete["message"], delete

    sqs = boto(moto, "sqs", moto.worker)
    assert denied(lambda: sqs.purge_queue(QueueUrl=moto.queue_url))
    assert denied(lambda: sqs.set_queue_attributes(QueueUrl=moto.queue_url, Attributes={"VisibilityTimeout": "1"}))
    assert denied(lambda: sqs.delete_queue(QueueUrl=moto.queue_url))
    assert denied(lambda: sqs.create_queue(QueueName="ride-sim-sweep-extra"))
    assert denied(lambda: sqs.send_message(QueueUrl=moto.dlq_url, MessageBody="{}"))
    # The DLQ is consumed (dead letters are settled, see lambda.tf) but never written to or purged directly.
    sqs.receive_message(QueueUrl=moto.dlq_url, WaitTimeSeconds=0)
    assert denied(lambda: sqs.purge_queue(QueueUrl=moto.dlq_url))
    assert denied(lambda: sqs.list_queues())
    # The denied calls really changed nothing.
    attributes = moto.client("sqs").get_queue_attributes(QueueUrl=moto.queue_url, AttributeNames=["VisibilityTimeout"])
    assert attributes["Attributes"]["VisibilityTimeout"] == "5400"
    assert moto.client("s3").get_object(Bucket=moto.bucket, Key=f"{P}/runs/run_id={RUN}/manifest.json")


@pytest.fixture(scope="module")
def athena_operator(moto_server) -> Keys:
    iam = moto_server.client("iam")
    iam.create_user(UserName="athena-operator")
    iam.put_user_policy(UserName="athena-operator", PolicyName="athena-query-access", PolicyDocument=json.dumps(
        athena_query_policy(bucket_arn=f"arn:aws:s3:::{moto_server.bucket}", results_prefix=RESULTS_PREFIX,
                            athena_results_prefix="athena-query-results", region=REGION, account=ACCOUNT,
                            workgroup="ride-sim-sweep-analytics")))
    key = iam.create_access_key(UserName="athena-operator")["AccessKey"]
    return Keys(key["AccessKeyId"], key["SecretAccessKey"])


def test_operator_policy_runs_the_athena_commands_and_nothing_else(harness_path, moto, athena_operator,
                                                                   other_bucket):
    cli = ridesweep_binary(harness_path)
    proc = run_cli(cli, ["athena", "apply", "--query-results-s3", QUERY_OUTPUT, "--results-bucket", moto.bucket,
                         "--poll-interval-seconds", "0.05"], moto, athena_operator)
    assert proc.returncode == 0, proc.stderr
    readiness = ("run_context_rows,outcome_rows,success_outcomes,failure_outcomes,distinct_shards,successful_shards,"
                 "shard_metrics_rows,trip_data_rows,snapshot_counts_rows,effective_parameters_rows,truncated_points,"
                 "completed_trips_total,expected_points,expected_shards,points_missing_data\n1,1,1,0,1,1,1,1,1,1,0,1,1,1,0\n")
    # Projection mode (the default): the 15 table and view statements, then the two readiness queries; no partition
    # loading.
    seed_results(moto, [EMPTY_RESULT] * 15 + [csv_to_result(readiness),
                                                   csv_to_result("shard_id,has_failure_record,last_error_code\n")])
    proc = run_cli(cli, ["ingest", "--engine", "athena", "--run-id", RUN, "--results-bucket", moto.bucket,
                         "--athena-query-output", QUERY_OUTPUT, "--run-date", DATE, "--expected-shards", "1",
                         "--poll-interval-seconds", "0.05"], moto, athena_operator)
    # Tables, reading the run's manifest and the readiness queries are all allowed.
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "Readiness check passed."

    s3 = boto(moto, "s3", athena_operator)
    assert s3.get_object(Bucket=moto.bucket, Key=f"{P}/runs/run_id={RUN}/manifest.json")["Body"].read() == b"{}"
    s3.put_object(Bucket=moto.bucket, Key="athena-query-results/manual.csv", Body=b"a")
    assert denied(lambda: s3.put_object(Bucket=moto.bucket, Key=f"{P}/runs/run_id={RUN}/manifest.json", Body=b"x"))
    assert denied(lambda: s3.delete_object(Bucket=moto.bucket, Key=f"{P}/runs/run_id={RUN}/manifest.json"))
    assert denied(lambda: s3.put_object(Bucket=moto.bucket, Key="elsewhere/file.txt", Body=b"x"))
    assert denied(lambda: s3.get_object(Bucket=other_bucket, Key=f"{P}/secret.txt"))
    athena = boto(moto, "athena", athena_operator)
    assert denied(lambda: athena.list_query_executions())
    assert denied(lambda: athena.delete_work_group(WorkGroup="primary"))
    assert denied(lambda: boto(moto, "sqs", athena_operator).send_message(QueueUrl=moto.queue_url, MessageBody="x"))


def test_operator_policy_cancels_runs_but_writes_nothing_else_under_the_prefix(harness_path, moto, athena_operator):
    """`ridesweep cancel` over s3:// needs only s3:PutObject on the run's cancel marker (operator policy, CancelRuns);
    every other key under the results prefix stays read-only for operators."""
    cli = ridesweep_binary(harness_path)
    run_id = "operator-cancel-run"
    manifest = f"{P}/runs/run_id={run_id}/manifest.json"
    moto.client("s3").put_object(Bucket=moto.bucket, Key=manifest, Body=b"{}")
    proc = run_cli(cli, ["cancel", run_id, "--results-dir", f"s3://{moto.bucket}"], moto, athena_operator)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"Cancelled run {run_id}")
    marker = moto.client("s3").get_object(Bucket=moto.bucket, Key=f"{P}/runs/run_id={run_id}/cancel.json")
    assert marker["Body"].read().startswith(b'{"run_id":"operator-cancel-run","cancelled_at":"')
    s3 = boto(moto, "s3", athena_operator)
    assert denied(lambda: s3.put_object(Bucket=moto.bucket, Key=f"{P}/runs/run_id={run_id}/other.json", Body=b"x"))
    assert denied(lambda: s3.put_object(Bucket=moto.bucket, Key=f"{P}/dataset=x/cancel.json", Body=b"x"))
