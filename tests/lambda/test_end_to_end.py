"""The runbook's demo requests through the whole cloud path: API Gateway proxy event → bootstrap (accept, run
context, dispatch to moto SQS) → 202 → the event source mapping drains the queue through the same bootstrap →
Parquet in moto's S3, compared key by key with the spec and row by row with a local `ridesweep run`."""

from __future__ import annotations

import json

import pytest

from cloud_results import (assert_athena_schema, by_blank_date, cloud_files, expected_keys, get_bytes, local_files, read_parquet,
                           rows_by_key, run_keys, run_locally)
from e2e_support import EXAMPLES, POINT_DATASETS, REPO, RFC3339_MICROS, outcome_key
from lambda_harness import (EventSourceMapping, dlq_bodies, function_env, proxy_response, queue_depth,
                            request_event)

# §5.6: the 202 body's fields, in order.
ACCEPTED_FIELDS = ["run_id", "total_points", "shards_dispatched", "dispatches", "status", "schema_version",
                   "run_date", "request_fingerprint", "config_fingerprint", "shard_ranges"]


def submit_and_drain(start_lambda, moto, request: dict) -> tuple[dict, str, EventSourceMapping]:
    function = start_lambda()
    status, _, body = proxy_response(function.invoke(request_event(request)))
    assert status == 202, body
    mapping = EventSourceMapping(moto, function)
    mapping.drain()
    return json.loads(body), body, mapping


@pytest.fixture(scope="module")
def local_runs(ridesweep, tmp_path_factory) -> dict[str, tuple[int, str, dict[str, bytes]]]:
    """Both example requests run locally once: run_id -> (exit code, 202 line, files)."""
    out = {}
    for name in ("demo-request.json", "failure-injection-request.json"):
        request = json.loads((EXAMPLES / name).read_text())
        results = tmp_path_factory.mktemp("local") / "results"
        code, line = run_locally(ridesweep, request, results)
        out[request["run_id"]] = (code, line, local_files(results))
    return out


@pytest.mark.parametrize("example", ["demo-request.json", "failure-injection-request.json"])
def test_demo_request_end_to_end_matches_local_run(example, start_lambda, moto, local_runs):
    request = json.loads((EXAMPLES / example).read_text())
    run_id = request["run_id"]
    injected = set(request.get("failure_injection_shards", []))
    accepted, body_text, mapping = submit_and_drain(start_lambda, moto, request)

    # 202 exactly as §5.6: field order, synthetic per-shard 202s, and byte-identical to the local accept path
    # (same contract code) apart from the acceptance date.
    assert list(accepted) == ACCEPTED_FIELDS
    assert accepted["dispatches"] == [{"shard_id": s, "status_code": 202} for s in range(4)]
    assert (accepted["total_points"], accepted["shards_dispatched"], accepted["status"],
            accepted["schema_version"]) == (8, 4, "dispatch_submitted", "v1")
    assert accepted["shard_ranges"] == [[0, 2], [2, 4], [4, 6], [6, 8]]
    local_code, local_line, local = local_runs[run_id]
    assert json.loads(local_line) | {"run_date": accepted["run_date"]} == accepted
    assert local_code == (1 if injected else 0)

    # Each shard was delivered exactly once: succeeded shards and the injected (permanent) failure are
    # acknowledged, so nothing is listed, retried or dead-lettered.
    assert sorted(r.receive_counts[0] for r in mapping.results) == [1, 1, 1, 1]
    assert all(r.failed_ids == [] for r in mapping.results)
    assert queue_depth(mapping.sqs, moto.queue_url) == 0 and dlq_bodies(moto) == []

    # Every object under the exact §10.1 keys, nothing else.
    run_date = accepted["run_date"]
    assert run_keys(moto, run_id) == expected_keys(run_date, run_id, accepted["shard_ranges"], injected)
    files = cloud_files(moto, run_id)
    for key, data in files.items():
        assert_athena_schema(key, read_parquet(data))

    # The run's status is complete: every shard ended succeeded or failed-with-reason, and the manifest is the
    # accepted request.
    for shard_id in range(4):
        status = "failure" if shard_id in injected else "success"
        (row,) = read_parquet(files[outcome_key(run_date, run_id, status, shard_id)]).to_pylist()
        assert row["status"] == status and row["attempt"] == 1
        assert RFC3339_MICROS.match(row["event_time"]) and RFC3339_MICROS.match(row["completed_time"])
        if status == "failure":
            assert (row["error_code"], row["error_message"]) == ("injected_failure",
                                                                 "Injected shard failure for verification")
    manifest = json.loads(get_bytes(moto, f"serverless-sweeps/outcomes/runs/run_id={run_id}/manifest.json"))
    assert manifest["request_fingerprint"] == accepted["request_fingerprint"]
    assert manifest["request_source"] == "api_gateway"

    # Local vs cloud: the same keys and the same rows (wall-clock columns aside, cloud_results.WALL_CLOCK_COLUMNS);
    # the per-point datasets are byte-identical (§7.5 determinism: same build, same inputs).
    cloud_rows, local_rows = rows_by_key(files), rows_by_key(local)
    assert sorted(cloud_rows) == sorted(local_rows)
    assert cloud_rows == local_rows
    (context,) = read_parquet(files[[k for k in files if "dataset=run_context" in k][0]]).to_pylist()
    assert context["request_source"] == "api_gateway"
    cloud_bytes, local_bytes = by_blank_date(files), by_blank_date(local)
    point_keys = [k for k in cloud_bytes if "dataset=shard_outcomes" not in k and "dataset=run_context" not in k]
    assert len(point_keys) == 4 * (8 - 2 * len(injected))
    assert all(cloud_bytes[k] == local_bytes[k] for k in point_keys)


