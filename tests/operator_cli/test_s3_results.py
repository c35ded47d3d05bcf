"""`ridesweep status | query | ingest | report | compare --results-dir s3://BUCKET[/ROOT]` against moto (authentication
on): a sweep run locally, its results directory uploaded to S3 with boto3, and every read command must print over S3
exactly what it prints over the local directory (the report's source line names the location, so the local path
is swapped for the s3:// one before comparing). The read commands use the runtime's least-privilege keys
(s3:ListBucket + s3:GetObject under the results prefix), so they need nothing the runtime role lacks. Each command
must leave no temporary copy behind."""

from __future__ import annotations

import dataclasses
import json
import pathlib
import subprocess

import pytest

from conftest import REGION, REPO, RESULTS_PREFIX, base_env

EXAMPLES = REPO / "examples"
# demo-run-003 is the demo request in the compact layout ("layout": "per_shard"), written by the stack fixture.
RUNS = {"demo-run-001": EXAMPLES / "demo-request.json", "demo-run-002": EXAMPLES / "failure-injection-request.json",
        "demo-run-003": None}
QUERIES = ["query_run_level_profile", "query_failure_diagnostics", "query_missing_shards", "query_shard_coverage",
           "query_trip_snapshot_join", "query_outcome_configuration_smoke", "query_run_readiness"]
ARCHIVE_ROOT = "archive/2026"


@dataclasses.dataclass(frozen=True)
class Stack:
    binary: pathlib.Path
    local: pathlib.Path        # the results directory the runs wrote
    bucket: str
    endpoint: str
    worker: object
    operator: object


@pytest.fixture(scope="session")
def stack(ridesweep, moto, tmp_path_factory) -> Stack:
    local = tmp_path_factory.mktemp("local") / "results"
    for run_id, request in RUNS.items():
        if request is None:
            body = json.loads((EXAMPLES / "demo-request.json").read_text()) | {"run_id": run_id, "layout": "per_shard"}
            request = local.parent / f"{run_id}.json"
            request.write_text(json.dumps(body))
        proc = subprocess.run([str(ridesweep), "run", str(request), "--results-dir", str(local), "--threads", "2"],
                              capture_output=True, text=True, env=base_env(), timeout=300)
        assert proc.returncode in (0, 1), proc.stdout + proc.stderr  # demo-run-002 has an injected failure
    s3 = moto.client("s3")  # operator keys
    files = sorted(p for p in local.rglob("*") if p.is_file())
    assert len(files) > 40
    for path in files:
        key = path.relative_to(local).as_posix()
        s3.put_object(Bucket=moto.bucket, Key=key, Body=path.read_bytes())
        s3.put_object(Bucket=moto.bucket, Key=f"{ARCHIVE_ROOT}/{key}", Body=path.read_bytes())
    return Stack(ridesweep, local, moto.bucket, moto.endpoint, moto.worker, moto.operator)


@pytest.fixture
def tmpdir_env(tmp_path) -> pathlib.Path:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return scratch


def run_local(stack: Stack, *args: str, cwd: pathlib.Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(stack.binary), *args, "--results-dir", str(stack.local)], capture_output=True,
                          text=True, env=base_env(), timeout=300, cwd=cwd)


