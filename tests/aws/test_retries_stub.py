"""Retries, error mapping and connection reuse of the real client (CurlTransport + HttpClient) against a scripted
stub server: spec/sweep.md §7.3 for S3 (up to 5 attempts, backoff from 100 ms, full jitter, on network errors,
5xx, 429 and SlowDown; other 4xx final) and §5.4 for SendMessageBatch (whole calls and SenderFault=false entries,
up to 3 retries)."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from conftest import free_port, run_harness
from stub_server import StubServer, verify_sigv4

SECRET = "stub-secret-key"
ENV = {"AWS_ACCESS_KEY_ID": "AKIASTUBEXAMPLE00000", "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_REGION": "eu-west-1"}


def s3_error(status: int, code: str) -> tuple:
    body = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{code} here</Message></Error>'
    return ("respond", status, {"Content-Type": "application/xml"}, body)


@pytest.fixture
def stub():
    server = StubServer()
    yield server
    server.close()


def s3(harness, endpoint, ops) -> dict:
    return run_harness(harness, ["s3", "bucket"], json.dumps(ops), {**ENV, "SWEEP_S3_ENDPOINT": endpoint})


def test_slowdown_5xx_and_resets_are_retried_with_fresh_valid_signatures(harness_path, stub):
    stub.script = [s3_error(503, "SlowDown"), ("reset",), s3_error(500, "InternalError"), ("respond", 429, {}, "")]
    out = s3(harness_path, stub.endpoint, [{"op": "put", "key": "a/b c.txt", "data": "payload"}])
    assert out["results"][0]["code"] == "OK", out
    assert len(stub.requests) == 5
    for record in stub.requests:
        assert record.method == "PUT" and record.path == "/bucket/a/b%20c.txt"
        assert record.body == b"payload"
        assert verify_sigv4(record, SECRET), record.headers
    assert not verify_sigv4(stub.requests[0], SECRET + "x")  # The check can fail.


def test_gives_up_after_five_attempts(harness_path, stub):
    stub.default = s3_error(503, "SlowDown")
    started = time.monotonic()
    out = s3(harness_path, stub.endpoint, [{"op": "get", "key": "k"}])
    result = out["results"][0]
    assert result["code"] == "UNAVAILABLE"
    assert result["message"] == "S3 GetObject 'k': after 5 attempts: 503 SlowDown: SlowDown here"
    assert len(stub.requests) == 5
    # Four full-jitter waits, each at most 100·2^n ms: at most 1.5 s in total.
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("answer, op, code", [
    (s3_error(400, "InvalidArgument"), "put", "INVALID_ARGUMENT"),
    (s3_error(403, "AccessDenied"), "put", "FAILED_PRECONDITION"),
    (s3_error(404, "NoSuchKey"), "get", "NOT_FOUND"),
    (s3_error(412, "PreconditionFailed"), "put_if_absent", "CONFLICT"),
    (s3_error(409, "ConditionalRequestConflict"), "put_if_absent", "CONFLICT"),
])
def test_other_client_errors_are_final(harness_path, stub, answer, op, code):
    stub.default = answer
    out = s3(harness_path, stub.endpoint, [{"op": op, "key": "k", "data": "v"}])
    assert out["results"][0]["code"] == code, out
    assert len(stub.requests) == 1


def test_connection_refused_is_a_retried_network_error(harness_path):
    closed = f"http://127.0.0.1:{free_port()}"
    out = s3(harness_path, closed, [{"op": "head", "key": "k"}])
    result = out["results"][0]
    assert result["code"] == "UNAVAILABLE", result
    assert "after 5 attempts: transport error" in result["message"]
    assert out["requests_sent"] == 5


def test_connections_are_kept_alive(harness_path, stub):
    out = s3(harness_path, stub.endpoint, [{"op": "put", "key": f"k{i}", "data": "v"} for i in range(20)] +
             [{"op": "put_many", "prefix": "many/", "count": 40, "threads": 4}])
    assert all(r["code"] == "OK" for r in out["results"])
    assert out["requests_sent"] == 60
    # One connection for the sequential puts, at most one per thread afterwards.
    assert out["connections_opened"] <= 4, out
    assert len({r.client_port for r in stub.requests}) == out["connections_opened"]


def sqs_answer(entries, fail_ids=(), sender_fault=False):
    ok = [{"Id": e["Id"], "MessageId": "m-" + e["Id"], "MD5OfMessageBody": hashlib.md5(
        e["MessageBody"].encode()).hexdigest()} for e in entries if e["Id"] not in fail_ids]
    failed = [{"Id": i, "SenderFault": sender_fault, "Code": "InternalError" if not sender_fault else "InvalidMessage",
               "Message": "entry failed"} for i in fail_ids]
    return ("respond", 200, {"Content-Type": "application/x-amz-json-1.0"}, json.dumps(
        {"Successful": ok, "Failed": failed}))


def test_send_message_batch_retries_calls_and_entries(harness_path, stub):
    calls = []

    def answer(record):
        entries = json.loads(record.body)["Entries"]
        calls.append([e["Id"] for e in entries])
        if len(calls) == 1:
            return ("respond", 500, {}, json.dumps({"__type": "com.amazonaws.sqs#InternalError", "message": "x"}))
        if len(calls) == 2:
            return sqs_answer(entries, fail_ids=("s1", "s4"))
        return sqs_answer(entries)

    stub.default = answer
    messages = [{"shard_id": i, "body": json.dumps({"shard_id": i})} for i in range(5)]
    env = {**ENV, "SWEEP_SQS_ENDPOINT": stub.endpoint}
    report = run_harness(harness_path, ["sqs", "http://queue.example/123456789012/shards"],
                         json.dumps({"messages": messages, "concurrency": 1}), env)
    assert report["enqueued"] == [0, 1, 2, 3, 4] and report["failed"] == [], report
    assert report["send_calls"] == 3
    assert calls == [["s0", "s1", "s2", "s3", "s4"], ["s0", "s1", "s2", "s3", "s4"], ["s1", "s4"]]
    for record in stub.requests:
        assert record.headers["X-Amz-Target"] == "AmazonSQS.SendMessageBatch"
        assert record.headers["Content-Type"] == "application/x-amz-json-1.0"
        assert verify_sigv4(record, SECRET)


def test_sender_faults_are_final(harness_path, stub):
    stub.default = lambda record: sqs_answer(json.loads(record.body)["Entries"], fail_ids=("s2",), sender_fault=True)
    messages = [{"shard_id": i, "body": "{}"} for i in range(3)]
    report = run_harness(harness_path, ["sqs", "http://queue.example/1/q"], json.dumps({"messages": messages}),
                         {**ENV, "SWEEP_SQS_ENDPOINT": stub.endpoint})
    assert report["enqueued"] == [0, 1] and report["failed"] == [2]
    assert report["first_error"] == "entry s2 failed: InvalidMessage: entry failed (sender fault)"
    assert report["send_calls"] == 1
