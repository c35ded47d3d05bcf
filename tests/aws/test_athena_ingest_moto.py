"""`ridesweep ingest --engine athena` (spec/sweep.md §13) through the real CLI: a real demo run (ridesweep run) is
uploaded to moto's S3; the command reads its manifest, creates the database and tables (athena_tables.plan) with
partition projection and, by default, issues no partition statement at all; in add mode it adds exactly this
run's partitions with ALTER TABLE … ADD IF NOT EXISTS PARTITION … LOCATION (checked against the uploaded keys), in
msck mode it runs the repairs; then it evaluates readiness from the rows moto hands back. Those rows
are what the local engine computes for the same run (`ridesweep query … --engine local`), so the Athena summary
must equal the local one line for line, engine name aside. Env fallbacks, argument errors and a FAILED query."""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess

import pytest

from athena_cli import (EMPTY_RESULT, QUERY_OUTPUT, csv_to_result, execution_ids, executions_since,
                        run_cli, seed_results)
from conftest import REPO, RESULTS_PREFIX
from dataset_schemas import PER_SHARD_TABLES, TABLES, projection_properties
from test_athena_cli_moto import athena_stub

RUN_ID = "demo-run-001"
TABLES_PLAN = 15  # database, six tables, four raw per_shard tables, four views (athena_tables.plan)
TABLE_PARTITIONS = {
    "shard_outcomes": ("sweep_shard_outcomes", ["run_date", "run_id_partition", "status_partition",
                                                "shard_id_partition"]),
    "run_context": ("sweep_run_context", ["run_date", "run_id_partition", "status_partition"]),
    "effective_parameters": ("sweep_effective_parameters", ["run_date", "run_id_partition", "status_partition",
                                                            "shard_id_partition", "point_index_partition"]),
    "shard_metrics": ("sweep_shard_metrics", ["run_date", "run_id", "status", "shard_id", "point_index"]),
    "trip_data": ("sweep_trip_data", ["run_date", "run_id", "status", "shard_id", "point_index"]),
    "snapshot_counts": ("sweep_snapshot_counts", ["run_date", "run_id", "status", "shard_id", "point_index"]),
}


def upload(moto, root: pathlib.Path, root_key: str = "") -> list[str]:
    s3 = moto.client("s3")
    keys = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        key = root_key + path.relative_to(root).as_posix()
        s3.put_object(Bucket=moto.bucket, Key=key, Body=path.read_bytes())
        keys.append(key)
    return keys


def local_cli(cli, args):
    proc = subprocess.run([cli, *args], capture_output=True, text=True, cwd=REPO, timeout=120)
    return proc


def seeded_readiness(cli, root: pathlib.Path, statements_before: int, run_id: str = RUN_ID) -> list[dict]:
    """Empty results for the DDL statements, then the local engine's rows of the two readiness queries."""
    results = [EMPTY_RESULT] * statements_before
    for query in ("query_run_readiness", "query_missing_shards"):
        proc = local_cli(cli, ["query", query, "--run-id", run_id, "--results-dir", str(root)])
        assert proc.returncode == 0, proc.stderr
        results.append(csv_to_result(proc.stdout))
    return results


def expected_alters(keys: list[str], bucket: str, prefix: str, tables: dict = TABLE_PARTITIONS,
                    run_id: str = RUN_ID) -> list[str]:
    """One ALTER TABLE … ADD IF NOT EXISTS per table (`tables`: dataset tree -> table, partition columns), with
    a PARTITION per directory of the run's keys."""
    statements = []
    for dataset, (table, columns) in tables.items():
        directories = sorted({k.rsplit("/", 1)[0] for k in keys
                              if k.startswith(f"{prefix}/dataset={dataset}/") and run_id in k})
        assert directories, dataset
        clauses = []
        for directory in directories:
            segments = directory.split(f"dataset={dataset}/", 1)[1].split("/")
            assert [s.split("=")[0] for s in segments] == columns
            values = ", ".join(f"{s.split('=')[0]} = '{s.split('=')[1]}'" for s in segments)
            clauses.append(f"\n  PARTITION ({values}) LOCATION 's3://{bucket}/{directory}/'")
        statements.append(f"ALTER TABLE ride_sim_analytics.{table} ADD IF NOT EXISTS" + "".join(clauses))
    return statements


def summary(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if not line.startswith("- engine:")]


INGEST = ["ingest", "--engine", "athena", "--run-id", RUN_ID, "--poll-interval-seconds", "0.05"]
PROPERTY_RE = re.compile(r"'(projection\.[\w.]+)'='([^']*)'")


