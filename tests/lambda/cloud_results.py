"""Reading what the cloud path wrote to moto's S3, and the same run made locally, for comparison.

Expected keys come from spec/sweep.md §10.1 (tests/e2e/e2e_support.py writes the templates out), schemas from
tests/sql/dataset_schemas.py (the Athena DDL of §10–§11): nothing here asks the C++ code what to expect.
"""

from __future__ import annotations

import io
import json
import pathlib
import re
import subprocess
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dataset_schemas import BY_DATASET
from e2e_support import PREFIX, clean_env, outcome_key, point_key
from moto_fixture import Moto

POINT_DATASETS = ("shard_metrics", "trip_data", "snapshot_counts", "effective_parameters")
# Athena type -> pyarrow type (§10.2 physical types).
ARROW_TYPES = {"bigint": pa.int64(), "tinyint": pa.int8(), "double": pa.float64(), "string": pa.string(),
               "boolean": pa.bool_()}
# Columns whose values legitimately differ between two runs of the same request, each for a stated reason:
#   shard_outcomes.event_time      wall-clock start of the batch (§7.1 step 1)
#   shard_outcomes.completed_time  wall-clock time the record was built (§10.7)
#   run_context.request_source     how the run was submitted: `local_cli` vs `api_gateway` (§5.3)
#   run_context.run_date           the UTC date of acceptance (§5.1), equal unless the runs straddle midnight
WALL_CLOCK_COLUMNS = {"shard_outcomes": {"event_time", "completed_time"},
                      "run_context": {"request_source", "run_date"}}


def run_keys(moto: Moto, run_id: str) -> list[str]:
    """Every object of the run under the results prefix (dataset trees and the manifest)."""
    s3 = moto.client("s3")
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=moto.bucket, Prefix=PREFIX + "/"):
        for item in page.get("Contents", []):
            key = item["Key"]
            if f"/run_id={run_id}/" in key or f"/run_id_partition={run_id}/" in key:
                keys.append(key)
    return sorted(keys)


def get_bytes(moto: Moto, key: str) -> bytes:
    return moto.client("s3").get_object(Bucket=moto.bucket, Key=key)["Body"].read()


def read_parquet(data: bytes) -> pa.Table:
    return pq.read_table(io.BytesIO(data))


def expected_keys(run_date: str, run_id: str, shard_ranges: list[list[int]], failed: set[int]) -> list[str]:
    """§10.1: 4 objects per point of each succeeded shard, one outcome per shard, run_context, manifest."""
    keys = [f"{PREFIX}/dataset=run_context/run_date={run_date}/run_id_partition={run_id}/status_partition=accepted/"
            "part-0.parquet", f"{PREFIX}/runs/run_id={run_id}/manifest.json"]
    for shard_id, (start, end) in enumerate(shard_ranges):
        if shard_id in failed:
            keys.append(outcome_key(run_date, run_id, "failure", shard_id))
            continue
        keys.append(outcome_key(run_date, run_id, "success", shard_id))
        for index in range(start, end):
            keys += [point_key(d, run_date, run_id, shard_id, index) for d in POINT_DATASETS]
    return sorted(keys)


def dataset_of(key: str) -> str:
    match = re.search(r"/dataset=(\w+)/", key)
    assert match, key
    return match[1]


def assert_athena_schema(key: str, table: pa.Table) -> None:
    """The file's columns are exactly the Athena table's data columns, in order, with the §10.2 types (run_context
    also keeps run_date as a data column, which the table exposes as its partition)."""
    dataset = dataset_of(key)
    wanted = [(name, ARROW_TYPES[athena]) for name, athena in BY_DATASET[dataset].columns]
    got = [(field.name, field.type) for field in table.schema]
    if dataset == "run_context":
        got = [(n, t) for n, t in got if n != "run_date"]
    assert got == wanted, f"{key}: columns {got} != Athena {wanted}"


def blank_run_date(key: str) -> str:
    """A key with its run_date component blanked, to compare runs that may straddle midnight UTC."""
    return re.sub(r"run_date=\d{4}-\d{2}-\d{2}", "run_date=D", key)


def by_blank_date(files: dict[str, bytes]) -> dict[str, bytes]:
    return {blank_run_date(key): data for key, data in files.items()}


def rows_by_key(files: dict[str, bytes]) -> dict[str, list[dict[str, Any]]]:
    """Relative key (run_date blanked) -> rows, wall-clock columns removed."""
    out = {}
    for key, data in files.items():
        dataset = dataset_of(key)
        rows = read_parquet(data).to_pylist()
        drop = WALL_CLOCK_COLUMNS.get(dataset, set())
        out[blank_run_date(key)] = [
            {k: v for k, v in row.items() if k not in drop} for row in rows]
    return out


def cloud_files(moto: Moto, run_id: str) -> dict[str, bytes]:
    return {key: get_bytes(moto, key) for key in run_keys(moto, run_id) if key.endswith(".parquet")}


def local_files(results_dir: pathlib.Path) -> dict[str, bytes]:
    return {path.relative_to(results_dir).as_posix(): path.read_bytes()
            for path in sorted(results_dir.rglob("*.parquet"))}


def run_locally(ridesweep: pathlib.Path, request: dict, results_dir: pathlib.Path) -> tuple[int, str]:
    """`ridesweep run` of the same request; returns (exit code, the 202 body line)."""
    path = results_dir.parent / f"{request['run_id']}.json"
    path.write_text(json.dumps(request))
    proc = subprocess.run([str(ridesweep), "run", str(path), "--results-dir", str(results_dir), "--threads", "2"],
                          capture_output=True, text=True, timeout=300, env=clean_env())
    return proc.returncode, proc.stdout.split("\n", 1)[0]
