"""Run management and cancel through the real binary over a local results directory: `runs list|show|delete`,
`cancel` of a running sweep (in-flight points finish, nothing new starts, the shards left are recorded as
`cancelled` and never retried), deleting so that a corrected request can reuse its run_id, and the bad-input
cases (unknown run, an incomplete run that may still be running, a declined prompt)."""

from __future__ import annotations

import json
import subprocess
import time

import e2e_support as e2e


def _write(tmp_path, request: dict, name: str):
    path = tmp_path / name
    path.write_text(json.dumps(request))
    return path


def test_list_show_and_delete_then_reuse_the_run_id(cli, tmp_path):
    results = tmp_path / "results"
    demo = json.loads((e2e.REPO / "examples/demo-request.json").read_text())
    assert e2e.run_request(cli, e2e.REPO / "examples/demo-request.json", results).returncode == 0
    failing = e2e.run_request(cli, e2e.REPO / "examples/failure-injection-request.json", results)
    assert failing.returncode == 1

    listed = cli.run("runs", "list", "--results-dir", results, "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["run_id"]: r for r in json.loads(listed.stdout)}
    assert set(rows) == {"demo-run-001", "demo-run-002"}
    assert (rows["demo-run-001"]["state"], rows["demo-run-001"]["points_done"]) == ("complete", 8)
    assert (rows["demo-run-002"]["state"], rows["demo-run-002"]["shards_failed"]) == ("failed", 1)
    version = cli.run("--version").stdout.split()  # ridesweep 0.1.0 (git <revision>, …)
    assert rows["demo-run-001"]["version"] == version[1]
    assert rows["demo-run-001"]["git_revision"] == version[3].rstrip(",")
    table = cli.run("runs", "list", "--results-dir", results).stdout.splitlines()
    assert table[0].split()[:3] == ["RUN_ID", "DATE", "STATE"] and len(table) == 3

    shown = cli.run("runs", "show", "demo-run-001", "--results-dir", results, "--json")
    assert json.loads(json.loads(shown.stdout)["request"])["dimensions"] == demo["dimensions"]

    # A different request under a used run_id conflicts; after a delete it is accepted.
    changed = dict(demo, seed=43)
    request = _write(tmp_path, changed, "changed.json")
    assert e2e.run_request(cli, request, results).returncode == 2  # run_id_conflict
    declined = cli.run("runs", "delete", "demo-run-001", "--results-dir", results, stdin="n\n")
    assert declined.returncode == 1 and "Not deleted." in declined.stderr
    deleted = cli.run("runs", "delete", "demo-run-001", "--results-dir", results, stdin="y\n")
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout.startswith("Deleted run demo-run-001: ")
    assert not [p for p in results.rglob("*") if "demo-run-001" in str(p)]  # no file, no empty folder left
    assert len(e2e.dataset_files(results, "effective_parameters", "demo-run-002")) == 6  # the other run is intact
    assert e2e.run_request(cli, request, results).returncode == 0


def test_unknown_runs_and_incomplete_runs_are_refused(cli, tmp_path):
    results = tmp_path / "results"
    assert e2e.run_request(cli, e2e.REPO / "examples/demo-request.json", results).returncode == 0
    for args in (["runs", "delete", "nope", "--yes"], ["cancel", "nope"], ["runs", "show", "nope"]):
        proc = cli.run(*args, "--results-dir", results)
        assert proc.returncode == 3, proc.stderr
        assert f"no run 'nope' in {results}" in proc.stderr

    # A shard without an outcome makes the run incomplete: it may still be running.
    run_date = json.loads(cli.run("runs", "list", "--results-dir", results, "--json").stdout)[0]["run_date"]
    (results / e2e.outcome_key(run_date, "demo-run-001", "success", 2)).unlink()
    refused = cli.run("runs", "delete", "demo-run-001", "--yes", "--results-dir", results)
    assert refused.returncode == 2
    assert "is incomplete (1 of 4 shards have no outcome yet)" in refused.stderr
    assert "ridesweep cancel demo-run-001" in refused.stderr
    assert cli.run("runs", "delete", "demo-run-001", "--yes", "--force", "--results-dir", results).returncode == 0


def test_cancel_stops_a_running_sweep_and_its_shards_are_not_retried(cli, tmp_path):
    results = tmp_path / "results"
    request = _write(tmp_path, e2e.INTERRUPT_REQUEST, "slow.json")
    run_id = e2e.INTERRUPT_REQUEST["run_id"]
    proc = cli.popen("run", request, "--results-dir", results, "--threads", "2", stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not e2e.dataset_files(results, "effective_parameters"):
        assert proc.poll() is None, "the run ended before any point committed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    cancelled = cli.run("cancel", run_id, "--results-dir", results)
    assert cancelled.returncode == 0, cancelled.stderr
    stdout, stderr = proc.communicate(timeout=120)

    assert proc.returncode == 1, stdout + stderr
    assert "cancelled:" in stdout  # the summary's failures by error code
    committed = len(e2e.dataset_files(results, "effective_parameters"))
    assert 1 <= committed < 40
    failures = e2e.dataset_files(results, "shard_outcomes")
    assert len(failures) == 40  # every shard has an outcome: the committed ones and the cancelled ones
    shown = json.loads(cli.run("runs", "show", run_id, "--results-dir", results, "--json").stdout)
    assert shown["state"] == "cancelled" and shown["cancelled_at"]
    assert shown["points_done"] == committed

    again = cli.run("cancel", run_id, "--results-dir", results)
    assert again.returncode == 0 and "already cancelled" in again.stdout
    # A rerun of the cancelled run starts nothing new either.
    rerun = e2e.run_request(cli, request, results)
    assert rerun.returncode == 1
    assert len(e2e.dataset_files(results, "effective_parameters")) == committed
    assert cli.run("runs", "delete", run_id, "--yes", "--results-dir", results).returncode == 0  # cancelled: allowed
