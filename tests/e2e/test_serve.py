"""`ridesweep serve` over real HTTP on 127.0.0.1 (spec/sweep.md §5.6, §17).

- POST /sweep-run answers 202 with the same body as `ridesweep run` for the same request (run_date aside), runs
  the sweep in the background, and GET /runs/{id} reports progress until complete; the per-point files equal the
  CLI run's byte for byte and run_context records request_source local_http.
- Resubmitting the same request is idempotent (202, nothing rewritten); the same run_id with a different request
  is 409 with the exact body and writes nothing.
- Local-only errors: 404 `No route for <METHOD> <path>`, 405 `Use POST /sweep-run`, 413 above 10 MiB (a body of
  exactly 10 MiB is accepted); validation failures are 400 with the §1 texts and write nothing.
- SIGTERM while a sweep runs (and SIGINT when idle): stop accepting, finish the points in flight, exit 0; a later
  `ridesweep run` of the same request completes it. A non-loopback bind is refused without --allow-remote.
"""

from __future__ import annotations

import http.client
import json
import pathlib
import re
import select
import signal
import subprocess
import time

import pyarrow.parquet as pq
import pytest

import e2e_support as e2e

MAX_BODY = 10 * 1024 * 1024
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+) ")


class Server:
    def __init__(self, cli: e2e.Cli, results_dir: pathlib.Path):
        self.results_dir = results_dir
        self.proc = cli.popen("serve", "--port", "0", "--results-dir", results_dir, "--threads", "2",
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self._read_line(timeout=30)
        match = LISTENING.search(line)
        assert match, f"unexpected banner: {line!r}"
        self.port = int(match.group(1))

    def _read_line(self, timeout: float) -> str:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        assert ready, "serve printed nothing"
        return self.proc.stdout.readline()

    def request(self, method: str, path: str, body: bytes | str | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body.encode() if isinstance(body, str) else body)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            conn.close()

    def post(self, body: bytes | str) -> tuple[int, dict]:
        status, headers, text = self.request("POST", "/sweep-run", body)
        assert headers.get("Content-Type") == "application/json", headers
        return status, json.loads(text)

    def wait_complete(self, run_id: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            status, _, text = self.request("GET", f"/runs/{run_id}")
            assert status in (200, 404), text
            if status == 200:
                progress = json.loads(text)
                if progress["complete"]:
                    return progress
            assert time.monotonic() < deadline, text
            time.sleep(0.05)

    def terminate(self, sig: int = signal.SIGTERM, timeout: float = 60) -> tuple[int, str]:
        self.proc.send_signal(sig)
        out, _ = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out


@pytest.fixture(scope="module")
def server(cli, tmp_path_factory):
    srv = Server(cli, tmp_path_factory.mktemp("serve") / "results")
    yield srv
    if srv.proc.poll() is None:
        code, out = srv.terminate(signal.SIGINT)
        assert code == 0
        assert out.endswith("ridesweep serve: stopping; finishing the points in flight\n")


def _small_request(run_id: str, **extra) -> dict:
    return {"run_id": run_id, "dimensions": {"num_riders": [10], "num_drivers": [3], "simulation_duration_hours": [1]},
            "shard_count": 1, **extra}


def test_post_answers_like_run_and_progress_reaches_complete(server, demo_run):
    body_text = (e2e.EXAMPLES / "demo-request.json").read_text()
    status, headers, text = server.request("POST", "/sweep-run", body_text)
    assert status == 202, text
    assert headers["Content-Type"] == "application/json"
    expected = demo_run.result.body_text
    run_date = json.loads(text)["run_date"]
    assert text == expected.replace(f'"run_date":"{demo_run.run_date}"', f'"run_date":"{run_date}"')

    progress = server.wait_complete("demo-run-001")
    assert progress == {
        "cancelled_at": None, "complete": True, "failed_shard_ids": [], "pending_shard_ids": [], "points_done": 8,
        "points_planned": 8,
        "run_date": run_date, "run_id": "demo-run-001", "shards_failed": 0, "shards_pending": 0,
        "shards_planned": 4, "shards_succeeded": 4,
    }
    status, _, raw = server.request("GET", "/runs/demo-run-001")
    assert list(json.loads(raw)) == sorted(json.loads(raw))  # sorted keys

    (context,) = e2e.dataset_files(server.results_dir, "run_context", "demo-run-001")
    assert pq.read_table(context).to_pylist()[0]["request_source"] == "local_http"
    # The module's server is shared: other tests' runs may already be in its directory, whatever the order.
    served = {k: v for k, v in e2e.dataset_digest(server.results_dir, e2e.POINT_DATASETS).items()
              if "run_id=demo-run-001/" in k or "run_id_partition=demo-run-001/" in k}
    assert len(served) == 4 * 8
    assert served == e2e.dataset_digest(demo_run.results_dir, e2e.POINT_DATASETS)

    # The same request again: a resubmission, same 202 body, committed points skipped (not rewritten).
    before = e2e.tree_digest(server.results_dir)
    inodes = {p: p.stat().st_ino for d in e2e.POINT_DATASETS for p in e2e.dataset_files(server.results_dir, d)}
    status, _, again = server.request("POST", "/sweep-run", body_text)
    assert (status, again) == (202, text)
    # The re-dispatched shards skip their points and rewrite only their success outcomes (new completed_time);
    # wait for all four so that no write is still under way when the next test looks at the directory.
    outcomes = [k for k in before
                if "dataset=shard_outcomes" in k and "=demo-run-001/" in k and k.endswith(".parquet")]
    assert len(outcomes) == 4
    deadline = time.monotonic() + 60
    while any(e2e.tree_digest(server.results_dir)[k] == before[k] for k in outcomes):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    after = e2e.tree_digest(server.results_dir)
    assert {k: v for k, v in after.items() if "dataset=shard_outcomes" not in k} == \
        {k: v for k, v in before.items() if "dataset=shard_outcomes" not in k}
    assert {p: p.stat().st_ino for p in inodes} == inodes


def test_same_run_id_with_another_request_is_a_conflict(server):
    status, accepted = server.post(json.dumps(_small_request("conflict-run")))
    assert status == 202, accepted
    server.wait_complete("conflict-run")
    before = e2e.tree_digest(server.results_dir)
    status, body = server.post(json.dumps(_small_request("conflict-run", seed=8)))
    assert status == 409
    assert body == {
        "error": "run_id_conflict", "existing_request_fingerprint": accepted["request_fingerprint"],
        "message": "run_id 'conflict-run' was already submitted with a different request",
        "run_date": accepted["run_date"],
    }
    assert e2e.tree_digest(server.results_dir) == before


@pytest.mark.parametrize("method,path,status,body", [
    ("GET", "/x", 404, {"error": "not_found", "message": "No route for GET /x"}),
    ("POST", "/x", 404, {"error": "not_found", "message": "No route for POST /x"}),
    ("GET", "/runs/no-such-run", 404, {"error": "not_found", "message": "no run 'no-such-run' in the results"}),
    ("GET", "/runs/bad'id", 400,
     {"error": "validation_error", "message": "run_id must match [A-Za-z0-9._-]{1,128}"}),
    ("GET", "/sweep-run", 405, {"error": "method_not_allowed", "message": "Use POST /sweep-run"}),
    ("PUT", "/sweep-run", 405, {"error": "method_not_allowed", "message": "Use POST /sweep-run"}),
    ("DELETE", "/sweep-run", 405, {"error": "method_not_allowed", "message": "Use POST /sweep-run"}),
])
def test_routing_errors(server, method, path, status, body):
    got_status, headers, text = server.request(method, path, "{}" if method in ("POST", "PUT") else None)
    assert got_status == status, text
    assert headers["Content-Type"] == "application/json"
    assert json.loads(text) == body
    assert text == json.dumps(body, separators=(",", ":"), sort_keys=True)


def test_body_limit_is_ten_mebibytes(server):
    exact = json.dumps(_small_request("exactly-ten-mib"))
    exact = exact + " " * (MAX_BODY - len(exact))
    assert len(exact.encode()) == MAX_BODY
    status, body = server.post(exact)
    assert status == 202, body
    server.wait_complete("exactly-ten-mib")

    before = e2e.tree_digest(server.results_dir)
    over = json.dumps(_small_request("over-ten-mib"))
    over = over + " " * (MAX_BODY + 1 - len(over))
    status, body = server.post(over)
    assert status == 413
    assert body == {"error": "payload_too_large", "message": "Request body exceeds 10485760 bytes"}
    assert e2e.tree_digest(server.results_dir) == before


@pytest.mark.parametrize("body,message", [
    ('{"run_id": ', "Malformed JSON body: EOF while parsing a value at line 1 column 11"),
    ("42", "Malformed request: invalid type: integer `42`, expected struct SweepRequest"),
    ('{"dimensions":{"num_riders":[1]},"shard_count":1}', "Malformed request: missing field `run_id`"),
    ('{"run_id":"x","dimensions":{"num_riders":[1]},"shard_count":"2"}',
     'Malformed request: invalid type: string "2", expected usize'),
    ('{"run_id":"x","dimensions":{"num_riders":[1]}}', "Either shard_count or shard_size is required"),
    ('{"run_id":"x","dimensions":{"foo":[1]},"shard_count":1}', "Unsupported dimension 'foo'"),
    ('{"run_id":"x","dimensions":{"surge_max_multiplier":[2,0.5]},"shard_count":1}',
     "Dimension 'surge_max_multiplier' value 0.5 is outside the allowed range [1, +inf)"),
    ('{"run_id":"a/b","dimensions":{"num_riders":[1]},"shard_count":1}', "run_id must match [A-Za-z0-9._-]{1,128}"),
    ('{"run_id":"x","dimensions":{"num_riders":[1,2]},"shard_size":1,"max_shards":1}',
     "Computed shard count 2 exceeds max_shards=1"),
])
def test_validation_errors_are_400_and_write_nothing(server, body, message):
    before = e2e.tree_digest(server.results_dir)
    status, answer = server.post(body)
    assert (status, answer) == (400, {"error": "validation_error", "message": message})
    assert e2e.tree_digest(server.results_dir) == before


def test_sigterm_finishes_points_in_flight_and_exits_zero(cli, tmp_path):
    srv = Server(cli, tmp_path / "results")
    status, accepted = srv.post(json.dumps(e2e.INTERRUPT_REQUEST))
    assert status == 202, accepted
    deadline = time.monotonic() + 60
    while not e2e.dataset_files(srv.results_dir, "effective_parameters"):
        assert time.monotonic() < deadline
        time.sleep(0.005)
    code, out = srv.terminate()
    assert code == 0
    assert "ridesweep serve: stopping; finishing the points in flight" in out

    # No half-written point: every point with any object has all four.
    run_date, run_id = accepted["run_date"], accepted["run_id"]
    points = {(int(e2e.partitions_of(p)["shard_id"]), int(e2e.partitions_of(p)["point_index"]))
              for p in e2e.dataset_files(srv.results_dir, "shard_metrics")}
    assert 1 <= len(points) < 40
    for shard, point in points:
        for dataset in e2e.POINT_DATASETS:
            assert (srv.results_dir / e2e.point_key(dataset, run_date, run_id, shard, point)).is_file()

    # Progress of the unfinished run, from the stored objects.
    status = cli.run("status", "--run-id", run_id, "--results-dir", srv.results_dir, "--json")
    assert status.returncode == 0, status.stderr
    progress = json.loads(status.stdout)
    assert progress["complete"] is False
    assert progress["shards_planned"] == 40 and progress["points_planned"] == 40
    assert progress["points_done"] == len(points)
    assert progress["shards_succeeded"] + progress["shards_pending"] == 40
    assert len(progress["pending_shard_ids"]) == progress["shards_pending"] > 0

    # The CLI finishes the run the server accepted (same request fingerprint: a resubmission).
    request = tmp_path / "request.json"
    request.write_text(json.dumps(e2e.INTERRUPT_REQUEST))
    rerun = e2e.run_request(cli, request, srv.results_dir, "--threads", "2")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert rerun.body["run_date"] == run_date
    assert len(e2e.dataset_files(srv.results_dir, "effective_parameters")) == 40


def test_non_loopback_bind_needs_allow_remote(cli, tmp_path):
    proc = cli.run("serve", "--bind", "0.0.0.0", "--port", "0", "--results-dir", tmp_path / "results", timeout=30)
    assert proc.returncode == 2
    assert proc.stderr == ("Error: refusing to bind 0.0.0.0: the local endpoint has no authentication; pass "
                           "--allow-remote to expose it\n")
    assert proc.stdout == ""


def test_list_runs_and_cancel_a_running_run_over_http(cli, tmp_path):
    """GET /runs lists the stored runs; DELETE /runs/{id} cancels a running run: its points in flight finish, no
    new point starts, the shards left are recorded as cancelled, and the pool goes idle long before the run
    would have finished."""
    srv = Server(cli, tmp_path / "results")
    try:
        run_id = e2e.INTERRUPT_REQUEST["run_id"]
        status, _ = srv.post(json.dumps(e2e.INTERRUPT_REQUEST))
        assert status == 202
        deadline = time.monotonic() + 60
        while not e2e.dataset_files(srv.results_dir, "effective_parameters"):
            assert time.monotonic() < deadline
            time.sleep(0.005)
        status, _, text = srv.request("GET", "/runs")
        assert status == 200, text
        assert [r["run_id"] for r in json.loads(text)] == [run_id]

        status, _, text = srv.request("DELETE", f"/runs/{run_id}")
        assert (status, json.loads(text)) == (202, {"run_id": run_id, "status": "cancel_requested"})
        # Every shard reaches an outcome (committed or cancelled) without running the rest of the sweep.
        deadline = time.monotonic() + 120
        while len(e2e.dataset_files(srv.results_dir, "shard_outcomes")) < 40:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        status, _, text = srv.request("GET", f"/runs/{run_id}")
        progress = json.loads(text)
        assert progress["cancelled_at"] and not progress["complete"]
        assert progress["points_done"] < 40 and progress["shards_failed"] == 40 - progress["shards_succeeded"]
        status, _, text = srv.request("DELETE", f"/runs/{run_id}")
        assert (status, json.loads(text)["status"]) == (200, "already_cancelled")
        status, _, text = srv.request("DELETE", "/runs/never-ran")
        assert status == 404 and json.loads(text)["error"] == "not_found"
        status, _, text = srv.request("POST", "/runs")
        assert status == 405 and json.loads(text) == {"error": "method_not_allowed", "message": "Use GET /runs"}
    finally:
        code, _ = srv.terminate(signal.SIGINT)
        assert code == 0
