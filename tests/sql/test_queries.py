"""T20: every query_*.sql file runs in DuckDB over a local Hive-partitioned sweep and returns the §11.3 results.

The fixture tree holds two runs. Run A (12 expected shards of 2 points) has: shard 3 failed once and then
succeeded; shard 5 an injected failure only; shard 7 no record at all; shard 9 a late duplicate failure after its
success; shard 11 a timeout after committing one point, plus a second point whose effective_parameters (commit
marker) is missing; shards 10 and 11 test numeric ordering. Run B is a small clean run with another run_date that
must never leak into run A's numbers. Expected values are derived from the same fixture description.
"""

from __future__ import annotations

import datetime
import hashlib

import duckdb
import pytest

import fixtures
import sql_files
from dataset_schemas import DUCKDB_TYPES, TABLES
from fixtures import CANCELLED, COMPLETED, EN_ROUTE, ON_TRIP, Outcome, Point, Run, Shard

# The per_shard layout's views (views.sql order), empty for the per_point fixture runs.
PER_SHARD_VIEWS = [f"sweep_{d}_per_shard" for d in ("effective_parameters", "shard_metrics", "trip_data",
                                                     "snapshot_counts")]

PREFIX = "serverless-sweeps/outcomes"
T0 = datetime.datetime(2026, 2, 14, 10, 0, 0)
EXPECTED_SHARDS_A = 12
POINTS_PER_SHARD = 2


def _point(i: int, committed: bool = True) -> Point:
    # 3..6 trips, one of them cancelled and (for odd points) one still en route; 4..6 snapshots.
    states = [COMPLETED] * (2 + i % 4) + [CANCELLED] + ([EN_ROUTE] if i % 2 else []) + ([ON_TRIP] if i % 3 == 0 else [])
    return Point(index=i, trip_states=states, snapshot_count=4 + i % 3, truncated=(i == 4), committed=committed)


def _ok(shard_id: int, attempt: int = 1, start: datetime.timedelta = datetime.timedelta(0)) -> Outcome:
    begin = T0 + datetime.timedelta(seconds=shard_id) + start
    return Outcome("success", attempt, begin, begin + datetime.timedelta(seconds=30), POINTS_PER_SHARD)


def _fail(shard_id: int, code: str, attempt: int, points: int, start: datetime.timedelta) -> Outcome:
    begin = T0 + datetime.timedelta(seconds=shard_id) + start
    return Outcome("failure", attempt, begin, begin + datetime.timedelta(seconds=5), points, code,
                   f"{code} on shard {shard_id}")


def _run_a() -> Run:
    shards = []
    for s in range(EXPECTED_SHARDS_A):
        start, end = POINTS_PER_SHARD * s, POINTS_PER_SHARD * (s + 1)
        points = [_point(i) for i in range(start, end)]
        if s == 3:  # failed first, succeeded on the redelivery five minutes later
            outcomes = [_fail(3, "storage_error", 1, 0, datetime.timedelta(0)),
                        _ok(3, attempt=2, start=datetime.timedelta(minutes=5))]
        elif s == 5:  # injected failure: pre-check, no point written
            points, outcomes = [], [_fail(5, "injected_failure", 1, 0, datetime.timedelta(0))]
        elif s == 7:  # never ran (message still in flight or lost)
            points, outcomes = [], []
        elif s == 9:  # late duplicate delivery failed after the success
            outcomes = [_ok(9), _fail(9, "storage_error", 2, 0, datetime.timedelta(minutes=1))]
        elif s == 11:  # timeout after one committed point; the second point lacks its commit marker
            points = [_point(start), _point(start + 1, committed=False)]
            outcomes = [_fail(11, "timeout", 3, 1, datetime.timedelta(0))]
        else:
            outcomes = [_ok(s)]
        shards.append(Shard(s, start, end, points, outcomes))
    return Run("sweep-a", "2026-02-14", POINTS_PER_SHARD * EXPECTED_SHARDS_A, EXPECTED_SHARDS_A, "local_cli",
               hashlib.sha256(b"config-a").hexdigest(), shards)


