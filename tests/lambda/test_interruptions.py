"""Workers interrupted or disturbed mid-shard (issue 4, "Faults and bad input"): the bootstrap killed while a
shard runs, the Lambda deadline reached mid-shard, and S3 answering 503 SlowDown / 500 / connection resets.
Each ends with every shard succeeded and the per-point objects byte-identical to an undisturbed local run."""

from __future__ import annotations

import json
import math
import os
import re
import signal
import threading
import time

from cloud_results import (PREFIX, by_blank_date, cloud_files, expected_keys, get_bytes, local_files, read_parquet,
                           run_keys, run_locally)
from e2e_support import outcome_key
from fault_proxy import INTERNAL_ERROR, RESET, SLOW_DOWN, FaultProxy
from lambda_harness import EventSourceMapping, dlq_bodies, function_env, proxy_response, request_event

DEADLINE_TIMEOUT_S = 3
DEADLINE_MARGIN_MS = 1000  # the smallest margin §8 allows


def one_shard_request(run_id: str, points: int, shard_count: int = 1) -> dict:
    """`points` points of equal cost (only the commission differs)."""
    rates = [round(0.05 + 0.001 * i, 3) for i in range(points)]
    return {"run_id": run_id, "dimensions": {"commission_rate": rates, "num_riders": [3000], "num_drivers": [600],
                                             "match_radius": [5]}, "shard_count": shard_count, "seed": 11}


def submit(function, request: dict) -> dict:
    status, _, body = proxy_response(function.invoke(request_event(request)))
    assert status == 202, body
    return json.loads(body)


def point_bytes(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in by_blank_date(files).items()
            if "dataset=shard_outcomes" not in k and "dataset=run_context" not in k}


def assert_same_points_as_local(moto, ridesweep, request: dict, tmp_path) -> None:
    code, _ = run_locally(ridesweep, request, tmp_path / "local-results")
    assert code == 0
    local = point_bytes(local_files(tmp_path / "local-results"))
    cloud = point_bytes(cloud_files(moto, request["run_id"]))
    assert sorted(cloud) == sorted(local)
    assert [k for k in cloud if cloud[k] != local[k]] == []


def effective_parameter_count(moto, run_id: str, run_date: str) -> int:
    """Committed points of the run, listing only its own effective_parameters partition: the session's bucket holds
    every earlier test's objects, and listing all of them made each look-up slow enough under load for a shard to
    finish between "3 points committed" and the kill."""
    prefix = f"{PREFIX}/dataset=effective_parameters/run_date={run_date}/run_id_partition={run_id}/"
    pages = moto.client("s3").get_paginator("list_objects_v2").paginate(Bucket=moto.bucket, Prefix=prefix)
    return sum(len(page.get("Contents", [])) for page in pages)


def test_worker_killed_mid_shard_resumes_from_committed_points(start_lambda, moto, ridesweep, tmp_path):
    # 60 points of ~0.1 s (more under load): after the third commit the kill has to land within one narrow listing,
    # while the 57 points left take several seconds even on an idle machine.
    points = 60
    request = one_shard_request("killed-run", points)
    function = start_lambda()
    accepted = submit(function, request)
    run_date = accepted["run_date"]
    mapping = EventSourceMapping(moto, function)
    (message,) = mapping.receive()

    outcome: dict = {}
    delivery = threading.Thread(target=lambda: outcome.setdefault("result", mapping.deliver([message])))
    delivery.start()
    deadline = time.monotonic() + 60
    while effective_parameter_count(moto, "killed-run", run_date) < 3:
        assert delivery.is_alive(), "the shard finished before it could be interrupted; make it longer"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    pids = function.runtime_pids()
    assert len(pids) == 1
    os.kill(pids[0], signal.SIGKILL)
    delivery.join(60)
    first = outcome["result"]
    assert first.invocation.is_function_error and first.failed_ids == first.message_ids
    committed = effective_parameter_count(moto, "killed-run", run_date)
    assert 3 <= committed < points

    # Redelivery: a new execution environment (the emulator re-inits the runtime), skipping committed points.
    (second,) = mapping.drain()
    assert second.receive_counts == [2] and second.failed_ids == []
    assert len(function.init_durations_ms()) == 2
    (completed,) = function.events("shard_completed")
    assert completed["details"]["points_skipped"] == committed
    assert completed["details"]["points_processed"] == points
    assert run_keys(moto, "killed-run") == expected_keys(run_date, "killed-run", [[0, points]], set())
    assert dlq_bodies(moto) == []
    assert_same_points_as_local(moto, ridesweep, request, tmp_path)


