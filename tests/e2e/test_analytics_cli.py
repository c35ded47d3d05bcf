"""The read-side commands over a local results directory (spec/sweep.md §11.3, §13, §17; T20, T21).

- `ridesweep query` runs every query file of infra/aws_serverless_sweep/athena through DuckDB and prints CSV with
  the §11.3 columns; the values agree with the datasets read back independently with pyarrow.
- `ridesweep ingest` passes (exit 0) on a complete run and fails (exit 1, the §13 lines) once trip_data,
  effective_parameters or run_context objects are deleted; bad arguments exit 2, an engine failure 3.
- `ridesweep status` in text and JSON, and its exit codes.
- The failure-injection example exits 1 with the injected failure recorded once (attempt 1, never retried), and
  the queries and the readiness check report it.
"""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

import e2e_support as e2e

# §11.3: the columns of each query file.
QUERY_COLUMNS = {
    "query_run_level_profile": ["shard_attempts", "successful_shards", "failed_shards", "failure_rate",
                                "successful_points", "max_attempt", "run_window_seconds", "points_per_second",
                                "expected_points", "expected_shards"],
    "query_failure_diagnostics": ["error_code", "occurrences", "distinct_shards", "unresolved_shards", "max_attempt",
                                  "example_error_message"],
    "query_shard_coverage": ["observed_shards", "failure_only_shards", "expected_shards", "has_full_coverage"],
    "query_missing_shards": ["shard_id", "has_failure_record", "last_error_code"],
    "query_trip_snapshot_join": ["shard_id", "point_index", "completed_trips", "trip_rows", "completed_trip_rows",
                                 "max_snapshot_trips_completed"],
    "query_configuration_summary": ["config_index", "metric", "n", "missing", "mean", "sd", "ci95_low", "ci95_high",
                                    "not_distinguishable_from_best"],
    "query_outcome_configuration_smoke": ["joined_points", "request_source", "example_parameter_fingerprint",
                                          "config_fingerprint"],
    "query_run_readiness": ["run_context_rows", "outcome_rows", "success_outcomes", "failure_outcomes",
                            "distinct_shards", "successful_shards", "shard_metrics_rows", "trip_data_rows",
                            "snapshot_counts_rows", "effective_parameters_rows", "truncated_points",
                            "completed_trips_total", "expected_points", "expected_shards", "points_missing_data"],
}


def query(cli, name, run_id, results_dir, *extra) -> list[dict[str, str]]:
    proc = cli.run("query", name, "--run-id", run_id, "--results-dir", results_dir, *extra)
    assert proc.returncode == 0, proc.stderr
    reader = csv.DictReader(io.StringIO(proc.stdout))
    rows = list(reader)
    expected = QUERY_COLUMNS[name if name in QUERY_COLUMNS else name.rsplit("/", 1)[-1].removesuffix(".sql")]
    assert reader.fieldnames == expected
    return rows


def test_every_query_file_is_known():
    assert sorted(p.stem for p in e2e.ATHENA_DIR.glob("query_*.sql")) == sorted(QUERY_COLUMNS)


@pytest.mark.parametrize("name", sorted(QUERY_COLUMNS))
def test_every_query_prints_csv_for_the_demo_run(cli, demo_run, name):
    rows = query(cli, name, demo_run.run_id, demo_run.results_dir)
    if name in ("query_failure_diagnostics", "query_missing_shards"):
        assert rows == []  # nothing failed, nothing missing
    else:
        assert rows


