"""Determinism across worker counts (spec/sweep.md §7.5, T28) and clean interruption (§17).

- The same request run with 1 worker and with 4 workers writes the same keys, and every per-point dataset file
  (and the run_context record) is byte-identical. Outcome records carry times and may differ; the manifest
  carries created_at.
- Ctrl-C (SIGINT) during a 40-shard run stops cleanly: exit 1 with an "interrupted" summary, every shard that
  finished keeps its commit marker and objects, no partial point is visible, and a rerun of the same command
  completes the rest without rewriting what was committed. The final tree equals an uninterrupted run's.
"""

from __future__ import annotations

import json
import pathlib
import signal
import subprocess
import time

import e2e_support as e2e

def _deterministic_files(results: pathlib.Path) -> dict[str, str]:
    """relative key (run_date blanked) -> SHA-256, for the datasets that must not depend on scheduling."""
    return e2e.dataset_digest(results, e2e.DETERMINISTIC_DATASETS)


def _all_keys(results: pathlib.Path) -> set[str]:
    return {e2e.without_run_date(rel) for rel, sha in e2e.tree_digest(results).items() if sha != "dir"}


def test_one_and_four_workers_write_identical_datasets(cli, demo_run, tmp_path):
    request = e2e.EXAMPLES / "demo-request.json"
    one = e2e.run_request(cli, request, tmp_path / "one", "--threads", "1", "--check")
    four = e2e.run_request(cli, request, tmp_path / "four", "--threads", "4")
    assert one.returncode == 0 and four.returncode == 0, one.stderr + four.stderr
    assert one.stdout.rstrip().endswith("Readiness check passed.")  # --check ran ridesweep ingest
    for body in (one.body, four.body):
        assert {k: v for k, v in body.items() if k != "run_date"} == \
            {k: v for k, v in demo_run.result.body.items() if k != "run_date"}

    files_one = _deterministic_files(tmp_path / "one")
    assert len(files_one) == 4 * 8 + 1
    assert files_one == _deterministic_files(tmp_path / "four")
    assert files_one == _deterministic_files(demo_run.results_dir)  # two threads
    assert _all_keys(tmp_path / "one") == _all_keys(tmp_path / "four")


def _committed_points(results: pathlib.Path) -> list[pathlib.Path]:
    return e2e.dataset_files(results, "effective_parameters")


def test_sigint_stops_cleanly_and_a_rerun_completes_identically(cli, tmp_path):
    request = tmp_path / "interrupt.json"
    request.write_text(json.dumps(e2e.INTERRUPT_REQUEST))
    results = tmp_path / "interrupted"
    proc = cli.popen("run", request, "--results-dir", results, "--threads", "2", stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not _committed_points(results):
        assert proc.poll() is None, "the run ended before any point committed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)

    # Stopped early, with exit 130 (128 + SIGINT, as a shell reports Ctrl-C) and a summary that says so.
    assert proc.returncode == 130, stdout + stderr
    assert "Interrupted: finishing the points in flight" in stderr
    assert "interrupted; rerun the same command to complete it" in stdout
    committed = _committed_points(results)
    assert 1 <= len(committed) < 40, len(committed)

    # Every committed point has all four objects; every shard with a commit marker has its point (one-point
    # shards), no failure records were written and no temporary files are left behind.
    root = e2e.results_root(results)
    body = json.loads(stdout.split("\n", 1)[0])
    run_date, run_id = body["run_date"], body["run_id"]
    successes = e2e.dataset_files(results, "shard_outcomes")
    assert len(successes) == len(committed)  # one-point shards: every finished point committed its shard
    for path in committed:
        parts = e2e.partitions_of(path)
        shard, point = int(parts["shard_id_partition"]), int(parts["point_index_partition"])
        for dataset in e2e.POINT_DATASETS:
            assert (results / e2e.point_key(dataset, run_date, run_id, shard, point)).is_file()
    for path in successes:
        shard = int(e2e.partitions_of(path)["shard_id_partition"])
        assert e2e.partitions_of(path)["status_partition"] == "success"
        assert (results / e2e.point_key("effective_parameters", run_date, run_id, shard, shard)).is_file()
    assert {p.name for p in root.rglob("*") if p.is_file()} == {"manifest.json", "part-0.parquet"}
    before = e2e.tree_digest(results)

    # The rerun completes the rest and leaves the committed objects as they were.
    rerun = e2e.run_request(cli, request, results, "--threads", "2")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert rerun.body["run_date"] == run_date  # resubmission keeps the manifest's date
    after = e2e.tree_digest(results)
    for rel, sha in before.items():
        if "/dataset=shard_outcomes/" not in "/" + rel:
            assert after[rel] == sha, rel
    assert len(_committed_points(results)) == 40
    assert len(e2e.dataset_files(results, "shard_outcomes")) == 40

    # Same datasets as a run that was never interrupted.
    clean = tmp_path / "clean"
    assert e2e.run_request(cli, request, clean, "--threads", "2").returncode == 0
    assert _deterministic_files(results) == _deterministic_files(clean)
    assert _all_keys(results) == _all_keys(clean)

    # T20: with 40 shards, the join query orders shards numerically (10 after 2, not after 1).
    joined = cli.run("query", "query_trip_snapshot_join", "--run-id", run_id, "--results-dir", results)
    assert joined.returncode == 0, joined.stderr
    shard_ids = [int(line.split(",", 1)[0]) for line in joined.stdout.splitlines()[1:]]
    assert shard_ids == list(range(40))

    status = cli.run("status", "--run-id", run_id, "--results-dir", results, "--json")
    assert status.returncode == 0, status.stderr
    progress = json.loads(status.stdout)
    assert (progress["complete"], progress["points_done"], progress["shards_succeeded"]) == (True, 40, 40)
