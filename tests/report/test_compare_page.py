"""`ridesweep compare --html`, end to end: two replicated runs of one grid (the second with more riders and another
seed) through the real CLI, the comparison page rendered in headless Chromium (offline, no error), and every
difference and interval it draws equal to `ridesweep compare --json` over the same results. Also the page's
output-file rules, shared with `ridesweep report`."""

from __future__ import annotations

import json
import math

import pytest

from conftest import write_request

BASE = {"shard_count": 2, "replications": 3,
        "dimensions": {"num_drivers": [20, 40, 80], "num_riders": [150], "match_radius": [5],
                       "simulation_duration_hours": [1]}}
RUN_A = {**BASE, "run_id": "compare-page-a", "seed": 3}
RUN_B = {**BASE, "run_id": "compare-page-b", "seed": 4, "dimensions": {**BASE["dimensions"], "num_riders": [300]}}

FACTS = """(() => ({
  summary: Object.assign({}, document.querySelector('#comparison-summary').dataset),
  fixed: Array.from(document.querySelectorAll('.fixed-difference')).map((f) => f.dataset.name),
  metrics: Array.from(document.querySelectorAll('#metric-summary tr[data-metric]')).map((r) =>
    Object.assign({}, r.dataset)),
  charts: Array.from(document.querySelectorAll('svg.difference')).map((svg) => ({
    metric: svg.dataset.metric,
    width: svg.getBoundingClientRect().width,
    rows: Array.from(svg.querySelectorAll('g.difference-row')).map((g) => Object.assign({}, g.dataset)),
  })),
  tables: document.querySelectorAll('table.comparison-table').length,
  external: document.querySelectorAll('link, img, iframe, script[src], object, embed').length,
}))()"""


@pytest.fixture(scope="module")
def results(cli, tmp_path_factory):
    root = tmp_path_factory.mktemp("compare-page")
    for request in (RUN_A, RUN_B):
        cli.run("run", str(write_request(root, request)), "--results-dir", str(root / "results"))
    return root / "results"


def test_page_draws_what_json_says(cli, browser, results, tmp_path):
    out = tmp_path / "compare.html"
    proc = cli.run("compare", "compare-page-a", "compare-page-b", "--results-dir", str(results), "--html", str(out))
    assert proc.stdout.startswith(f"Comparison of run compare-page-b against run compare-page-a written to {out}")
    body = json.loads(cli.run("compare", "compare-page-a", "compare-page-b", "--results-dir", str(results),
                              "--json").stdout)
    page = browser.load(out.resolve().as_uri(), script=FACTS, screenshot=True)
    assert page.console_errors == [] and page.exceptions == [] and page.log_errors == []
    assert page.requests == [out.resolve().as_uri()]
    facts = page.value
    assert facts["external"] == 0
    assert facts["summary"] == {"matched": "3", "configurationsA": "3", "configurationsB": "3"}
    assert facts["fixed"] == ["num_riders"]
    assert [(m["metric"], int(m["excludingZero"])) for m in facts["metrics"]] == [
        (m["metric"], m["excluding_zero"]) for m in body["metrics"]]
    assert len(facts["charts"]) == facts["tables"] == len(body["metrics"])
    for chart in facts["charts"]:
        assert chart["width"] > 300
        assert len(chart["rows"]) == 3
        for drawn, row in zip(chart["rows"], body["rows"]):
            expected = row["metrics"][chart["metric"]]
            assert drawn["configuration"] == f"num_drivers={row['dimensions']['num_drivers']}"
            # Two invocations: DuckDB's parallel AVG/STDDEV_SAMP may differ in the last bits between them.
            for key, name in (("difference", "difference"), ("ciLow", "ci_low"), ("ciHigh", "ci_high")):
                assert math.isclose(float(drawn[key]), expected[name], rel_tol=1e-12, abs_tol=1e-15)
            assert drawn["excludesZero"] == ("true" if expected["excludes_zero"] else "false")


def test_existing_page_needs_force_and_bad_paths_leave_nothing(cli, results, tmp_path):
    out = tmp_path / "compare.html"
    out.write_text("keep me")
    args = ("compare", "compare-page-a", "compare-page-b", "--results-dir", str(results), "--html")
    proc = cli.run(*args, str(out), check=False)
    assert proc.returncode == 2 and proc.stderr == f"Error: {out} already exists; pass --force to replace it\n"
    assert out.read_text() == "keep me"
    cli.run(*args, str(out), "--force")
    assert out.read_text().startswith("<!DOCTYPE html>")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    proc = cli.run(*args, str(blocker / "compare.html"), check=False)
    assert proc.returncode == 3 and proc.stderr.startswith(f"Error: cannot write {blocker / 'compare.html'}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare.html", "not-a-directory"]
