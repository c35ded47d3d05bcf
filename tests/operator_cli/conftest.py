"""Fixtures of the operator CLI tests (`ridesweep submit`, and status/query/ingest/report over s3:// results).

The binary under test is --ridesweep (set by CTest). The moto server (authentication on, an IAM user holding the
runtime's policy and an operator user) is the aws suite's fixture, imported from wherever it lives now: a shared
module under tests/support if one defines it, else tests/aws/conftest.py.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def _load_moto_fixtures():
    support = REPO / "tests" / "support"
    candidates = sorted(support.rglob("*.py")) if support.is_dir() else []
    candidates = [p for p in candidates if "def moto(" in p.read_text()] + [REPO / "tests" / "aws" / "conftest.py"]
    path = candidates[0]
    for folder in (path.parent, REPO / "tests" / "aws", REPO / "tests"):
        if str(folder) not in sys.path:
            sys.path.append(str(folder))
    spec = importlib.util.spec_from_file_location("operator_cli_moto_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_moto_module = _load_moto_fixtures()
# The session's moto server, re-exported as `moto` so pytest finds it here (these suites use S3 only, no queues).
moto = _moto_module.moto_server
REGION = getattr(_moto_module, "REGION", "us-east-1")
RESULTS_PREFIX = getattr(_moto_module, "RESULTS_PREFIX", "serverless-sweeps/outcomes")


def pytest_addoption(parser):
    parser.addoption("--ridesweep", default=os.environ.get("RIDESWEEP_BIN", ""),
                     help="path of the ridesweep binary (default: $RIDESWEEP_BIN, else build/release)")


@pytest.fixture(scope="session")
def ridesweep(pytestconfig) -> pathlib.Path:
    path = pytestconfig.getoption("--ridesweep") or str(REPO / "build/release/apps/ridesweep/ridesweep")
    binary = pathlib.Path(path).resolve()
    assert binary.is_file() and os.access(binary, os.X_OK), f"ridesweep binary not found at {binary}"
    return binary


def base_env() -> dict[str, str]:
    """The environment without AWS_* and SWEEP_* variables, so every test states what it uses."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("AWS_", "SWEEP_")) and k != "RIDESWEEP_SQL_DIR"}
