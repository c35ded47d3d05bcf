"""The report of a replicated sweep, end to end: a run with three replicates per configuration and four varying
dimensions (two numeric, two categorical) through the real CLI, its report rendered in headless Chromium. Checked
against `ridesweep query` over the same results (the test's own SQL, its own formulas): the 95% interval bands of
the line charts and the heatmap cells, categorical dimensions drawn as points with bars, every heatmap cell
labelled, the 3 most influential pairs (recomputed from the grouped query), the header's seed, replications and
design, the noise line, and the top configurations as one row per configuration (the numbers of `status --json`'s
configuration_summary). Also `--metrics`, `--dimensions` and the bad input of the output file and names."""

from __future__ import annotations

import itertools
import json
import math
import statistics

import pytest

from conftest import write_request
from test_report import METRICS, POINTS_SQL, PAGE_FACTS, Sweep, close, group_sql

REPLICATED = {"run_id": "replicated-report-run", "seed": 21, "shard_count": 4, "replications": 3,
              "dimensions": {"num_drivers": [30, 60], "commission_rate": [0.1, 0.3],
                             "matching_algorithm_type": ["simple", "hungarian"], "surge_enabled": [False, True],
                             "num_riders": [150], "match_radius": [5], "simulation_duration_hours": [1]}}
VARYING = ["commission_rate", "matching_algorithm_type", "num_drivers", "surge_enabled"]
CATEGORICAL = {"matching_algorithm_type", "surge_enabled"}
# t(0.975, df) for the degrees of freedom that occur here (published table).
T975 = {2: 4.3027, 4: 2.7764, 6: 2.4469, 8: 2.3060, 12: 2.1788, 16: 2.1199, 24: 2.0639}

KEYS = ",\n  ".join(f"CAST(json_extract(effective_parameters_json, '$.selected_dimensions.{d}') AS VARCHAR) AS {d}"
                    for d in VARYING)
# One row per configuration: its values, n, mean and sample variance of every charted metric.
CONFIG_SQL = (f"WITH points AS ({POINTS_SQL})\nSELECT\n  {KEYS},\n  COUNT(*) AS n,\n  " +
              ",\n  ".join(f"AVG({m}) AS mean_{m}, VAR_SAMP({m}) AS var_{m}" for m in METRICS) +
              "\nFROM points\nGROUP BY 1, 2, 3, 4\n")


@pytest.fixture(scope="module")
def replicated(cli, browser, tmp_path_factory):
    return Sweep(cli, browser, tmp_path_factory.mktemp("replicated"), REPLICATED)


@pytest.fixture(scope="module")
def configs(replicated):
    return replicated.query(CONFIG_SQL)


def half_width(rows, metric):
    """Σ n_c·s_c² / N², t with Σ(n_c − 1) degrees of freedom (every configuration here has 3 replicates)."""
    total = sum(int(r["n"]) for r in rows)
    df = sum(int(r["n"]) - 1 for r in rows)
    variance = sum(int(r["n"]) * float(r[f"var_{metric}"]) for r in rows) / total ** 2
    return T975[df] * math.sqrt(variance)


def test_page_renders_offline_and_header_names_seed_replications_design(replicated):
    page = replicated.page
    assert page.console_errors == [] and page.exceptions == [] and page.log_errors == []
    assert page.requests == [replicated.html.resolve().as_uri()]
    header = replicated.facts["header"]
    assert (header["seed"], header["replications"], header["design"]) == ("21", "3", "grid")
    text = replicated.facts["headerText"]
    assert "Seed21" in text and "Replications3 per configuration" in text and "Designgrid" in text
    assert text.count("Points / s") == 1 and "points/s" not in text  # one throughput figure


def test_line_bands_are_the_replicate_intervals_of_the_query(replicated, configs):
    assert "95% interval over replicates" in replicated.facts["bandLegend"]
    lines = replicated.facts["lines"]
    assert {(c["x"], c["metric"]) for c in lines} == {(d, m) for d in VARYING for m in METRICS}
    for chart in lines:
        assert chart["band"] == "ci95"
        for point in chart["points"]:
            rows = [r for r in configs if r[chart["x"]] == point["xValue"]]
            assert int(point["configurations"]) == len(rows) == 8
            assert math.isclose(float(point["halfWidth"]), half_width(rows, chart["metric"]), rel_tol=1e-9)


