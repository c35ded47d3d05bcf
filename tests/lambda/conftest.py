"""Fixtures of the Lambda end-to-end suite (issue 4): the packaged `bootstrap` (dist/runtime.zip) run by AWS's
runtime interface emulator against a signature-checking moto server, with this suite playing API Gateway and the
SQS event source mapping (lambda_harness.py). CTest passes --runtime-zip, --rie and --ridesweep.
"""

from __future__ import annotations

import os
import pathlib
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
for folder in ("support", "aws", "sql", "e2e"):
    sys.path.insert(0, str(REPO / "tests" / folder))

from lambda_harness import Emulator, function_env, unpack_runtime  # noqa: E402
from moto_fixture import BUCKET, LOG_GROUP_ARN, RESULTS_PREFIX, Moto, fresh_queues, start_moto  # noqa: E402
from policy import runtime_policy  # noqa: E402

# Deliveries before the DLQ: the Terraform default (variables.tf sqs_max_receive_count).
MAX_RECEIVE_COUNT = 5


def pytest_addoption(parser):
    parser.addoption("--runtime-zip", default=os.environ.get("RIDESWEEP_RUNTIME_ZIP", str(REPO / "dist/runtime.zip")),
                     help="dist/runtime.zip built by the ridesweep_lambda_package target")
    parser.addoption("--rie", default=os.environ.get("RIDESWEEP_RIE", str(REPO / "third_party/bin/aws-lambda-rie")),
                     help="aws-lambda-rie (scripts/setup_emulators.sh)")
    parser.addoption("--ridesweep", default=os.environ.get("RIDESWEEP_BIN",
                                                           str(REPO / "build/release/apps/ridesweep/ridesweep")),
                     help="the ridesweep CLI of the same build (local runs to compare with)")


def _executable(path: str, what: str) -> pathlib.Path:
    resolved = pathlib.Path(path).resolve()
    assert resolved.is_file() and os.access(resolved, os.X_OK), f"{what} not found or not executable: {resolved}"
    return resolved


@pytest.fixture(scope="session")
def rie(pytestconfig) -> pathlib.Path:
    return _executable(pytestconfig.getoption("--rie"), "aws-lambda-rie (run scripts/setup_emulators.sh)")


@pytest.fixture(scope="session")
def ridesweep(pytestconfig) -> pathlib.Path:
    return _executable(pytestconfig.getoption("--ridesweep"), "ridesweep CLI")


@pytest.fixture(scope="session")
def task_dir(pytestconfig, tmp_path_factory) -> pathlib.Path:
    zip_path = pathlib.Path(pytestconfig.getoption("--runtime-zip")).resolve()
    assert zip_path.is_file(), f"{zip_path} not found (build the ridesweep_lambda_package target)"
    task = unpack_runtime(zip_path, tmp_path_factory.mktemp("task"))
    assert os.access(task / "bootstrap", os.X_OK), "bootstrap in the zip is not executable"
    return task


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory) -> Moto:
    def policy(queue_arn: str) -> dict:
        return runtime_policy(bucket_arn=f"arn:aws:s3:::{BUCKET}", results_prefix=RESULTS_PREFIX,
                              queue_arn=queue_arn, log_group_arn=LOG_GROUP_ARN)

    with start_moto(tmp_path_factory.mktemp("moto"), policy, max_receive_count=MAX_RECEIVE_COUNT) as server:
        yield server


@pytest.fixture
def moto(moto_server) -> Moto:
    """The session's moto server with a shard queue and DLQ of this test's own (deleted afterwards): a message
    another test left in flight (received with a visibility timeout and never deleted, like dlq_bodies does) can
    never reappear here. Runs are told apart by run_id in S3; each test uses its own run ids."""
    with fresh_queues(moto_server) as mine:
        yield mine


@pytest.fixture
def start_lambda(rie, task_dir, moto, tmp_path):
    """start_lambda(env=None, timeout_seconds=60, name="lambda") -> a running Emulator (stopped at teardown)."""
    started: list[Emulator] = []

    def start(env: dict[str, str] | None = None, timeout_seconds: int = 60, name: str = "lambda") -> Emulator:
        emulator = Emulator(rie, task_dir, env if env is not None else function_env(moto),
                            tmp_path / f"{name}-{len(started)}.log", timeout_seconds=timeout_seconds)
        emulator.start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()
