"""pytest configuration of the end-to-end suite: which `ridesweep` binary to run (--ridesweep, set by CTest), and
the runs shared by the read-only tests (the demo request and the failure-injection example, each run once)."""

from __future__ import annotations

import dataclasses
import os
import pathlib
import shutil

import pytest

import e2e_support as e2e


def pytest_addoption(parser):
    parser.addoption("--ridesweep", default=os.environ.get("RIDESWEEP_BIN", ""),
                     help="path of the ridesweep binary (default: $RIDESWEEP_BIN, else build/release)")


@pytest.fixture(scope="session")
def cli(pytestconfig) -> e2e.Cli:
    path = pytestconfig.getoption("--ridesweep") or str(e2e.REPO / "build/release/apps/ridesweep/ridesweep")
    binary = pathlib.Path(path).resolve()
    assert binary.is_file() and os.access(binary, os.X_OK), f"ridesweep binary not found at {binary}"
    return e2e.Cli(binary)


@dataclasses.dataclass(frozen=True)
class DemoRun:
    results_dir: pathlib.Path
    request: dict
    result: e2e.RunResult

    @property
    def run_id(self) -> str:
        return self.result.body["run_id"]

    @property
    def run_date(self) -> str:
        return self.result.body["run_date"]


@pytest.fixture(scope="session")
def demo_run(cli, tmp_path_factory) -> DemoRun:
    """examples/demo-request.json run once with 2 worker threads. Tests must not modify its directory: copy it
    (demo_copy) to change anything."""
    results = tmp_path_factory.mktemp("demo") / "results"
    request_path = e2e.EXAMPLES / "demo-request.json"
    result = e2e.run_request(cli, request_path, results, "--threads", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    return DemoRun(results, e2e.load_request(request_path), result)


@pytest.fixture
def demo_copy(demo_run, tmp_path) -> pathlib.Path:
    """A private copy of the demo results directory."""
    target = tmp_path / "results"
    shutil.copytree(demo_run.results_dir, target)
    return target


@pytest.fixture(scope="session")
def injected_run(cli, tmp_path_factory) -> tuple[pathlib.Path, e2e.RunResult]:
    """examples/failure-injection-request.json (shard 1 injected) run once; read-only for the tests."""
    results = tmp_path_factory.mktemp("injected") / "results"
    result = e2e.run_request(cli, e2e.EXAMPLES / "failure-injection-request.json", results, "--threads", "2")
    return results, result