def _run_b() -> Run:
    shards = []
    for s in range(2):
        begin = T0 + datetime.timedelta(days=1)
        shards.append(Shard(s, s, s + 1, [_point(100 + s)],
                            [Outcome("success", 1, begin, begin + datetime.timedelta(seconds=2), 1)]))
    return Run("sweep-b", "2026-02-15", 2, 2, "api_gateway", hashlib.sha256(b"config-b").hexdigest(), shards)


RUN_A, RUN_B = _run_a(), _run_b()


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep-results")
    for run in (RUN_A, RUN_B):
        fixtures.write_run(root, PREFIX, run)
    return root / PREFIX


@pytest.fixture(scope="module")
def con(results):
    connection = duckdb.connect()
    # Only the per_shard layout's views are empty: the fixture runs use the per_point layout.
    assert sql_files.create_local_views(connection, results) == PER_SHARD_VIEWS
    yield connection
    connection.close()


def _values(run: Run, **extra) -> dict[str, str]:
    values = {"database": "ride_sim_analytics", "run_id": run.run_id}
    values.update({k: str(v) for k, v in extra.items()})
    return values


def _outcomes(run: Run):
    return [(shard, o) for shard in run.shards for o in shard.outcomes]


def _succeeded(run: Run) -> set[int]:
    return {shard.shard_id for shard, o in _outcomes(run) if o.status == "success"}


def _points(run: Run) -> list[tuple[int, Point]]:
    return [(shard.shard_id, p) for shard in run.shards for p in shard.points]


# ------------------------------------------------------------------------------------------------------------------
# Coverage of the files themselves
# ------------------------------------------------------------------------------------------------------------------

QUERY_FILES = sorted(p.name for p in sql_files.ATHENA_DIR.glob("query_*.sql"))
EXPECTED_COLUMNS = {
    "query_run_level_profile.sql": ["shard_attempts", "successful_shards", "failed_shards", "failure_rate",
                                    "successful_points", "max_attempt", "run_window_seconds", "points_per_second",
                                    "expected_points", "expected_shards"],
    "query_failure_diagnostics.sql": ["error_code", "occurrences", "distinct_shards", "unresolved_shards",
                                      "max_attempt", "example_error_message"],
    "query_shard_coverage.sql": ["observed_shards", "failure_only_shards", "expected_shards", "has_full_coverage"],
    "query_missing_shards.sql": ["shard_id", "has_failure_record", "last_error_code"],
    "query_trip_snapshot_join.sql": ["shard_id", "point_index", "completed_trips", "trip_rows", "completed_trip_rows",
                                     "max_snapshot_trips_completed"],
    "query_configuration_summary.sql": ["config_index", "metric", "n", "missing", "mean", "sd", "ci95_low",
                                        "ci95_high", "not_distinguishable_from_best"],
    "query_outcome_configuration_smoke.sql": ["joined_points", "request_source", "example_parameter_fingerprint",
                                              "config_fingerprint"],
    "query_run_readiness.sql": ["run_context_rows", "outcome_rows", "success_outcomes", "failure_outcomes",
                                "distinct_shards", "successful_shards", "shard_metrics_rows", "trip_data_rows",
                                "snapshot_counts_rows", "effective_parameters_rows", "truncated_points",
                                "completed_trips_total", "expected_points", "expected_shards",
                                "points_missing_data"],
}


def test_every_query_file_of_the_spec_exists_and_is_covered():
    assert QUERY_FILES == sorted(EXPECTED_COLUMNS)


@pytest.mark.parametrize("name", QUERY_FILES)
def test_query_runs_and_returns_the_spec_columns(con, name):
    assert sql_files.result_columns(con, name, _values(RUN_A, expected_shards=EXPECTED_SHARDS_A)) == \
        EXPECTED_COLUMNS[name]


# ------------------------------------------------------------------------------------------------------------------
# query_run_level_profile.sql
# ------------------------------------------------------------------------------------------------------------------

