"""Every dataset a local sweep writes, read back by two independent Parquet readers (pyarrow and DuckDB's Python
package), against the Athena DDL and against an independent computation of the rows.

- Schema (spec/sweep.md §10, T17): for every object of every dataset, the column names, order and types equal the
  DDL files column by column (run_context also carries its run_date/status data columns, §10.6); the Parquet
  physical types are the §10.2 ones; one row group, ZSTD; non-null columns hold no NULL.
- Rows: each point is re-simulated by `ridesweep simulate --params <resolved_scenario_parameters> --rows-out`, a
  separate process that knows nothing of sweeps or Parquet; its metrics, trip rows and snapshot rows must equal
  the stored shard_metrics, trip_data and snapshot_counts rows exactly. effective_parameters, run_context and
  shard_outcomes rows are checked against the request, the 202 body and the §3 grid rules recomputed here.
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import re

import duckdb
import pyarrow.parquet as pq
import pytest

import e2e_support as e2e

DDL = e2e.ddl_tables()


def test_ddl_files_cover_the_six_datasets_and_the_four_per_shard_trees():
    assert sorted(DDL) == sorted(list(e2e.ALL_DATASETS) + [f"{d}_per_shard" for d in e2e.POINT_DATASETS])


def _expected_data_columns(dataset: str) -> list[tuple[str, str]]:
    """The Parquet columns the DDL implies: the DDL data columns, plus run_context's kept partition columns."""
    columns = list(DDL[dataset].columns)
    if dataset == "run_context":
        columns[1:1] = [(name, "string") for name in e2e.RUN_CONTEXT_EXTRA_COLUMNS]
    return columns


def _duckdb_rows(path: pathlib.Path) -> tuple[list[str], list[str], list[tuple]]:
    # hive_partitioning off: the key's name=value folders are not columns of the file.
    source = "read_parquet(?, hive_partitioning = false)"
    con = duckdb.connect()
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {source}", [str(path)]).fetchall()
        rows = con.execute(f"SELECT * FROM {source}", [str(path)]).fetchall()
    finally:
        con.close()
    return [d[0] for d in described], [d[1] for d in described], rows


def _check_against_ddl(path: pathlib.Path, dataset: str) -> list[dict]:
    """Reads one object with both readers, checks it against the DDL and §10.2, and returns its rows."""
    expected = _expected_data_columns(dataset)
    names = [n for n, _ in expected]
    nullable = e2e.NULLABLE.get(dataset, set())
    assert path.read_bytes()[:4] == b"PAR1"
    # pyarrow: logical schema, physical schema, file layout, nulls.
    parquet = pq.ParquetFile(path)
    table = parquet.read()
    assert table.schema.names == names, path
    for (name, athena_type), field in zip(expected, table.schema):
        arrow_type, _, physical, converted = e2e.TYPE_MAP[athena_type]
        assert str(field.type) == arrow_type, (path, name)
        column = parquet.schema.column(table.schema.get_field_index(name))
        assert column.physical_type == physical, (path, name)
        assert column.converted_type == converted, (path, name)
    metadata = parquet.metadata
    # Exactly one row group (a zero-row file may have none).
    assert metadata.num_row_groups == 1 or (metadata.num_rows == 0 and metadata.num_row_groups == 0), path
    for rg in range(metadata.num_row_groups):
        for col in range(metadata.num_columns):
            assert metadata.row_group(rg).column(col).compression == "ZSTD", (path, col)
    for name in names:
        if name not in nullable:
            assert table.column(name).null_count == 0, (path, name)
    # DuckDB: the same names, the DuckDB spelling of the DDL types, the same rows, no NULL where none may be.
    duck_names, duck_types, duck_rows = _duckdb_rows(path)
    assert duck_names == names
    assert duck_types == [e2e.TYPE_MAP[t][1] for _, t in expected]
    rows = table.to_pylist()
    assert duck_rows == [tuple(r.values()) for r in rows]
    for index, name in enumerate(names):
        if name not in nullable:
            assert all(row[index] is not None for row in duck_rows), (path, name)
    return rows


