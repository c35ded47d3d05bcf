"""The pieces of AWS that surround the packaged `bootstrap`, played for the end-to-end tests of the cloud path
(spec/sweep.md §5–§10) and the benchmarks in bench/lambda_bench.py:

- Emulator: AWS's Lambda runtime interface emulator (third_party/bin/aws-lambda-rie, scripts/setup_emulators.sh)
  running the unzipped dist/runtime.zip with a clean environment: only what Lambda sets for a custom runtime
  plus the §8 variables of the function. LD_LIBRARY_PATH is Lambda's and names no directory of this machine, so
  the zip's RUNPATH ($ORIGIN/lib) is what finds libduckdb.so.
- proxy_event(): API Gateway's REST API (v1) Lambda proxy event for POST /sweep-run on stage `sandbox`.
- EventSourceMapping: the SQS event source mapping with ReportBatchItemFailures: ReceiveMessage (all system
  attributes, so ApproximateReceiveCount is set), a real SQS event, delete what succeeded, leave the listed
  records (their visibility shortened so they come back at once), and on an invocation error leave the whole batch.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from typing import Any

from moto_fixture import ACCOUNT, REGION, Moto, free_port

# What Lambda itself sets for a provided.al2023 function, apart from what the emulator adds (AWS_LAMBDA_RUNTIME_API,
# function name/version/memory, log group/stream) and the credentials.
LAMBDA_BASE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
    "LD_LIBRARY_PATH": "/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib",
    "LANG": "en_US.UTF-8",
    "TZ": ":UTC",
    "_HANDLER": "bootstrap",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "LAMBDA_RUNTIME_DIR": "/var/runtime",
}

API_RESOURCE = "/sweep-run"
API_STAGE = "sandbox"
INVOKE_PATH = "/2015-03-31/functions/function/invocations"


def unpack_runtime(zip_path: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """Unzips dist/runtime.zip as Lambda does (file modes kept); returns the task directory."""
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            target = dest / info.filename
            archive.extract(info, dest)
            mode = (info.external_attr >> 16) & 0o777
            if mode and not info.is_dir():
                target.chmod(mode)
    return dest


def function_env(moto: Moto, *, queue: bool = True, **overrides: str | None) -> dict[str, str]:
    """The function's configuration (spec §8) against moto, with the worker IAM user's keys. An override of None
    removes the variable."""
    env = dict(LAMBDA_BASE_ENV)
    env.update({
        "AWS_ACCESS_KEY_ID": moto.worker.access_key_id,
        "AWS_SECRET_ACCESS_KEY": moto.worker.secret_access_key,
        "SWEEP_RESULTS_BUCKET": moto.bucket,
        "SWEEP_S3_ENDPOINT": moto.endpoint,
        "SWEEP_SQS_ENDPOINT": moto.endpoint,
        "SWEEP_DEADLINE_MARGIN_MS": "5000",
    })
    if queue:
        env["SHARD_QUEUE_URL"] = moto.queue_url
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


@dataclasses.dataclass
class Invocation:
    status: int        # HTTP status of the emulator's invoke endpoint
    raw: bytes
    seconds: float

    @property
    def payload(self) -> Any:
        return json.loads(self.raw)

    @property
    def is_function_error(self) -> bool:
        """An invocation error (errorType/errorMessage), a timeout or a runtime crash: the event source mapping
        then returns the whole batch."""
        if self.status != 200:
            return True
        try:
            value = json.loads(self.raw)
        except ValueError:
            return True  # "Task timed out after …" is plain text
        return isinstance(value, dict) and "errorType" in value


class Emulator:
    """aws-lambda-rie running ./bootstrap in `task_dir` with exactly `env` (plus the timeout), one at a time."""

    def __init__(self, rie: pathlib.Path, task_dir: pathlib.Path, env: dict[str, str], log_path: pathlib.Path,
                 timeout_seconds: int = 60):
        self.rie = rie.resolve()
        self.task_dir = task_dir
        self.env = dict(env, AWS_LAMBDA_FUNCTION_TIMEOUT=str(timeout_seconds))
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        assert self.proc is None
        self.port = free_port()
        api_port = free_port()
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(self.rie), "--runtime-interface-emulator-address", f"127.0.0.1:{self.port}",
                 "--runtime-api-address", f"127.0.0.1:{api_port}", "./bootstrap"],
                cwd=self.task_dir, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"aws-lambda-rie exited early:\n{self.log_text()[-3000:]}"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("aws-lambda-rie did not start listening")

    def stop(self) -> None:
        if self.proc is None:
            return
        # The emulator and the runtime it started share the process group this harness created for them.
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def invoke_raw(self, data: bytes, timeout: float = 180) -> Invocation:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{INVOKE_PATH}", data=data, method="POST",
                                         headers={"Content-Type": "application/json"})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return Invocation(answer.status, answer.read(), time.monotonic() - started)
        except urllib.error.HTTPError as error:
            return Invocation(error.code, error.read(), time.monotonic() - started)

    def invoke(self, event: Any, timeout: float = 180) -> Invocation:
        return self.invoke_raw(json.dumps(event).encode(), timeout=timeout)

    def runtime_pids(self) -> list[int]:
        """Processes the emulator started (the bootstrap of the current execution environment)."""
        assert self.proc is not None
        pids = []
        for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:  # field 4 of stat: ppid
                pids.append(int(stat.parent.name))
        return pids

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def events(self, name: str | None = None) -> list[dict]:
        """The structured log lines (spec §9) the bootstrap wrote to stderr, in order."""
        out = []
        for line in self.log_text().splitlines():
            if not line.startswith("{"):
                continue
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict) and "event" in value and (name is None or value["event"] == name):
                out.append(value)
        return out

    def init_durations_ms(self) -> list[float]:
        """The emulator's init report of each execution environment start (process start to the first /next)."""
        return [float(m) for m in re.findall(r"INIT REPORT\(durationMs: ([0-9.]+)\)", self.log_text())]


