"""`ridesweep run --shard-timeout-seconds`: the deadline guard of spec/sweep.md §7.4 applied to local shard attempts."""
import os
import pathlib
import subprocess

import e2e_support as e2e

REPO = pathlib.Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo-request.json"


def run_with_margin(cli: e2e.Cli, results: pathlib.Path, margin_ms: int, *extra: str) -> subprocess.CompletedProcess:
    env = e2e.clean_env()
    env["SWEEP_DEADLINE_MARGIN_MS"] = str(margin_ms)
    return subprocess.run([str(cli.binary), "run", str(DEMO), "--results-dir", str(results), *extra],
                          capture_output=True, text=True, timeout=120, env=env)


def test_deadline_too_close_records_timeouts_and_dead_letters(cli, tmp_path):
    # A 1 s deadline with a 1 s margin leaves no time for any point: every attempt stops before its first point.
    proc = run_with_margin(cli, tmp_path, 1000, "--shard-timeout-seconds", "1", "--max-attempts", "2")
    assert proc.returncode == 1, proc.stderr
    assert "Deadline guard: stopped before point" in proc.stderr
    assert "timeout: 4 occurrence(s)" in proc.stdout
    assert "shards: 0/4 succeeded" in proc.stdout
    assert not e2e.dataset_files(tmp_path, "effective_parameters"), "no point may be committed"


def test_generous_deadline_changes_nothing(cli, tmp_path):
    proc = run_with_margin(cli, tmp_path / "timed", 1000, "--shard-timeout-seconds", "60")
    assert proc.returncode == 0, proc.stderr
    plain = e2e.run_request(cli, DEMO, tmp_path / "plain")
    assert plain.returncode == 0
    datasets = ("shard_metrics", "trip_data", "snapshot_counts", "effective_parameters")
    assert e2e.dataset_digest(tmp_path / "timed", datasets) == e2e.dataset_digest(tmp_path / "plain", datasets)


def test_bad_margin_is_a_configuration_error(cli, tmp_path):
    proc = run_with_margin(cli, tmp_path, 5, "--shard-timeout-seconds", "60")
    assert proc.returncode == 3
    assert "SWEEP_DEADLINE_MARGIN_MS must be an integer between 1000 and 300000" in proc.stderr
    assert not os.path.exists(tmp_path / e2e.PREFIX)
