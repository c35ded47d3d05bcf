"""`ridesweep compare RUN_A RUN_B` end to end: two replicated runs of the same grid (the second with more riders and
another seed) compared through the real CLI. The per-configuration means and standard deviations are checked against
`ridesweep query` over the same results (the test's own GROUP BY), the differences and intervals are recomputed here
with Welch's formula (the health score too, on its fixed scales, computed per point), and the table, JSON and CSV
outputs agree. Bad input: unknown run, run with no committed point, runs of different designs, runs that share no
configuration, an unknown metric."""

from __future__ import annotations

import csv
import io
import json
import math
import pathlib
import re

import pytest

import e2e_support as e2e

BASE = {
    "dimensions": {"num_drivers": [20, 60], "num_riders": [150], "match_radius": [5],
                   "simulation_duration_hours": [1]},
    "replications": 4,
    "shard_count": 2,
}
RUN_A = {**BASE, "run_id": "compare-a", "seed": 7}
RUN_B = {**BASE, "run_id": "compare-b", "seed": 8,
         "dimensions": {**BASE["dimensions"], "num_riders": [400]}}
# The same dimension names, other values of the varying one: nothing to match.
RUN_OTHER = {**BASE, "run_id": "compare-other", "seed": 7,
             "dimensions": {**BASE["dimensions"], "num_drivers": [30, 90]}, "replications": 2}
RUN_FAILED = {**BASE, "run_id": "compare-failed", "seed": 7, "failure_injection_shards": [0, 1], "replications": 1}
RUN_LHS = {"run_id": "compare-lhs", "seed": 7, "design": {"type": "latin_hypercube", "samples": 2},
           "dimensions": {"num_drivers": {"min": 20, "max": 60}, "num_riders": [150],
                          "simulation_duration_hours": [1]}, "shard_count": 1}

METRICS = ["health_score", "conversion_rate", "platform_revenue", "driver_payouts", "avg_time_to_match_ms",
           "avg_time_to_pickup_ms", "completed_trips", "match_rate"]
# t(0.975, df), df = 1..30 (published table).
T975 = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010, 2.1788, 2.1604,
        2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555,
        2.0518, 2.0484, 2.0452, 2.0423]

ORACLE_SQL = """
SELECT
  CAST(json_extract(p.effective_parameters_json, '$.selected_dimensions.num_drivers') AS VARCHAR) AS num_drivers,
  COUNT(*) AS n,
""" + ",\n".join(f"  AVG(CAST(m.{c} AS DOUBLE)) AS {c}_mean, STDDEV_SAMP(CAST(m.{c} AS DOUBLE)) AS {c}_sd"
                 for c in METRICS) + """
FROM (
  -- The fixed-scale health score of each point (docs/analysis.md, "Health score on fixed scales").
  SELECT *,
    0.30 * conversion_rate
      + 0.25 * platform_revenue / GREATEST(total_riders, 1) / 10
      + 0.15 * driver_payouts / GREATEST(total_riders, 1) / 10
      + 0.15 * COALESCE(1 - avg_time_to_match_ms / 600000.0, 0)
      + 0.15 * COALESCE(1 - avg_time_to_pickup_ms / 600000.0, 0)
      - 0.20 * abandoned_quote_riders / GREATEST(total_riders, 1) AS health_score
  FROM ${database}.sweep_shard_metrics
) m
JOIN ${database}.sweep_effective_parameters p
  ON p.run_date = m.run_date AND p.run_id_partition = m.run_id
  AND p.shard_id_partition = m.shard_id AND p.point_index_partition = m.point_index
WHERE m.run_id = '${run_id}' AND m.status = 'success' AND p.status_partition = 'success'
GROUP BY 1
"""


