"""`ridesweep report` end to end: sweeps run through the real CLI, reports rendered in Debian's headless Chromium
(no console error, no request but the file itself, a full-page screenshot), charts and tables read back from the
DOM and compared with `ridesweep query` over the same results (the query layer the report uses: DuckDB over views
that mirror the Athena tables). Oracle SQL here is the test's own (DuckDB's json functions pick the dimensions out
of effective_parameters_json), so the report's portable SQL and C++ aggregation are checked independently.
Also: the run summary and `ridesweep serve` point to the report, and runs without results get a clear message."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import math
import pathlib
import re
import shutil
import struct
import subprocess
import time

import pytest

from conftest import REPO, ridesweep_binary, write_request

PAGE_FACTS = (pathlib.Path(__file__).parent / "page_facts.js").read_text()
METRICS = ["conversion_rate", "platform_revenue", "driver_payouts", "avg_time_to_match_ms", "avg_time_to_pickup_ms"]
WEIGHTS = {"conversion": 0.30, "revenue": 0.25, "payouts": 0.15, "match_time": 0.15, "pickup_time": 0.15,
           "abandoned": -0.20}
SNAPSHOT_COLUMNS = ["riders_browsing", "riders_waiting", "riders_in_transit", "riders_completed", "riders_cancelled",
                    "drivers_idle", "drivers_evaluating", "drivers_en_route", "drivers_on_trip", "drivers_off_duty",
                    "trips_en_route", "trips_on_trip", "trips_completed", "trips_cancelled"]

ONE_DIMENSION = {"run_id": "one-dim-run", "seed": 11, "shard_count": 3,
                 "dimensions": {"num_drivers": [40, 80, 160], "num_riders": [300], "match_radius": [5],
                                "simulation_duration_hours": [1]}}
THREE_DIMENSIONS = {"run_id": "three-dim-run", "seed": 5, "shard_count": 4,
                    "dimensions": {"commission_rate": [0.1, 0.25], "matching_algorithm_type": ["simple", "hungarian"],
                                   "surge_enabled": [False, True], "num_riders": [300], "num_drivers": [60],
                                   "match_radius": [5], "simulation_duration_hours": [1]}}
ALL_FAILED = {"run_id": "all-failed-run", "seed": 1, "shard_count": 2, "failure_injection_shards": [0, 1],
              "dimensions": {"num_drivers": [40, 80], "simulation_duration_hours": [1]}}

# Per committed point: its selected dimensions and the charted metrics (same join as the report's run summary).
POINTS_SQL = """
SELECT
  CAST(m.point_index AS BIGINT) AS point_index,
  p.effective_parameters_json,
  m.conversion_rate, m.platform_revenue, m.driver_payouts, m.avg_time_to_match_ms, m.avg_time_to_pickup_ms,
  m.abandoned_quote_riders, m.total_riders, m.completed_trips
FROM ${database}.sweep_shard_metrics m
JOIN ${database}.sweep_effective_parameters p
  ON p.run_date = m.run_date AND p.run_id_partition = m.run_id
  AND p.shard_id_partition = m.shard_id AND p.point_index_partition = m.point_index
WHERE m.run_id = '${run_id}' AND m.status = 'success' AND p.status_partition = 'success'
"""


def group_sql(dimensions: list[str]) -> str:
    """Mean, min, max and count of every charted metric per value (combination) of `dimensions`."""
    keys = ",\n  ".join(
        f"CAST(json_extract(effective_parameters_json, '$.selected_dimensions.{d}') AS VARCHAR) AS key_{i}"
        for i, d in enumerate(dimensions))
    stats = ",\n  ".join(f"AVG({m}) AS mean_{m}, MIN({m}) AS min_{m}, MAX({m}) AS max_{m}" for m in METRICS)
    groups = ", ".join(str(i + 1) for i in range(len(dimensions)))
    return f"WITH points AS ({POINTS_SQL})\nSELECT\n  {keys},\n  COUNT(*) AS n,\n  {stats}\nFROM points\nGROUP BY {groups}\n"


# The health score on its fixed reference scales (docs/analysis.md): 10 currency units per rider, 10 minutes of
# waiting, abandonment as a share of riders; points that completed no trip rank last.
HEALTH_SQL = f"""
WITH points AS ({POINTS_SQL}),
components AS (
  SELECT
    point_index, completed_trips > 0 AS served,
    conversion_rate AS n_conversion,
    platform_revenue / GREATEST(total_riders, 1) / 10.0 AS n_revenue,
    driver_payouts / GREATEST(total_riders, 1) / 10.0 AS n_payouts,
    COALESCE(1 - avg_time_to_match_ms / 600000.0, 0) AS n_match_time,
    COALESCE(1 - avg_time_to_pickup_ms / 600000.0, 0) AS n_pickup_time,
    CAST(abandoned_quote_riders AS DOUBLE) / GREATEST(total_riders, 1) AS n_abandoned
  FROM points
)
SELECT *,
  {WEIGHTS['conversion']} * n_conversion + {WEIGHTS['revenue']} * n_revenue + {WEIGHTS['payouts']} * n_payouts
  + {WEIGHTS['match_time']} * n_match_time + {WEIGHTS['pickup_time']} * n_pickup_time
  + ({WEIGHTS['abandoned']}) * n_abandoned AS score
