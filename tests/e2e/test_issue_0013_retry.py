"""Issue 13, item 1: `ridesweep run` on its own retry path. A shard attempt that committed points and then failed
(the deadline guard of `--shard-timeout-seconds`, or a full disk) is retried; the retry skips the committed points.
Those skips used to be counted as done again, the progress count passed the total and the bar threw
(`basic_string::_M_create`, exit 3, no summary). Here both paths run end to end: the progress never passes the
total, the summary is printed with the exit code it states, and a rerun leaves bytes identical to a clean run."""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess

import pytest

import e2e_support as e2e

PROGRESS = re.compile(r"\] (\d+)/(\d+) points")
# Datasets whose bytes do not depend on attempts or timing (shard_outcomes record attempts and times).
COMPARED = e2e.DETERMINISTIC_DATASETS


def write_request(path: pathlib.Path, request: dict) -> pathlib.Path:
    path.write_text(json.dumps(request))
    return path


def assert_progress_within_total(stderr: str) -> None:
    counts = [(int(done), int(total)) for done, total in PROGRESS.findall(stderr)]
    assert counts, stderr
    assert all(done <= total for done, total in counts), counts
    assert "_M_create" not in stderr and "Error:" not in stderr, stderr


def summary_lines(stdout: str) -> list[str]:
    """The summary up to its "Next:" commands (which name the results directory), without the 202 body and the
    wall-time line: what a clean and a recovered run must share."""
    lines = stdout.splitlines()[1:]
    lines = lines[:lines.index("Next:")] if "Next:" in lines else lines
    return [line for line in lines if "wall time" not in line]


def run(cli: e2e.Cli, request: pathlib.Path, results: pathlib.Path, *extra: str,
        margin_ms: int | None = None) -> subprocess.CompletedProcess:
    env = e2e.clean_env()
    if margin_ms is not None:
        env["SWEEP_DEADLINE_MARGIN_MS"] = str(margin_ms)
    return subprocess.run([str(cli.binary), "run", str(request), "--results-dir", str(results), *extra],
                          capture_output=True, text=True, timeout=300, env=env)


def assert_like_clean_run(cli: e2e.Cli, request: pathlib.Path, recovered: pathlib.Path, tmp_path: pathlib.Path,
                          total_points: int) -> None:
    """Reruns `request` over `recovered` (completing what is missing) and compares it with a clean run."""
    rerun = run(cli, request, recovered, "--threads", "2")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert_progress_within_total(rerun.stderr)
    clean = run(cli, request, tmp_path / "clean", "--threads", "2")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "shards: 1/1 succeeded, 0 failed" in clean.stdout
    assert f"points: {total_points}/{total_points} succeeded" in clean.stdout
    assert summary_lines(rerun.stdout) == summary_lines(clean.stdout)
    recovered_bytes = e2e.dataset_digest(recovered, COMPARED)
    assert len([k for k in recovered_bytes if "/dataset=effective_parameters/" in k]) == total_points
    assert recovered_bytes == e2e.dataset_digest(tmp_path / "clean", COMPARED)


# 120 points of ~0.07-0.1 s CPU each on one thread (more on a loaded machine) against a 3 s deadline with the
# minimum 1 s margin: an attempt has 2 s, so it writes about 20-30 of them and no attempt can write all 120 unless
# the machine is four times faster than the one CI runs on (a 24-point version of this test finished in 1.8 s there
# and never timed out). The attempts after the first start by skipping the points committed before. A point may
# take up to 1.5 s (the guard cancels it at M / 2 = 0.5 s before the deadline) and still commit, so even on a machine
# loaded ten times over some attempt commits a point.
DEADLINE_REQUEST = {
    "run_id": "issue-0013-deadline",
    "dimensions": {"num_riders": [8000, 8200, 8400, 8600, 8800], "num_drivers": [1600, 1800], "match_radius": [3, 5],
                   "commission_rate": [0.1, 0.12, 0.14, 0.16, 0.18, 0.2]},
    "shard_count": 1,
    "seed": 5,
}
DEADLINE_POINTS = 120