@pytest.fixture(scope="module")
def results(cli, tmp_path_factory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("compare")
    results_dir = root / "results"
    for request in (RUN_A, RUN_B, RUN_OTHER, RUN_FAILED, RUN_LHS):
        path = root / f"{request['run_id']}.json"
        path.write_text(json.dumps(request))
        run = e2e.run_request(cli, path, results_dir, "--threads", "2")
        assert run.returncode in (0, 1), run.stdout + run.stderr  # 1: the run with injected failures
    return results_dir


def compare(cli, results_dir, *args):
    return cli.run("compare", *args, "--results-dir", results_dir)


def oracle(cli, results_dir, tmp_path, run_id):
    sql = tmp_path / f"oracle-{run_id}.sql"
    sql.write_text(ORACLE_SQL)
    proc = cli.run("query", sql, "--run-id", run_id, "--results-dir", results_dir)
    assert proc.returncode == 0, proc.stderr
    return {row["num_drivers"]: row for row in csv.DictReader(io.StringIO(proc.stdout))}


def number(text):
    return float(text) if text != "" else None


def test_json_means_equal_the_grouped_query_and_intervals_are_welch(cli, results, tmp_path):
    proc = compare(cli, results, "compare-a", "compare-b", "--json")
    assert proc.returncode == 0, proc.stderr
    body = json.loads(proc.stdout)
    assert body["configurations"] == {"a": 2, "b": 2, "matched": 2}
    assert body["matched_on"] == ["num_drivers"]
    assert body["fixed_differences"] == [{"name": "num_riders", "value_a": 150, "value_b": 400}]
    oracle_a = oracle(cli, results, tmp_path, "compare-a")
    oracle_b = oracle(cli, results, tmp_path, "compare-b")
    assert len(body["rows"]) == 2
    for row in body["rows"]:
        drivers = str(row["dimensions"]["num_drivers"])
        assert row["points_a"] == row["points_b"] == 4
        for metric in METRICS:
            got = row["metrics"][metric]
            for side, table in (("a", oracle_a), ("b", oracle_b)):
                assert math.isclose(got[f"mean_{side}"], float(table[drivers][f"{metric}_mean"]), rel_tol=1e-12,
                                    abs_tol=1e-12)
                assert math.isclose(got[f"sd_{side}"], float(table[drivers][f"{metric}_sd"]), rel_tol=1e-9,
                                    abs_tol=1e-12)
            va = got["sd_a"] ** 2 / got["n_a"]
            vb = got["sd_b"] ** 2 / got["n_b"]
            assert math.isclose(got["difference"], got["mean_b"] - got["mean_a"], rel_tol=1e-12, abs_tol=1e-12)
            if va + vb == 0:
                assert got["half_width"] == 0
                continue
            df = (va + vb) ** 2 / (va ** 2 / (got["n_a"] - 1) + vb ** 2 / (got["n_b"] - 1))
            assert math.isclose(got["df"], df, rel_tol=1e-9)
            half = T975[int(df) - 1] * math.sqrt(va + vb)  # df rounded down: 3 <= df <= 6 here
            assert math.isclose(got["half_width"], half, rel_tol=1e-9)
            assert got["excludes_zero"] == (abs(got["difference"]) > half)
    # With 60 drivers, 400 riders instead of 150 lower the conversion rate beyond its interval (fixed seeds; with
    # 20 drivers the four replicates are too noisy to tell).
    sixty = next(r for r in body["rows"] if r["dimensions"]["num_drivers"] == 60)["metrics"]["conversion_rate"]
    assert sixty["excludes_zero"] and sixty["ci_high"] < 0
    conversion = next(m for m in body["metrics"] if m["metric"] == "conversion_rate")
    assert conversion == {"metric": "conversion_rate", "excluding_zero": 1, "with_interval": 2}
    assert [m["metric"] for m in body["metrics"]] == METRICS


def test_health_score_is_the_fixed_scale_score_of_each_point(cli, results, tmp_path):
    """A run compared with itself: the health score's means are those of `status --json`'s configuration summary
    (the same fixed scales), and every difference is 0."""
    proc = compare(cli, results, "compare-a", "compare-a", "--json")
    assert proc.returncode == 0, proc.stderr
    body = json.loads(proc.stdout)
    status = cli.run("status", "--run-id", "compare-a", "--json", "--results-dir", results)
    assert status.returncode == 0, status.stderr
    summary = {c["dimensions"]["num_drivers"]: c["health_score"]
               for c in json.loads(status.stdout)["configuration_summary"]}
    assert len(body["rows"]) == len(summary) == 2
    for row in body["rows"]:
        health = row["metrics"]["health_score"]
        expected = summary[row["dimensions"]["num_drivers"]]
        assert health["n_a"] == expected["n"] == 4
        assert math.isclose(health["mean_a"], expected["mean"], rel_tol=1e-9)
        assert math.isclose(health["sd_a"], expected["sd"], rel_tol=1e-6)
        # Zero up to the order DuckDB sums in (AVG over parallel threads).
        assert abs(health["difference"]) < 1e-12 and not health["excludes_zero"]


def test_csv_and_table_say_the_same(cli, results):
    as_json = json.loads(compare(cli, results, "compare-a", "compare-b", "--json").stdout)
    proc = compare(cli, results, "compare-a", "compare-b", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 2 * len(METRICS)
    for row in rows:
        got = next(r for r in as_json["rows"] if str(r["dimensions"]["num_drivers"]) == row["num_drivers"])
        expected = got["metrics"][row["metric"]]
        # Two invocations: DuckDB's parallel AVG/STDDEV_SAMP may differ in the last bits between them.
        assert math.isclose(number(row["difference"]), expected["difference"], rel_tol=1e-12, abs_tol=1e-15)
        assert math.isclose(number(row["ci_low"]), expected["ci_low"], rel_tol=1e-12, abs_tol=1e-15)
        assert row["excludes_zero"] == ("true" if expected["excludes_zero"] else "false")
    table = compare(cli, results, "compare-a", "compare-b")
    assert table.returncode == 0, table.stderr
    assert "2 configurations matched" in table.stdout
    assert "Fixed in each run, different: num_riders 150 (A) vs 400 (B)" in table.stdout
    assert re.search(r"^conversion_rate +1 of 2 with an interval$", table.stdout, re.M), table.stdout
    sixty = table.stdout[table.stdout.index("num_drivers=60 (A 4 points, B 4)"):]
    assert re.search(r"^  conversion_rate .* \*$", sixty, re.M), table.stdout


def test_metrics_option_chooses_the_metrics(cli, results):
    proc = compare(cli, results, "compare-a", "compare-b", "--json", "--metrics", "completed_trips,match_rate")
    assert proc.returncode == 0, proc.stderr
    assert [m["metric"] for m in json.loads(proc.stdout)["metrics"]] == ["completed_trips", "match_rate"]


@pytest.mark.parametrize("args, code, message", [
    (("compare-a", "no-such-run"), 1, "Error: no run 'no-such-run' in the results under"),
    (("compare-a", "compare-failed"), 1, "Error: run compare-failed has no committed point: nothing to compare"),
    (("compare-a", "compare-lhs"), 2,
     "Error: runs compare-a and compare-lhs have different designs (grid, latin_hypercube with 2 samples)"),
    (("compare-a", "compare-other"), 2, "Error: runs compare-a and compare-other share no configuration"),
    (("compare-a", "compare-b", "--metrics", "conversion"), 2, "Error: unknown metric 'conversion'; known metrics:"),
    (("compare-a", "bad/id"), 2, "Error: run_id must match"),
])
def test_bad_input_is_a_clear_error(cli, results, args, code, message):
    proc = compare(cli, results, *args)
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert proc.stderr.startswith(message), proc.stderr
    assert proc.stdout == ""


def test_missing_results_directory(cli, tmp_path):
    proc = compare(cli, tmp_path / "absent", "compare-a", "compare-b")
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr
