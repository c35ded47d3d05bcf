"""Issue 13, item 3: completeness of committed points. `ridesweep ingest` fails ("missing data", exit 1) when a
committed point lacks one of its objects, and rerunning the sweep repairs it: `ridesweep run` re-creates the
missing objects of the points it would skip, `ridesweep run --verify` also rewrites damaged ones, and the repaired
results are byte-identical to a clean run."""

from __future__ import annotations

import pytest

import e2e_support as e2e

DEMO = e2e.EXAMPLES / "demo-request.json"
MISSING = "committed point(s) lack shard_metrics, trip_data or snapshot_counts objects (rerun the sweep to repair)"


def ingest(cli, results, run_id):
    return cli.run("ingest", "--run-id", run_id, "--results-dir", results)


def point_file(results, dataset, run_date, run_id, shard_id, point_index):
    return results / e2e.point_key(dataset, run_date, run_id, shard_id, point_index)


@pytest.mark.parametrize("dataset", ["trip_data", "snapshot_counts"])
def test_issue_0013_ingest_fails_when_one_committed_point_lacks_an_object(cli, demo_run, demo_copy, dataset):
    point_file(demo_copy, dataset, demo_run.run_date, demo_run.run_id, 0, 1).unlink()
    proc = ingest(cli, demo_copy, demo_run.run_id)
    assert proc.returncode == 1, proc.stderr
    assert f"- missing data: 1 {MISSING}" in proc.stdout.splitlines()  # the report is on stdout


def test_issue_0013_rerun_recreates_missing_objects_and_verify_rewrites_damaged_ones(cli, demo_run, demo_copy):
    clean = e2e.dataset_digest(demo_run.results_dir, e2e.DETERMINISTIC_DATASETS)
    missing = point_file(demo_copy, "trip_data", demo_run.run_date, demo_run.run_id, 0, 1)
    missing.unlink()
    damaged = point_file(demo_copy, "snapshot_counts", demo_run.run_date, demo_run.run_id, 2, 5)
    damaged.write_bytes(damaged.read_bytes()[:40])  # truncated: not readable Parquet any more

    rerun = e2e.run_request(cli, DEMO, demo_copy, "--threads", "2")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "shards: 4/4 succeeded" in rerun.stdout
    assert missing.is_file(), "the rerun re-creates a committed point's missing object"
    assert '"event":"committed_point_repaired"' in rerun.stderr
    repaired = e2e.dataset_digest(demo_copy, e2e.DETERMINISTIC_DATASETS)
    rel_damaged = e2e.without_run_date(damaged.relative_to(demo_copy).as_posix())
    # Existence is all a plain rerun checks: the damaged object is still damaged, everything else is clean.
    assert {k: v for k, v in repaired.items() if k != rel_damaged} == {k: v for k, v in clean.items()
                                                                       if k != rel_damaged}
    assert repaired[rel_damaged] != clean[rel_damaged]

    verified = e2e.run_request(cli, DEMO, demo_copy, "--threads", "2", "--verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert e2e.dataset_digest(demo_copy, e2e.DETERMINISTIC_DATASETS) == clean
    assert ingest(cli, demo_copy, demo_run.run_id).returncode == 0

    # A verified run over intact results rewrites nothing.
    before = {p: p.stat().st_mtime_ns for p in e2e.results_root(demo_copy).rglob("part-0.parquet")
              if "/dataset=shard_outcomes/" not in p.as_posix() and "/dataset=run_context/" not in p.as_posix()}
    again = e2e.run_request(cli, DEMO, demo_copy, "--threads", "2", "--verify")
    assert again.returncode == 0
    assert "committed_point_repaired" not in again.stderr
    assert {p: p.stat().st_mtime_ns for p in before} == before