def test_issue_0013_deadline_guard_retry_counts_points_once_and_prints_the_summary(cli, tmp_path):
    request = write_request(tmp_path / "request.json", DEADLINE_REQUEST)
    results = tmp_path / "timed"
    # Three attempts at most (retry delays 1 s and 2 s): the shard may finish or be dead-lettered depending on the
    # machine's speed; either way the retries ran after committed points, which is what crashed.
    proc = run(cli, request, results, "--threads", "1", "--shard-timeout-seconds", "3", "--max-attempts", "3",
               margin_ms=1000)
    assert_progress_within_total(proc.stderr)
    # "N of 120 points written" of each timed-out attempt, in attempt order: some attempt after one that had
    # committed points ran (a later timed-out attempt, or the final successful one).
    failed_lines = "\n".join(line for line in proc.stderr.splitlines() if '"event":"shard_failed"' in line)
    written = [int(n) for n in re.findall(r"Deadline guard: (?:stopped before|cancelled) point \d+ with -?\d+ ms "
                                          rf"left; (\d+) of {DEADLINE_POINTS} points written", failed_lines)]
    retried = written[:-1] if proc.returncode != 0 else written
    assert any(n > 0 for n in retried), proc.stderr
    committed = len(e2e.dataset_files(results, "effective_parameters"))
    if proc.returncode == 0:
        assert "shards: 1/1 succeeded, 0 failed" in proc.stdout, proc.stdout
        assert f"points: {DEADLINE_POINTS}/{DEADLINE_POINTS} succeeded" in proc.stdout
        assert committed == DEADLINE_POINTS
    else:
        assert proc.returncode == 1, proc.stdout + proc.stderr
        # The last attempt's timeout is recorded (a failed shard) and the message dead-lettered.
        assert "shards: 0/1 succeeded, 1 failed (1 dead-lettered)" in proc.stdout, proc.stdout
        assert "timeout:" in proc.stdout  # the recorded failures, by error code
        assert 0 < committed < DEADLINE_POINTS
    assert_like_clean_run(cli, request, results, tmp_path, DEADLINE_POINTS)


# 8 points of a few KB each; a 128 KiB results file system holds the manifest and about 5 of them.
DISK_FULL_REQUEST = {
    "run_id": "issue-0013-disk-full",
    "dimensions": {"num_riders": [800], "num_drivers": [200],
                   "commission_rate": [0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.24]},
    "shard_count": 1,
    "seed": 5,
}


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 128 KiB tmpfs (CI runs as root), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a size-limited tmpfs needs root (CI runs as root)")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_issue_0013_disk_full_retries_dead_letter_with_a_summary_and_a_rerun_repairs(cli, tmp_path, small_tmpfs):
    request = write_request(tmp_path / "request.json", DISK_FULL_REQUEST)
    results = small_tmpfs / "results"
    proc = run(cli, request, results, "--threads", "1", "--max-attempts", "3")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert_progress_within_total(proc.stderr)
    assert "No space left on device" in proc.stderr
    assert "points: 0/8 succeeded" in proc.stdout
    # Whether the failure record itself still fitted depends on how full the disk got; the summary says which, and
    # gives the reason either way.
    recorded = bool(e2e.dataset_files(results, "shard_outcomes"))
    assert f"shards: 0/1 succeeded, {1 if recorded else 0} failed (1 dead-lettered)" in proc.stdout, proc.stdout
    unrecorded_note = r" \(no failure record could be written\)" if not recorded else ""
    assert re.search(r"shard 0 after 3 attempts, storage_error: .*No space left on device.*" + unrecorded_note,
                     proc.stdout), proc.stdout
    committed = len(e2e.dataset_files(results, "effective_parameters"))
    assert 0 < committed < 8, committed
    assert not list(results.rglob(".rs-tmp-*")), "a failed write must not leave its temporary file"
    # Space comes back (the operator frees the disk); rerunning the same command completes the run.
    subprocess.run(["mount", "-o", "remount,size=16m", str(small_tmpfs)], check=True)
    assert_like_clean_run(cli, request, results, tmp_path, 8)
