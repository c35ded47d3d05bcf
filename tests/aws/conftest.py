"""Fixtures of the aws-layer integration tests.

Real components only (design.md): a moto server on 127.0.0.1 with request authentication switched on, so every
request the C++ code makes is signature-checked and authorised against IAM; botocore as the signing oracle; and,
for faults moto cannot produce, a tiny scripted HTTP stub (stub_server.py). The C++ side is driven through the
`ridesweep_aws_harness` binary (src/aws/tests/aws_harness_main.cc), passed as --aws-test-binary.

Moto setup: the server starts with INITIAL_NO_AUTH_ACTION_COUNT set, so the fixture can create the bucket, the
queue and its DLQ (redrive policy), an IAM user holding the runtime policy of infra/.../iam.tf and an operator
user, with access keys; then it switches authentication on for every later request (POST /moto-api/reset-auth 0).
"""

from __future__ import annotations

import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

import boto3
import pytest
from botocore.config import Config

from policy import runtime_policy

REPO = pathlib.Path(__file__).resolve().parents[2]
REGION = "us-east-1"
ACCOUNT = "123456789012"
BUCKET = "ride-sim-results"
RESULTS_PREFIX = "serverless-sweeps/outcomes"


def pytest_addoption(parser):
    parser.addoption("--aws-test-binary", action="store", default=os.environ.get("RIDESWEEP_AWS_HARNESS"),
                     help="path of the ridesweep_aws_harness binary built by CMake")


@pytest.fixture(scope="session")
def harness_path(request) -> str:
    path = request.config.getoption("--aws-test-binary")
    if not path:
        default = REPO / "build" / "release" / "src" / "aws" / "ridesweep_aws_harness"
        path = str(default)
    assert os.access(path, os.X_OK), f"aws harness binary not found or not executable: {path}"
    return path


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

    def client(self, service: str, keys: Keys | None = None):
        keys = keys or self.operator
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint,
                            aws_access_key_id=keys.access_key_id, aws_secret_access_key=keys.secret_access_key,
                            config=Config(retries={"max_attempts": 2}, s3={"addressing_style": "path"}))


def run_harness(harness: str, args: list[str], stdin: str, env: dict[str, str], timeout: float = 240) -> dict | list:
    """Runs the C++ harness with a clean AWS environment plus `env`; returns its parsed JSON output."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SWEEP_"))}
    base.update(env)
    proc = subprocess.run([harness, *args], input=stdin, capture_output=True, text=True, env=base, timeout=timeout)
    assert proc.returncode == 0, f"harness {args} failed ({proc.returncode}): {proc.stderr}"
    return json.loads(proc.stdout)


def harness_env(moto: Moto, keys: Keys) -> dict[str, str]:
    return {"AWS_ACCESS_KEY_ID": keys.access_key_id, "AWS_SECRET_ACCESS_KEY": keys.secret_access_key,
            "AWS_REGION": REGION, "SWEEP_S3_ENDPOINT": moto.endpoint, "SWEEP_SQS_ENDPOINT": moto.endpoint,
            "SWEEP_ATHENA_ENDPOINT": moto.endpoint}


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


@pytest.fixture(scope="session")
def moto(tmp_path_factory) -> Moto:
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    # Authentication stays off for the setup below, then the fixture switches it on for everything.
    env["INITIAL_NO_AUTH_ACTION_COUNT"] = "1000000"
    moto_server = pathlib.Path(sys.executable).parent / "moto_server"
    # The server logs every request; a file (not an unread pipe, which would fill up and stall it) keeps them.
    log = tmp_path_factory.mktemp("moto") / "moto_server.log"
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
        dlq_url = sqs.create_queue(QueueName="ride-sim-sweep-shards-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        queue_url = sqs.create_queue(QueueName="ride-sim-sweep-shards", Attributes={
            "VisibilityTimeout": "5400",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"})})["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

        iam = boto3.client("iam", **setup)
        iam.create_user(UserName="sweep-runtime")
        iam.put_user_policy(UserName="sweep-runtime", PolicyName="runtime", PolicyDocument=json.dumps(
            runtime_policy(bucket_arn=f"arn:aws:s3:::{BUCKET}", results_prefix=RESULTS_PREFIX, queue_arn=queue_arn,
                           log_group_arn=f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/ride-sim-sweep")))
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
                   operator=Keys(operator_key["AccessKeyId"], operator_key["SecretAccessKey"]))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