def test_run_level_profile_counts_shards_that_later_succeeded_as_successful(con):
    (row,) = sql_files.run_query(con, "query_run_level_profile.sql", _values(RUN_A))
    outcomes = _outcomes(RUN_A)
    succeeded = _succeeded(RUN_A)
    failed_only = {s.shard_id for s, o in outcomes if o.status == "failure"} - succeeded
    distinct = {s.shard_id for s, _ in outcomes}
    successes = [o for _, o in outcomes if o.status == "success"]
    window = int((max(o.completed_time for o in successes) - min(o.event_time for o in successes)).total_seconds())
    points = sum(o.points_processed for o in successes)
    assert failed_only == {5, 11}  # the fixture's intent: 3 and 9 also have failure rows but succeeded
    assert row == {
        "shard_attempts": len(outcomes),
        "successful_shards": len(succeeded),
        "failed_shards": len(failed_only),
        "failure_rate": pytest.approx(len(failed_only) / len(distinct)),
        "successful_points": points,
        "max_attempt": max(o.attempt for _, o in outcomes),
        "run_window_seconds": window,
        "points_per_second": pytest.approx(points / window),
        "expected_points": RUN_A.total_points,
        "expected_shards": RUN_A.shard_count,
    }


def test_run_level_profile_of_a_run_without_outcomes_is_one_row_with_null_throughput(con):
    (row,) = sql_files.run_query(con, "query_run_level_profile.sql", {"database": "ride_sim_analytics",
                                                                       "run_id": "no-such-run"})
    assert row["shard_attempts"] == 0
    assert row["successful_shards"] == 0
    assert row["failure_rate"] is None
    assert row["points_per_second"] is None
    assert row["expected_shards"] is None


def test_run_level_profile_window_floor_is_one_second(con):
    (row,) = sql_files.run_query(con, "query_run_level_profile.sql", _values(RUN_B))
    assert row["run_window_seconds"] == 2
    assert row["points_per_second"] == pytest.approx(1.0)
    assert row["failed_shards"] == 0 and row["failure_rate"] == 0.0


# ------------------------------------------------------------------------------------------------------------------
# query_failure_diagnostics.sql
# ------------------------------------------------------------------------------------------------------------------

def test_failure_diagnostics_groups_by_error_code_and_orders_by_occurrences(con):
    rows = sql_files.run_query(con, "query_failure_diagnostics.sql", _values(RUN_A))
    succeeded = _succeeded(RUN_A)
    expected = {}
    for shard, o in _outcomes(RUN_A):
        if o.status != "failure":
            continue
        entry = expected.setdefault(o.error_code, {"error_code": o.error_code, "occurrences": 0, "shards": set(),
                                                   "max_attempt": 0, "messages": []})
        entry["occurrences"] += 1
        entry["shards"].add(shard.shard_id)
        entry["max_attempt"] = max(entry["max_attempt"], o.attempt)
        entry["messages"].append(o.error_message)
    wanted = sorted(({
        "error_code": e["error_code"], "occurrences": e["occurrences"], "distinct_shards": len(e["shards"]),
        "unresolved_shards": len(e["shards"] - succeeded), "max_attempt": e["max_attempt"],
        "example_error_message": min(e["messages"])} for e in expected.values()),
        key=lambda r: (-r["occurrences"], r["error_code"]))
    assert rows == wanted
    assert [r["error_code"] for r in rows] == ["storage_error", "injected_failure", "timeout"]
    assert rows[0]["unresolved_shards"] == 0  # shards 3 and 9 succeeded


def test_failure_diagnostics_of_a_clean_run_is_empty(con):
    assert sql_files.run_query(con, "query_failure_diagnostics.sql", _values(RUN_B)) == []


# ------------------------------------------------------------------------------------------------------------------
# query_shard_coverage.sql
# ------------------------------------------------------------------------------------------------------------------

def test_shard_coverage_counts_success_only(con):
    (row,) = sql_files.run_query(con, "query_shard_coverage.sql", _values(RUN_A, expected_shards=EXPECTED_SHARDS_A))
    assert row == {"observed_shards": len(_succeeded(RUN_A)), "failure_only_shards": 2,
                   "expected_shards": EXPECTED_SHARDS_A, "has_full_coverage": False}
    # Failure-only shards 5 and 11 would make 11 of 12 if they were counted; they are not.
    assert row["observed_shards"] == 9


