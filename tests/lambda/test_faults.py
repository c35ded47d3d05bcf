"""Bad input and misconfiguration through the emulator (issue 4, "Faults and bad input"): malformed events, bodies
that are not shard payloads, a payload referencing an unknown run, oversize requests, base64 bodies, missing
environment variables, partial batch failures and duplicate delivery. Expected texts are the spec's (§1.2–§1.4,
§5.5, §5.6, §6, §7.1–§7.3, §8)."""

from __future__ import annotations

import json
import time

import pytest

from cloud_results import get_bytes, read_parquet, run_keys
from e2e_support import outcome_key
from lambda_harness import (EventSourceMapping, dlq_bodies, function_env, proxy_event, proxy_response, queue_depth,
                            request_event, sqs_record)
from conftest import MAX_RECEIVE_COUNT

SMALL_REQUEST = {"run_id": "small-run", "dimensions": {"num_riders": [300, 400], "num_drivers": [60]},
                 "shard_count": 2, "seed": 5}


def error_body(error: str, message: str) -> str:
    return json.dumps({"error": error, "message": message}, separators=(",", ":"))


def today() -> str:
    return time.strftime("%Y-%m-%d", time.gmtime())


def inline_payload(run_id: str, shard_id: int, total: int = 2, dimensions: dict | None = None) -> str:
    """A §5.5 inline shard message of one point per shard."""
    dims = dimensions or {"num_drivers": [60], "num_riders": [300, 400]}
    return json.dumps({"run_id": run_id, "run_date": today(), "dimensions": dims, "total_points": total,
                       "shard_id": shard_id, "start_index": shard_id, "end_index_exclusive": shard_id + 1,
                       "seed": 9, "failure_injection_shards": []}, separators=(",", ":"))


@pytest.mark.parametrize("event, status, body", [
    ([1, 2], 400, error_body("validation_error", "Request payload must be a JSON object")),
    (proxy_event(None), 400, error_body("validation_error", "Malformed request: missing field `run_id`")),
    (dict(proxy_event(None), body=5), 400, error_body("validation_error", "Request body must be a JSON object")),
    (proxy_event("%%%", is_base64=True), 400,
     error_body("validation_error", "Malformed JSON body: body is not valid base64")),
    ({"Records": []}, 400, error_body("validation_error", "Malformed request: missing field `run_id`")),
    ({"Records": [{"eventSource": "aws:s3"}]}, 400,
     error_body("validation_error", "Malformed request: missing field `run_id`")),
    (request_event(dict(SMALL_REQUEST, dimensions={"num_riders": list(range(10_001))})), 400,
     error_body("validation_error", "Dimension 'num_riders' exceeds MAX_DIMENSION_VALUES=10000")),
    (request_event(dict(SMALL_REQUEST, dimensions={"num_riders": list(range(1, 1001)),
                                                   "num_drivers": list(range(1, 202))})), 400,
     error_body("validation_error", "Parameter space is too large for this deployment (>200000 points)")),
    (request_event(dict(SMALL_REQUEST, dimensions={"num_riders": list(range(100, 1101))}, shard_count=None,
                        shard_size=1)), 400,
     error_body("validation_error", "Computed shard count 1001 exceeds max_shards=1000")),
], ids=["array", "null-body", "number-body", "bad-base64", "empty-records", "s3-records", "too-many-values",
        "too-many-points", "too-many-shards"])
def test_rejected_api_events_answer_400_and_write_nothing(event, status, body, start_lambda, moto):
    function = start_lambda()
    got_status, _, got_body = proxy_response(function.invoke(event))
    assert (got_status, got_body) == (status, body)
    assert queue_depth(moto.client("sqs"), moto.queue_url) == 0
    assert run_keys(moto, "small-run") == []


def test_unparsable_json_body_and_process_survives(start_lambda):
    function = start_lambda()
    status, _, body = proxy_response(function.invoke(proxy_event('{"run_id": ')))
    assert status == 400
    parsed = json.loads(body)
    assert parsed["error"] == "validation_error" and parsed["message"].startswith("Malformed JSON body: ")
    pids = function.runtime_pids()
    # A later invocation is served by the same execution environment: no crash, no re-init.
    status, _, _ = proxy_response(function.invoke([]))
    assert status == 400 and function.runtime_pids() == pids and len(function.init_durations_ms()) == 1