FROM components
ORDER BY served DESC, score DESC, point_index
"""

OUTCOMES_SQL = """
SELECT CAST(shard_id_partition AS BIGINT) AS shard_id, status_partition AS status, points_processed, attempt,
  event_time, completed_time, error_code, error_message
FROM ${database}.sweep_shard_outcomes
WHERE run_id_partition = '${run_id}'
ORDER BY 1, 2 DESC
"""

CONTEXT_SQL = """
SELECT MAX(request_fingerprint) AS request_fingerprint, MAX(config_fingerprint) AS config_fingerprint,
  MAX(run_date) AS run_date
FROM ${database}.sweep_run_context WHERE run_id_partition = '${run_id}'
"""


def snapshots_sql(point_index: int) -> str:
    return ("SELECT timestamp_ms, " + ", ".join(SNAPSHOT_COLUMNS) + "\nFROM ${database}.sweep_snapshot_counts\n"
            f"WHERE run_id = '${{run_id}}' AND status = 'success' AND point_index = '{point_index}'\n"
            "ORDER BY timestamp_ms\n")


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def iso_ms(text: str) -> int:
    """Whole milliseconds since the epoch of an RFC 3339 time (microsecond precision, truncated like date_diff)."""
    stamp = dt.datetime.fromisoformat(text)
    micros = (stamp - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) // dt.timedelta(microseconds=1)
    return micros // 1000


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


class Sweep:
    """One run through `ridesweep run`, its report through `ridesweep report`, and the page in Chromium."""

    def __init__(self, cli, browser, root: pathlib.Path, request: dict | pathlib.Path, expect_exit: int = 0):
        self.cli = cli
        self.root = root
        self.results = root / "results"
        request_path = request if isinstance(request, pathlib.Path) else write_request(root, request)
        self.run_id = json.loads(request_path.read_text())["run_id"]
        self.run_output = cli.run("run", str(request_path), "--results-dir", str(self.results), check=False)
        assert self.run_output.returncode == expect_exit, self.run_output.stdout + self.run_output.stderr
        self.html = root / "report.html"
        self.report_output = cli.run("report", "--run-id", self.run_id, "--results-dir", str(self.results),
                                     "--out", str(self.html))
        self.page = browser.load(self.html.resolve().as_uri(), script=PAGE_FACTS, screenshot=True)
        self.facts = self.page.value
        self.manifest = json.loads(
            (self.results / "serverless-sweeps/outcomes/runs" / f"run_id={self.run_id}" / "manifest.json").read_text())

    def query(self, sql_or_name: str, *extra: str) -> list[dict[str, str]]:
        return self.cli.query(sql_or_name, self.run_id, self.results, self.root / "sql", *extra)

    def varying(self) -> list[str]:
        return sorted(name for name, values in self.manifest["normalized_request"]["dimensions"].items()
                      if len(values) >= 2)


@pytest.fixture(scope="module")
def demo(cli, browser, tmp_path_factory):
    return Sweep(cli, browser, tmp_path_factory.mktemp("demo"), REPO / "examples" / "demo-request.json")


@pytest.fixture(scope="module")
def one_dimension(cli, browser, tmp_path_factory):
    return Sweep(cli, browser, tmp_path_factory.mktemp("one"), ONE_DIMENSION)


@pytest.fixture(scope="module")
def three_dimensions(cli, browser, tmp_path_factory):
    return Sweep(cli, browser, tmp_path_factory.mktemp("three"), THREE_DIMENSIONS)


@pytest.fixture(scope="module")
def partial(cli, browser, tmp_path_factory):
    return Sweep(cli, browser, tmp_path_factory.mktemp("partial"), REPO / "examples" / "failure-injection-request.json",
                 expect_exit=1)


@pytest.fixture(scope="module")
def all_failed(cli, browser, tmp_path_factory):
    return Sweep(cli, browser, tmp_path_factory.mktemp("failed"), ALL_FAILED, expect_exit=1)


CHARTED = ["demo", "one_dimension", "three_dimensions", "partial"]
ALL_REPORTS = CHARTED + ["all_failed"]


# --- In the browser --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL_REPORTS)
def test_page_renders_offline_without_errors(name, request):
    sweep = request.getfixturevalue(name)
    page = sweep.page
    assert page.console_errors == [] and page.exceptions == [] and page.log_errors == []
    assert page.requests == [sweep.html.resolve().as_uri()], "the page asked for more than itself"
    assert sweep.facts["externalElements"] == 0
    width, height = png_size(page.screenshot)
    assert (width, height) == (1280, page.height)
    assert height > 600 and len(page.screenshot) > 20_000


def test_demo_screenshot_shows_the_whole_report(demo, tmp_path_factory):
    shot = tmp_path_factory.mktemp("screens") / "report-demo.png"
    shot.write_bytes(demo.page.screenshot)
    _, height = png_size(shot.read_bytes())
    assert height > 2500  # header, shards, 15 line charts, 15 heatmaps, top table, 4 time series
    for chart in demo.facts["heatmaps"] + demo.facts["lines"] + demo.facts["series"]:
        assert chart["box"]["width"] > 100 and chart["box"]["height"] > 80


@pytest.mark.parametrize("name", CHARTED)
def test_charts_cover_every_varying_dimension_and_pair(name, request):
    sweep = request.getfixturevalue(name)
    varying = sweep.varying()
    pairs = [(a, b) for i, a in enumerate(varying) for b in varying[i + 1:]]
    heatmaps = {(h["x"], h["y"], h["metric"]) for h in sweep.facts["heatmaps"]}
    assert heatmaps == {(x, y, m) for x, y in pairs for m in METRICS}
    assert len(sweep.facts["heatmaps"]) == len(pairs) * len(METRICS)
    lines = {(c["x"], c["metric"]) for c in sweep.facts["lines"]}
    assert lines == {(d, m) for d in varying for m in METRICS}
    dims = sweep.manifest["normalized_request"]["dimensions"]
    for heatmap in sweep.facts["heatmaps"]:
        assert len(heatmap["cells"]) == len(dims[heatmap["x"]]) * len(dims[heatmap["y"]])
        assert heatmap["texts"] > len(dims[heatmap["x"]]) + len(dims[heatmap["y"]])  # tick labels and titles
        # Every cell with a point carries its label, never a subset.
        assert len(heatmap["labels"]) == sum(not c["empty"] for c in heatmap["cells"])
    assert len(sweep.facts["series"]) == 4
    assert {line["column"] for s in sweep.facts["series"] for line in s["lines"]} == set(SNAPSHOT_COLUMNS)


def test_one_dimension_has_line_charts_only(one_dimension):
    assert one_dimension.varying() == ["num_drivers"]
    assert one_dimension.facts["heatmaps"] == []
    assert len(one_dimension.facts["lines"]) == len(METRICS)
    assert all(len(c["points"]) == 3 for c in one_dimension.facts["lines"])


def test_three_dimensions_include_categorical_values(three_dimensions):
    assert three_dimensions.varying() == ["commission_rate", "matching_algorithm_type", "surge_enabled"]
    values = {c["yValue"] for h in three_dimensions.facts["heatmaps"] if h["y"] == "surge_enabled" for c in h["cells"]}
    assert values == {"false", "true"}
    algos = {c["xValue"] for h in three_dimensions.facts["heatmaps"] if h["x"] == "matching_algorithm_type"
             for c in h["cells"]}
    assert algos == {'"simple"', '"hungarian"'}


# --- Numbers equal `ridesweep query` ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", CHARTED)
def test_heatmap_cells_equal_the_grouped_query(name, request):
    sweep = request.getfixturevalue(name)
    for heatmap in sweep.facts["heatmaps"]:
        rows = sweep.query(group_sql([heatmap["x"], heatmap["y"]]))
        oracle = {(r["key_0"], r["key_1"]): r for r in rows}
        metric = heatmap["metric"]
        for cell in heatmap["cells"]:
            row = oracle.get((cell["xValue"], cell["yValue"]))
            if row is None:
                assert cell["empty"], f"{metric} cell {cell} has no committed point but is not empty"
                continue
            assert not cell["empty"]
            assert int(cell["count"]) == int(row["n"])
            for stat in ("mean", "min", "max"):
                assert close(float(cell[stat]), float(row[f"{stat}_{metric}"])), (metric, stat, cell, row)


@pytest.mark.parametrize("name", CHARTED)
def test_line_points_equal_the_grouped_query(name, request):
    sweep = request.getfixturevalue(name)
    for chart in sweep.facts["lines"]:
        oracle = {r["key_0"]: r for r in sweep.query(group_sql([chart["x"]]))}
        metric = chart["metric"]
        assert {p["xValue"] for p in chart["points"]} == set(oracle)
        for point in chart["points"]:
            row = oracle[point["xValue"]]
            assert int(point["count"]) == int(row["n"])
            for stat in ("mean", "min", "max"):
                assert close(float(point[stat]), float(row[f"{stat}_{metric}"])), (metric, stat, point, row)


@pytest.mark.parametrize("name", CHARTED)
def test_every_metric_shares_one_colour_scale(name, request):
    sweep = request.getfixturevalue(name)
    for metric in METRICS:
        charts = [h for h in sweep.facts["heatmaps"] if h["metric"] == metric]
        if not charts:
            continue
        assert len({(h["scaleLo"], h["scaleHi"]) for h in charts}) == 1
        means = [(float(c["mean"]), c["fill"]) for h in charts for c in h["cells"] if not c["empty"]]
        lo = min(m for m, _ in means)
        hi = max(m for m, _ in means)
        if hi > lo:
            assert {f for m, f in means if m == lo} == {"#440154"}
            assert {f for m, f in means if m == hi} == {"#fde725"}


@pytest.mark.parametrize("name", CHARTED)
def test_top_configurations_equal_the_health_query(name, request):
    sweep = request.getfixturevalue(name)
    oracle = sweep.query(HEALTH_SQL)
    by_point = {int(r["point_index"]): r for r in oracle}
    configs = sweep.facts["configs"]
    assert len(configs) == min(10, len(oracle))
    scores = [float(c["score"]) for c in configs]
    assert scores == sorted(scores, reverse=True)
    for rank, config in enumerate(configs):
        row = by_point[int(config["pointIndex"])]
        assert close(float(config["score"]), float(row["score"])), (config, row)
        assert close(float(config["score"]), float(oracle[rank]["score"]))  # same order, ties aside
        contributions = {c["component"]: float(c["contribution"]) for c in config["components"]}
        for key, weight in WEIGHTS.items():
            expected = weight * float(row[f"n_{key}"])
            assert math.isclose(contributions[key], expected, abs_tol=1e-12), (key, contributions, row)
        assert math.isclose(sum(contributions.values()), float(config["score"]), abs_tol=1e-12)


@pytest.mark.parametrize("name", ALL_REPORTS)
def test_header_equals_the_profile_and_context_queries(name, request):
    sweep = request.getfixturevalue(name)
    header = sweep.facts["header"]
    profile = sweep.query("query_run_level_profile")[0]
    assert header["runId"] == sweep.run_id
    # Provenance: the build that accepted the run, as `ridesweep --version` names it.
    version = subprocess.run([str(ridesweep_binary()), "--version"], capture_output=True, text=True).stdout.split()
    assert header["build"] == f"{version[1]} (git {version[3].rstrip(',')})"
    assert int(header["shardAttempts"]) == int(profile["shard_attempts"])
    assert int(header["shardsSucceeded"]) == int(profile["successful_shards"])
    assert int(header["shardsFailed"]) == int(profile["failed_shards"])
    assert int(header["pointsSucceeded"]) == int(profile["successful_points"])
    assert header["runWindowSeconds"] == profile["run_window_seconds"]
    assert header["maxAttempt"] == profile["max_attempt"]
    if profile["points_per_second"]:
        assert close(float(header["profilePointsPerSecond"]), float(profile["points_per_second"]))
    else:
        assert header["profilePointsPerSecond"] == ""
    assert int(header["pointsPlanned"]) == int(profile["expected_points"])
    assert int(header["shardsPlanned"]) == int(profile["expected_shards"])
    context = sweep.query(CONTEXT_SQL)[0]
    assert header["requestFingerprint"] == context["request_fingerprint"] == sweep.manifest["request_fingerprint"]
    assert header["configFingerprint"] == context["config_fingerprint"] == sweep.manifest["config_fingerprint"]
    assert header["runDate"] == context["run_date"] == sweep.manifest["run_date"]
    # Wall time: first success start to last success end, from the stored outcome times.
    outcomes = [o for o in sweep.query(OUTCOMES_SQL) if o["status"] == "success"]
    if outcomes:
        wall = max(iso_ms(o["completed_time"]) for o in outcomes) - min(iso_ms(o["event_time"]) for o in outcomes)
        assert abs(int(header["wallTimeMs"]) - wall) <= 1
        points = sum(int(o["points_processed"]) for o in outcomes)
        assert math.isclose(float(header["pointsPerSecond"]), points / (int(header["wallTimeMs"]) / 1000),
                            rel_tol=1e-12)
    else:
        assert header["wallTimeMs"] == "" and header["pointsPerSecond"] == ""


@pytest.mark.parametrize("name", ALL_REPORTS)
def test_shard_table_equals_the_outcome_records(name, request):
    sweep = request.getfixturevalue(name)
    outcomes = sweep.query(OUTCOMES_SQL)
    rows = [r for r in sweep.facts["shards"] if r["status"] != "no record"]
    assert [(int(r["shardId"]), r["status"]) for r in rows] == [(int(o["shard_id"]), o["status"]) for o in outcomes]
    for row, outcome in zip(rows, outcomes):
        assert row["pointsProcessed"] == outcome["points_processed"]
        assert row["errorCode"] == outcome["error_code"]
        assert outcome["error_message"] in row["cells"][-1]
        expected = iso_ms(outcome["completed_time"]) - iso_ms(outcome["event_time"])
        assert abs(int(row["durationMs"]) - expected) <= 1
    expected_shards = len(sweep.manifest["shard_ranges"])
    missing = sweep.query("query_missing_shards", "--expected-shards", str(expected_shards))
    never_ran = sorted(int(m["shard_id"]) for m in missing if m["has_failure_record"] == "false")
    assert sorted(int(r["shardId"]) for r in sweep.facts["shards"] if r["status"] == "no record") == never_ran


@pytest.mark.parametrize("name", CHARTED)
def test_time_series_samples_are_stored_snapshot_rows(name, request):
    sweep = request.getfixturevalue(name)
    point = int(sweep.facts["timeseriesPoint"])
    assert point == int(sweep.facts["configs"][0]["pointIndex"])  # the best point by default
    rows = sweep.query(snapshots_sql(point))
    by_time = {int(r["timestamp_ms"]): r for r in rows}
    for chart in sweep.facts["series"]:
        stamps = chart["timestamps"]
        assert len(stamps) == min(720, len(rows))
        assert stamps[0] == int(rows[0]["timestamp_ms"]) and stamps[-1] == int(rows[-1]["timestamp_ms"])
        for line in chart["lines"]:
            assert line["drawn"] == len(stamps)
            for stamp, value in zip(stamps, line["values"]):
                assert int(by_time[stamp][line["column"]]) == value


def test_chosen_point_is_plotted(demo, cli, tmp_path):
    out = tmp_path / "point3.html"
    cli.run("report", "--run-id", demo.run_id, "--results-dir", str(demo.results), "--out", str(out), "--point", "3")
    assert 'id="point-timeseries" data-point-index="3"' in out.read_text()
    bad = cli.run("report", "--run-id", demo.run_id, "--results-dir", str(demo.results), "--out", str(out),
                  "--point", "999", "--force", check=False)
    assert bad.returncode == 2
    assert "point 999 has no committed results in run demo-run-001" in bad.stderr


# --- States and messages --------------------------------------------------------------------------------------------

def test_complete_run_says_so(demo):
    assert demo.facts["state"]["state"] == "complete"
    assert "written to" in demo.report_output.stdout and demo.html.exists()


def test_partial_run_hatches_the_cells_without_points(partial):
    assert partial.facts["state"]["state"] == "partial"
    assert "Partial results: 3 of 4 shards succeeded, 1 failed" in partial.facts["bannerText"]
    assert "Partial results" in partial.report_output.stdout
    assert any(c["empty"] for h in partial.facts["heatmaps"] for c in h["cells"])
    failed = [r for r in partial.facts["shards"] if r["status"] == "failure"]
    assert [(r["shardId"], r["errorCode"]) for r in failed] == [("1", "injected_failure")]
    assert "Injected shard failure for verification" in failed[0]["cells"][-1]


def test_run_with_only_failures_gets_a_report_that_says_so(all_failed):
    facts = all_failed.facts
    assert facts["state"]["state"] == "only_failures"
    assert facts["bannerText"].startswith("No point of this run succeeded")
    assert "No point of this run succeeded" in all_failed.report_output.stdout
    assert facts["heatmaps"] == [] and facts["lines"] == [] and facts["series"] == [] and facts["configs"] == []
    assert {r["errorCode"] for r in facts["shards"]} == {"injected_failure"}
    assert len(facts["shards"]) == 2


def test_run_without_any_result_gets_a_report_that_says_so(demo, cli, browser, tmp_path):
    # Only the manifest: the run was accepted, no shard has reported yet.
    manifest = pathlib.Path("serverless-sweeps/outcomes/runs/run_id=demo-run-001/manifest.json")
    (tmp_path / "results" / manifest.parent).mkdir(parents=True)
    shutil.copy(demo.results / manifest, tmp_path / "results" / manifest)
    out = tmp_path / "empty.html"
    proc = cli.run("report", "--run-id", "demo-run-001", "--results-dir", str(tmp_path / "results"), "--out", str(out))
    assert "This run has no results yet" in proc.stdout
    page = browser.load(out.resolve().as_uri(), script=PAGE_FACTS, screenshot=True)
    assert page.console_errors == [] and page.exceptions == []
    assert page.value["state"]["state"] == "empty"
    assert page.value["bannerText"].startswith("This run has no results yet")
    assert [r["status"] for r in page.value["shards"]] == ["no record"] * 4


def test_missing_results_directory_is_a_clear_error(cli, tmp_path):
    out = tmp_path / "r.html"
    proc = cli.run("report", "--run-id", "demo-run-001", "--results-dir", str(tmp_path / "nowhere"), "--out",
                   str(out), check=False)
    assert proc.returncode == 2
    assert f"Error: results directory '{tmp_path / 'nowhere'}' does not exist" in proc.stderr
    assert "ridesweep run" in proc.stderr
    assert not out.exists()


def test_unknown_run_is_a_clear_error(demo, cli, tmp_path):
    out = tmp_path / "r.html"
    proc = cli.run("report", "--run-id", "no-such-run", "--results-dir", str(demo.results), "--out", str(out),
                   check=False)
    assert proc.returncode == 1
    assert "Error: no run 'no-such-run' in the results under" in proc.stderr
    assert not out.exists()


# --- Pointers to the report -----------------------------------------------------------------------------------------

def test_run_summary_points_to_the_report(demo):
    assert f"ridesweep report --run-id demo-run-001 --results-dir {demo.results}" in demo.run_output.stdout


def test_serve_announces_and_serves_the_report(cli, tmp_path):
    results = tmp_path / "results"
    server = subprocess.Popen([str(cli.binary), "serve", "--port", "0", "--threads", "2", "--results-dir",
                               str(results)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        first = server.stdout.readline()
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)", first).group(1))
        assert "GET /runs/{run_id}/report" in first
        body = json.dumps({**ONE_DIMENSION, "run_id": "served-run"})
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("POST", "/sweep-run", body, {"Content-Type": "application/json"})
        accepted = conn.getresponse()
        accepted.read()
        assert accepted.status == 202
        deadline = time.monotonic() + 120
        announcement = ""
        while time.monotonic() < deadline and "served-run" not in announcement:
            announcement = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/runs/served-run/report" in announcement
        assert "ridesweep report --run-id served-run" in announcement
        conn.request("GET", "/runs/served-run/report")
        response = conn.getresponse()
        page = response.read().decode()
        assert response.status == 200
        assert response.getheader("Content-Type").startswith("text/html")
        assert page.count('class="chart line-band"') == len(METRICS)
        conn.request("GET", "/runs/not-a-run/report")
        missing = conn.getresponse()
        assert missing.status == 404
        assert json.loads(missing.read())["error"] == "not_found"
        conn.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