def test_shard_coverage_is_full_for_a_clean_run(con):
    (row,) = sql_files.run_query(con, "query_shard_coverage.sql", _values(RUN_B, expected_shards=2))
    assert row == {"observed_shards": 2, "failure_only_shards": 0, "expected_shards": 2, "has_full_coverage": True}


# ------------------------------------------------------------------------------------------------------------------
# query_missing_shards.sql
# ------------------------------------------------------------------------------------------------------------------

def test_missing_shards_lists_injected_failed_and_absent_shards(con):
    rows = sql_files.run_query(con, "query_missing_shards.sql", _values(RUN_A, expected_shards=EXPECTED_SHARDS_A))
    assert rows == [
        {"shard_id": 5, "has_failure_record": True, "last_error_code": "injected_failure"},
        {"shard_id": 7, "has_failure_record": False, "last_error_code": None},
        {"shard_id": 11, "has_failure_record": True, "last_error_code": "timeout"},
    ]


def test_missing_shards_beyond_the_observed_ids_are_ascending_numerically(con):
    rows = sql_files.run_query(con, "query_missing_shards.sql", _values(RUN_A, expected_shards=25))
    ids = [r["shard_id"] for r in rows]
    assert ids == [5, 7, 11] + list(range(12, 25))


def test_missing_shards_generator_reaches_one_million_shards(con):
    text = sql_files.query_file_text("query_missing_shards.sql", _values(RUN_B, expected_shards=1_000_000))
    count, low, high = con.execute(f"SELECT COUNT(*), MIN(shard_id), MAX(shard_id) FROM ({text}) q").fetchone()
    assert (count, low, high) == (1_000_000 - 2, 2, 999_999)


def test_missing_shards_of_a_complete_run_is_empty(con):
    assert sql_files.run_query(con, "query_missing_shards.sql", _values(RUN_B, expected_shards=2)) == []


# ------------------------------------------------------------------------------------------------------------------
# query_trip_snapshot_join.sql
# ------------------------------------------------------------------------------------------------------------------

def test_trip_snapshot_join_has_no_fan_out_and_sorts_numerically(con):
    rows = sql_files.run_query(con, "query_trip_snapshot_join.sql", _values(RUN_A))
    ordered = sorted(_points(RUN_A), key=lambda x: (x[0], x[1].index))
    expected = [{
        "shard_id": s, "point_index": p.index, "completed_trips": p.completed_trips, "trip_rows": len(p.trip_states),
        "completed_trip_rows": p.completed_trips, "max_snapshot_trips_completed": p.completed_trips}
        for s, p in ordered]
    assert rows == expected
    shard_order = [r["shard_id"] for r in rows]
    assert shard_order.index(10) > shard_order.index(2)  # "10" sorts after "2"
    assert any(p.snapshot_count > 1 and len(p.trip_states) > 1 for _, p in _points(RUN_A))  # fan-out would show


def test_trip_snapshot_join_only_reads_the_requested_run(con):
    rows = sql_files.run_query(con, "query_trip_snapshot_join.sql", _values(RUN_B))
    assert [(r["shard_id"], r["point_index"]) for r in rows] == [(0, 100), (1, 101)]


# ------------------------------------------------------------------------------------------------------------------
# query_outcome_configuration_smoke.sql
# ------------------------------------------------------------------------------------------------------------------

def test_outcome_configuration_smoke_joins_committed_points(con):
    (row,) = sql_files.run_query(con, "query_outcome_configuration_smoke.sql", _values(RUN_A))
    committed = [p for _, p in _points(RUN_A) if p.committed]
    assert row == {"joined_points": len(committed), "request_source": "local_cli",
                   "example_parameter_fingerprint": min(p.fingerprint for p in committed),
                   "config_fingerprint": RUN_A.config_fingerprint}
    assert len(committed) == len(_points(RUN_A)) - 1