def test_categorical_dimensions_are_points_with_bars(replicated):
    for chart in replicated.facts["lines"]:
        if chart["x"] in CATEGORICAL:
            assert chart["categorical"] == "true" and not chart["hasLine"] and not chart["hasBand"]
            assert chart["bars"] == 2
        else:
            assert chart["categorical"] == "false" and chart["hasLine"] and chart["hasBand"]


def test_three_most_influential_pairs_with_every_cell_labelled(replicated, configs):
    # Influence recomputed from the grouped query: variance of the pair's cell means over the variance of the
    # configuration means (population variances), averaged over the metrics.
    def variance(values):
        return statistics.pvariance(values) if len(values) > 1 else 0.0
    influence = {}
    for x, y in itertools.combinations(VARYING, 2):
        total = 0.0
        for metric in METRICS:
            spread = variance([float(r[f"mean_{metric}"]) for r in configs])
            if spread > 0:
                cells = [float(r[f"mean_{metric}"]) for r in replicated.query(group_sql([x, y]))]
                total += variance(cells) / spread
        influence[(x, y)] = total / len(METRICS)
    expected = sorted(influence, key=lambda pair: -influence[pair])[:3]
    drawn = [(g["x"], g["y"]) for g in replicated.facts["pairGroups"]]
    assert sorted(drawn) == sorted(expected)
    assert replicated.facts["pairsRule"] == {"pairsDrawn": "3", "pairsTotal": "6"}
    for group in replicated.facts["pairGroups"]:
        assert math.isclose(float(group["influence"]), influence[(group["x"], group["y"])], rel_tol=1e-9)
    for heatmap in replicated.facts["heatmaps"]:
        assert len(heatmap["labels"]) == len(heatmap["cells"]) == 4
        for cell in heatmap["cells"]:
            rows = [r for r in configs if r[heatmap["x"]] == cell["xValue"] and r[heatmap["y"]] == cell["yValue"]]
            assert math.isclose(float(cell["halfWidth"]), half_width(rows, heatmap["metric"]), rel_tol=1e-9)


def test_noise_line_is_the_median_relative_half_width(replicated, configs):
    assert len(replicated.facts["noise"]) == len(METRICS)
    for noise in replicated.facts["noise"]:
        metric = noise["metric"]
        relative = [T975[2] * math.sqrt(float(r[f"var_{metric}"]) / 3) / abs(float(r[f"mean_{metric}"]))
                    for r in configs if float(r[f"mean_{metric}"]) != 0]
        assert int(noise["configurations"]) == len(relative)
        assert math.isclose(float(noise["medianRelative"]), statistics.median(relative), rel_tol=1e-9)