@pytest.mark.parametrize("dataset", e2e.ALL_DATASETS)
def test_every_object_matches_the_ddl_in_both_readers(demo_run, dataset):
    files = e2e.dataset_files(demo_run.results_dir, dataset)
    expected_count = {"shard_outcomes": 4, "run_context": 1}.get(dataset, 8)
    assert len(files) == expected_count
    for path in files:
        rows = _check_against_ddl(path, dataset)
        assert len(rows) >= 1


def test_failure_record_matches_the_ddl_and_uses_its_nullable_columns(injected_run):
    results, result = injected_run
    (failure,) = [p for p in e2e.dataset_files(results, "shard_outcomes", result.body["run_id"])
                  if e2e.partitions_of(p)["status_partition"] == "failure"]
    (row,) = _check_against_ddl(failure, "shard_outcomes")
    assert (row["result_key"], row["format"], row["error_code"]) == (None, None, "injected_failure")


def test_partition_columns_match_the_ddl(demo_run):
    for dataset, table in DDL.items():
        for path in e2e.dataset_files(demo_run.results_dir, dataset):
            keys = [k for k in e2e.partitions_of(path) if k != "dataset"]
            assert keys == [name for name, _ in table.partitions], path
            assert all(t == "string" for _, t in table.partitions)


def _rows(path: pathlib.Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def _jsonl(path: pathlib.Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_per_point_rows_equal_an_independent_simulation(cli, demo_run, tmp_path):
    results, run_date, run_id = demo_run.results_dir, demo_run.run_date, demo_run.run_id
    ranges = demo_run.result.body["shard_ranges"]
    checked = 0
    for shard_id, (start, end) in enumerate(ranges):
        for point in range(start, end):
            def stored(dataset: str) -> list[dict]:
                return _rows(results / e2e.point_key(dataset, run_date, run_id, shard_id, point))

            (params_row,) = stored("effective_parameters")
            effective = json.loads(params_row["effective_parameters_json"])
            params_file = tmp_path / f"point{point}.json"
            params_file.write_text(json.dumps(effective["resolved_scenario_parameters"]))
            rows_dir = tmp_path / f"rows{point}"
            proc = cli.run("simulate", "--params", params_file, "--json", "--rows-out", rows_dir)
            assert proc.returncode == 0, proc.stderr
            simulated = json.loads(proc.stdout)["metrics"]

            (metrics,) = stored("shard_metrics")
            # Every metric column equals the independent simulation; the point's place in the design comes last.
            design = {"config_index": point, "replicate": 0}  # no replications: configuration = point
            assert metrics == {name: design[name] if name in design else simulated[name]
                               for name, _ in DDL["shard_metrics"].columns}, point
            assert metrics["final_sim_time_ms"] <= effective["resolved_scenario_parameters"]["simulation_end_time_ms"]

            trips = stored("trip_data")
            assert trips == _jsonl(rows_dir / "trip_data.jsonl"), point
            assert [t["trip_entity"] for t in trips] == sorted(t["trip_entity"] for t in trips)
            assert sum(1 for t in trips if t["state"] == 2) == metrics["completed_trips"]
            assert len(trips) > 0

            snapshots = stored("snapshot_counts")
            assert snapshots == _jsonl(rows_dir / "snapshot_counts.jsonl"), point
            assert [s["timestamp_ms"] for s in snapshots] == sorted(s["timestamp_ms"] for s in snapshots)
            assert len(snapshots) > 0
            checked += 1
    assert checked == demo_run.result.body["total_points"] == 8


def test_effective_parameters_rows_follow_the_grid_rules(demo_run):
    request, body = demo_run.request, demo_run.result.body
    for shard_id, (start, end) in enumerate(body["shard_ranges"]):
        for point in range(start, end):
            path = demo_run.results_dir / e2e.point_key("effective_parameters", demo_run.run_date, demo_run.run_id,
                                                        shard_id, point)
            (row,) = _rows(path)
            assert row["run_id"] == request["run_id"]
            assert (row["shard_id"], row["point_index"]) == (shard_id, point)
            assert (row["status"], row["record_schema"]) == ("success", "v1")
            text = row["effective_parameters_json"]
            assert row["parameter_fingerprint"] == hashlib.sha256(text.encode()).hexdigest()
            effective = json.loads(text)
            assert list(effective) == ["selected_dimensions", "resolved_scenario_parameters"]
            selected = e2e.enumerate_point(request["dimensions"], point)
            assert effective["selected_dimensions"] == selected
            resolved = effective["resolved_scenario_parameters"]
            assert resolved["seed"] == e2e.point_seed(request["seed"], point)
            # The demo varies commission and supply; every other parameter is the model's default.
            assert resolved["num_drivers"] == selected["num_drivers"]
            assert resolved["pricing_config"]["commission_rate"] == selected["commission_rate"]
            assert (resolved["num_riders"], resolved["match_radius"]) == (500, 8)
            assert resolved["epoch_ms"] == 1_704_783_600_000  # Tuesday 07:00
            assert resolved["simulation_end_time_ms"] == resolved["request_window_ms"] + 7_200_000
            # Canonical compact JSON: no whitespace outside strings.
            assert text == json.dumps(effective, separators=(",", ":"), ensure_ascii=False)


def test_run_context_row_records_the_accepted_request(demo_run, cli):
    body = demo_run.result.body
    (path,) = e2e.dataset_files(demo_run.results_dir, "run_context")
    assert e2e.partitions_of(path) == {"dataset": "run_context", "run_date": body["run_date"],
                                       "run_id_partition": body["run_id"], "status_partition": "accepted"}
    (row,) = _rows(path)
    # The build that accepted the run: the version and revision `ridesweep --version` names.
    version = re.fullmatch(r"ridesweep (\S+) \(git (\S+), .*\n", cli.run("--version").stdout)
    assert version, "unexpected --version line"
    assert (row.pop("build_version"), row.pop("build_git_revision")) == (version.group(1), version.group(2))
    assert row == {
        "run_id": body["run_id"], "run_date": body["run_date"], "status": "accepted", "request_source": "local_cli",
        "record_schema": "v1", "request_fingerprint": body["request_fingerprint"],
        "config_fingerprint": body["config_fingerprint"], "total_points": 8, "shard_count": 4,
        "shard_strategy": "explicit_shard_count", "max_shards": 1000, "max_shards_ceiling": 1000,
    }


def test_shard_outcome_rows_commit_every_shard(demo_run):
    body = demo_run.result.body
    for shard_id, (start, end) in enumerate(body["shard_ranges"]):
        path = demo_run.results_dir / e2e.outcome_key(body["run_date"], body["run_id"], "success", shard_id)
        (row,) = _rows(path)
        assert row["result_key"] == e2e.point_key("shard_metrics", body["run_date"], body["run_id"], shard_id, start)
        assert (demo_run.results_dir / row["result_key"]).is_file()
        assert {k: row[k] for k in ("run_id", "shard_id", "start_index", "end_index_exclusive", "status",
                                    "record_schema", "points_processed", "format", "error_code", "error_message",
                                    "attempt")} == {
            "run_id": body["run_id"], "shard_id": shard_id, "start_index": start, "end_index_exclusive": end,
            "status": "success", "record_schema": "v1", "points_processed": end - start, "format": "parquet",
            "error_code": None, "error_message": None, "attempt": 1}
        assert e2e.RFC3339_MICROS.match(row["event_time"]), row["event_time"]
        assert e2e.RFC3339_MICROS.match(row["completed_time"]), row["completed_time"]
        assert row["event_time"] <= row["completed_time"]
    assert not list(e2e.results_root(demo_run.results_dir).rglob("*status_partition=failure*"))


def test_hive_read_of_the_whole_tree_joins_on_the_partition_identity(demo_run):
    """The §10.8 join identity: shard_metrics and effective_parameters keys name the same points."""
    root = e2e.results_root(demo_run.results_dir)
    con = duckdb.connect()
    try:
        def ids(dataset: str, run: str, shard: str, point: str) -> set[tuple]:
            glob = str(root / f"dataset={dataset}" / "**" / "*.parquet")
            return set(con.execute(
                f"SELECT run_date, {run}, {shard}, {point} FROM read_parquet(?, hive_partitioning = true, "
                f"hive_types_autocast = false)", [glob]).fetchall())
        metrics = ids("shard_metrics", "run_id", "shard_id", "point_index")
        params = ids("effective_parameters", "run_id_partition", "shard_id_partition", "point_index_partition")
        in_rows = set(con.execute(
            "SELECT run_id, CAST(shard_id AS VARCHAR), CAST(point_index AS VARCHAR) FROM read_parquet(?)",
            [str(root / "dataset=effective_parameters" / "**" / "*.parquet")]).fetchall())
    finally:
        con.close()
    assert metrics == params
    assert len(metrics) == 8
    assert {m[1:] for m in metrics} == in_rows


# Every dimension of §1.5 at least once; 16 small points (2 durations x 2 algorithms x 2 batch modes x 2 speeds).
MAPPING_REQUEST = {
    "run_id": "mapping-run",
    "dimensions": {
        "num_riders": [30], "num_drivers": [10], "match_radius": [3], "commission_rate": [0.25], "base_fare": [3],
        "per_km_rate": [1.25], "surge_enabled": [True], "surge_radius_k": [2], "surge_max_multiplier": [1.5],
        "epoch_ms": [1_700_000_000_000], "simulation_duration_hours": [1, None],
        "matching_algorithm_type": ["Cost-Based", "simple"], "batch_matching_enabled": [False, True],
        "batch_interval_secs": [10], "eta_weight": [0.2], "traffic_profile": ["BERLIN"],
        "dynamic_congestion_enabled": [True], "base_speed_kmh": [None, 25],
    },
    "shard_size": 5,
    "seed": -1,
}


def test_every_dimension_maps_onto_the_resolved_parameters_and_simulates_identically(cli, tmp_path):
    """T5 (local part): one mapping rule, one seed rule, one duration rule; no point dropped (hungarian-free
    per-rider points included); the stored metrics equal an independent simulation of the resolved parameters."""
    request = tmp_path / "mapping.json"
    request.write_text(json.dumps(MAPPING_REQUEST))
    results = tmp_path / "results"
    run = e2e.run_request(cli, request, results, "--threads", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    # shard_size 5 only fixes the count (ceil(16 / 5) = 4); the split is balanced (§4).
    assert run.body["total_points"] == 16 and run.body["shard_ranges"] == [[0, 4], [4, 8], [8, 12], [12, 16]]
    dims = MAPPING_REQUEST["dimensions"]
    for path in e2e.dataset_files(results, "effective_parameters"):
        (row,) = _rows(path)
        point = row["point_index"]
        effective = json.loads(row["effective_parameters_json"])
        selected = e2e.enumerate_point(dims, point)
        assert effective["selected_dimensions"] == selected  # raw values as supplied
        r = effective["resolved_scenario_parameters"]
        assert r["seed"] == e2e.point_seed(-1, point) == 18446744073709551615 ^ point
        hours = selected["simulation_duration_hours"]
        assert r["simulation_end_time_ms"] == (3_600_000 + 3_600_000 if hours == 1 else 10_800_000)
        assert r["matching_algorithm_type"] == {"Cost-Based": "cost_based", "simple": "simple"}[
            selected["matching_algorithm_type"]]
        assert r["batch_matching_enabled"] is selected["batch_matching_enabled"]
        assert r["base_speed_kmh"] == selected["base_speed_kmh"]
        assert r["pricing_config"] == {"base_fare": 3.0, "per_km_rate": 1.25, "commission_rate": 0.25,
                                       "surge_enabled": True, "surge_radius_k": 2, "surge_max_multiplier": 1.5,
                                       "surge_sensitivity": 0.25}
        assert (r["num_riders"], r["num_drivers"], r["match_radius"], r["epoch_ms"], r["batch_interval_secs"],
                r["eta_weight"], r["traffic_profile"], r["dynamic_congestion_enabled"]) == \
            (30, 10, 3, 1_700_000_000_000, 10, 0.2, "Berlin", True)

        params_file = tmp_path / f"p{point}.json"
        params_file.write_text(json.dumps(r))
        proc = cli.run("simulate", "--params", params_file, "--json")
        assert proc.returncode == 0, proc.stderr
        simulated = json.loads(proc.stdout)["metrics"]
        parts = e2e.partitions_of(path)
        (metrics,) = _rows(results / e2e.point_key("shard_metrics", parts["run_date"], "mapping-run",
                                                   int(parts["shard_id_partition"]), point))
        design = {"config_index": point, "replicate": 0}
        assert metrics == {name: design[name] if name in design else simulated[name]
                           for name, _ in DDL["shard_metrics"].columns}, point
        assert metrics["final_sim_time_ms"] <= r["simulation_end_time_ms"]
    assert len(e2e.dataset_files(results, "effective_parameters")) == 16
