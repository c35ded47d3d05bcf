"""Fixtures of the aws-layer integration tests.

Real components only (design.md): a moto server on 127.0.0.1 with request authentication switched on, so every
request the C++ code makes is signature-checked and authorised against IAM; botocore as the signing oracle; and,
for faults moto cannot produce, a tiny scripted HTTP stub (stub_server.py). The C++ side is driven through the
`ridesweep_aws_harness` binary (src/aws/tests/aws_harness_main.cc), passed as --aws-test-binary.

Moto setup (tests/support/moto_fixture.py, shared with tests/lambda): the server starts with
INITIAL_NO_AUTH_ACTION_COUNT set, so the fixture can create the bucket, the queue and its DLQ (redrive policy), an
IAM user holding the runtime policy of infra/.../iam.tf and an operator user, with access keys; then it switches
authentication on for every later request (POST /moto-api/reset-auth 0).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "support"))
sys.path.insert(0, str(REPO / "tests" / "sql"))  # dataset_schemas: the table schemas and their projection

from moto_fixture import (ACCOUNT, BUCKET, LOG_GROUP_ARN, REGION, RESULTS_PREFIX, Keys, Moto,  # noqa: E402,F401
                          free_port, fresh_queues, start_moto)
from policy import runtime_policy  # noqa: E402


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


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory) -> Moto:
    def policy(queue_arn: str) -> dict:
        return runtime_policy(bucket_arn=f"arn:aws:s3:::{BUCKET}", results_prefix=RESULTS_PREFIX,
                              queue_arn=queue_arn, log_group_arn=LOG_GROUP_ARN)

    with start_moto(tmp_path_factory.mktemp("moto"), policy) as server:
        yield server


@pytest.fixture
def moto(moto_server) -> Moto:
    """The session's moto server with a shard queue and DLQ of this test's own (deleted afterwards), so no test
    sees messages another one sent or left in flight."""
    with fresh_queues(moto_server) as mine:
        yield mine


@pytest.fixture(scope="session")
def cli(harness_path) -> str:
    """The ridesweep CLI of the harness's build tree (RIDESWEEP_BIN overrides)."""
    from athena_cli import ridesweep_binary  # athena_cli imports this module: import it late
    return ridesweep_binary(harness_path)


@pytest.fixture(scope="session")
def demo_run(cli, tmp_path_factory) -> pathlib.Path:
    """The demo sweep run locally once per session; tests copy it before changing anything."""
    root = tmp_path_factory.mktemp("demo") / "results"
    proc = subprocess.run([cli, "run", str(REPO / "examples" / "demo-request.json"), "--results-dir", str(root)],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return root