def test_top_configurations_are_configurations_with_the_status_summary_numbers(replicated):
    """One row per configuration, best first: n, mean ± 95% half-width of the fixed-scale health score and the
    main metrics, and the "not distinguishable from the best" mark, equal to `status --json`."""
    status = replicated.cli.run("status", "--run-id", replicated.run_id, "--json", "--results-dir",
                                str(replicated.results))
    summary = json.loads(status.stdout)["configuration_summary"]
    assert len(summary) == 16
    rows = replicated.facts["configs"]
    assert len(rows) == 10  # the default --top-n
    metrics = {"conversionRate": "conversion_rate", "platformRevenue": "platform_revenue",
               "driverPayouts": "driver_payouts", "avgTimeToMatchMs": "avg_time_to_match_ms",
               "avgTimeToPickupMs": "avg_time_to_pickup_ms", "completedTrips": "completed_trips"}

    def same(row, key, stats):
        assert close(float(row[f"{key}Mean"]), stats["mean"]), (key, row, stats)
        half = (stats["ci95_high"] - stats["ci95_low"]) / 2
        assert math.isclose(float(row[f"{key}HalfWidth"]), half, rel_tol=1e-9, abs_tol=1e-12), (key, row, stats)
        assert int(row[f"{key}N"]) == stats["n"]

    for rank, (row, expected) in enumerate(zip(rows, summary), start=1):
        assert int(row["rank"]) == rank == expected["rank"]
        assert int(row["firstPointIndex"]) == expected["first_point_index"]
        assert int(row["n"]) == expected["n"] == 3
        same(row, "healthScore", expected["health_score"])
        for key, metric in metrics.items():
            same(row, key, expected["metrics"][metric])
        assert row["notDistinguishableFromBest"] == str(expected["not_distinguishable_from_best"]).lower()
        # The visible cells: rank, the varying dimensions' values, n, score as mean ± half-width, the mark.
        cells = row["cells"]
        dims = [expected["dimensions"][d] for d in VARYING]
        assert cells[1:1 + len(VARYING)] == [str(v).lower() if isinstance(v, bool) else str(v) for v in dims]
        assert cells[1 + len(VARYING)] == "3"
        health = expected["health_score"]
        half = (health["ci95_high"] - health["ci95_low"]) / 2
        assert cells[2 + len(VARYING)] == f"{health['mean']:.3f} \u00b1 {half:.3f}"
        assert cells[3 + len(VARYING)] == ("\u2248" if expected["not_distinguishable_from_best"] else "")
    assert rows[0]["notDistinguishableFromBest"] == "true"
    assert [float(r["healthScoreMean"]) for r in rows] == sorted((float(r["healthScoreMean"]) for r in rows),
                                                                 reverse=True)


def test_metrics_and_dimensions_choose_what_is_drawn(replicated, cli, browser, tmp_path):
    out = tmp_path / "chosen.html"
    cli.run("report", "--run-id", replicated.run_id, "--results-dir", str(replicated.results), "--out", str(out),
            "--metrics", "conversion_rate,avg_time_to_match_ms", "--dimensions", "num_drivers,surge_enabled")
    facts = browser.load(out.resolve().as_uri(), script=PAGE_FACTS).value
    assert {(c["x"], c["metric"]) for c in facts["lines"]} == {
        (d, m) for d in ("num_drivers", "surge_enabled") for m in ("conversion_rate", "avg_time_to_match_ms")}
    assert {(h["x"], h["y"]) for h in facts["heatmaps"]} == {("num_drivers", "surge_enabled")}
    assert {n["metric"] for n in facts["noise"]} == {"conversion_rate", "avg_time_to_match_ms"}


@pytest.mark.parametrize("args, code, message", [
    (("--metrics", "conversion"), 2, "Error: unknown metric 'conversion' for --metrics; the report charts"),
    (("--dimensions", "num_riders"), 2,
     "Error: unknown dimension 'num_riders' for --dimensions; run replicated-report-run varies"),
])
def test_unknown_names_are_refused_and_nothing_is_written(replicated, cli, tmp_path, args, code, message):
    out = tmp_path / "nothing.html"
    proc = cli.run("report", "--run-id", replicated.run_id, "--results-dir", str(replicated.results), "--out",
                   str(out), *args, check=False)
    assert proc.returncode == code and proc.stderr.startswith(message), proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_existing_output_needs_force(replicated, cli, tmp_path):
    out = tmp_path / "report.html"
    out.write_text("keep me")
    args = ("report", "--run-id", replicated.run_id, "--results-dir", str(replicated.results), "--out", str(out))
    proc = cli.run(*args, check=False)
    assert proc.returncode == 2
    assert proc.stderr == f"Error: {out} already exists; pass --force to replace it\n"
    assert out.read_text() == "keep me"
    cli.run(*args, "--force")
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_unwritable_directory_leaves_nothing(replicated, cli, tmp_path):
    # A regular file where a folder should be: no user (root included) can write below it.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    out = blocker / "sub" / "report.html"
    proc = cli.run("report", "--run-id", replicated.run_id, "--results-dir", str(replicated.results), "--out",
                   str(out), check=False)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith(f"Error: cannot write {out}: "), proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-directory"]
