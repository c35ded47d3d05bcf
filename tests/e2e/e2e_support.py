"""Helpers for the end-to-end tests of the embedded default (spec/sweep.md §17): running the real `ridesweep`
binary, reading the results directory it writes, parsing the Athena DDL files, and fingerprinting directory trees.

Nothing here knows how the C++ code computes anything: expected values come from the spec (key layout, grid
enumeration, nullability) and from the DDL files themselves, so the tests compare two independent descriptions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pathlib
import re
import subprocess
from typing import Any

REPO = pathlib.Path(__file__).resolve().parents[2]
ATHENA_DIR = REPO / "infra" / "aws_serverless_sweep" / "athena"
EXAMPLES = REPO / "examples"
PREFIX = "serverless-sweeps/outcomes"

POINT_DATASETS = ("shard_metrics", "trip_data", "snapshot_counts", "effective_parameters")
ALL_DATASETS = POINT_DATASETS + ("shard_outcomes", "run_context")
# Per-point datasets that must be byte-identical whatever the worker count (§7.5 determinism).
DETERMINISTIC_DATASETS = POINT_DATASETS + ("run_context",)

# §10: the only columns that may hold NULL ("null: yes"); every other column never does.
NULLABLE = {
    "trip_data": {"pickup_at", "dropoff_at", "cancelled_at"},
    "shard_outcomes": {"result_key", "points_processed", "format", "error_code", "error_message"},
}
# run_context keeps run_date as a data column; the table exposes the run_date partition instead (its status data
# column is a table column, beside status_partition).
RUN_CONTEXT_EXTRA_COLUMNS = ("run_date",)

# 40 points in 40 one-point shards: a few seconds on two threads, long enough to interrupt.
INTERRUPT_REQUEST = {
    "run_id": "interrupt-run",
    "dimensions": {"num_riders": [500, 600, 700, 800, 900], "num_drivers": [100, 150, 200, 250],
                   "match_radius": [5, 3]},
    "shard_size": 1,
    "seed": 3,
}

RFC3339_MICROS = re.compile(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00\Z")


# ----------------------------------------------------------------------------------------------------------------
# The binary


@dataclasses.dataclass(frozen=True)
class Cli:
    binary: pathlib.Path

    def run(self, *args: str | os.PathLike, stdin: str | None = None, timeout: float = 120,
            cwd: os.PathLike | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.binary), *map(str, args)], input=stdin, capture_output=True, text=True,
                              timeout=timeout, cwd=cwd, env=clean_env())

    def popen(self, *args: str | os.PathLike, **kwargs) -> subprocess.Popen:
        return subprocess.Popen([str(self.binary), *map(str, args)], text=True, env=clean_env(), **kwargs)


def clean_env() -> dict[str, str]:
    """The environment without the variables that would redirect results or change log levels."""
    env = dict(os.environ)
    for name in ("SWEEP_RESULTS_DIR", "SWEEP_RESULTS_PREFIX", "SWEEP_LOG_LEVEL", "RIDESWEEP_SQL_DIR"):
        env.pop(name, None)
    return env


@dataclasses.dataclass
class RunResult:
    """One `ridesweep run`: its exit code, the 202 or error body, the output.

    Without --json the 202 body is the first stdout line and a rejection is the stderr line
    "Error: <message> (HTTP <status> <code>)"; with --json stdout is one document holding the 202 body under
    "submission" (`document`), or the error body itself.
    """
    returncode: int
    body: dict[str, Any]
    body_text: str
    stdout: str
    stderr: str
    document: dict[str, Any] | None = None


REJECTION_LINE = re.compile(r"^Error: (?P<message>.*) \(HTTP (?P<status>\d{3}) (?P<error>[a-z_]+)\)$", re.M)


def run_request(cli: Cli, request: pathlib.Path | str, results_dir: pathlib.Path, *extra: str,
                stdin: str | None = None, timeout: float = 120) -> RunResult:
    proc = cli.run("run", request, "--results-dir", results_dir, *extra, stdin=stdin, timeout=timeout)
    if "--json" in extra:
        document = json.loads(proc.stdout) if proc.stdout.strip() else {}
        body = document.get("submission", document)
        return RunResult(proc.returncode, body, json.dumps(body), proc.stdout, proc.stderr, document)
    first = proc.stdout.split("\n", 1)[0]
    body = json.loads(first) if first.startswith("{") else {}
    if not body and (rejection := REJECTION_LINE.search(proc.stderr)):
        body = {"error": rejection["error"], "message": rejection["message"]}
    return RunResult(proc.returncode, body, first, proc.stdout, proc.stderr)


# ----------------------------------------------------------------------------------------------------------------
# The results directory


def results_root(results_dir: pathlib.Path) -> pathlib.Path:
    return results_dir / PREFIX


def dataset_files(results_dir: pathlib.Path, dataset: str, run_id: str | None = None) -> list[pathlib.Path]:
    files = sorted((results_root(results_dir) / f"dataset={dataset}").rglob("*.parquet"))
    if run_id is not None:
        files = [f for f in files if partitions_of(f).get("run_id", partitions_of(f).get("run_id_partition")) == run_id]
    return files


def partitions_of(path: pathlib.Path) -> dict[str, str]:
    """The `name=value` components of a key, e.g. {"dataset": "trip_data", "run_date": ..., "point_index": "3"}."""
    return dict(part.split("=", 1) for part in path.parts if "=" in part)


def point_key(dataset: str, run_date: str, run_id: str, shard_id: int, point_index: int) -> str:
    """§10.1 key of a per-point object (relative to the results directory)."""
    if dataset == "effective_parameters":
        return (f"{PREFIX}/dataset={dataset}/run_date={run_date}/run_id_partition={run_id}/status_partition=success/"
                f"shard_id_partition={shard_id}/point_index_partition={point_index}/part-0.parquet")
    return (f"{PREFIX}/dataset={dataset}/run_date={run_date}/run_id={run_id}/status=success/shard_id={shard_id}/"
            f"point_index={point_index}/part-0.parquet")


def outcome_key(run_date: str, run_id: str, status: str, shard_id: int) -> str:
    return (f"{PREFIX}/dataset=shard_outcomes/run_date={run_date}/run_id_partition={run_id}/"
            f"status_partition={status}/shard_id_partition={shard_id}/part-0.parquet")


def tree_digest(root: pathlib.Path) -> dict[str, str]:
    """Every file and directory under `root`: relative path -> SHA-256 of the bytes ("dir" for directories).

    The store's in-flight temporaries (".rs-tmp-*", renamed into place when complete) are not results: a writer
    still at work may rename one between the listing and the read."""
    digest: dict[str, str] = {}
    if not root.exists():
        return digest
    for path in sorted(root.rglob("*")):
        if path.name.startswith(".rs-tmp-"):
            continue
        rel = path.relative_to(root).as_posix()
        digest[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def dataset_digest(results_dir: pathlib.Path, datasets: tuple[str, ...]) -> dict[str, str]:
    """The files of `datasets`: relative key with run_date blanked -> SHA-256 (see without_run_date)."""
    return {without_run_date(rel): sha for rel, sha in tree_digest(results_dir).items()
            if sha != "dir" and any(f"/dataset={d}/" in "/" + rel for d in datasets)}


def without_run_date(rel_path: str) -> str:
    """A key with its run_date component blanked, to compare runs that may straddle midnight UTC."""
    return re.sub(r"run_date=\d{4}-\d{2}-\d{2}", "run_date=D", rel_path)


# ----------------------------------------------------------------------------------------------------------------
# The Athena DDL files (the contract the Parquet files must meet)

_DDL_RE = re.compile(
    r"CREATE EXTERNAL TABLE IF NOT EXISTS \$\{database\}\.(?P<table>\w+) \((?P<columns>.*?)\)\s*"
    r"PARTITIONED BY \((?P<partitions>.*?)\)\s*STORED AS PARQUET\s*"
    r"LOCATION '\$\{results_location\}/dataset=(?P<dataset>\w+)/'",
    re.DOTALL)


@dataclasses.dataclass(frozen=True)
class DdlTable:
    table: str
    dataset: str
    columns: tuple[tuple[str, str], ...]
    partitions: tuple[tuple[str, str], ...]


def _columns(block: str) -> tuple[tuple[str, str], ...]:
    out = []
    for item in block.split(","):
        name, athena_type = item.split()
        out.append((name, athena_type))
    return tuple(out)


def ddl_tables() -> dict[str, DdlTable]:
    """dataset name -> its table as the create_table*.sql files declare it."""
    tables = {}
    for path in sorted(ATHENA_DIR.glob("create_table*.sql")):
        match = _DDL_RE.search(path.read_text())
        assert match, f"{path.name}: not an external Parquet table definition"
        table = DdlTable(match["table"], match["dataset"], _columns(match["columns"]), _columns(match["partitions"]))
        tables[table.dataset] = table
    return tables


# Athena type -> (pyarrow type name, DuckDB type, Parquet physical type, Parquet converted type) per §10.2.
TYPE_MAP = {
    "bigint": ("int64", "BIGINT", "INT64", "INT_64"),
    "tinyint": ("int8", "TINYINT", "INT32", "INT_8"),
    "double": ("double", "DOUBLE", "DOUBLE", "NONE"),
    "string": ("string", "VARCHAR", "BYTE_ARRAY", "UTF8"),
    "boolean": ("bool", "BOOLEAN", "BOOLEAN", "NONE"),
}


# ----------------------------------------------------------------------------------------------------------------
# The grid (§3.1, §3.2), recomputed independently


def enumerate_point(dimensions: dict[str, list], point_index: int) -> dict[str, Any]:
    """The selected value of each dimension at a global point index: mixed radix over the names sorted byte-wise,
    the last name the fastest digit."""
    names = sorted(dimensions, key=lambda n: n.encode())
    selected = {}
    rem = point_index
    for name in reversed(names):
        values = dimensions[name]
        selected[name] = values[rem % len(values)]
        rem //= len(values)
    assert rem == 0
    return selected


def point_seed(seed: int, point_index: int) -> int:
    return (seed & 0xFFFFFFFFFFFFFFFF) ^ point_index


def load_request(path: pathlib.Path) -> dict[str, Any]:
    return json.loads(path.read_text())