def test_query_values_agree_with_the_datasets(cli, demo_run):
    results, run_id = demo_run.results_dir, demo_run.run_id
    (profile,) = query(cli, "query_run_level_profile", run_id, results)
    assert {k: profile[k] for k in ("shard_attempts", "successful_shards", "failed_shards", "successful_points",
                                    "max_attempt", "expected_points", "expected_shards")} == {
        "shard_attempts": "4", "successful_shards": "4", "failed_shards": "0", "successful_points": "8",
        "max_attempt": "1", "expected_points": "8", "expected_shards": "4"}
    assert float(profile["failure_rate"]) == 0.0

    (coverage,) = query(cli, "query_shard_coverage", run_id, results)
    assert coverage == {"observed_shards": "4", "failure_only_shards": "0", "expected_shards": "4",
                        "has_full_coverage": "true"}

    joined = query(cli, "query_trip_snapshot_join", run_id, results)
    assert [(int(r["shard_id"]), int(r["point_index"])) for r in joined] == [(i // 2, i) for i in range(8)]
    for row in joined:
        shard, point = int(row["shard_id"]), int(row["point_index"])
        trips = pq.read_table(results / e2e.point_key("trip_data", demo_run.run_date, run_id, shard, point))
        metrics = pq.read_table(results / e2e.point_key("shard_metrics", demo_run.run_date, run_id, shard, point))
        snapshots = pq.read_table(results / e2e.point_key("snapshot_counts", demo_run.run_date, run_id, shard, point))
        assert int(row["trip_rows"]) == trips.num_rows
        assert int(row["completed_trip_rows"]) == trips.column("state").to_pylist().count(2)
        assert int(row["completed_trips"]) == metrics.column("completed_trips")[0].as_py()
        assert int(row["max_snapshot_trips_completed"]) == max(snapshots.column("trips_completed").to_pylist())

    (smoke,) = query(cli, "query_outcome_configuration_smoke", run_id, results)
    assert smoke["joined_points"] == "8"
    assert smoke["request_source"] == "local_cli"
    assert smoke["config_fingerprint"] == demo_run.result.body["config_fingerprint"]

    (readiness,) = query(cli, "query_run_readiness", run_id, results)
    trip_rows = sum(pq.read_metadata(p).num_rows for p in e2e.dataset_files(results, "trip_data"))
    snapshot_rows = sum(pq.read_metadata(p).num_rows for p in e2e.dataset_files(results, "snapshot_counts"))
    assert {k: int(v) for k, v in readiness.items()} == {
        "run_context_rows": 1, "outcome_rows": 4, "success_outcomes": 4, "failure_outcomes": 0, "distinct_shards": 4,
        "successful_shards": 4, "shard_metrics_rows": 8, "trip_data_rows": trip_rows,
        "snapshot_counts_rows": snapshot_rows, "effective_parameters_rows": 8, "truncated_points": 0,
        "completed_trips_total": int(readiness["completed_trips_total"]), "expected_points": 8, "expected_shards": 4,
        "points_missing_data": 0}
    assert int(readiness["completed_trips_total"]) == sum(int(r["completed_trips"]) for r in joined)

    # A query given as a path, and an explicit --expected-shards, behave the same.
    path = str(e2e.ATHENA_DIR / "query_shard_coverage.sql")
    assert query(cli, path, run_id, results, "--expected-shards", "5") == [
        {"observed_shards": "4", "failure_only_shards": "0", "expected_shards": "5", "has_full_coverage": "false"}]
    assert query(cli, "query_missing_shards", run_id, results, "--expected-shards", "5") == [
        {"shard_id": "4", "has_failure_record": "false", "last_error_code": ""}]


def test_query_errors(cli, demo_run, tmp_path):
    unknown = cli.run("query", "query_nope", "--run-id", demo_run.run_id, "--results-dir", demo_run.results_dir)
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("Error: Query file not found: query_nope")
    bad_id = cli.run("query", "query_run_level_profile", "--run-id", "x'; DROP", "--results-dir",
                     demo_run.results_dir)
    assert bad_id.returncode == 2
    assert bad_id.stdout == ""


def _ingest(cli, results_dir, run_id, *extra):
    return cli.run("ingest", "--run-id", run_id, "--results-dir", results_dir, *extra)


def test_ingest_passes_on_a_complete_run(cli, demo_run):
    proc = _ingest(cli, demo_run.results_dir, demo_run.run_id)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # the report is the command's output: stdout
    lines = proc.stdout.splitlines()
    assert lines[0] == "Post-run ingestion summary:"
    assert f"- run_id: {demo_run.run_id}" in lines
    assert f"- run_date: {demo_run.run_date}" in lines
    assert "- engine: local" in lines
    assert "- expected shards: 4" in lines and "- expected points: 8" in lines
    assert lines[-1] == "Readiness check passed."
    assert not any(line.startswith("- missing shard ids") for line in lines)


@pytest.mark.parametrize("dataset,which,failure", [
    ("trip_data", "all", "- no trip_data rows for run_id"),
    ("effective_parameters", "one", "- effective_parameters coverage mismatch: observed 7, expected 8"),
    ("shard_metrics", "one", "- point coverage mismatch: observed 7, expected 8"),
    ("run_context", "all", "- no run_context rows for run_id"),
    ("shard_outcomes", "one", "- shard coverage mismatch: observed 3, expected 4"),
])
def test_ingest_fails_after_objects_are_deleted(cli, demo_copy, demo_run, dataset, which, failure):
    files = e2e.dataset_files(demo_copy, dataset)
    for path in files if which == "all" else files[-1:]:
        path.unlink()
    proc = _ingest(cli, demo_copy, demo_run.run_id)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert "Readiness check failed:" in lines
    assert failure in lines
    # Missing objects or shards without a permanent failure: rerunning the run repairs them.
    assert lines[-1].startswith("Next steps: rerun the run (the same ridesweep run command, or submit the same "
                                "request again)")


def test_ingest_argument_and_engine_errors(cli, demo_run, tmp_path):
    unknown = _ingest(cli, demo_run.results_dir, "never-ran")
    assert (unknown.returncode, unknown.stderr) == (
        2, "Argument error: run_date unknown; pass --run-date or make the run manifest readable\n")
    bad_id = _ingest(cli, demo_run.results_dir, "../x")
    assert (bad_id.returncode, bad_id.stderr) == (2, "Argument error: run_id must match [A-Za-z0-9._-]{1,128}\n")
    engine = _ingest(cli, demo_run.results_dir, demo_run.run_id, "--sql-dir", tmp_path / "no-sql-here")
    assert engine.returncode == 3
    assert engine.stderr.startswith("Ingest error: ")


def test_status_text_and_json(cli, demo_run):
    text = cli.run("status", "--run-id", demo_run.run_id, "--results-dir", demo_run.results_dir)
    assert text.returncode == 0, text.stderr
    version = cli.run("--version").stdout.split()  # ridesweep 0.1.0 (git <revision>, …)
    assert text.stdout == (f"run {demo_run.run_id} ({demo_run.run_date})\n"
                           "  shards: 4 succeeded, 0 failed, 0 pending or running of 4\n"
                           "  points: 8 done of 8\n"
                           "  complete\n"
                           f"  accepted by ridesweep {version[1]} (git {version[3].rstrip(',')})\n")
    as_json = cli.run("status", "--run-id", demo_run.run_id, "--results-dir", demo_run.results_dir, "--json")
    assert as_json.returncode == 0
    progress = json.loads(as_json.stdout)
    # Statistics by configuration: 8 configurations of one replicate each (no interval, so no mark).
    summary = progress.pop("configuration_summary")
    assert [c["rank"] for c in summary] == list(range(1, 9))
    assert all(c["n"] == 1 and c["health_score"]["ci95_low"] is None and c["not_distinguishable_from_best"] is None
               for c in summary)
    assert progress.pop("configuration_count") == 8
    # --configurations bounds the list (the best ones, the same order); the count stays the run's.
    top3 = json.loads(cli.run("status", "--run-id", demo_run.run_id, "--results-dir", demo_run.results_dir, "--json",
                              "--configurations", "3").stdout)
    assert top3["configuration_summary"] == summary[:3]
    assert top3["configuration_count"] == 8
    assert progress == {
        "cancelled_at": None, "complete": True, "failed_shard_ids": [], "pending_shard_ids": [], "points_done": 8,
        "points_planned": 8,
        "run_date": demo_run.run_date, "run_id": demo_run.run_id, "shards_failed": 0, "shards_pending": 0,
        "shards_planned": 4, "shards_succeeded": 4}


def test_status_errors(cli, demo_run, tmp_path):
    unknown = cli.run("status", "--run-id", "never-ran", "--results-dir", demo_run.results_dir)
    assert unknown.returncode == 1
    assert "no run 'never-ran' in the results" in unknown.stderr
    bad = cli.run("status", "--run-id", "a/b", "--results-dir", demo_run.results_dir)
    assert bad.returncode == 2
    assert "run_id must match [A-Za-z0-9._-]{1,128}" in bad.stderr
    missing = cli.run("status", "--run-id", "x", "--results-dir", tmp_path / "absent")
    assert missing.returncode == 3
    assert missing.stderr == f"Error: results directory '{tmp_path / 'absent'}' does not exist\n"
    assert not (tmp_path / "absent").exists()


def test_failure_injection_example_exits_1_with_one_recorded_failure(injected_run):
    results, result = injected_run
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.body["status"] == "dispatch_submitted" and result.body["shards_dispatched"] == 4
    assert "shards: 3/4 succeeded, 1 failed" in result.stdout
    assert 'injected_failure: 1 occurrence(s), e.g. "Injected shard failure for verification"' in result.stdout

    # Recorded once, permanent, never retried.
    events = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    failed = [e["details"] for e in events if e["event"] == "shard_failed"]
    assert len(failed) == 1
    assert (failed[0]["shard_id"], failed[0]["error_code"], failed[0]["retryable"], failed[0]["attempt"]) == \
        (1, "injected_failure", False, 1)
    assert not [e for e in events if e["event"] in ("shard_requeued", "shard_dead_lettered")]

    body = result.body
    (failure,) = [p for p in e2e.dataset_files(results, "shard_outcomes", body["run_id"])
                  if e2e.partitions_of(p)["status_partition"] == "failure"]
    (row,) = pq.read_table(failure).to_pylist()
    assert {k: row[k] for k in ("shard_id", "start_index", "end_index_exclusive", "status", "result_key",
                                "points_processed", "format", "error_code", "error_message", "attempt")} == {
        "shard_id": 1, "start_index": 2, "end_index_exclusive": 4, "status": "failure", "result_key": None,
        "points_processed": 0, "format": None, "error_code": "injected_failure",
        "error_message": "Injected shard failure for verification", "attempt": 1}
    statuses = sorted((int(e2e.partitions_of(p)["shard_id_partition"]), e2e.partitions_of(p)["status_partition"])
                      for p in e2e.dataset_files(results, "shard_outcomes"))
    assert statuses == [(0, "success"), (1, "failure"), (2, "success"), (3, "success")]
    # The injected shard wrote no per-point object.
    assert not [p for p in e2e.dataset_files(results, "shard_metrics") if e2e.partitions_of(p)["shard_id"] == "1"]


def test_failure_injection_is_visible_to_queries_status_and_ingest(cli, injected_run):
    results, result = injected_run
    run_id = result.body["run_id"]
    assert query(cli, "query_missing_shards", run_id, results) == [
        {"shard_id": "1", "has_failure_record": "true", "last_error_code": "injected_failure"}]
    (diagnostics,) = query(cli, "query_failure_diagnostics", run_id, results)
    assert diagnostics == {"error_code": "injected_failure", "occurrences": "1", "distinct_shards": "1",
                           "unresolved_shards": "1", "max_attempt": "1",
                           "example_error_message": "Injected shard failure for verification"}
    (coverage,) = query(cli, "query_shard_coverage", run_id, results)
    assert coverage == {"observed_shards": "3", "failure_only_shards": "1", "expected_shards": "4",
                        "has_full_coverage": "false"}
    (profile,) = query(cli, "query_run_level_profile", run_id, results)
    assert (profile["failed_shards"], float(profile["failure_rate"]), profile["successful_points"]) == \
        ("1", 0.25, "6")

    status = cli.run("status", "--run-id", run_id, "--results-dir", results)
    assert status.returncode == 0
    assert "  shards: 3 succeeded, 1 failed, 0 pending or running of 4\n" in status.stdout
    assert "  failed shard ids: 1\n" in status.stdout
    assert "  not complete\n" in status.stdout
    progress = json.loads(cli.run("status", "--run-id", run_id, "--results-dir", results, "--json").stdout)
    assert (progress["complete"], progress["failed_shard_ids"], progress["points_done"]) == (False, [1], 6)

    ingest = _ingest(cli, results, run_id)
    assert ingest.returncode == 1
    lines = ingest.stdout.splitlines()
    assert "- missing shard ids: 1" in lines
    assert "- shard coverage mismatch: observed 3, expected 4" in lines
    assert "- point coverage mismatch: observed 6, expected 8" in lines
    # The injected failure is permanent: the advice is to fix the request, not to rerun.
    assert lines[-1].startswith("Next steps: shard(s) 1 failed permanently (injected_failure); rerunning cannot "
                                "fix them.")
    assert f"ridesweep runs delete {run_id}" in lines[-1]