def test_base64_encoded_body_is_accepted(start_lambda, moto):
    request = dict(SMALL_REQUEST, run_id="base64-run")
    function = start_lambda()
    status, _, body = proxy_response(function.invoke(request_event(request, is_base64=True)))
    assert status == 202, body
    assert json.loads(body)["shards_dispatched"] == 2
    results = EventSourceMapping(moto, function).drain()
    assert [r.failed_ids for r in results] == [[], []]
    assert len(run_keys(moto, "base64-run")) == 4 * 2 + 2 + 2


@pytest.mark.parametrize("missing", ["SWEEP_RESULTS_BUCKET", "SHARD_QUEUE_URL", "AWS_ACCESS_KEY_ID"])
def test_missing_configuration_is_a_structured_500(missing, start_lambda, moto):
    function = start_lambda(function_env(moto, **{missing: None}))
    status, _, body = proxy_response(function.invoke(request_event(dict(SMALL_REQUEST, run_id="misconf-run"))))
    assert status == 500
    parsed = json.loads(body)
    assert list(parsed) == ["error", "message"] and parsed["error"] == "misconfiguration"
    if missing != "AWS_ACCESS_KEY_ID":
        assert parsed["message"] == f"{missing} must be configured"
    assert queue_depth(moto.client("sqs"), moto.queue_url) == 0
    assert any(e["event"] == "misconfiguration" and e["level"] == "error" for e in function.events())


def test_sqs_batch_without_results_bucket_is_an_invocation_error(start_lambda, moto):
    function = start_lambda(function_env(moto, SWEEP_RESULTS_BUCKET=None))
    sqs = moto.client("sqs")
    sqs.send_message(QueueUrl=moto.queue_url, MessageBody=inline_payload("nobucket-run", 0))
    mapping = EventSourceMapping(moto, function)
    result = mapping.poll_once()
    assert result is not None and result.invocation.is_function_error
    error = result.invocation.payload
    assert error["errorType"] == "Misconfiguration"
    assert "SWEEP_RESULTS_BUCKET must be configured" in error["errorMessage"]
    # The whole batch returned to the queue; nothing was written; a configured function then completes it.
    assert run_keys(moto, "nobucket-run") == []
    good = start_lambda(name="configured")
    (retry,) = EventSourceMapping(moto, good).drain()
    assert retry.receive_counts == [2] and retry.failed_ids == []
    assert len(run_keys(moto, "nobucket-run")) == 5


def test_sqs_path_runs_without_queue_url(start_lambda, moto):
    function = start_lambda(function_env(moto, queue=False))
    moto.client("sqs").send_message(QueueUrl=moto.queue_url, MessageBody=inline_payload("noqueue-run", 1))
    (result,) = EventSourceMapping(moto, function).drain()
    assert result.failed_ids == []
    assert outcome_key(today(), "noqueue-run", "success", 1) in run_keys(moto, "noqueue-run")


@pytest.mark.parametrize("body, error", [
    ("not a shard payload", "invalid child shard payload: "),
    ('{"run_id":"x"}', "invalid child shard payload: missing field `dimensions` at line 1 column 14"),
    (inline_payload("bad/run", 0), "invalid child shard payload: run_id or run_date is not addressable"),
])
def test_undecodable_body_is_listed_until_the_dlq(body, error, start_lambda, moto):
    function = start_lambda()
    moto.client("sqs").send_message(QueueUrl=moto.queue_url, MessageBody=body)
    results = EventSourceMapping(moto, function).drain()
    # Listed on every delivery (maxReceiveCount), then moto moves it, intact, to the DLQ.
    assert [r.receive_counts[0] for r in results] == list(range(1, MAX_RECEIVE_COUNT + 1))
    assert all(r.failed_ids == r.message_ids for r in results)
    assert dlq_bodies(moto) == [body]
    rejected = function.events("payload_rejected")
    assert len(rejected) == MAX_RECEIVE_COUNT
    assert all(e["details"]["error"].startswith(error) for e in rejected)
    if error.endswith("14"):
        assert rejected[0]["details"]["error"] == error
    assert run_keys(moto, "x") == [] and run_keys(moto, "bad/run") == []


def test_non_string_record_body_is_listed(start_lambda, moto):
    function = start_lambda()
    record = sqs_record({"MessageId": "m-42", "ReceiptHandle": "r", "Body": "x",
                         "Attributes": {"ApproximateReceiveCount": "1"}}, moto.queue_arn)
    record["body"] = 42
    answer = function.invoke({"Records": [record]}).payload
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-42"}]}
    assert function.events("payload_rejected")[0]["details"]["error"] == "SQS record body must be a string"


