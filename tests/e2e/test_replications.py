"""`replications` end to end with `ridesweep run`: points enumerate (configuration, replicate) with the replicate
fastest, every point has its own seed (`seed XOR point_index`), replicates of a configuration share its dimension
values, and shard_metrics / effective_parameters carry `config_index` and `replicate`, read back with pyarrow (an
independent Parquet reader)."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

import e2e_support as e2e

REQUEST = {
    "run_id": "replicated-run",
    "dimensions": {"num_riders": [200, 300], "num_drivers": [40], "commission_rate": [0.1, 0.3], "match_radius": [5]},
    "replications": 3,
    "shard_count": 2,
    "seed": 7,
}


def _rows(path):
    return pq.read_table(path).to_pylist()


def test_replicates_enumerate_fastest_with_distinct_seeds_and_columns(cli, tmp_path):
    request = tmp_path / "request.json"
    request.write_text(json.dumps(REQUEST))
    results = tmp_path / "results"
    run = e2e.run_request(cli, request, results, "--threads", "2", "--json", "--top", "4")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.body["total_points"] == 12  # 4 configurations x 3 replicates
    summary = run.document  # one document: the submission and the summary
    assert run.body["shard_ranges"] == [[0, 6], [6, 12]]  # whole configurations per shard

    dims = REQUEST["dimensions"]
    seeds = set()
    by_point = {}
    for path in e2e.dataset_files(results, "effective_parameters", "replicated-run"):
        (row,) = _rows(path)
        point = row["point_index"]
        assert (row["config_index"], row["replicate"]) == (point // 3, point % 3)
        effective = json.loads(row["effective_parameters_json"])
        # Configuration c has the values grid point c would have without replications.
        assert effective["selected_dimensions"] == e2e.enumerate_point(dims, point // 3)
        seed = effective["resolved_scenario_parameters"]["seed"]
        assert seed == e2e.point_seed(7, point)
        seeds.add(seed)
        by_point[point] = row
    assert sorted(by_point) == list(range(12))
    assert len(seeds) == 12

    metrics = {}
    for path in e2e.dataset_files(results, "shard_metrics", "replicated-run"):
        (row,) = _rows(path)
        point = int(e2e.partitions_of(path)["point_index"])
        assert (row["config_index"], row["replicate"]) == (point // 3, point % 3)
        metrics[point] = row
    assert sorted(metrics) == list(range(12))
    # The columns come last, after every metric column.
    columns = pq.read_schema(e2e.dataset_files(results, "shard_metrics", "replicated-run")[0]).names
    assert columns[-2:] == ["config_index", "replicate"]
    # The summary groups replicates: 4 configurations, n = 3 each, means equal to the stored rows' means, and a
    # 95% Student-t interval mean ± t(0.975, 2) · s / sqrt(3) around each.
    assert summary["configurations"] == 4
    ranked = summary["top_configurations_by_mean"]
    assert len(ranked) == 4 and all(c["n"] == 3 for c in ranked)
    assert [c["health_score"]["mean"] for c in ranked] == sorted((c["health_score"]["mean"] for c in ranked),
                                                                 reverse=True)
    for c in ranked:
        config = c["first_point_index"] // 3
        assert c["dimensions"] == e2e.enumerate_point(dims, config)
        revenue = [metrics[config * 3 + r]["platform_revenue"] for r in range(3)]
        mean = sum(revenue) / 3
        sd = (sum((v - mean) ** 2 for v in revenue) / 2) ** 0.5
        half = 4.3027 * sd / 3 ** 0.5
        got = c["platform_revenue"]
        assert abs(got["mean"] - mean) <= 1e-9 * max(1.0, abs(mean))
        assert abs(got["ci95_low"] - (mean - half)) <= 1e-6 * max(1.0, abs(mean))
        assert abs(got["ci95_high"] - (mean + half)) <= 1e-6 * max(1.0, abs(mean))

    # Different seeds give different simulations: within a configuration the replicates do not all agree.
    for config in range(4):
        outcomes = {(metrics[config * 3 + r]["completed_trips"], metrics[config * 3 + r]["platform_revenue"])
                    for r in range(3)}
        assert len(outcomes) > 1, f"configuration {config}: replicates identical {outcomes}"


def test_request_without_replications_has_config_index_equal_to_point_index(cli, demo_run):
    for path in e2e.dataset_files(demo_run.results_dir, "shard_metrics", demo_run.run_id):
        (row,) = _rows(path)
        point = int(e2e.partitions_of(path)["point_index"])
        assert (row["config_index"], row["replicate"]) == (point, 0)


def test_local_run_without_sharding_uses_the_documented_default_and_says_so(cli, tmp_path):
    """`ridesweep run` may leave out shard_count and shard_size (64 shards, at most one per point); the API and
    `serve` keep the 400 (tests/e2e/test_serve.py)."""
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"run_id": "no-sharding", "dimensions": {"num_riders": [10, 20, 30],
                                                                             "num_drivers": [3]}}))
    run = e2e.run_request(cli, request, tmp_path / "results")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "running with shard_count 64 (the local default; the API requires one of them)" in run.stderr
    assert run.body["shard_ranges"] == [[0, 1], [1, 2], [2, 3]]
