"""Bad input to `ridesweep run` (spec/sweep.md §1.4, §17): every problem gets a clear message and its exit code
(2 for a request problem, 3 for a configuration or store problem, 1 when accepted shards then fail), and nothing
already in the results directory is changed (checksums of the whole tree before and after).

The results directory of each case already holds a complete demo run, so "nothing damaged" is checked against
real data.
"""

from __future__ import annotations

import json
import pathlib

import pyarrow.parquet as pq
import pytest

import e2e_support as e2e

RUN_ID_RULE = "run_id must match [A-Za-z0-9._-]{1,128}"


def _request(run_id="bad-input", dimensions=None, **extra) -> str:
    if dimensions is None:
        dimensions = {"num_riders": [10], "num_drivers": [3]}
    body = {"run_id": run_id, "dimensions": dimensions,
            "shard_count": 1, **extra}
    return json.dumps(body)


# (case id, request text, exact message of the 400 body)
REJECTED = [
    ("malformed_json", '{"run_id": "x", "dimensions": {', "Malformed JSON body: EOF while parsing an object at line 1 "
                                                         "column 31"),
    ("trailing_garbage", '{"run_id":"x"} x', None),
    ("array_too_long", '["x", {"num_riders": [1]}, 1, null, 1000, 0, [], 9]',
     "Malformed request: invalid length 8, expected fewer elements in array"),
    ("array_element", "[1, 2]", "Malformed request: invalid type: integer `1`, expected a string"),
    ("scalar", "42", "Malformed request: invalid type: integer `42`, expected struct SweepRequest"),
    ("run_id_number", '{"run_id": 5, "dimensions": {"num_riders": [1]}, "shard_count": 1}',
     "Malformed request: invalid type: integer `5`, expected a string"),
    ("dimensions_list", '{"run_id": "x", "dimensions": [1], "shard_count": 1}',
     "Malformed request: invalid type: sequence, expected a map"),
    ("shard_count_string", _request(shard_count="2"), 'Malformed request: invalid type: string "2", expected usize'),
    ("seed_float", _request(seed=1.5), "Malformed request: invalid type: floating point `1.5`, expected i64"),
    ("negative_riders", _request(dimensions={"num_riders": [-1]}),
     "Dimension 'num_riders' must be an unsigned integer"),
    ("riders_float", _request(dimensions={"num_riders": [100.0]}),
     "Dimension 'num_riders' must be an unsigned integer"),
    ("surge_string", _request(dimensions={"surge_enabled": ["true"]}), "Dimension 'surge_enabled' must be boolean"),
    # Out-of-range values are rejected up front (before anything is written), naming the value and the range.
    ("commission_above_1", _request(dimensions={"commission_rate": [0.1, 1.5]}),
     "Dimension 'commission_rate' value 1.5 is outside the allowed range [0, 1]"),
    ("negative_base_fare", _request(dimensions={"base_fare": [-2.5]}),
     "Dimension 'base_fare' value -2.5 is outside the allowed range [0, +inf)"),
    ("surge_cap_below_1", _request(dimensions={"surge_max_multiplier": [0.5]}),
     "Dimension 'surge_max_multiplier' value 0.5 is outside the allowed range [1, +inf)"),
    ("riders_1e8", _request(dimensions={"num_riders": [100_000_000]}),
     "Dimension 'num_riders' value 100000000 is outside the allowed range [0, 10000000]"),
    ("zero_base_speed", _request(dimensions={"base_speed_kmh": [0]}),
     "Dimension 'base_speed_kmh' value 0 is outside the allowed range (0, +inf)"),
    ("unknown_dimension", _request(dimensions={"num_riders": [10], "foo": [1]}), "Unsupported dimension 'foo'"),
    ("dimension_case", _request(dimensions={"Num_riders": [1]}), "Unsupported dimension 'Num_riders'"),
    ("unknown_matching", _request(dimensions={"matching_algorithm_type": ["greedy"]}),
     "Unsupported matching_algorithm_type 'greedy' (expected simple, cost_based, or hungarian)"),
    ("empty_dimensions", _request(dimensions={}), "dimensions cannot be empty"),
    ("too_many_values", _request(dimensions={"num_riders": list(range(10_001))}),
     "Dimension 'num_riders' exceeds MAX_DIMENSION_VALUES=10000"),
    ("grid_too_large", _request(dimensions={"num_riders": list(range(1000)), "num_drivers": list(range(201))}),
     "Parameter space is too large for this deployment (>200000 points)"),
    ("too_many_shards", _request(dimensions={"num_riders": list(range(1001))}, shard_size=1, shard_count=None),
     "Computed shard count 1001 exceeds max_shards=1000"),
    ("run_id_dotdot", _request(run_id="../x"), RUN_ID_RULE),
    ("run_id_slash", _request(run_id="a/b"), RUN_ID_RULE),
    ("run_id_quote", _request(run_id="a'b\"c"), RUN_ID_RULE),
    ("run_id_space", _request(run_id="a b"), RUN_ID_RULE),
    ("run_id_equals", _request(run_id="run_id=x"), RUN_ID_RULE),
    ("run_id_500", _request(run_id="x" * 500), RUN_ID_RULE),
    ("run_id_blank", _request(run_id=" \t "), "run_id cannot be empty"),
    ("unknown_layout", _request(layout="columnar"), "Unknown layout 'columnar' (expected per_point or per_shard)"),
    ("layout_number", _request(layout=1), "Malformed request: invalid type: integer `1`, expected a string"),
]


