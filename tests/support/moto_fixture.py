"""A moto server on 127.0.0.1 with request authentication on, shared by the cloud-path suites (tests/aws,
tests/lambda).

start_moto() launches moto_server with INITIAL_NO_AUTH_ACTION_COUNT set, creates the results bucket, the shard
queue and its DLQ (redrive policy), an IAM user holding the runtime policy (built by the caller, normally
tests/aws/policy.py from the Terraform source) and an operator user allowed everything, each with an access key;
then it switches authentication on for every later request (POST /moto-api/reset-auth 0), so every request the
C++ code makes is signature-checked and authorised.

fresh_queues() gives one test a shard queue and DLQ of its own (the runtime user's policy re-pointed at them, the
queues deleted afterwards): a message one test leaves invisible (received, not deleted) can never reappear in
another test, whatever the order or timing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import boto3
from botocore.config import Config

REGION = "us-east-1"
ACCOUNT = "123456789012"
BUCKET = "ride-sim-results"
RESULTS_PREFIX = "serverless-sweeps/outcomes"
QUEUE_NAME = "ride-sim-sweep-shards"
DLQ_NAME = "ride-sim-sweep-shards-dlq"
LOG_GROUP_ARN = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/ride-sim-sweep"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Keys:
    access_key_id: str
    secret_access_key: str


@dataclass
class Moto:
    endpoint: str
    bucket: str
    queue_url: str
    queue_arn: str
    dlq_url: str
    worker: Keys       # IAM user holding exactly the runtime policy (plus moto's batch-action alias)
    operator: Keys     # IAM user allowed everything, for checks made with boto3
    log: pathlib.Path  # moto_server's request log
    # How the queues and the runtime user were made (for fresh_queues).
    runtime_policy: Callable[[str], dict] | None = dataclasses.field(default=None, repr=False)
    max_receive_count: int = 5
    visibility_timeout: int = 5400

    def client(self, service: str, keys: Keys | None = None):
        keys = keys or self.operator
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint,
                            aws_access_key_id=keys.access_key_id, aws_secret_access_key=keys.secret_access_key,
                            config=Config(retries={"max_attempts": 2}, s3={"addressing_style": "path"}))


def _wait_until_up(url: str, proc: subprocess.Popen, log: pathlib.Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"moto_server exited early: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/moto-api/", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto_server did not start in time")


@contextlib.contextmanager
def start_moto(log_dir: pathlib.Path, runtime_policy: Callable[[str], dict], max_receive_count: int = 5,
               visibility_timeout: int = 5400) -> Iterator[Moto]:
    """Runs moto_server until the context exits. `runtime_policy(queue_arn)` builds the worker user's policy."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    # Authentication stays off for the setup below, then it is switched on for everything.
    env["INITIAL_NO_AUTH_ACTION_COUNT"] = "1000000"
    moto_server = pathlib.Path(sys.executable).parent / "moto_server"
    # The server logs every request; a file (not an unread pipe, which would fill up and stall it) keeps them.
    log = log_dir / "moto_server.log"
    with log.open("wb") as log_file:
        proc = subprocess.Popen([str(moto_server), "-H", "127.0.0.1", "-p", str(port)], env=env,
                                stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(endpoint, proc, log)
        setup = dict(region_name=REGION, endpoint_url=endpoint, aws_access_key_id="setup",
                     aws_secret_access_key="setup")
        s3 = boto3.client("s3", **setup)
        s3.create_bucket(Bucket=BUCKET)
        sqs = boto3.client("sqs", **setup)
        queue_url, queue_arn, dlq_url = _create_queues(sqs, QUEUE_NAME, DLQ_NAME, max_receive_count,
                                                       visibility_timeout)

        iam = boto3.client("iam", **setup)
        iam.create_user(UserName="sweep-runtime")
        iam.put_user_policy(UserName="sweep-runtime", PolicyName="runtime",
                            PolicyDocument=json.dumps(runtime_policy(queue_arn)))
        worker_key = iam.create_access_key(UserName="sweep-runtime")["AccessKey"]
        iam.create_user(UserName="operator")
        iam.put_user_policy(UserName="operator", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        operator_key = iam.create_access_key(UserName="operator")["AccessKey"]

        request = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"0", method="POST",
                                         headers={"Content-Type": "application/octet-stream"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert json.loads(answer.read())["status"] == "ok"

        yield Moto(endpoint=endpoint, bucket=BUCKET, queue_url=queue_url, queue_arn=queue_arn, dlq_url=dlq_url,
                   worker=Keys(worker_key["AccessKeyId"], worker_key["SecretAccessKey"]),
                   operator=Keys(operator_key["AccessKeyId"], operator_key["SecretAccessKey"]), log=log,
                   runtime_policy=runtime_policy, max_receive_count=max_receive_count,
                   visibility_timeout=visibility_timeout)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _create_queues(sqs, name: str, dlq_name: str, max_receive_count: int,
                   visibility_timeout: int) -> tuple[str, str, str]:
    """A shard queue redriving to its DLQ: (queue URL, queue ARN, DLQ URL)."""
    dlq_url = sqs.create_queue(QueueName=dlq_name)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName=name, Attributes={
        "VisibilityTimeout": str(visibility_timeout),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn,
                                     "maxReceiveCount": str(max_receive_count)})})["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return queue_url, queue_arn, dlq_url


_QUEUE_SERIAL = itertools.count(1)


@contextlib.contextmanager
def fresh_queues(moto: Moto) -> Iterator[Moto]:
    """`moto` with a new shard queue and DLQ (same redrive and visibility settings) that only the caller uses; the
    runtime user's policy names them while the context is open. Deletes both queues on exit."""
    assert moto.runtime_policy is not None, "start_moto() records the runtime policy builder"
    sqs = moto.client("sqs")
    serial = next(_QUEUE_SERIAL)
    name = f"{QUEUE_NAME}-{os.getpid()}-{serial}"
    queue_url, queue_arn, dlq_url = _create_queues(sqs, name, f"{name}-dlq", moto.max_receive_count,
                                                   moto.visibility_timeout)
    moto.client("iam").put_user_policy(UserName="sweep-runtime", PolicyName="runtime",
                                       PolicyDocument=json.dumps(moto.runtime_policy(queue_arn)))
    try:
        yield dataclasses.replace(moto, queue_url=queue_url, queue_arn=queue_arn, dlq_url=dlq_url)
    finally:
        for url in (queue_url, dlq_url):
            with contextlib.suppress(Exception):
                sqs.delete_queue(QueueUrl=url)