def run_s3(stack: Stack, scratch: pathlib.Path, *args: str, location: str | None = None, keys=None,
           cwd: pathlib.Path | None = None, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    keys = keys or stack.worker
    env = base_env()
    env.update({"AWS_ACCESS_KEY_ID": keys.access_key_id, "AWS_SECRET_ACCESS_KEY": keys.secret_access_key,
                "AWS_REGION": REGION, "SWEEP_S3_ENDPOINT": stack.endpoint, "TMPDIR": str(scratch)})
    env.update(extra_env or {})
    proc = subprocess.run([str(stack.binary), *args, "--results-dir", location or f"s3://{stack.bucket}"],
                          capture_output=True, text=True, env=env, timeout=300, cwd=cwd)
    assert list(scratch.iterdir()) == [], "the temporary copy of the run was not removed"
    return proc


def same(local: subprocess.CompletedProcess, remote: subprocess.CompletedProcess, local_root: str = "",
         remote_root: str = "") -> None:
    def norm(text: str) -> str:
        return text.replace(local_root, remote_root) if local_root else text
    assert (remote.returncode, remote.stdout, remote.stderr) == (local.returncode, norm(local.stdout),
                                                                   norm(local.stderr))


@pytest.mark.parametrize("run_id", sorted(RUNS))
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_status_is_the_same(stack, tmpdir_env, run_id, json_flag):
    local = run_local(stack, "status", "--run-id", run_id, *json_flag)
    assert local.returncode == 0 and "shards" in local.stdout
    same(local, run_s3(stack, tmpdir_env, "status", "--run-id", run_id, *json_flag))


@pytest.mark.parametrize("run_id", sorted(RUNS))
@pytest.mark.parametrize("query", QUERIES)
def test_query_is_the_same(stack, tmpdir_env, run_id, query):
    local = run_local(stack, "query", query, "--run-id", run_id)
    assert local.returncode == 0, local.stderr
    assert local.stdout.count("\n") >= 1
    same(local, run_s3(stack, tmpdir_env, "query", query, "--run-id", run_id))


@pytest.mark.parametrize("run_id,exit_code", [("demo-run-001", 0), ("demo-run-002", 1), ("demo-run-003", 0)])
def test_ingest_is_the_same(stack, tmpdir_env, run_id, exit_code):
    local = run_local(stack, "ingest", "--run-id", run_id)
    assert local.returncode == exit_code, local.stderr
    same(local, run_s3(stack, tmpdir_env, "ingest", "--run-id", run_id))


def test_ingest_with_run_date_override_is_the_same(stack, tmpdir_env):
    args = ("ingest", "--run-id", "demo-run-001", "--run-date", "2001-01-01")
    local = run_local(stack, *args)
    assert "- run_date: 2001-01-01" in local.stdout, local.stdout + local.stderr
    same(local, run_s3(stack, tmpdir_env, *args))


@pytest.mark.parametrize("output", [[], ["--json"], ["--format", "csv"]])
def test_compare_is_the_same(stack, tmpdir_env, output):
    # The same grid and seed, one shard of the second run failed: 6 of 8 configurations match, all differences 0.
    args = ("compare", "demo-run-001", "demo-run-002", *output)
    local = run_local(stack, *args)
    assert local.returncode == 0, local.stderr
    expected = {(): "6 configurations matched", ("--json",): '"matched":6',
                ("--format", "csv"): "\n0.2,150,conversion_rate,1,"}
    assert expected[tuple(output)] in local.stdout, local.stdout
    same(local, run_s3(stack, tmpdir_env, *args))


def test_compare_page_is_the_same(stack, tmpdir_env, tmp_path):
    local = run_local(stack, "compare", "demo-run-001", "demo-run-002", "--html", "local.html", cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    remote = run_s3(stack, tmpdir_env, "compare", "demo-run-001", "demo-run-002", "--html", "remote.html", cwd=tmp_path)
    assert remote.returncode == 0, remote.stderr
    assert (tmp_path / "remote.html").read_text() == (tmp_path / "local.html").read_text()


def test_compare_of_an_unknown_run_is_the_same(stack, tmpdir_env):
    local = run_local(stack, "compare", "demo-run-001", "no-such-run")
    remote = run_s3(stack, tmpdir_env, "compare", "demo-run-001", "no-such-run")
    assert local.returncode == remote.returncode == 1
    assert remote.stderr.startswith("Error: no run 'no-such-run' in the results under s3://"), remote.stderr


@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_report_is_the_same(stack, tmpdir_env, tmp_path, run_id):
    local = run_local(stack, "report", "--run-id", run_id, "--out", "report.html", cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    local_html = (tmp_path / "report.html").read_text()
    (tmp_path / "report.html").unlink()
    remote = run_s3(stack, tmpdir_env, "report", "--run-id", run_id, "--out", "report.html", cwd=tmp_path)
    remote_html = (tmp_path / "report.html").read_text()
    same(local, remote)
    local_root = f"{stack.local}/{RESULTS_PREFIX}"
    remote_root = f"s3://{stack.bucket}/{RESULTS_PREFIX}"
    assert local_root in local_html and remote_root in remote_html
    assert str(tmpdir_env) not in remote_html
    assert remote_html == local_html.replace(local_root, remote_root)


def test_a_key_root_inside_the_bucket(stack, tmpdir_env, tmp_path):
    location = f"s3://{stack.bucket}/{ARCHIVE_ROOT}/"
    for args in (["status", "--run-id", "demo-run-002"], ["query", "query_failure_diagnostics", "--run-id",
                                                         "demo-run-002"], ["ingest", "--run-id", "demo-run-002"]):
        same(run_local(stack, *args), run_s3(stack, tmpdir_env, *args, location=location, keys=stack.operator))


def test_the_runtime_keys_cannot_read_outside_the_results_prefix(stack, tmpdir_env):
    location = f"s3://{stack.bucket}/{ARCHIVE_ROOT}"
    proc = run_s3(stack, tmpdir_env, "query", "query_run_level_profile", "--run-id", "demo-run-001",
                  location=location)
    assert proc.returncode == 3
    assert proc.stderr.startswith(f"Error: cannot read results at {location}: S3 ")
    assert "403 AccessDenied" in proc.stderr
    proc = run_s3(stack, tmpdir_env, "status", "--run-id", "demo-run-001", location=location)
    assert proc.returncode == 3 and "403 AccessDenied" in proc.stderr


def test_an_unknown_run_reads_like_an_unknown_local_run(stack, tmpdir_env, tmp_path):
    for args in (["status", "--run-id", "no-such-run"], ["ingest", "--run-id", "no-such-run"]):
        local = run_local(stack, *args)
        assert local.returncode != 0
        same(local, run_s3(stack, tmpdir_env, *args))
    # query names the run and the results location: exit 3 on both.
    args = ["query", "query_run_level_profile", "--run-id", "no-such-run"]
    local, remote = run_local(stack, *args), run_s3(stack, tmpdir_env, *args)
    assert local.returncode == 3
    same(local, remote, f"{stack.local}/{RESULTS_PREFIX}", f"s3://{stack.bucket}/{RESULTS_PREFIX}")
    assert remote.stderr == f"Error: no run 'no-such-run' in s3://{stack.bucket}/{RESULTS_PREFIX}\n"
    local = run_local(stack, "report", "--run-id", "no-such-run", cwd=tmp_path)
    remote = run_s3(stack, tmpdir_env, "report", "--run-id", "no-such-run", cwd=tmp_path)
    assert local.returncode == 1
    same(local, remote, f"{stack.local}/{RESULTS_PREFIX}", f"s3://{stack.bucket}/{RESULTS_PREFIX}")
    assert f"no run 'no-such-run' in the results under s3://{stack.bucket}/{RESULTS_PREFIX}" in remote.stderr


def test_a_missing_bucket(stack, tmpdir_env):
    location = "s3://no-such-bucket"
    proc = run_s3(stack, tmpdir_env, "query", "query_run_level_profile", "--run-id", "demo-run-001",
                  location=location, keys=stack.operator)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"Error: cannot read results at {location}: ") and "NoSuchBucket" in proc.stderr
    proc = run_s3(stack, tmpdir_env, "ingest", "--run-id", "demo-run-001", location=location, keys=stack.operator)
    assert proc.returncode == 2 and proc.stderr.startswith("Argument error: cannot read results at ")
    proc = run_s3(stack, tmpdir_env, "report", "--run-id", "demo-run-001", location=location, keys=stack.operator)
    assert proc.returncode == 2 and "NoSuchBucket" in proc.stderr
    proc = run_s3(stack, tmpdir_env, "status", "--run-id", "demo-run-001", location=location, keys=stack.operator)
    assert proc.returncode == 3 and "NoSuchBucket" in proc.stderr


def test_missing_credentials(stack, tmpdir_env):
    env = {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}
    proc = run_s3(stack, tmpdir_env, "status", "--run-id", "demo-run-001", extra_env=env)
    assert proc.returncode == 3
    assert "AWS credentials not found" in proc.stderr
    proc = run_s3(stack, tmpdir_env, "report", "--run-id", "demo-run-001", extra_env=env)
    assert proc.returncode == 3 and "AWS credentials not found" in proc.stderr


@pytest.mark.parametrize("command", [["status", "--run-id", "x"], ["query", "query_run_level_profile", "--run-id",
                                                                     "x"], ["report", "--run-id", "x"]])
def test_a_malformed_location_is_an_argument_error(stack, tmpdir_env, command):
    proc = run_s3(stack, tmpdir_env, *command, location="s3:///prefix")
    assert proc.returncode == 2
    assert "invalid S3 results location 's3:///prefix': expected s3://BUCKET[/PREFIX]" in proc.stderr


def test_writers_refuse_s3_locations(stack, tmpdir_env):
    proc = run_s3(stack, tmpdir_env, "run", str(RUNS["demo-run-001"]))
    assert proc.returncode == 3
    assert f"results in S3 ('s3://{stack.bucket}') are read-only here" in proc.stderr


def test_runs_list_and_delete_over_s3(stack, moto, tmpdir_env):
    """`runs list` over s3:// prints what it prints locally; `runs delete` removes exactly one run's objects (batched
    DeleteObjects) and leaves the other run alone. The copy lives under its own root, so no other test sees it."""
    root = "deletable"
    s3 = moto.client("s3")
    for path in sorted(p for p in stack.local.rglob("*") if p.is_file()):
        s3.put_object(Bucket=stack.bucket, Key=f"{root}/{path.relative_to(stack.local).as_posix()}",
                      Body=path.read_bytes())
    location = f"s3://{stack.bucket}/{root}"
    # Outside the runtime policy's prefix and with deletes (s3:DeleteObject, which the operator policy leaves out):
    # the all-allowed keys here.
    same(run_local(stack, "runs", "list", "--json"), run_s3(stack, tmpdir_env, "runs", "list", "--json",
                                                           location=location, keys=stack.operator))
    deleted = run_s3(stack, tmpdir_env, "runs", "delete", "demo-run-002", "--yes", location=location,
                     keys=stack.operator)
    assert deleted.returncode == 0, deleted.stderr
    paginator = s3.get_paginator("list_objects_v2")
    keys = [o["Key"] for page in paginator.paginate(Bucket=stack.bucket, Prefix=f"{root}/")
            for o in page.get("Contents", [])]
    assert not [k for k in keys if "demo-run-002" in k]
    assert len([k for k in keys if "demo-run-001" in k]) == len(
        [p for p in stack.local.rglob("*") if p.is_file() and "demo-run-001" in str(p)])
    assert deleted.stdout == (f"Deleted run demo-run-002: "
                              f"{len([p for p in stack.local.rglob('*') if p.is_file() and 'demo-run-002' in str(p)])}"
                              " objects.\n")
    # The compact run's objects (dataset=<name>_per_shard trees) go too.
    compact = run_s3(stack, tmpdir_env, "runs", "delete", "demo-run-003", "--yes", location=location,
                     keys=stack.operator)
    assert compact.returncode == 0, compact.stderr
    assert compact.stdout == (f"Deleted run demo-run-003: "
                              f"{len([p for p in stack.local.rglob('*') if p.is_file() and 'demo-run-003' in str(p)])}"
                              " objects.\n")
    keys = [o["Key"] for page in paginator.paginate(Bucket=stack.bucket, Prefix=f"{root}/")
            for o in page.get("Contents", [])]
    assert not [k for k in keys if "demo-run-003" in k]