@pytest.mark.parametrize("request_text,message", [c[1:] for c in REJECTED], ids=[c[0] for c in REJECTED])
def test_rejected_request_exits_2_and_writes_nothing(cli, demo_copy, tmp_path, request_text, message):
    request = tmp_path / "request.json"
    request.write_text(request_text)
    outside = e2e.tree_digest(tmp_path)
    result = e2e.run_request(cli, request, demo_copy)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.body["error"] == "validation_error"
    if message is None:
        assert result.body["message"].startswith("Malformed JSON body: "), result.body
    else:
        assert result.body["message"] == message
    # Data on stdout, diagnostics on stderr: nothing on stdout, one human line on stderr.
    assert result.stdout == "" and result.stderr.count("Error: ") == 1, (result.stdout, result.stderr)
    assert e2e.tree_digest(tmp_path) == outside  # nothing written anywhere (results dir included)
    # With --json the error body is the one document on stdout.
    as_json = e2e.run_request(cli, request, demo_copy, "--json")
    assert as_json.returncode == 2 and as_json.document == result.body | as_json.document, as_json.stdout
    assert set(as_json.document) >= {"error", "message"} and as_json.stderr == "", as_json.stderr
    assert e2e.tree_digest(tmp_path) == outside


def test_rejected_request_on_standard_input(cli, demo_copy):
    before = e2e.tree_digest(demo_copy)
    result = e2e.run_request(cli, "-", demo_copy, stdin='{"run_id": "x"')
    assert result.returncode == 2
    assert result.body == {"error": "validation_error",
                           "message": "Malformed JSON body: EOF while parsing an object at line 1 column 14"}
    assert e2e.tree_digest(demo_copy) == before


def test_out_of_range_request_leaves_the_run_id_free(cli, demo_copy, tmp_path):
    """A rejected out-of-range request writes nothing, so the corrected request with the same run_id is accepted
    (it used to be accepted, fail every point and burn the run_id)."""
    request = tmp_path / "request.json"
    request.write_text(_request(run_id="range-fix", dimensions={"commission_rate": [1.5], "num_riders": [10],
                                                                "num_drivers": [3]}))
    before = e2e.tree_digest(demo_copy)
    rejected = e2e.run_request(cli, request, demo_copy)
    assert rejected.returncode == 2
    assert rejected.body["message"] == "Dimension 'commission_rate' value 1.5 is outside the allowed range [0, 1]"
    assert e2e.tree_digest(demo_copy) == before
    request.write_text(_request(run_id="range-fix", dimensions={"commission_rate": [0.5], "num_riders": [10],
                                                                "num_drivers": [3]}))
    accepted = e2e.run_request(cli, request, demo_copy)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert accepted.body["run_id"] == "range-fix"


def test_conflicting_rerun_of_an_existing_run_id_exits_2(cli, demo_run, demo_copy, tmp_path):
    request = dict(demo_run.request, seed=43)
    path = tmp_path / "conflict.json"
    path.write_text(json.dumps(request))
    before = e2e.tree_digest(demo_copy)
    result = e2e.run_request(cli, path, demo_copy, "--json")  # the whole error body
    assert result.returncode == 2
    assert result.body["error"] == "run_id_conflict"
    assert result.body["existing_request_fingerprint"] == demo_run.result.body["request_fingerprint"]
    assert result.body["message"] == "run_id 'demo-run-001' was already submitted with a different request"
    assert e2e.tree_digest(demo_copy) == before