def test_resubmission_is_idempotent_and_conflict_is_409(start_lambda, moto):
    request = {"run_id": "resubmit-run", "dimensions": {"num_riders": [300, 400], "num_drivers": [60]},
               "shard_count": 2, "seed": 7}
    accepted, _, _ = submit_and_drain(start_lambda, moto, request)
    before = {k: get_bytes(moto, k) for k in run_keys(moto, "resubmit-run")}

    function = start_lambda(name="again")
    status, _, body = proxy_response(function.invoke(request_event(request)))
    assert status == 202 and json.loads(body) == accepted
    results = EventSourceMapping(moto, function).drain()
    assert len(results) == 2 and all(r.failed_ids == [] for r in results)
    completed = function.events("shard_completed")
    assert [e["details"]["points_skipped"] for e in completed] == [1, 1]
    assert {k: get_bytes(moto, k) for k in run_keys(moto, "resubmit-run")}.keys() == before.keys()
    for key, data in before.items():
        if "dataset=shard_outcomes" not in key:
            assert get_bytes(moto, key) == data, key

    status, _, body = proxy_response(function.invoke(request_event(dict(request, seed=8))))
    assert status == 409
    conflict = json.loads(body)
    assert conflict["error"] == "run_id_conflict"
    assert conflict["message"] == "run_id 'resubmit-run' was already submitted with a different request"
    assert conflict["existing_request_fingerprint"] == accepted["request_fingerprint"]
    assert queue_depth(moto.client("sqs"), moto.queue_url) == 0


def test_point_threads_write_the_bytes_of_a_local_run(ridesweep, start_lambda, moto, tmp_path):
    """SWEEP_POINT_THREADS=2 in the packaged bootstrap: each shard's two points run on two threads with their own
    encoders; every object lands under its §10.1 key and the per-point objects are byte-identical to a local run."""
    request = json.loads((EXAMPLES / "demo-request.json").read_text()) | {"run_id": "demo-point-threads"}
    run_id = request["run_id"]
    function = start_lambda(env=function_env(moto, SWEEP_POINT_THREADS="2"))
    status, _, body = proxy_response(function.invoke(request_event(request)))
    assert status == 202, body
    mapping = EventSourceMapping(moto, function)
    mapping.drain()
    assert all(r.failed_ids == [] for r in mapping.results)
    assert queue_depth(mapping.sqs, moto.queue_url) == 0 and dlq_bodies(moto) == []
    accepted = json.loads(body)
    assert run_keys(moto, run_id) == expected_keys(accepted["run_date"], run_id, accepted["shard_ranges"], set())

    code, _ = run_locally(ridesweep, request, tmp_path / "local")
    assert code == 0
    cloud_bytes = by_blank_date(cloud_files(moto, run_id))
    local_bytes = by_blank_date(local_files(tmp_path / "local"))
    point_keys = [k for k in cloud_bytes if "dataset=shard_outcomes" not in k and "dataset=run_context" not in k]
    assert len(point_keys) == 4 * 8
    assert all(cloud_bytes[k] == local_bytes[k] for k in point_keys)


@pytest.mark.parametrize("inline_max", ["65536", "1024"])  # inline payloads, then the reference form
def test_replicated_range_request_writes_the_bytes_of_a_local_run(inline_max, ridesweep, start_lambda, moto,
                                                                 tmp_path):
    """`replications` and a range dimension through the packaged bootstrap: the shard messages carry what a worker
    needs (inline) or point at the manifest (reference form: a 1,024-byte SWEEP_INLINE_PAYLOAD_MAX_BYTES and an
    injection list of shards that do not exist, which only the inline form repeats), and every per-point object,
    config_index and replicate included, is byte-identical to a local run."""
    request = {"run_id": f"replicated-{inline_max}", "seed": 5, "replications": 3, "shard_count": 3,
               "failure_injection_shards": list(range(1000, 1300)),
               "dimensions": {"num_drivers": {"min": 20, "max": 40, "steps": 2}, "num_riders": [150],
                              "match_radius": [4]}}
    run_id = request["run_id"]
    function = start_lambda(env=function_env(moto, SWEEP_INLINE_PAYLOAD_MAX_BYTES=inline_max))
    status, _, body = proxy_response(function.invoke(request_event(request)))
    assert status == 202, body
    accepted = json.loads(body)
    assert accepted["total_points"] == 6 and accepted["shard_ranges"] == [[0, 2], [2, 4], [4, 6]]
    mapping = EventSourceMapping(moto, function)
    mapping.drain()
    assert all(r.failed_ids == [] for r in mapping.results)
    assert queue_depth(mapping.sqs, moto.queue_url) == 0 and dlq_bodies(moto) == []
    assert run_keys(moto, run_id) == expected_keys(accepted["run_date"], run_id, accepted["shard_ranges"], set())

    code, _ = run_locally(ridesweep, request, tmp_path / "local")
    assert code == 0
    files = cloud_files(moto, run_id)
    cloud_bytes = by_blank_date(files)
    local_bytes = by_blank_date(local_files(tmp_path / "local"))
    point_keys = [k for k in cloud_bytes if "dataset=shard_outcomes" not in k and "dataset=run_context" not in k]
    assert len(point_keys) == 4 * 6
    assert all(cloud_bytes[k] == local_bytes[k] for k in point_keys)
    design = sorted((row["config_index"], row["replicate"])
                    for key, data in files.items() if "dataset=effective_parameters" in key
                    for row in read_parquet(data).to_pylist())
    assert design == [(c, r) for c in range(2) for r in range(3)]


DESIGN_GOLDEN = json.loads((REPO / "tests" / "contract" / "designs.json").read_text())


@pytest.mark.parametrize("case_name, inline_max", [("sobol_three_dimensions", "65536"),
                                                   ("random_ranges_log_and_levels", "1024"),
                                                   ("latin_hypercube_lhs_study_example", "65536")])
def test_design_request_writes_the_golden_points_and_the_bytes_of_a_local_run(case_name, inline_max, ridesweep,
                                                                              start_lambda, moto, tmp_path):
    """A sampling design through the packaged bootstrap, in the inline form (the design and its range dimensions
    travel in each shard message) and the reference form (the worker reads them from the run manifest): the
    points resolve to the golden values of tests/contract/designs.json, and every per-point object is
    byte-identical to a local run of the same request."""
    case = next(c for c in DESIGN_GOLDEN["cases"] if c["name"] == case_name)
    request = dict(json.loads(case["input_request_text"]), run_id=f"design-{case_name}-{inline_max}",
                   failure_injection_shards=list(range(1000, 1300)))
    run_id = request["run_id"]
    function = start_lambda(env=function_env(moto, SWEEP_INLINE_PAYLOAD_MAX_BYTES=inline_max))
    status, _, body = proxy_response(function.invoke(request_event(request)))
    assert status == 202, body
    accepted = json.loads(body)
    samples = request["design"]["samples"]
    assert accepted["total_points"] == samples * request.get("replications", 1)
    mapping = EventSourceMapping(moto, function)
    mapping.drain()
    assert all(r.failed_ids == [] for r in mapping.results)
    assert queue_depth(mapping.sqs, moto.queue_url) == 0 and dlq_bodies(moto) == []
    assert run_keys(moto, run_id) == expected_keys(accepted["run_date"], run_id, accepted["shard_ranges"], set())

    files = cloud_files(moto, run_id)
    rows = {row["point_index"]: row for key, data in files.items() if "dataset=effective_parameters" in key
            for row in read_parquet(data).to_pylist()}
    assert len(rows) == accepted["total_points"]
    for expected in case["expected_points"]:
        row = rows[expected["point_index"]]
        assert row["config_index"] == expected["config_index"]
        assert json.loads(row["effective_parameters_json"])["selected_dimensions"] == expected["selected_dimensions"]

    code, _ = run_locally(ridesweep, request, tmp_path / "local")
    assert code == 0
    cloud_bytes = by_blank_date(files)
    local_bytes = by_blank_date(local_files(tmp_path / "local"))
    point_keys = [k for k in cloud_bytes if "dataset=shard_outcomes" not in k and "dataset=run_context" not in k]
    assert len(point_keys) == 4 * accepted["total_points"]
    assert all(cloud_bytes[k] == local_bytes[k] for k in point_keys)


def _per_shard_key(dataset: str, run_date: str, run_id: str, shard_id: int) -> str:
    """The compact layout's key of one dataset of one shard (docs/formats/s3_layout.md), written out here."""
    if dataset == "effective_parameters":
        return (f"serverless-sweeps/outcomes/dataset={dataset}_per_shard/run_date={run_date}/run_id_partition={run_id}/"
                f"status_partition=success/shard_id_partition={shard_id}/part-0.parquet")
    return (f"serverless-sweeps/outcomes/dataset={dataset}_per_shard/run_date={run_date}/run_id={run_id}/"
            f"status=success/shard_id={shard_id}/part-0.parquet")


@pytest.mark.parametrize("inline_max", ["65536", "1024"])  # inline payloads, then the reference form
def test_per_shard_layout_writes_the_bytes_of_a_local_run(inline_max, ridesweep, start_lambda, moto, tmp_path):
    """`"layout": "per_shard"` through the packaged bootstrap with two point threads: one object per dataset per
    shard and the outcome, nothing per point, every shard object byte-identical to a local run's."""
    request = json.loads((EXAMPLES / "demo-request.json").read_text()) | {
        "run_id": f"demo-per-shard-{inline_max}", "layout": "per_shard"}
    run_id = request["run_id"]
    function = start_lambda(env=function_env(moto, SWEEP_POINT_THREADS="2", SWEEP_INLINE_PAYLOAD_MAX_BYTES=inline_max))
    status, _, body = proxy_response(function.invoke(request_event(request)))
    assert status == 202, body
    mapping = EventSourceMapping(moto, function)
    mapping.drain()
    assert all(r.failed_ids == [] for r in mapping.results)
    assert queue_depth(mapping.sqs, moto.queue_url) == 0 and dlq_bodies(moto) == []
    accepted = json.loads(body)
    run_date = accepted["run_date"]
    data_keys = sorted(_per_shard_key(d, run_date, run_id, s) for d in POINT_DATASETS for s in range(4))
    keys = run_keys(moto, run_id)
    assert sorted(k for k in keys if "_per_shard/" in k) == data_keys
    assert not any("point_index" in k for k in keys)
    assert len(keys) == 16 + 4 + 2  # shard objects, outcomes, run_context, manifest
    manifest = json.loads(get_bytes(moto, f"serverless-sweeps/outcomes/runs/run_id={run_id}/manifest.json"))
    assert manifest["normalized_request"]["layout"] == "per_shard"

    code, _ = run_locally(ridesweep, request, tmp_path / "local")
    assert code == 0
    cloud_bytes = by_blank_date(cloud_files(moto, run_id))
    local_bytes = by_blank_date(local_files(tmp_path / "local"))
    shard_keys = [k for k in cloud_bytes if "_per_shard/" in k]
    assert len(shard_keys) == 16
    assert all(cloud_bytes[k] == local_bytes[k] for k in shard_keys)