# ------------------------------------------------------------------------------------------------------------------
# query_run_readiness.sql
# ------------------------------------------------------------------------------------------------------------------

def _expected_readiness(run: Run) -> dict:
    outcomes = _outcomes(run)
    points = [p for _, p in _points(run)]
    return {
        "run_context_rows": 1,
        "outcome_rows": len(outcomes),
        "success_outcomes": sum(1 for _, o in outcomes if o.status == "success"),
        "failure_outcomes": sum(1 for _, o in outcomes if o.status == "failure"),
        "distinct_shards": len({s.shard_id for s, _ in outcomes}),
        "successful_shards": len(_succeeded(run)),
        "shard_metrics_rows": len(points),
        "trip_data_rows": sum(len(p.trip_states) for p in points),
        "snapshot_counts_rows": sum(p.snapshot_count for p in points),
        "effective_parameters_rows": sum(1 for p in points if p.committed),
        "truncated_points": sum(1 for p in points if p.truncated),
        "completed_trips_total": sum(p.completed_trips for p in points),
        "expected_points": run.total_points,
        "expected_shards": run.shard_count,
        "points_missing_data": sum(1 for p in points
                                   if p.committed and (p.snapshot_count == 0 or (p.completed_trips and not p.trip_states))),
    }


@pytest.mark.parametrize("run", [RUN_A, RUN_B], ids=lambda r: r.run_id)
def test_run_readiness_counts(con, run):
    (row,) = sql_files.run_query(con, "query_run_readiness.sql", _values(run))
    assert row == _expected_readiness(run)


def test_run_readiness_values_of_run_a(con):
    (row,) = sql_files.run_query(con, "query_run_readiness.sql", _values(RUN_A))
    assert (row["outcome_rows"], row["success_outcomes"], row["failure_outcomes"]) == (13, 9, 4)
    assert (row["distinct_shards"], row["successful_shards"]) == (11, 9)
    assert (row["shard_metrics_rows"], row["effective_parameters_rows"], row["truncated_points"]) == (20, 19, 1)


# ------------------------------------------------------------------------------------------------------------------
# Local views: empty datasets, types, placeholders
# ------------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dataset", ["trip_data", "snapshot_counts", "shard_metrics"])
def test_issue_0013_committed_point_without_one_of_its_objects_counts_as_missing_data(tmp_path, dataset):
    fixtures.write_run(tmp_path, "", RUN_B)
    victims = sorted(tmp_path.glob(f"dataset={dataset}/**/point_index=101/part-0.parquet"))
    assert len(victims) == 1
    victims[0].unlink()
    connection = duckdb.connect()
    sql_files.create_local_views(connection, tmp_path)
    (row,) = sql_files.run_query(connection, "query_run_readiness.sql", _values(RUN_B))
    assert row["points_missing_data"] == 1
    connection.close()


def test_datasets_without_files_become_empty_typed_views(tmp_path):
    run = Run("only-accepted", "2026-02-14", 4, 2, "local_http", "c" * 64, [])
    fixtures.write_run(tmp_path, "", run)  # empty prefix: keys start at dataset=
    connection = duckdb.connect()
    empty = sql_files.create_local_views(connection, tmp_path)
    point_tables = [t.table for t in TABLES if t.dataset not in ("run_context", "shard_outcomes")]
    assert sorted(empty) == sorted(["sweep_shard_outcomes"] + [f"{t}_per_point" for t in point_tables] +
                                   [f"{t}_per_shard" for t in point_tables])
    (row,) = sql_files.run_query(connection, "query_run_readiness.sql", _values(run))
    assert row["run_context_rows"] == 1 and row["expected_shards"] == 2
    assert all(row[k] == 0 for k in row if k not in ("run_context_rows", "expected_points", "expected_shards"))
    rows = sql_files.run_query(connection, "query_missing_shards.sql", _values(run, expected_shards=2))
    assert [r["shard_id"] for r in rows] == [0, 1]
    for name in QUERY_FILES:  # every query still runs against empty views
        sql_files.run_query(connection, name, _values(run, expected_shards=2))