def _permanent_reference_failure(start_lambda, moto, run_id: str, key: str) -> dict:
    """Sends one shard payload of `run_id` whose request_key is `key`; returns its single failure outcome row.

    Asserts what every bad reference shares: the message is acknowledged (not retried, nothing dead-lettered) and
    the failure outcome is the only object of the run."""
    body = json.dumps({"run_id": run_id, "run_date": today(), "total_points": 4, "shard_id": 0,
                       "start_index": 0, "end_index_exclusive": 2, "seed": 1, "failure_injection_shards": [],
                       "request_key": key, "request_fingerprint": "0" * 64}, separators=(",", ":"))
    function = start_lambda()
    moto.client("sqs").send_message(QueueUrl=moto.queue_url, MessageBody=body)
    (result,) = EventSourceMapping(moto, function).drain()
    assert result.failed_ids == [] and dlq_bodies(moto) == []  # acknowledged: not retried
    failure = outcome_key(today(), run_id, "failure", 0)
    assert run_keys(moto, run_id) == [failure]
    (row,) = read_parquet(get_bytes(moto, failure)).to_pylist()
    return row


def test_reference_to_unknown_run_is_a_permanent_failure(start_lambda, moto):
    key = "serverless-sweeps/outcomes/runs/run_id=ghost-run/manifest.json"
    row = _permanent_reference_failure(start_lambda, moto, "ghost-run", key)
    assert (row["error_code"], row["error_message"]) == ("request_reference_error",
                                                         f"Request reference not found: {key}")


def test_issue_0013_reference_outside_the_results_prefix_is_permanent_and_not_read(start_lambda, moto):
    # Outside the prefix the runtime policy denies the read (403); retrying it could never succeed.
    key = "elsewhere/runs/run_id=outside-run/manifest.json"
    row = _permanent_reference_failure(start_lambda, moto, "outside-run", key)
    assert row["error_code"] == "request_reference_error"
    assert row["error_message"].startswith(f"Request reference is not this run's manifest under the results prefix: "
                                           f"{key} (expected ")


def test_partial_batch_failure_lists_only_the_bad_record(start_lambda, moto):
    sqs = moto.client("sqs")
    bodies = [inline_payload("batch-run", 0), "garbage", inline_payload("batch-run", 1)]
    for body in bodies:
        sqs.send_message(QueueUrl=moto.queue_url, MessageBody=body)
    function = start_lambda()
    mapping = EventSourceMapping(moto, function, batch_size=10)
    messages = mapping.receive(10)
    assert sorted(m["Body"] for m in messages) == sorted(bodies)
    result = mapping.deliver(messages)
    bad = [m["MessageId"] for m in messages if m["Body"] == "garbage"]
    assert result.failed_ids == bad
    keys = run_keys(moto, "batch-run")
    assert {outcome_key(today(), "batch-run", "success", s) for s in (0, 1)} <= set(keys)
    assert len(keys) == 2 * 4 + 2
    # Only the bad record comes back.
    (again,) = mapping.receive(10)
    assert again["Body"] == "garbage" and again["Attributes"]["ApproximateReceiveCount"] == "2"
    sqs.delete_message(QueueUrl=moto.queue_url, ReceiptHandle=again["ReceiptHandle"])


def test_duplicate_delivery_changes_nothing(start_lambda, moto):
    sqs = moto.client("sqs")
    sqs.send_message(QueueUrl=moto.queue_url, MessageBody=inline_payload("dup-run", 0))
    function = start_lambda()
    mapping = EventSourceMapping(moto, function)
    (message,) = mapping.receive()
    event = {"Records": [sqs_record(message, moto.queue_arn)]}
    first = function.invoke(event).payload
    snapshot = {k: get_bytes(moto, k) for k in run_keys(moto, "dup-run")}
    second = function.invoke(event).payload
    assert first == second == {"batchItemFailures": []}
    moto.client("sqs").delete_message(QueueUrl=moto.queue_url, ReceiptHandle=message["ReceiptHandle"])
    after = {k: get_bytes(moto, k) for k in run_keys(moto, "dup-run")}
    assert after.keys() == snapshot.keys() and len(after) == 5
    for key, data in snapshot.items():
        if "dataset=shard_outcomes" not in key:  # the outcome carries wall-clock times
            assert after[key] == data, key
    completed = function.events("shard_completed")
    assert [e["details"]["points_skipped"] for e in completed] == [0, 1]