# ----------------------------------------------------------------------------------------------------------------
# API Gateway (REST API, Lambda proxy integration, payload format 1.0)


def proxy_event(body: str | None, *, is_base64: bool = False, method: str = "POST") -> dict:
    now = time.time()
    request_id = str(uuid.uuid4())
    headers = {"Content-Type": "application/json", "Host": "abcdef1234.execute-api.us-east-1.amazonaws.com",
               "User-Agent": "ridesweep-tests", "X-Amzn-Trace-Id": f"Root=1-{int(now):08x}-{uuid.uuid4().hex[:24]}",
               "X-Forwarded-For": "127.0.0.1", "X-Forwarded-Port": "443", "X-Forwarded-Proto": "https"}
    return {
        "resource": API_RESOURCE,
        "path": API_RESOURCE,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "a1b2c3",
            "resourcePath": API_RESOURCE,
            "httpMethod": method,
            "extendedRequestId": base64.b64encode(os.urandom(12)).decode(),
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "path": f"/{API_STAGE}{API_RESOURCE}",
            "accountId": ACCOUNT,
            "protocol": "HTTP/1.1",
            "stage": API_STAGE,
            "domainPrefix": "abcdef1234",
            "requestTimeEpoch": int(now * 1000),
            "requestId": request_id,
            "identity": {"cognitoIdentityPoolId": None, "accountId": ACCOUNT, "cognitoIdentityId": None,
                         "caller": "AIDAEXAMPLEOPERATOR", "sourceIp": "127.0.0.1", "principalOrgId": None,
                         "accessKey": "AKIAIOSFODNN7EXAMPLE", "cognitoAuthenticationType": None,
                         "cognitoAuthenticationProvider": None, "userArn": f"arn:aws:iam::{ACCOUNT}:user/operator",
                         "userAgent": "ridesweep-tests", "user": "AIDAEXAMPLEOPERATOR"},
            "domainName": "abcdef1234.execute-api.us-east-1.amazonaws.com",
            "apiId": "abcdef1234",
        },
        "body": body,
        "isBase64Encoded": is_base64,
    }


def request_event(request: dict | str, *, is_base64: bool = False) -> dict:
    text = request if isinstance(request, str) else json.dumps(request)
    if is_base64:
        return proxy_event(base64.b64encode(text.encode()).decode(), is_base64=True)
    return proxy_event(text)


