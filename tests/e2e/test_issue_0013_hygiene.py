"""Issue 13, item 4: leftovers and edge states of a results directory. Temporary files of dead writers are removed
by the next run (a live writer's stay), every read command works on a read-only results directory without creating
anything, and a bad results prefix is a configuration error at start."""

from __future__ import annotations

import os
import subprocess

import pytest

import e2e_support as e2e

DEMO = e2e.EXAMPLES / "demo-request.json"


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_issue_0013_next_run_removes_temp_files_of_dead_writers_only(cli, demo_run, demo_copy):
    folder = e2e.dataset_files(demo_copy, "trip_data")[0].parent
    dead = folder / f".rs-tmp-{dead_pid()}-3"
    live = folder / f".rs-tmp-{os.getpid()}-4"  # this test's process: alive while the run looks
    for path in (dead, live):
        path.write_bytes(b"")
    rerun = e2e.run_request(cli, DEMO, demo_copy, "--threads", "2")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert not dead.exists()
    assert live.exists()


@pytest.fixture
def read_only_copy(demo_copy, tmp_path):
    """The demo results bind-mounted read-only (CI runs as root, which a chmod would not stop)."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root (CI runs as root)")
    mount = tmp_path / "read-only"
    mount.mkdir()
    subprocess.run(["mount", "--bind", str(demo_copy), str(mount)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)], check=True)
        with pytest.raises(OSError):
            (mount / "probe").write_bytes(b"")
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_issue_0013_read_commands_work_on_a_read_only_results_directory(cli, demo_run, read_only_copy, tmp_path):
    before = e2e.tree_digest(read_only_copy)
    run_id = demo_run.run_id
    status = cli.run("status", "--run-id", run_id, "--results-dir", read_only_copy)
    assert status.returncode == 0, status.stderr
    assert status.stdout.strip(), status.stdout
    query = cli.run("query", "query_run_level_profile", "--run-id", run_id, "--results-dir", read_only_copy)
    assert query.returncode == 0, query.stderr
    ingest = cli.run("ingest", "--run-id", run_id, "--results-dir", read_only_copy)
    assert ingest.returncode == 0, ingest.stderr
    report = cli.run("report", "--run-id", run_id, "--results-dir", read_only_copy, "--out", tmp_path / "r.html")
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "r.html").stat().st_size > 0
    assert e2e.tree_digest(read_only_copy) == before


def test_issue_0013_status_creates_nothing_in_the_results_directory(cli, demo_run, demo_copy):
    before = e2e.tree_digest(demo_copy)
    assert cli.run("status", "--run-id", demo_run.run_id, "--results-dir", demo_copy).returncode == 0
    assert e2e.tree_digest(demo_copy) == before
    assert not list(demo_copy.glob(".rs-tmp-*")) and not list(demo_copy.glob("probe*"))


@pytest.mark.parametrize("prefix", ["a//b", "a/../b"])
def test_issue_0013_bad_results_prefix_is_a_configuration_error_at_start(cli, tmp_path, prefix):
    env = e2e.clean_env()
    env["SWEEP_RESULTS_PREFIX"] = prefix
    proc = subprocess.run([str(cli.binary), "run", str(DEMO), "--results-dir", str(tmp_path / "results")],
                          capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert f"SWEEP_RESULTS_PREFIX '{prefix}' is invalid" in proc.stderr
    assert not (tmp_path / "results").exists() or not any((tmp_path / "results").rglob("*.parquet"))
    flag = cli.run("run", DEMO, "--results-dir", tmp_path / "flag", "--results-prefix", prefix)
    assert flag.returncode == 3
    assert f"results prefix '{prefix}' is invalid" in flag.stderr
