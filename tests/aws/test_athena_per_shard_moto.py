"""A per_shard (compact layout) run on the Athena path, through the real CLI against the authorising moto server: the
demo request run locally with `"layout": "per_shard"` and uploaded to moto's S3. `ingest --engine athena` creates the
raw per_shard tables and their views with the other tables, loads no partition under projection and sends the
readiness queries routed to the `sweep_<d>_per_shard` views; in add mode it adds the raw tables' partitions, one per
shard, read from the uploaded keys. `query --engine athena` sends the query file routed the same way. Moto hands back
the local engine's rows for the same run (moto does not execute SQL; tests/e2e/test_compact_layout.py runs the
routed queries over the DDL and view files in DuckDB), so the summaries must equal the local ones."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from athena_cli import QUERY_OUTPUT, csv_to_result, execution_ids, executions_since, run_cli, seed_results
from conftest import REPO, RESULTS_PREFIX
from test_athena_ingest_moto import expected_alters, local_cli, seeded_readiness, summary, upload

RUN_ID = "demo-compact-001"  # its own run: the per-point tests' demo-run-001 keeps its manifest
TABLES_PLAN = 15  # database, six tables, four raw per_shard tables, four views
POINT_TABLE_RE = re.compile(r"\bsweep_(shard_metrics|trip_data|snapshot_counts|effective_parameters)\b(?!_)")
# The external tables whose partitions add mode loads for a per_shard run, in the order it loads them.
PER_SHARD_PARTITIONS = {
    "shard_outcomes": ("sweep_shard_outcomes", ["run_date", "run_id_partition", "status_partition",
                                                "shard_id_partition"]),
    "run_context": ("sweep_run_context", ["run_date", "run_id_partition", "status_partition"]),
    "effective_parameters_per_shard": ("sweep_effective_parameters_per_shard_raw",
                                       ["run_date", "run_id_partition", "status_partition", "shard_id_partition"]),
    "shard_metrics_per_shard": ("sweep_shard_metrics_per_shard_raw", ["run_date", "run_id", "status", "shard_id"]),
    "trip_data_per_shard": ("sweep_trip_data_per_shard_raw", ["run_date", "run_id", "status", "shard_id"]),
    "snapshot_counts_per_shard": ("sweep_snapshot_counts_per_shard_raw", ["run_date", "run_id", "status", "shard_id"]),
}
INGEST = ["ingest", "--engine", "athena", "--run-id", RUN_ID, "--poll-interval-seconds", "0.05", "--results-bucket"]


@pytest.fixture(scope="module")
def compact_run(cli, tmp_path_factory):
    request = json.loads((REPO / "examples" / "demo-request.json").read_text())
    request.update(run_id=RUN_ID, layout="per_shard")
    request_path = tmp_path_factory.mktemp("compact") / "request.json"
    request_path.write_text(json.dumps(request))
    root = request_path.parent / "results"
    proc = subprocess.run([cli, "run", str(request_path), "--results-dir", str(root)], capture_output=True, text=True,
                          cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert any((root / RESULTS_PREFIX / "dataset=trip_data_per_shard").rglob("*.parquet"))
    assert not (root / RESULTS_PREFIX / "dataset=trip_data").exists()
    return root


def assert_routed(query: str) -> None:
    assert "_per_shard" in query, query
    assert POINT_TABLE_RE.search(query) is None, query


def test_ingest_reads_the_per_shard_views_under_projection(cli, moto, compact_run):
    upload(moto, compact_run)
    local = local_cli(cli, ["ingest", "--run-id", RUN_ID, "--results-dir", str(compact_run)])
    assert local.returncode == 0, local.stderr
    seed_results(moto, seeded_readiness(cli, compact_run, TABLES_PLAN, RUN_ID))
    before = execution_ids(moto)
    proc = run_cli(cli, [*INGEST, moto.bucket, "--athena-query-output", QUERY_OUTPUT], moto, moto.operator)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    queries = [e["Query"] for e in executions_since(moto, before)]
    assert len(queries) == TABLES_PLAN + 2  # no partition statement
    raw = [q for q in queries[:TABLES_PLAN] if q.startswith("CREATE EXTERNAL TABLE IF NOT EXISTS ride_sim_analytics.")
           and "_per_shard_raw (" in q]
    assert len(raw) == 4
    assert all(f"LOCATION 's3://{moto.bucket}/{RESULTS_PREFIX}/dataset=" in q and "_per_shard/'" in q for q in raw)
    views = [q for q in queries[:TABLES_PLAN] if q.startswith("CREATE OR REPLACE VIEW ride_sim_analytics.")]
    assert len(views) == 4
    assert_routed(queries[TABLES_PLAN])  # readiness: every point table read through its view
    assert POINT_TABLE_RE.search(queries[TABLES_PLAN + 1]) is None  # missing shards: outcomes only
    assert summary(proc.stdout) == summary(local.stdout)
    assert proc.stdout.splitlines()[-1] == "Readiness check passed."


def test_ingest_add_mode_adds_the_raw_tables_shard_partitions(cli, moto, compact_run):
    keys = upload(moto, compact_run)
    local = local_cli(cli, ["ingest", "--run-id", RUN_ID, "--results-dir", str(compact_run)])
    seed_results(moto, seeded_readiness(cli, compact_run, TABLES_PLAN + 6, RUN_ID))
    before = execution_ids(moto)
    proc = run_cli(cli, [*INGEST, moto.bucket, "--athena-query-output", QUERY_OUTPUT, "--partition-mode", "add"],
                   moto, moto.operator)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    queries = [e["Query"] for e in executions_since(moto, before)]
    assert len(queries) == TABLES_PLAN + 6 + 2
    assert queries[TABLES_PLAN:TABLES_PLAN + 6] == expected_alters(keys, moto.bucket, RESULTS_PREFIX,
                                                                   PER_SHARD_PARTITIONS, RUN_ID)
    assert queries[TABLES_PLAN + 3].count("PARTITION (") == 4  # the demo's four shards, one partition each
    assert summary(proc.stdout) == summary(local.stdout)


def test_query_sends_the_routed_query_file(cli, moto, compact_run):
    upload(moto, compact_run)
    local = local_cli(cli, ["query", "query_trip_snapshot_join", "--run-id", RUN_ID, "--results-dir",
                            str(compact_run)])
    assert local.returncode == 0, local.stderr
    seed_results(moto, [csv_to_result(local.stdout)])
    before = execution_ids(moto)
    proc = run_cli(cli, ["query", "query_trip_snapshot_join", "--engine", "athena", "--run-id", RUN_ID,
                         "--poll-interval-seconds", "0.05", "--results-bucket", moto.bucket,
                         "--athena-query-output", QUERY_OUTPUT], moto, moto.operator)
    assert proc.returncode == 0, proc.stderr
    [execution] = executions_since(moto, before)
    assert_routed(execution["Query"])
    assert "FROM ride_sim_analytics.sweep_trip_data_per_shard\n" in execution["Query"]
    assert len(proc.stdout.splitlines()) == len(local.stdout.splitlines()) == 9  # header and the demo's 8 points