def test_deadline_guard_stops_before_the_deadline_and_redelivery_completes(start_lambda, moto, ridesweep,
                                                                           tmp_path):
    # Calibrate: the cost of one point through the cloud path on this machine.
    calibration = start_lambda(name="calibration")
    submit(calibration, one_shard_request("deadline-calibration", 8))
    EventSourceMapping(moto, calibration).drain()
    (done,) = calibration.events("shard_completed")
    per_point_ms = max(done["details"]["duration_ms"] / 8, 1.0)
    usable_ms = DEADLINE_TIMEOUT_S * 1000 - DEADLINE_MARGIN_MS
    points = min(max(math.ceil(1.6 * usable_ms / per_point_ms), 10), 2000)

    request = one_shard_request("deadline-run", points)
    function = start_lambda(function_env(moto, SWEEP_DEADLINE_MARGIN_MS=str(DEADLINE_MARGIN_MS)),
                            timeout_seconds=DEADLINE_TIMEOUT_S, name="deadline")
    accepted = submit(function, request)
    mapping = EventSourceMapping(moto, function)
    first = mapping.poll_once()
    # The guard stopped the shard before Lambda's deadline: a normal response listing the record, not a timeout.
    assert first is not None and not first.invocation.is_function_error, first.invocation.raw
    assert first.failed_ids == first.message_ids
    assert first.invocation.seconds < DEADLINE_TIMEOUT_S
    failure = outcome_key(accepted["run_date"], "deadline-run", "failure", 0)
    (row,) = read_parquet(get_bytes(moto, failure)).to_pylist()
    assert row["error_code"] == "timeout" and row["attempt"] == 1
    match = re.fullmatch(r"Deadline guard: stopped before point (\d+) with (\d+) ms left; (\d+) of (\d+) points "
                         r"written", row["error_message"])
    assert match, row["error_message"]
    stopped_at, left_ms, written, planned = map(int, match.groups())
    assert planned == points and 0 < written == stopped_at < points and row["points_processed"] == written
    (guard,) = function.events("deadline_guard_triggered")
    assert guard["details"]["point_index"] == stopped_at
    # The guard's own rule (remaining < M + E, E the longest point of this invocation), checked with the values it
    # decided with: no allowance for how fast this machine happens to be.
    assert guard["details"]["margin_ms"] == DEADLINE_MARGIN_MS
    assert left_ms < DEADLINE_MARGIN_MS + guard["details"]["longest_point_ms"]

    # Redeliveries resume; the shard completes within maxReceiveCount and the stale failure record is removed.
    rest = mapping.drain()
    assert rest and rest[-1].failed_ids == [] and dlq_bodies(moto) == []
    assert all(r.failed_ids == r.message_ids for r in rest[:-1])
    assert [r.receive_counts[0] for r in [first, *rest]] == list(range(1, len(rest) + 2))
    assert run_keys(moto, "deadline-run") == expected_keys(accepted["run_date"], "deadline-run", [[0, points]], set())
    (success,) = read_parquet(get_bytes(moto, outcome_key(accepted["run_date"], "deadline-run", "success",
                                                           0))).to_pylist()
    assert success["attempt"] == len(rest) + 1 and success["points_processed"] == points
    assert_same_points_as_local(moto, ridesweep, request, tmp_path)


def test_s3_throttling_errors_and_resets_are_retried(start_lambda, moto, ridesweep, tmp_path):
    faults = [SLOW_DOWN, INTERNAL_ERROR, RESET]
    attempts: dict[tuple[str, str], int] = {}

    def decide(method: str, path: str):
        # The first attempt of every write and read fails, cycling through the three faults; the retry gets
        # through (the client retries up to 5 times, §7.3).
        key = (method, path)
        attempts[key] = attempts.get(key, 0) + 1
        if attempts[key] == 1 and method in ("PUT", "GET", "HEAD", "DELETE"):
            return faults[len(attempts) % len(faults)]
        return None

    proxy = FaultProxy(moto.endpoint, decide)
    try:
        request = one_shard_request("s3-faults-run", 4, shard_count=2)
        function = start_lambda(function_env(moto, SWEEP_S3_ENDPOINT=proxy.endpoint))
        accepted = submit(function, request)
        results = EventSourceMapping(moto, function).drain()
    finally:
        proxy.close()
    assert [r.failed_ids for r in results] == [[], []]
    assert run_keys(moto, "s3-faults-run") == expected_keys(accepted["run_date"], "s3-faults-run",
                                                           [[0, 2], [2, 4]], set())
    injected = [s for s in proxy.seen if s.fault is not None]
    puts = {s.path for s in proxy.seen if s.method == "PUT" and s.fault is None and s.status == 200}
    assert {s.fault for s in injected} == {SLOW_DOWN, INTERNAL_ERROR, RESET}
    # Every object whose first PUT failed was written by a retry.
    assert {s.path for s in injected if s.method == "PUT"} <= puts
    assert len(injected) >= 4 * 4 + 2
    assert_same_points_as_local(moto, ridesweep, request, tmp_path)
