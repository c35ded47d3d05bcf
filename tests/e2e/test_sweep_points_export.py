"""The flat table of a run and the queries around it, through the real CLI over a real replicated run:

- `ridesweep export` writes sweep_points (one row per committed point: identity, seed, one typed column per
  dimension, every metric) as Parquet, CSV and JSON; pandas and pyarrow read the files and every column of every
  row equals the stored datasets read independently with pyarrow.
- `export --print-sql` (the generated SQL, the text meant for Athena) run by the Python DuckDB package over the
  reference local views returns the exported rows.
- Bad input: unknown run (3), run with no committed point (1), an unsupported extension, an existing file
  without --force and an unwritable directory (2); nothing partial is left behind.
- `query`: sweep_points in every local query, several statements (the last is printed), -c, stdin, the four
  formats, an unknown run (3, naming run and results location).
- Statistics by configuration: query_configuration_summary.sql agrees with `status --json`'s configuration
  summary, which the library computes (n, mean, sd, Student-t interval, the not-distinguishable mark).
"""

from __future__ import annotations

import csv
import io
import json
import math
import pathlib
import sys

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

import e2e_support as e2e

sys.path.insert(0, str(e2e.REPO / "tests" / "sql"))
import sql_files  # noqa: E402  (the reference implementation of the local views)

RUN_ID = "points-run"
REQUEST = {
    "run_id": RUN_ID,
    "dimensions": {"num_riders": [60], "num_drivers": [10, 30], "commission_rate": [0.1, 0.3],
                   "matching_algorithm_type": ["hungarian"]},
    "replications": 3,
    "shard_count": 3,
    "seed": -5,  # point seeds above 2^63: the seed column must hold unsigned 64-bit values
}
DIMENSIONS = {"commission_rate": "float64", "matching_algorithm_type": "object", "num_drivers": "int64",
              "num_riders": "int64"}
IDENTITY = ["run_id", "point_index", "config_index", "replicate", "seed"]