@pytest.mark.parametrize("statement_file", ["views.sql", "empty_views.sql"])
def test_views_expose_the_ddl_columns_and_types(tmp_path, con, statement_file):
    connection = con
    if statement_file == "empty_views.sql":
        connection = duckdb.connect()
        sql_files.create_local_views(connection, tmp_path)  # empty directory: every view is the empty one
    for table in TABLES:
        described = connection.execute(f"DESCRIBE ride_sim_analytics.{table.table}").fetchall()
        wanted = [(n, DUCKDB_TYPES[t]) for n, t in table.columns] + [(p, "VARCHAR") for p in table.partitions]
        assert [(r[0], r[1]) for r in described] == wanted, table.table


def test_views_partition_values_stay_strings(con):
    shard_ids = con.execute("SELECT DISTINCT shard_id FROM ride_sim_analytics.sweep_shard_metrics "
                            "WHERE run_id = 'sweep-a' ORDER BY shard_id").fetchall()
    assert [r[0] for r in shard_ids][:3] == ["0", "1", "10"]  # lexicographic: why the queries cast to order


def test_from_iso8601_timestamp_macro_parses_the_record_timestamps(con):
    seconds = con.execute("SELECT date_diff('second', from_iso8601_timestamp('2026-02-14T10:00:00.000000+00:00'), "
                          "from_iso8601_timestamp('2026-02-14T11:00:30.000000+00:00'))").fetchone()[0]
    assert seconds == 3630


@pytest.mark.parametrize("values, message", [
    ({"database": "ride_sim_analytics"}, "Missing value for ${run_id} in query_run_level_profile.sql"),
    ({"database": "ride_sim_analytics", "run_id": "a'b"}, "Invalid value for ${run_id}: a'b"),
    ({"database": "Bad-Name", "run_id": "x"}, "Invalid value for ${database}: Bad-Name"),
])
def test_placeholder_values_are_validated(values, message):
    with pytest.raises(sql_files.PlaceholderError) as err:
        sql_files.query_file_text("query_run_level_profile.sql", values)
    assert str(err.value) == message


def test_unknown_placeholder_is_rejected():
    with pytest.raises(sql_files.PlaceholderError) as err:
        sql_files.substitute("SELECT ${nope}", {}, "x.sql")
    assert str(err.value) == "Unknown placeholder ${nope} in x.sql"


# One set of names: every table answers to run_date, run_id and status (and shard_id, point_index where a row
# belongs to a shard or point), whether the name is a partition column or a data column of the files; the
# `_partition` columns of the tables whose files carry those data columns keep working beside them.
COMMON_NAMES = {"sweep_shard_outcomes": ("run_date", "run_id", "status", "shard_id"),
                "sweep_run_context": ("run_date", "run_id", "status"),
                "sweep_effective_parameters": ("run_date", "run_id", "status", "shard_id", "point_index"),
                "sweep_shard_metrics": ("run_date", "run_id", "status", "shard_id", "point_index"),
                "sweep_trip_data": ("run_date", "run_id", "status", "shard_id", "point_index"),
                "sweep_snapshot_counts": ("run_date", "run_id", "status", "shard_id", "point_index")}


def test_every_table_answers_to_the_common_names():
    assert sorted(COMMON_NAMES) == sorted(t.table for t in TABLES)
    for table in TABLES:
        names = {n for n, _ in table.columns} | set(table.partitions)
        assert set(COMMON_NAMES[table.table]) <= names, table.table


def test_common_names_equal_the_partition_values_beside_them(con):
    for table in TABLES:
        for name in COMMON_NAMES[table.table]:
            if f"{name}_partition" not in table.partitions:
                continue
            (rows, differing) = con.execute(
                f"SELECT count(*), count(*) FILTER (WHERE CAST({name} AS VARCHAR) <> {name}_partition) "
                f"FROM ride_sim_analytics.{table.table}").fetchone()
            assert rows > 0 and differing == 0, (table.table, name, rows, differing)