def test_default_projection_mode_creates_projected_tables_and_loads_no_partition(cli, moto, demo_run):
    upload(moto, demo_run)
    local = local_cli(cli, ["ingest", "--run-id", RUN_ID, "--results-dir", str(demo_run)])
    assert local.returncode == 0, local.stderr
    seed_results(moto, seeded_readiness(cli, demo_run, TABLES_PLAN))
    before = execution_ids(moto)
    proc = run_cli(cli, [*INGEST, "--results-bucket", moto.bucket, "--athena-query-output", QUERY_OUTPUT],
                   moto, moto.operator)
    assert proc.returncode == 0, proc.stderr
    queries = [e["Query"] for e in executions_since(moto, before)]
    assert len(queries) == TABLES_PLAN + 2  # tables plan, readiness, missing shards: no ALTER TABLE, no MSCK
    assert not any("ALTER TABLE" in q or "MSCK" in q for q in queries)
    for table, create in zip(TABLES + PER_SHARD_TABLES, queries[1:11], strict=True):
        assert create.startswith(f"CREATE EXTERNAL TABLE IF NOT EXISTS ride_sim_analytics.{table.table} (")
        assert f"LOCATION 's3://{moto.bucket}/{RESULTS_PREFIX}/dataset={table.dataset}/'" in create
        assert dict(PROPERTY_RE.findall(create)) == projection_properties(table)
    assert summary(proc.stdout) == summary(local.stdout)
    assert proc.stdout.splitlines()[-1] == "Readiness check passed."


def test_adds_exactly_the_runs_partitions_and_passes_like_the_local_engine(cli, moto, demo_run, tmp_path):
    # Another run of the same day in the same bucket: none of its partitions may be added.
    other = tmp_path / "other"
    shutil.copytree(demo_run, other)
    for path in sorted(other.rglob("*run_id*=demo-run-001*"), key=lambda p: -len(p.parts)):
        path.rename(path.with_name(path.name.replace("demo-run-001", "other-run")))
    upload(moto, other / RESULTS_PREFIX / "dataset=shard_outcomes", f"{RESULTS_PREFIX}/dataset=shard_outcomes/")
    keys = upload(moto, demo_run)

    local = local_cli(cli, ["ingest", "--run-id", RUN_ID, "--results-dir", str(demo_run)])
    assert local.returncode == 0, local.stderr
    seed_results(moto, seeded_readiness(cli, demo_run, TABLES_PLAN + 6))
    before = execution_ids(moto)
    proc = run_cli(cli, [*INGEST, "--partition-mode", "add"], moto, moto.operator,
                   extra_env={"SWEEP_RESULTS_BUCKET": moto.bucket, "ATHENA_QUERY_OUTPUT": QUERY_OUTPUT})
    assert proc.returncode == 0, proc.stderr
    queries = [e["Query"] for e in executions_since(moto, before)]
    assert len(queries) == TABLES_PLAN + 6 + 2
    assert queries[0] == "CREATE DATABASE IF NOT EXISTS ride_sim_analytics"
    assert all(q.startswith("CREATE EXTERNAL TABLE IF NOT EXISTS ride_sim_analytics.") for q in queries[1:11])
    assert all(q.startswith("CREATE OR REPLACE VIEW ride_sim_analytics.") for q in queries[11:TABLES_PLAN])
    assert queries[TABLES_PLAN:TABLES_PLAN + 6] == expected_alters(keys, moto.bucket, RESULTS_PREFIX)
    assert not any("other-run" in q for q in queries)
    assert "run_context_rows" in queries[TABLES_PLAN + 6] and "has_failure_record" in queries[TABLES_PLAN + 7]
    assert "- engine: athena" in proc.stdout.splitlines()
    assert summary(proc.stdout) == summary(local.stdout)
    assert proc.stdout.splitlines()[-1] == "Readiness check passed."