@pytest.fixture(scope="module")
def points_run(cli, tmp_path_factory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("points")
    request = root / "request.json"
    request.write_text(json.dumps(REQUEST))
    results = root / "results"
    run = e2e.run_request(cli, request, results, "--threads", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    return results


def stored_points(results: pathlib.Path) -> dict[int, dict]:
    """Per point: the shard_metrics row and the effective_parameters row, read file by file with pyarrow."""
    points: dict[int, dict] = {}
    for path in e2e.dataset_files(results, "shard_metrics", RUN_ID):
        (row,) = pq.read_table(path).to_pylist()
        points.setdefault(int(e2e.partitions_of(path)["point_index"]), {})["metrics"] = row
    for path in e2e.dataset_files(results, "effective_parameters", RUN_ID):
        (row,) = pq.read_table(path).to_pylist()
        points.setdefault(row["point_index"], {})["parameters"] = row
    return points


def metric_columns(results: pathlib.Path) -> list[str]:
    names = pq.read_schema(e2e.dataset_files(results, "shard_metrics", RUN_ID)[0]).names
    return [n for n in names if n not in ("config_index", "replicate")]


def same(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) and \
            (b is None or (isinstance(b, float) and math.isnan(b)))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def check_rows(rows: list[dict], results: pathlib.Path) -> None:
    stored = stored_points(results)
    assert [r["point_index"] for r in rows] == sorted(stored) == list(range(12))
    for row in rows:
        point = row["point_index"]
        metrics, parameters = stored[point]["metrics"], stored[point]["parameters"]
        effective = json.loads(parameters["effective_parameters_json"])
        assert row["run_id"] == RUN_ID
        assert (row["config_index"], row["replicate"]) == (point // 3, point % 3)
        assert int(row["seed"]) == e2e.point_seed(REQUEST["seed"], point) == \
            effective["resolved_scenario_parameters"]["seed"]
        for name in DIMENSIONS:
            assert same(row[name], effective["selected_dimensions"][name]), (point, name)
        for name in metric_columns(results):
            assert same(row[name], metrics[name]), (point, name, row[name], metrics[name])


def test_parquet_export_reads_back_with_pandas_and_pyarrow(cli, points_run, tmp_path):
    out = tmp_path / "points.parquet"
    proc = cli.run("export", "--run-id", RUN_ID, "--results-dir", points_run, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"exported 12 points of run {RUN_ID} to {out}\n"
    frame = pd.read_parquet(out)
    assert list(frame.columns) == IDENTITY + sorted(DIMENSIONS) + metric_columns(points_run)
    assert str(frame["seed"].dtype) == "uint64"
    assert {name: str(frame[name].dtype) for name in DIMENSIONS} == {
        **DIMENSIONS, "matching_algorithm_type": str(frame["matching_algorithm_type"].dtype)}
    assert frame["matching_algorithm_type"].tolist() == ["hungarian"] * 12
    for name in ("point_index", "config_index", "replicate", "completed_trips"):
        assert str(frame[name].dtype) == "int64"
    table = pq.read_table(out)
    assert table.schema.field("seed").type == "uint64"
    assert table.num_rows == 12
    check_rows(table.to_pylist(), points_run)
    check_rows(frame.to_dict("records"), points_run)


def test_csv_and_json_exports_hold_the_same_rows(cli, points_run, tmp_path):
    parquet = tmp_path / "points.parquet"
    assert cli.run("export", "--run-id", RUN_ID, "--results-dir", points_run, "--out", parquet).returncode == 0
    expected = pd.read_parquet(parquet)
    for suffix, read in ((".csv", pd.read_csv), (".json", pd.read_json)):
        out = tmp_path / f"points{suffix}"
        proc = cli.run("export", "--run-id", RUN_ID, "--results-dir", points_run, "--out", out)
        assert proc.returncode == 0, proc.stderr
        frame = read(out)
        assert list(frame.columns) == list(expected.columns), suffix
        check_rows(frame.to_dict("records"), points_run)


def test_export_keeps_only_the_metrics_asked_for(cli, points_run, tmp_path):
    out = tmp_path / "two.parquet"
    proc = cli.run("export", "--run-id", RUN_ID, "--results-dir", points_run, "--out", out,
                   "--metrics", "platform_revenue,conversion_rate")
    assert proc.returncode == 0, proc.stderr
    # Table order, whatever the order asked for.
    assert pq.read_schema(out).names == IDENTITY + sorted(DIMENSIONS) + ["conversion_rate", "platform_revenue"]
    unknown = cli.run("export", "--run-id", RUN_ID, "--results-dir", points_run, "--out", tmp_path / "x.parquet",
                      "--metrics", "conversion_rate,revenue")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("Error: unknown metric 'revenue' (metrics: total_riders, completed_riders, ")
    assert not (tmp_path / "x.parquet").exists()


def test_printed_sql_returns_the_exported_rows_on_the_reference_views(cli, points_run, tmp_path):
    """The generated SQL as Athena would receive it, run by DuckDB over the views of tests/sql/sql_files.py."""
    printed = cli.run("export", "--run-id", RUN_ID, "--results-dir", points_run, "--print-sql")
    assert printed.returncode == 0, printed.stderr
    sql = printed.stdout
    assert "ride_sim_analytics.sweep_shard_metrics" in sql and f"'{RUN_ID}'" in sql and "${" not in sql
    con = duckdb.connect()
    sql_files.create_local_views(con, e2e.results_root(points_run))
    cursor = con.execute(sql.rstrip().rstrip(";"))
    columns = [d[0] for d in cursor.description]
    rows = [dict(zip(columns, r)) for r in cursor.fetchall()]
    check_rows(rows, points_run)


def test_export_bad_input(cli, points_run, demo_copy, tmp_path):
    def export(*args):
        return cli.run("export", "--run-id", *args)

    unknown = export("never-ran", "--results-dir", points_run, "--out", tmp_path / "a.parquet")
    assert unknown.returncode == 3
    assert "no run 'never-ran' in " in unknown.stderr and str(points_run) in unknown.stderr
    bad_extension = export(RUN_ID, "--results-dir", points_run, "--out", tmp_path / "a.xlsx")
    assert (bad_extension.returncode, bad_extension.stderr) == (
        2, "Error: unsupported export format '.xlsx': use .parquet, .csv or .json\n")
    existing = tmp_path / "existing.csv"
    existing.write_text("keep me\n")
    refused = export(RUN_ID, "--results-dir", points_run, "--out", existing)
    assert refused.returncode == 2 and "exists (use --force to replace it)" in refused.stderr
    assert existing.read_text() == "keep me\n"
    forced = export(RUN_ID, "--results-dir", points_run, "--out", existing, "--force")
    assert forced.returncode == 0, forced.stderr
    assert existing.read_text().startswith("run_id,point_index,config_index,replicate,seed,")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for unwritable in (tmp_path / "missing-dir" / "a.parquet", blocker / "a.parquet"):
        proc = export(RUN_ID, "--results-dir", points_run, "--out", unwritable)
        assert proc.returncode == 2 and f"cannot write {unwritable}" in proc.stderr, proc.stderr

    # A run whose points were never committed (effective_parameters gone): known, but nothing to export.
    for path in e2e.dataset_files(demo_copy, "effective_parameters"):
        path.unlink()
    empty = export("demo-run-001", "--results-dir", demo_copy, "--out", tmp_path / "empty.parquet")
    assert empty.returncode == 1
    assert "run 'demo-run-001' has no committed point in " in empty.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "existing.csv", "results"]  # results: demo_copy


def query(cli, results, *args, stdin=None):
    return cli.run("query", "--run-id", RUN_ID, "--results-dir", results, *args, stdin=stdin)


def test_query_sees_sweep_points_runs_every_statement_and_prints_the_last(cli, points_run):
    proc = query(cli, points_run, "-c", "CREATE TEMP TABLE t AS SELECT * FROM ride_sim_analytics.sweep_points;\n"
                                         "SELECT COUNT(*) AS n, SUM(replicate) AS r FROM t")
    assert (proc.returncode, proc.stdout) == (0, "n,r\n12,12\n"), proc.stderr
    from_stdin = query(cli, points_run, "-", stdin="SELECT num_drivers, COUNT(*) AS n\n"
                                                   "FROM ${database}.sweep_points WHERE run_id = '${run_id}'\n"
                                                   "GROUP BY num_drivers ORDER BY num_drivers;\n")
    assert (from_stdin.returncode, from_stdin.stdout) == (0, "num_drivers,n\n10,6\n30,6\n"), from_stdin.stderr
    both = query(cli, points_run, "query_run_level_profile", "-c", "SELECT 1")
    assert both.returncode == 2 and "exactly one of" in both.stderr


def test_query_formats(cli, points_run):
    sql = "SELECT point_index, matching_algorithm_type AS m, CAST(NULL AS VARCHAR) AS z, truncated " \
          "FROM ride_sim_analytics.sweep_points WHERE point_index < 2 ORDER BY point_index"
    as_json = query(cli, points_run, "-c", sql, "--format", "json")
    assert json.loads(as_json.stdout) == [{"point_index": 0, "m": "hungarian", "z": None, "truncated": False},
                                          {"point_index": 1, "m": "hungarian", "z": None, "truncated": False}]
    assert query(cli, points_run, "-c", sql, "--format", "markdown").stdout == (
        "| point_index | m | z | truncated |\n| --- | --- | --- | --- |\n"
        "| 0 | hungarian |  | false |\n| 1 | hungarian |  | false |\n")
    assert query(cli, points_run, "-c", sql, "--format", "table").stdout == (
        "point_index  m          z  truncated\n-----------  ---------  -  ---------\n"
        "0            hungarian     false\n1            hungarian     false\n")
    assert query(cli, points_run, "-c", sql, "--format", "xml").returncode == 2


def test_a_large_csv_result_streams_in_batches_and_equals_the_json(cli, points_run):
    """Every format is written batch by batch (4,096 rows each): 10,000 rows come out whole, in order, with one
    header, the same rows in CSV, JSON and markdown, and the table format (which keeps its rows for the widths)
    agrees."""
    sql = "SELECT range AS i, CASE WHEN range % 3 = 0 THEN NULL ELSE 'r' || range END AS s FROM range(10000)"
    as_csv = query(cli, points_run, "-c", sql)
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["i", "s"] and len(rows) == 10001
    as_json = json.loads(query(cli, points_run, "-c", sql, "--format", "json").stdout)
    assert [[str(r["i"]), r["s"] or ""] for r in as_json] == rows[1:]
    assert [int(r[0]) for r in rows[1:]] == list(range(10000))
    markdown = query(cli, points_run, "-c", sql, "--format", "markdown").stdout.splitlines()
    assert markdown[:2] == ["| i | s |", "| --- | --- |"] and len(markdown) == 10002
    assert [line.strip("| ").split(" | ") if " |  |" not in line else [line.split(" |")[0].strip("| "), ""]
            for line in markdown[2:]] == rows[1:]
    table = query(cli, points_run, "-c", sql, "--format", "table").stdout.splitlines()
    assert len(table) == 10002 and [line.split() for line in table[2:]] == [[r[0], r[1]] if r[1] else [r[0]]
                                                                          for r in rows[1:]]


def test_query_of_an_unknown_run_exits_3_naming_run_and_location(cli, points_run):
    proc = cli.run("query", "query_run_level_profile", "--run-id", "never-ran", "--results-dir", points_run)
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert proc.stderr == f"Error: no run 'never-ran' in {e2e.results_root(points_run)}\n"


def test_configuration_summary_query_agrees_with_status_json(cli, points_run):
    proc = query(cli, points_run, "query_configuration_summary")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 4 * 7
    status = cli.run("status", "--run-id", RUN_ID, "--results-dir", points_run, "--json")
    assert status.returncode == 0, status.stderr
    summary = json.loads(status.stdout)["configuration_summary"]
    assert [c["rank"] for c in summary] == [1, 2, 3, 4]
    assert summary[0]["not_distinguishable_from_best"] is True
    by_config = {c["first_point_index"] // 3: c for c in summary}
    for row in rows:
        config = by_config[int(row["config_index"])]
        stats = config["health_score"] if row["metric"] == "health_score" else config["metrics"][row["metric"]]
        assert int(row["n"]) == stats["n"] == 3 and int(row["missing"]) == stats["missing"]
        for key in ("mean", "sd", "ci95_low", "ci95_high"):
            assert math.isclose(float(row[key]), stats[key], rel_tol=1e-9, abs_tol=1e-9), (row, key)
        if row["metric"] == "health_score":
            assert row["not_distinguishable_from_best"] == str(config["not_distinguishable_from_best"]).lower()
        # The interval is mean ± t(0.975, 2) · sd / √3.
        half = 4.3027 * stats["sd"] / math.sqrt(3)
        assert math.isclose(stats["ci95_high"] - stats["mean"], half, rel_tol=1e-9, abs_tol=1e-12)