def proxy_response(invocation: Invocation) -> tuple[int, dict, str]:
    """(statusCode, headers, body text) of a Lambda proxy response; asserts it is one (spec §5.6)."""
    assert invocation.status == 200, f"emulator answered {invocation.status}: {invocation.raw[:500]!r}"
    response = invocation.payload
    assert set(response) == {"statusCode", "headers", "body"}, response
    assert response["headers"] == {"Content-Type": "application/json"}
    return response["statusCode"], response["headers"], response["body"]


# ----------------------------------------------------------------------------------------------------------------
# SQS event source mapping


def sqs_record(message: dict, queue_arn: str) -> dict:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {},
        "md5OfBody": message.get("MD5OfBody", hashlib.md5(message["Body"].encode()).hexdigest()),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


@dataclasses.dataclass
class BatchResult:
    message_ids: list[str]
    invocation: Invocation
    failed_ids: list[str]       # listed in batchItemFailures, or the whole batch on an invocation error
    receive_counts: list[int]


class EventSourceMapping:
    def __init__(self, moto: Moto, emulator: Emulator, batch_size: int = 1, retry_visibility_seconds: int = 0):
        self.moto = moto
        self.emulator = emulator
        self.batch_size = batch_size
        self.retry_visibility_seconds = retry_visibility_seconds
        self.sqs = moto.client("sqs")
        self.results: list[BatchResult] = []

    def receive(self, count: int | None = None) -> list[dict]:
        answer = self.sqs.receive_message(QueueUrl=self.moto.queue_url, MaxNumberOfMessages=count or self.batch_size,
                                          MessageSystemAttributeNames=["All"], WaitTimeSeconds=0)
        return answer.get("Messages", [])

    def deliver(self, messages: list[dict], timeout: float = 180) -> BatchResult:
        """Invokes the function with these received messages and settles them as the real mapping does."""
        event = {"Records": [sqs_record(m, self.moto.queue_arn) for m in messages]}
        invocation = self.emulator.invoke(event, timeout=timeout)
        ids = [m["MessageId"] for m in messages]
        if invocation.is_function_error:
            failed = list(ids)
        else:
            response = invocation.payload
            assert set(response) == {"batchItemFailures"}, response
            failed = [item["itemIdentifier"] for item in response["batchItemFailures"]]
            assert set(failed) <= set(ids), (failed, ids)
        for message in messages:
            if message["MessageId"] in failed:
                self.sqs.change_message_visibility(QueueUrl=self.moto.queue_url, ReceiptHandle=message["ReceiptHandle"],
                                                   VisibilityTimeout=self.retry_visibility_seconds)
            else:
                self.sqs.delete_message(QueueUrl=self.moto.queue_url, ReceiptHandle=message["ReceiptHandle"])
        result = BatchResult(ids, invocation, failed,
                             [int(m["Attributes"]["ApproximateReceiveCount"]) for m in messages])
        self.results.append(result)
        return result

    def poll_once(self) -> BatchResult | None:
        messages = self.receive()
        return self.deliver(messages) if messages else None

    def drain(self, max_invocations: int = 200) -> list[BatchResult]:
        """Polls until the queue is empty (messages past maxReceiveCount move to the DLQ on receive)."""
        done = []
        for _ in range(max_invocations):
            result = self.poll_once()
            if result is None:
                if queue_depth(self.sqs, self.moto.queue_url) == 0:
                    return done
                time.sleep(0.2)
                continue
            done.append(result)
        raise AssertionError(f"queue not drained after {max_invocations} invocations")


def queue_depth(sqs, queue_url: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def dlq_bodies(moto: Moto) -> list[str]:
    """The bodies in this test's DLQ (moto is per test, see conftest.py), read without consuming them: each message
    is received (hidden while the rest are read) and then made visible again, so a later call sees it too."""
    sqs = moto.client("sqs")
    bodies = []
    handles = []
    while True:
        messages = sqs.receive_message(QueueUrl=moto.dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=300,
                                       WaitTimeSeconds=0).get("Messages", [])
        if not messages:
            break
        bodies += [m["Body"] for m in messages]
        handles += [m["ReceiptHandle"] for m in messages]
    for handle in handles:
        sqs.change_message_visibility(QueueUrl=moto.dlq_url, ReceiptHandle=handle, VisibilityTimeout=0)
    return bodies
