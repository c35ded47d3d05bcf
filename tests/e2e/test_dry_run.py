"""`ridesweep run --dry-run [--json]`: validates and plans without running the sweep or writing anything. A valid
request prints points, shards, objects and bytes per layout, the estimated wall time and the estimated cloud cost;
a rejected one gets exactly the real run's body and exit code. "Nothing written" is checked on the whole tree of
a results directory that already holds a run, and on a results directory that does not exist yet."""

from __future__ import annotations

import json

import pytest

import e2e_support as e2e
from test_bad_input import REJECTED


def test_json_plan_of_the_demo_request_writes_nothing(cli, demo_run, demo_copy, tmp_path):
    request = dict(demo_run.request, run_id="dry-demo")
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request))
    before = e2e.tree_digest(demo_copy)
    proc = cli.run("run", path, "--results-dir", demo_copy, "--dry-run", "--json", "--threads", "2")
    assert proc.returncode == 0, proc.stderr
    assert e2e.tree_digest(demo_copy) == before
    plan = json.loads(proc.stdout)
    points = demo_run.result.body["total_points"]
    shards = demo_run.result.body["shards_dispatched"]
    assert (plan["dry_run"], plan["run_id"], plan["points"], plan["shards"]) == (True, "dry-demo", points, shards)
    assert plan["layouts"]["per_point"]["objects"] == 4 * points + shards + 2
    assert plan["layouts"]["per_shard"]["objects"] == 4 * shards + shards + 2
    assert plan["calibration_points"] == 3 and plan["threads"] == 2
    assert plan["estimated_wall_seconds"] > 0
    # The demo run's real bytes: the per-point estimate is within a factor of two (three of its points measured).
    real = sum(p.stat().st_size for p in (demo_copy / e2e.PREFIX).rglob("*") if p.is_file())
    assert real / 2 < plan["layouts"]["per_point"]["bytes"] < real * 2
    assert plan["layouts"]["per_shard"]["bytes"] < plan["layouts"]["per_point"]["bytes"]
    cost = plan["layouts"]["per_point"]["cloud_cost"]
    assert cost["s3_put_requests"] == plan["layouts"]["per_point"]["objects"]
    assert cost["lambda_requests"] == shards + 1
    assert cost["total_usd"] > 0


def test_text_plan_into_a_missing_directory_creates_nothing(cli, tmp_path):
    results = tmp_path / "not-yet"
    proc = cli.run("run", e2e.EXAMPLES / "demo-request.json", "--results-dir", results, "--dry-run",
                   "--calibration-points", "1", "--price-s3-put", "0")
    assert proc.returncode == 0, proc.stderr
    assert not results.exists()
    lines = proc.stdout.splitlines()
    assert lines[0] == "Dry run of demo-run-001: nothing was run or written."
    assert lines[1].startswith("Points: ")
    assert any(line.startswith("Estimated wall time on this machine: ") for line in lines)
    assert any(line.startswith("Layout per_point: ") and "S3" in line and "PUTs $0.00" in line for line in lines)
    assert any(line.startswith("Layout per_shard: ") for line in lines)


@pytest.mark.parametrize("request_text,message", [c[1:] for c in REJECTED[::4]], ids=[c[0] for c in REJECTED[::4]])
def test_a_rejected_request_gets_the_real_runs_answer(cli, demo_copy, tmp_path, request_text, message):
    request = tmp_path / "request.json"
    request.write_text(request_text)
    before = e2e.tree_digest(demo_copy)
    dry = e2e.run_request(cli, request, demo_copy, "--dry-run")
    real = e2e.run_request(cli, request, demo_copy)
    assert (dry.returncode, dry.stdout, dry.stderr) == (real.returncode, real.stdout, real.stderr)
    assert dry.returncode == 2
    assert e2e.tree_digest(demo_copy) == before


def test_a_conflicting_run_id_is_a_409_like_the_real_run(cli, demo_run, demo_copy, tmp_path):
    path = tmp_path / "conflict.json"
    path.write_text(json.dumps(dict(demo_run.request, seed=43)))
    before = e2e.tree_digest(demo_copy)
    dry = e2e.run_request(cli, path, demo_copy, "--dry-run")
    assert dry.returncode == 2
    assert dry.body["error"] == "run_id_conflict"
    assert e2e.tree_digest(demo_copy) == before
