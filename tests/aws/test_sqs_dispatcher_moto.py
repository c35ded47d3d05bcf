"""SqsDispatcher against moto's SQS (JSON protocol, signatures checked, runtime policy), read back with boto3."""

from __future__ import annotations

import json

import pytest

from conftest import harness_env, run_harness


def drain(moto) -> list[dict]:
    """Every message now visible in the queue, received once each. They stay invisible for the rest of the run
    (an hour), so the next test starts from an empty queue without PurgeQueue's once-a-minute limit."""
    sqs = moto.client("sqs")
    received = []
    while True:
        batch = sqs.receive_message(QueueUrl=moto.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                    VisibilityTimeout=3600).get("Messages", [])
        if not batch:
            break
        received += batch
    return received


def payload(shard_id: int, pad: int = 0) -> str:
    return json.dumps({"run_id": "it-run", "run_date": "2026-02-14", "shard_id": shard_id,
                       "note": "ሴ \"quoted\" \\ tab\t" + "x" * pad}, ensure_ascii=False, separators=(",", ":"))


def dispatch(harness, moto, messages, concurrency=8, time_budget_ms=20_000) -> dict:
    return run_harness(harness, ["sqs", moto.queue_url],
                       json.dumps({"messages": messages, "concurrency": concurrency, "time_budget_ms": time_budget_ms}),
                       harness_env(moto, moto.worker))


@pytest.mark.parametrize("count, max_calls", [(25, 3), (1000, 100)])
def test_every_shard_arrives_intact_in_few_calls(harness_path, moto, count, max_calls):
    drain(moto)
    messages = [{"shard_id": i, "body": payload(i)} for i in range(count)]
    # moto needs ~10 s for 1,000 messages on a quiet machine (its cost grows with queue depth, docs/BENCHMARKS.md)
    # and more on a loaded one; this test is about delivery and call count, so the budget is not what it measures.
    report = dispatch(harness_path, moto, messages, time_budget_ms=120_000)
    assert report["failed"] == [] and report["first_error"] == ""
    assert report["enqueued"] == list(range(count))
    assert report["send_calls"] <= max_calls
    assert report["target"] == moto.queue_url
    received = drain(moto)
    assert sorted(m["Body"] for m in received) == sorted(m["body"] for m in messages)
    assert len(received) == count
    print(f"dispatch of {count} shards: {report['send_calls']} calls, {report['elapsed_ms']} ms, "
          f"{report['connections_opened']} connections")


def test_byte_limit_splits_large_payloads(harness_path, moto):
    drain(moto)
    messages = [{"shard_id": i, "body": payload(i, pad=65_000)} for i in range(9)]
    report = dispatch(harness_path, moto, messages, concurrency=2)
    assert report["enqueued"] == list(range(9))
    assert report["send_calls"] == 3  # 4 + 4 + 1: four ~65 KB bodies fill one 256 KiB call.
    assert sorted(m["Body"] for m in drain(moto)) == sorted(m["body"] for m in messages)


def test_queue_has_its_dead_letter_queue(moto):
    attributes = moto.client("sqs").get_queue_attributes(QueueUrl=moto.queue_url, AttributeNames=["RedrivePolicy"])
    redrive = json.loads(attributes["Attributes"]["RedrivePolicy"])
    dlq_arn = moto.client("sqs").get_queue_attributes(QueueUrl=moto.dlq_url, AttributeNames=["QueueArn"])
    assert redrive["deadLetterTargetArn"] == dlq_arn["Attributes"]["QueueArn"]
    assert redrive["deadLetterTargetArn"].endswith("-dlq")
    assert int(redrive["maxReceiveCount"]) == 5
