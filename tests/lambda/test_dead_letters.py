"""Dead-lettered shards on the cloud path (issue 13): a shard whose every attempt stopped before writing an outcome
(the function timed out or crashed, so SQS redelivered it until maxReceiveCount moved it to the DLQ) used to read
"pending" forever. With the DLQ wired to the function (SWEEP_DEAD_LETTER_QUEUE_ARN, as Terraform wires it), the
packaged bootstrap under the Lambda runtime interface emulator writes the missing failure record and acknowledges the
dead letter, so `ridesweep status` over S3 reports the shard as failed with the reason; a dead letter of a shard that
already has an outcome changes nothing."""

from __future__ import annotations

import json
import os
import subprocess

from cloud_results import get_bytes, read_parquet, run_keys
from conftest import MAX_RECEIVE_COUNT
from lambda_harness import EventSourceMapping, dlq_bodies, function_env, proxy_response, queue_depth, request_event
from lambda_harness import sqs_record
from moto_fixture import REGION

DEAD_LETTER_TEXT = ("dead-lettered: no attempt recorded an outcome (the worker timed out, ran out of memory or "
                    "crashed before writing one); run the request again to redo the shard")


def _status(ridesweep, moto, run_id: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SWEEP_"))}
    env.update({"AWS_ACCESS_KEY_ID": moto.worker.access_key_id, "AWS_SECRET_ACCESS_KEY":
                moto.worker.secret_access_key, "AWS_REGION": REGION, "SWEEP_S3_ENDPOINT": moto.endpoint})
    done = subprocess.run([str(ridesweep), "status", "--run-id", run_id, "--json", "--results-dir",
                           f"s3://{moto.bucket}"], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def _dlq_arn(sqs, moto) -> str:
    return sqs.get_queue_attributes(QueueUrl=moto.dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def test_issue_0013_dead_lettered_shard_without_an_outcome_is_recorded_as_failed(start_lambda, moto, ridesweep):
    run_id = "dead-letter-run"
    request = {"run_id": run_id, "dimensions": {"num_drivers": [20, 30], "num_riders": [40]}, "shard_count": 2,
               "seed": 5}
    sqs = moto.client("sqs")
    dlq_arn = _dlq_arn(sqs, moto)
    function = start_lambda(function_env(moto, SWEEP_DEAD_LETTER_QUEUE_ARN=dlq_arn))
    status, _, body = proxy_response(function.invoke(request_event(request)))
    assert status == 202, body
    assert queue_depth(sqs, moto.queue_url) == 2

    # Shard A runs normally. Shard B's deliveries all "die": received, never answered, made visible again (what the
    # event source mapping does when an invocation times out or crashes), until the next receive moves it to the DLQ.
    mapping = EventSourceMapping(moto, function)
    messages = mapping.receive(2)
    assert len(messages) == 2
    ran, lost = messages
    assert mapping.deliver([ran]).failed_ids == []
    sqs.change_message_visibility(QueueUrl=moto.queue_url, ReceiptHandle=lost["ReceiptHandle"], VisibilityTimeout=0)
    for _ in range(MAX_RECEIVE_COUNT - 1):
        (again,) = mapping.receive()
        sqs.change_message_visibility(QueueUrl=moto.queue_url, ReceiptHandle=again["ReceiptHandle"],
                                      VisibilityTimeout=0)
    assert mapping.receive() == []  # past maxReceiveCount: moved to the DLQ
    assert dlq_bodies(moto) == [lost["Body"]]
    lost_shard = json.loads(lost["Body"])["shard_id"]
    ran_shard = json.loads(ran["Body"])["shard_id"]

    before = _status(ridesweep, moto, run_id)
    assert (before["shards_succeeded"], before["shards_failed"], before["pending_shard_ids"]) == (1, 0, [lost_shard])

    # The DLQ's own mapping delivers it; the function records the failure and acknowledges it.
    dead = sqs.receive_message(QueueUrl=moto.dlq_url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"],
                               WaitTimeSeconds=0)["Messages"]
    invocation = function.invoke({"Records": [sqs_record(m, dlq_arn) for m in dead]})
    assert not invocation.is_function_error, invocation.raw
    assert invocation.payload == {"batchItemFailures": []}
    for message in dead:
        sqs.delete_message(QueueUrl=moto.dlq_url, ReceiptHandle=message["ReceiptHandle"])
    (settled,) = function.events("dead_letter_settled")
    assert (settled["details"]["shard_id"], settled["details"]["result"]) == (lost_shard, "recorded")
    assert function.events("shard_started") == [e for e in function.events("shard_started")
                                                if e["details"]["shard_id"] == ran_shard]  # nothing simulated

    after = _status(ridesweep, moto, run_id)
    assert (after["shards_succeeded"], after["shards_failed"], after["pending_shard_ids"],
            after["failed_shard_ids"]) == (1, 1, [], [lost_shard])
    (failure_key,) = [k for k in run_keys(moto, run_id) if "status_partition=failure" in k]
    (row,) = read_parquet(get_bytes(moto, failure_key)).to_pylist()
    assert (row["shard_id"], row["error_code"], row["error_message"], row["points_processed"]) == (
        lost_shard, "internal_error", DEAD_LETTER_TEXT, 0)
    assert not [k for k in run_keys(moto, run_id) if f"shard_id={lost_shard}/" in k and "point_index" in k]

    # The same dead letter again (a duplicate delivery), and one for the shard that succeeded: nothing changes.
    keys = run_keys(moto, run_id)
    sqs.send_message(QueueUrl=moto.dlq_url, MessageBody=lost["Body"])
    sqs.send_message(QueueUrl=moto.dlq_url, MessageBody=ran["Body"])
    dead = sqs.receive_message(QueueUrl=moto.dlq_url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"],
                               WaitTimeSeconds=0)["Messages"]
    assert len(dead) == 2
    invocation = function.invoke({"Records": [sqs_record(m, dlq_arn) for m in dead]})
    assert invocation.payload == {"batchItemFailures": []}
    assert [e["details"]["result"] for e in function.events("dead_letter_settled")][1:] == ["already_final"] * 2
    assert run_keys(moto, run_id) == keys