def test_a_missing_shard_fails_the_check_with_the_local_engines_lines(cli, moto, demo_run, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(demo_run, broken)
    outcomes = broken / RESULTS_PREFIX / "dataset=shard_outcomes"
    shutil.rmtree(next(outcomes.rglob("status_partition=success/shard_id_partition=2")))
    s3 = moto.client("s3")
    listed = s3.list_objects_v2(Bucket=moto.bucket, Prefix=f"{RESULTS_PREFIX}/dataset=shard_outcomes/")
    for item in listed.get("Contents", []):
        if "shard_id_partition=2/" in item["Key"] and RUN_ID in item["Key"]:
            s3.delete_object(Bucket=moto.bucket, Key=item["Key"])
    try:
        keys = upload(moto, broken)
        local = local_cli(cli, ["ingest", "--run-id", RUN_ID, "--results-dir", str(broken)])
        assert local.returncode == 1, local.stderr
        seed_results(moto, seeded_readiness(cli, broken, TABLES_PLAN + 6))
        before = execution_ids(moto)
        proc = run_cli(cli, [*INGEST, "--partition-mode", "add", "--results-bucket", moto.bucket,
                             "--athena-query-output", QUERY_OUTPUT], moto, moto.operator)
        assert proc.returncode == 1, proc.stderr
        queries = [e["Query"] for e in executions_since(moto, before)]
        assert queries[TABLES_PLAN:TABLES_PLAN + 6] == expected_alters(keys, moto.bucket, RESULTS_PREFIX)
        assert "shard_id_partition = '2'" not in queries[TABLES_PLAN]
        assert summary(proc.stdout) == summary(local.stdout)
        assert "- missing shard ids: 2" in proc.stdout.splitlines()
        assert "- shard coverage mismatch: observed 3, expected 4" in proc.stdout.splitlines()
    finally:
        upload(moto, demo_run)  # restore the complete run for the other tests


def test_msck_mode_runs_the_repairs(cli, moto, demo_run):
    upload(moto, demo_run)
    seed_results(moto, seeded_readiness(cli, demo_run, TABLES_PLAN + 10))
    before = execution_ids(moto)
    proc = run_cli(cli, [*INGEST, "--partition-mode", "msck", "--results-bucket", moto.bucket,
                         "--athena-query-output", QUERY_OUTPUT], moto, moto.operator)
    assert proc.returncode == 0, proc.stderr
    queries = [e["Query"] for e in executions_since(moto, before)]
    assert queries[TABLES_PLAN:TABLES_PLAN + 10] == [f"MSCK REPAIR TABLE ride_sim_analytics.{t.table}"
                                                     for t in TABLES + PER_SHARD_TABLES]


@pytest.mark.parametrize("args, env, message", [
    ([], {}, "--results-bucket is required for --engine athena (or set SWEEP_RESULTS_BUCKET)"),
    (["--results-bucket", "b"], {},
     "--athena-query-output is required for --engine athena (or set ATHENA_QUERY_OUTPUT)"),
    (["--results-bucket", "b/x", "--athena-query-output", QUERY_OUTPUT], {},
     "--results-bucket should be a bucket name (no slashes) unless using s3://bucket[/prefix]"),
    (["--results-bucket", "b", "--athena-query-output", QUERY_OUTPUT], {"AWS_REGION": None},
     "--region is required when AWS_REGION is not set"),
    (["--results-bucket", "b", "--athena-query-output", QUERY_OUTPUT, "--run-date", "2026-13-01"], {},
     "--run-date must be a calendar date YYYY-MM-DD"),
    (["--results-bucket", "ride-sim-results", "--athena-query-output", QUERY_OUTPUT, "--run-id", "no-such-run"], {},
     "run_date unknown; pass --run-date or make the run manifest readable"),
])
def test_argument_errors_exit_2(cli, moto, args, env, message):
    base = [a for a in INGEST if a not in ("--run-id", RUN_ID)] if "--run-id" in args else INGEST
    before = execution_ids(moto)
    proc = run_cli(cli, [*base, *args], moto, moto.operator, extra_env=env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == f"Argument error: {message}"
    if "no-such-run" not in args:
        assert execution_ids(moto) == before


def test_a_failed_query_is_an_ingest_error(cli, moto, demo_run):
    upload(moto, demo_run)
    stub = athena_stub({"sweep_trip_data ADD": [("FAILED", "HIVE_METASTORE_ERROR: partition exists")]})
    try:
        proc = run_cli(cli, [*INGEST, "--athena", "--partition-mode", "add", "--results-bucket", moto.bucket,
                             "--athena-query-output", QUERY_OUTPUT], moto, moto.operator,
                       athena_endpoint=stub.endpoint)
        assert proc.returncode == 3, proc.stderr
        assert proc.stderr.strip() == ("Ingest error: athena query failed (FAILED): "
                                       "HIVE_METASTORE_ERROR: partition exists")
        assert json.dumps(stub.started).count("ADD IF NOT EXISTS") >= 1
    finally:
        stub.close()
