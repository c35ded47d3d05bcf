"""Builds small sweep results trees in the Hive layout of spec/sweep.md §10.1 with pyarrow.

The trees are described by plain Python objects (Run, Shard, Point) so that every expected query result in the
tests is computed from the same description, independently of the SQL under test.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import pathlib

import pyarrow as pa
import pyarrow.parquet as pq

from dataset_schemas import BY_DATASET

ARROW_TYPES = {"string": pa.string(), "bigint": pa.int64(), "tinyint": pa.int8(), "double": pa.float64(),
               "boolean": pa.bool_()}

EFFECTIVE_PARAMETERS_JSON = '{"selected_dimensions":{},"resolved_scenario_parameters":{}}'

# Trip states as stored in trip_data.state (spec/sweep.md §10.4).
EN_ROUTE, ON_TRIP, COMPLETED, CANCELLED = 0, 1, 2, 3


@dataclasses.dataclass
class Point:
    index: int
    trip_states: list[int]
    snapshot_count: int
    truncated: bool = False
    committed: bool = True  # effective_parameters written (the point's commit marker)

    @property
    def completed_trips(self) -> int:
        return sum(1 for s in self.trip_states if s == COMPLETED)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"point-{self.index}".encode()).hexdigest()


@dataclasses.dataclass
class Outcome:
    status: str  # success | failure
    attempt: int
    event_time: datetime.datetime
    completed_time: datetime.datetime
    points_processed: int
    error_code: str | None = None
    error_message: str | None = None


@dataclasses.dataclass
class Shard:
    shard_id: int
    start_index: int
    end_index_exclusive: int
    points: list[Point]
    outcomes: list[Outcome]


@dataclasses.dataclass
class Run:
    run_id: str
    run_date: str
    total_points: int
    shard_count: int
    request_source: str
    config_fingerprint: str
    shards: list[Shard]


def _rfc3339(ts: datetime.datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.%f") + "+00:00"


def _write(root: pathlib.Path, key: str, dataset: str, rows: list[dict], extra_columns=()) -> None:
    """Writes rows as one Parquet file; extra_columns are (name, athena type) data columns not in the table."""
    schema_columns = list(extra_columns) + list(BY_DATASET[dataset].columns)
    if dataset == "run_context":
        # The file keeps run_date and status data columns that the table replaces by partitions (§10.6).
        schema_columns = [("run_id", "string"), ("run_date", "string"), ("status", "string")] + [
            c for c in BY_DATASET[dataset].columns if c[0] != "run_id"]
    schema = pa.schema([(name, ARROW_TYPES[typ]) for name, typ in schema_columns])
    table = pa.table({name: [row.get(name) for row in rows] for name, _ in schema_columns}, schema=schema)
    path = root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def write_run(root: pathlib.Path, prefix: str, run: Run) -> None:
    p = f"{prefix}/" if prefix else ""
    d, r = run.run_date, run.run_id
    _write(root, f"{p}dataset=run_context/run_date={d}/run_id_partition={r}/status_partition=accepted/part-0.parquet",
           "run_context", [{
               "run_id": r, "run_date": d, "status": "accepted", "request_source": run.request_source,
               "record_schema": "v1", "request_fingerprint": hashlib.sha256(r.encode()).hexdigest(),
               "config_fingerprint": run.config_fingerprint, "total_points": run.total_points,
               "shard_count": run.shard_count, "shard_strategy": "explicit_shard_count", "max_shards": 1000,
               "max_shards_ceiling": 1000}])
    for shard in run.shards:
        s = shard.shard_id
        for point in shard.points:
            i = point.index
            tail = f"run_date={d}/run_id={r}/status=success/shard_id={s}/point_index={i}/part-0.parquet"
            _write(root, f"{p}dataset=shard_metrics/{tail}", "shard_metrics", [metrics_row(point)])
            _write(root, f"{p}dataset=trip_data/{tail}", "trip_data", trip_rows(point))
            _write(root, f"{p}dataset=snapshot_counts/{tail}", "snapshot_counts", snapshot_rows(point))
            if point.committed:
                _write(root, f"{p}dataset=effective_parameters/run_date={d}/run_id_partition={r}/status_partition="
                       f"success/shard_id_partition={s}/point_index_partition={i}/part-0.parquet",
                       "effective_parameters", [{
                           "run_id": r, "shard_id": s, "point_index": i, "status": "success", "record_schema": "v1",
                           "parameter_fingerprint": point.fingerprint,
                           "effective_parameters_json": EFFECTIVE_PARAMETERS_JSON}])
        for outcome in shard.outcomes:
            metrics_key = (f"{p}dataset=shard_metrics/run_date={d}/run_id={r}/status=success/shard_id={s}/"
                           f"point_index={shard.start_index}/part-0.parquet")
            success = outcome.status == "success"
            _write(root, f"{p}dataset=shard_outcomes/run_date={d}/run_id_partition={r}/status_partition="
                   f"{outcome.status}/shard_id_partition={s}/part-0.parquet", "shard_outcomes", [{
                       "run_id": r, "shard_id": s, "start_index": shard.start_index,
                       "end_index_exclusive": shard.end_index_exclusive, "status": outcome.status,
                       "event_time": _rfc3339(outcome.event_time), "record_schema": "v1",
                       "result_key": metrics_key if success else None,
                       "points_processed": outcome.points_processed, "format": "parquet" if success else None,
                       "error_code": outcome.error_code, "error_message": outcome.error_message,
                       "attempt": outcome.attempt, "completed_time": _rfc3339(outcome.completed_time)}])


def metrics_row(point: Point) -> dict:
    row = {name: 0 for name, typ in BY_DATASET["shard_metrics"].columns if typ == "bigint"}
    row.update({name: 0.0 for name, typ in BY_DATASET["shard_metrics"].columns if typ == "double"})
    cancelled = sum(1 for s in point.trip_states if s == CANCELLED)
    row.update(completed_trips=point.completed_trips, completed_riders=point.completed_trips,
               cancelled_riders=cancelled, total_riders=point.completed_trips + cancelled,
               trips_cancelled=cancelled, truncated=point.truncated, events_processed=100 + point.index,
               final_sim_time_ms=10_800_000)
    return row


def trip_rows(point: Point) -> list[dict]:
    rows = []
    for n, state in enumerate(point.trip_states):
        requested = 1_000 * (n + 1)
        rows.append({
            "trip_entity": n + 1, "rider_entity": 100 + n, "driver_entity": 200 + n, "state": state,
            "pickup_cell": 7, "dropoff_cell": 9, "pickup_distance_km_at_accept": 1.5, "requested_at": requested,
            "matched_at": requested + 10, "pickup_at": requested + 20 if state in (ON_TRIP, COMPLETED) else None,
            "dropoff_at": requested + 30 if state == COMPLETED else None,
            "cancelled_at": requested + 15 if state == CANCELLED else None})
    return rows


def snapshot_rows(point: Point) -> list[dict]:
    """Snapshots with trips_completed rising to the point's completed trips at the last one."""
    rows = []
    for n in range(point.snapshot_count):
        row = {name: 0 for name, _ in BY_DATASET["snapshot_counts"].columns}
        row["timestamp_ms"] = 1_000 * n
        row["trips_completed"] = point.completed_trips * (n + 1) // point.snapshot_count
        rows.append(row)
    return rows
