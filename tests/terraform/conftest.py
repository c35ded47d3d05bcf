"""Fixtures of the Terraform suite: the module executed by the Terraform CLI and AWS provider of this machine (no
downloads), applied against a signature-checking moto server, and the packaged runtime run on what it built.
CTest (target terraform_stack) passes --runtime-zip, --rie and --ridesweep of its own build tree.
"""

from __future__ import annotations

import os
import pathlib
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent
for folder in (HERE, REPO / "tests" / "support", REPO / "tests" / "aws", REPO / "tests" / "lambda",
               REPO / "tests" / "operator_cli", REPO / "tests" / "sql", REPO / "tests" / "e2e"):
    sys.path.insert(0, str(folder))

from terraform_cli import find_provider_mirror, find_terraform, write_cli_config  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--runtime-zip", default=os.environ.get(
        "RIDESWEEP_RUNTIME_ZIP", str(REPO / "build" / "release" / "dist" / "runtime.zip")),
        help="dist/runtime.zip built by the ridesweep_lambda_package target")
    parser.addoption("--rie", default=os.environ.get("RIDESWEEP_RIE", str(REPO / "third_party/bin/aws-lambda-rie")),
                     help="aws-lambda-rie (scripts/setup_emulators.sh)")
    parser.addoption("--ridesweep", default=os.environ.get(
        "RIDESWEEP_BIN", str(REPO / "build" / "release" / "apps" / "ridesweep" / "ridesweep")),
        help="the ridesweep CLI of the same build")


def _file(path: str, what: str, executable: bool = False) -> pathlib.Path:
    resolved = pathlib.Path(path).resolve()
    assert resolved.is_file() and (not executable or os.access(resolved, os.X_OK)), f"{what} not found: {resolved}"
    return resolved


@pytest.fixture(scope="session")
def runtime_zip(pytestconfig) -> pathlib.Path:
    return _file(pytestconfig.getoption("--runtime-zip"), "runtime zip (build the ridesweep_lambda_package target)")


@pytest.fixture(scope="session")
def rie(pytestconfig) -> pathlib.Path:
    return _file(pytestconfig.getoption("--rie"), "aws-lambda-rie (run scripts/setup_emulators.sh)", True)


@pytest.fixture(scope="session")
def ridesweep(pytestconfig) -> pathlib.Path:
    return _file(pytestconfig.getoption("--ridesweep"), "ridesweep CLI", True)


@pytest.fixture(scope="session")
def terraform_binary() -> pathlib.Path:
    return find_terraform()


@pytest.fixture(scope="session")
def cli_config(tmp_path_factory) -> pathlib.Path:
    """Mirror-only CLI configuration (providers from the local mirror, never from a registry)."""
    return write_cli_config(tmp_path_factory.mktemp("tfcli") / "terraform.rc", find_provider_mirror())
