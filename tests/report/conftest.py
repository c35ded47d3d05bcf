"""Fixtures of the HTML report tests: the ridesweep CLI, sweeps run through it into temporary results directories,
oracle queries through `ridesweep query` (the same query layer as the report), and one headless Chromium."""

from __future__ import annotations

import csv
import io
import json
import os
import pathlib
import subprocess

import pytest

from chromium_page import Chromium

REPO = pathlib.Path(__file__).resolve().parents[2]


def ridesweep_binary() -> pathlib.Path:
    configured = os.environ.get("RIDESWEEP_BINARY")
    path = pathlib.Path(configured) if configured else REPO / "build" / "release" / "apps" / "ridesweep" / "ridesweep"
    if not path.is_file():
        raise RuntimeError(f"ridesweep binary not found at {path}; build it or set RIDESWEEP_BINARY")
    return path


class Cli:
    """Runs the ridesweep binary with the repository as working directory (so the SQL directory resolves)."""

    def __init__(self) -> None:
        self.binary = ridesweep_binary()

    def run(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        proc = subprocess.run([str(self.binary), *args], cwd=REPO, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "SWEEP_LOG_LEVEL": "error"})
        if check and proc.returncode != 0:
            raise AssertionError(f"ridesweep {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
        return proc

    def query(self, sql_or_name: str, run_id: str, results_dir: pathlib.Path, tmp_dir: pathlib.Path,
              *extra: str) -> list[dict[str, str]]:
        """`ridesweep query` on a query file name or on SQL text (written to a file first); rows as dicts."""
        query = sql_or_name
        if "\n" in sql_or_name or " " in sql_or_name:
            tmp_dir.mkdir(parents=True, exist_ok=True)
            path = tmp_dir / f"oracle_{abs(hash(sql_or_name))}.sql"
            path.write_text(sql_or_name)
            query = str(path)
        proc = self.run("query", query, "--run-id", run_id, "--results-dir", str(results_dir), *extra)
        return list(csv.DictReader(io.StringIO(proc.stdout)))


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli()


@pytest.fixture(scope="session")
def browser():
    with Chromium() as chromium:
        yield chromium


def write_request(directory: pathlib.Path, request: dict) -> pathlib.Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{request['run_id']}.json"
    path.write_text(json.dumps(request))
    return path