def test_missing_request_file_exits_2(cli, demo_copy, tmp_path):
    before = e2e.tree_digest(demo_copy)
    missing = tmp_path / "nope.json"
    result = e2e.run_request(cli, missing, demo_copy)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: cannot read request file '{missing}'\n"
    assert e2e.tree_digest(demo_copy) == before


def test_request_path_that_is_a_directory_exits_2(cli, demo_copy, tmp_path):
    """Regression: a directory used to read as an empty body (`Malformed JSON body: EOF ... column 0`)."""
    before = e2e.tree_digest(demo_copy)
    result = e2e.run_request(cli, tmp_path, demo_copy)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: cannot read request file '{tmp_path}': it is a directory\n"
    assert e2e.tree_digest(demo_copy) == before


def test_results_dir_that_is_a_file_exits_3_and_leaves_the_file(cli, tmp_path):
    results = tmp_path / "results"
    results.write_bytes(b"not a directory")
    result = e2e.run_request(cli, e2e.EXAMPLES / "demo-request.json", results)
    assert result.returncode == 3
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: results directory '{results}' is not usable: ")
    assert results.read_bytes() == b"not a directory"


def test_results_dir_under_proc_exits_3(cli):
    result = e2e.run_request(cli, e2e.EXAMPLES / "demo-request.json", pathlib.Path("/proc/ridesweep-e2e/results"))
    assert result.returncode == 3
    assert result.stderr.startswith("Error: results directory '/proc/ridesweep-e2e/results' is not usable: ")
    assert not pathlib.Path("/proc/ridesweep-e2e").exists()


def test_unwritable_key_prefix_fails_the_manifest_with_exit_3(cli, demo_copy, tmp_path):
    """The results directory works, but the run's manifest folder cannot be created: 502 run_manifest_failed."""
    blocker = demo_copy / e2e.PREFIX / "runs" / "run_id=blocked-run"
    blocker.write_bytes(b"in the way")
    request = tmp_path / "request.json"
    request.write_text(_request(run_id="blocked-run"))
    before = e2e.tree_digest(demo_copy)
    result = e2e.run_request(cli, request, demo_copy, "--json")  # the whole error body
    assert result.returncode == 3
    assert result.body["error"] == "run_manifest_failed"
    assert result.body["run_manifest_key"] == f"{e2e.PREFIX}/runs/run_id=blocked-run/manifest.json"
    assert "Not a directory" in result.body["message"]
    assert e2e.tree_digest(demo_copy) == before  # no run_context written, nothing enqueued


def test_bad_ceiling_is_a_misconfiguration_exit_3(cli, demo_copy):
    before = e2e.tree_digest(demo_copy)
    result = e2e.run_request(cli, e2e.EXAMPLES / "demo-request.json", demo_copy, "--max-shards", "0")
    assert result.returncode == 3
    assert result.body == {"error": "misconfiguration",
                           "message": "MAX_SHARDS must be an integer between 1 and 200000"}
    assert e2e.tree_digest(demo_copy) == before


def test_unwritable_dataset_dead_letters_the_shard_with_exit_1(cli, demo_copy, tmp_path):
    """Accepted, but trip_data cannot be written: storage_error (transient), retried, then dead-lettered. The
    demo run's objects are untouched."""
    (demo_copy / e2e.PREFIX / "dataset=trip_data").rename(tmp_path / "trip_data_aside")
    (demo_copy / e2e.PREFIX / "dataset=trip_data").write_bytes(b"")
    before = e2e.tree_digest(demo_copy)
    request = tmp_path / "request.json"
    request.write_text(_request(run_id="unwritable-run"))
    result = e2e.run_request(cli, request, demo_copy, "--max-attempts", "2")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.body["status"] == "dispatch_submitted"
    assert "(1 dead-lettered)" in result.stdout
    events = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    failed = [e["details"] for e in events if e["event"] == "shard_failed"]
    assert [(f["error_code"], f["retryable"], f["attempt"]) for f in failed] == \
        [("storage_error", True, 1), ("storage_error", True, 2)]
    assert failed[0]["error"].startswith("Failed to persist trip data artifact: ")
    dead = [e for e in events if e["event"] == "shard_dead_lettered"]
    assert len(dead) == 1 and dead[0]["level"] == "error"
    after = e2e.tree_digest(demo_copy)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing existing changed
    (failure,) = [p for p in e2e.dataset_files(demo_copy, "shard_outcomes", "unwritable-run")]
    row = pq.read_table(failure).to_pylist()[0]
    assert (row["status"], row["error_code"], row["attempt"], row["points_processed"]) == \
        ("failure", "storage_error", 2, 0)
