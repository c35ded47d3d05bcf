"""The compact layout (`"layout": "per_shard"`): the demo request run in both layouts holds the same rows.

- Objects: one per dataset per shard under `dataset=<d>_per_shard/…/shard_id=S/part-0.parquet`, nothing under the
  per-point trees; the manifest records the layout.
- Rows: read with pyarrow and with DuckDB's Python package, the per_shard files hold exactly the per-point files'
  rows in point order, with point_index as a column.
- Readers: the local views, `query`, `ingest` and `status` give the same answers for both layouts.
- Athena: the raw per_shard tables and their views, modelled in DuckDB from the DDL and view files, expose the
  per-point tables' columns and rows, and the query files routed for a per_shard run answer as on the per-point run.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys

import duckdb
import pyarrow.parquet as pq
import pytest

import e2e_support as e2e

sys.path.insert(0, str(e2e.REPO / "tests" / "sql"))
import sql_files  # noqa: E402


@pytest.fixture(scope="module")
def compact_run(cli, demo_run, tmp_path_factory):
    request = dict(demo_run.request, layout="per_shard")
    path = tmp_path_factory.mktemp("compact") / "request.json"
    path.write_text(json.dumps(request))
    results = path.parent / "results"
    result = e2e.run_request(cli, path, results, "--threads", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    return results


def _per_shard_files(results_dir, dataset):
    files = sorted((e2e.results_root(results_dir) / f"dataset={dataset}_per_shard").rglob("*.parquet"))
    return sorted(files, key=lambda f: int(e2e.partitions_of(f).get("shard_id",
                                                                      e2e.partitions_of(f).get("shard_id_partition"))))


def test_one_object_per_dataset_per_shard_and_the_manifest_records_the_layout(compact_run, demo_run):
    for dataset in e2e.POINT_DATASETS:
        assert e2e.dataset_files(compact_run, dataset) == []
        files = _per_shard_files(compact_run, dataset)
        assert len(files) == 4, dataset
        for path in files:
            assert path.name == "part-0.parquet"
            assert e2e.partitions_of(path)["run_date"] == demo_run.run_date
    assert len(e2e.dataset_files(compact_run, "shard_outcomes")) == 4
    manifest = json.loads((e2e.results_root(compact_run) / "runs" / f"run_id={demo_run.run_id}" /
                           "manifest.json").read_text())
    assert manifest["normalized_request"]["layout"] == "per_shard"
    per_point = json.loads((e2e.results_root(demo_run.results_dir) / "runs" / f"run_id={demo_run.run_id}" /
                            "manifest.json").read_text())
    assert "layout" not in per_point["normalized_request"]  # the default is not written


@pytest.mark.parametrize("dataset", e2e.POINT_DATASETS)
def test_rows_equal_the_per_point_rows_in_pyarrow_and_duckdb(compact_run, demo_run, dataset):
    expected = []
    for path in e2e.dataset_files(demo_run.results_dir, dataset):
        parts = e2e.partitions_of(path)
        point = int(parts.get("point_index", parts.get("point_index_partition")))
        for row in pq.read_table(path).to_pylist():
            row.setdefault("point_index", point)
            expected.append(row)
    expected.sort(key=lambda row: row["point_index"])  # stable: a point's rows keep their file order
    actual = []
    for path in _per_shard_files(compact_run, dataset):
        table = pq.read_table(path)
        if dataset != "effective_parameters":
            assert table.schema.names[-1] == "point_index"
        actual.extend(table.to_pylist())
    assert actual == expected
    con = duckdb.connect()
    try:
        files = [str(p) for p in _per_shard_files(compact_run, dataset)]
        cursor = con.execute("SELECT * FROM read_parquet(?, hive_partitioning = false)", [files])
        names = [d[0] for d in cursor.description]
        assert [dict(zip(names, row)) for row in cursor.fetchall()] == expected
    finally:
        con.close()


def _query(cli, name, run_id, results_dir):
    proc = cli.run("query", name, "--run-id", run_id, "--results-dir", results_dir)
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout)))


@pytest.mark.parametrize("name", ["query_run_readiness", "query_trip_snapshot_join",
                                  "query_outcome_configuration_smoke", "query_shard_coverage"])
def test_queries_answer_the_same_for_both_layouts(cli, compact_run, demo_run, name):
    compact = _query(cli, name, demo_run.run_id, compact_run)
    assert compact
    assert compact == _query(cli, name, demo_run.run_id, demo_run.results_dir)


def test_ingest_and_status_read_the_compact_run(cli, compact_run, demo_run):
    ingest = cli.run("ingest", "--run-id", demo_run.run_id, "--results-dir", compact_run)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert ingest.stdout.splitlines()[-1] == "Readiness check passed."
    status = cli.run("status", "--run-id", demo_run.run_id, "--results-dir", compact_run, "--json")
    assert status.returncode == 0, status.stderr
    progress = json.loads(status.stdout)
    assert (progress["points_done"], progress["points_planned"], progress["complete"]) == (8, 8, True)


def test_report_and_runs_list_read_the_compact_run(cli, compact_run, demo_run, tmp_path):
    report = cli.run("report", "--run-id", demo_run.run_id, "--results-dir", compact_run, "--out", tmp_path / "r.html")
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "r.html").stat().st_size > 1000
    listing = cli.run("runs", "list", "--json", "--results-dir", compact_run)
    assert listing.returncode == 0, listing.stderr
    assert '"layout":"per_shard"' in listing.stdout.replace(" ", ""), listing.stdout


def test_a_missing_shard_object_fails_ingest_and_a_rerun_repairs_it(cli, compact_run, demo_run, tmp_path):
    import shutil
    copy = tmp_path / "results"
    shutil.copytree(compact_run, copy)
    _per_shard_files(copy, "trip_data")[1].unlink()
    ingest = cli.run("ingest", "--run-id", demo_run.run_id, "--results-dir", copy)
    assert ingest.returncode == 1, ingest.stdout + ingest.stderr
    request = tmp_path / "request.json"
    request.write_text(json.dumps(dict(demo_run.request, layout="per_shard")))
    rerun = e2e.run_request(cli, request, copy, "--threads", "2")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert e2e.tree_digest(e2e.results_root(copy) / "dataset=trip_data_per_shard") == \
        e2e.tree_digest(e2e.results_root(compact_run) / "dataset=trip_data_per_shard")


# ----------------------------------------------------------------------------------------------------------------
# Athena: the raw per_shard tables and their views, modelled in DuckDB


def _route(sql: str) -> str:
    """What `ridesweep query`/`ingest`/`export` send Athena for a per_shard run (analytics/layout_tables.h): each
    whole word sweep_<d> of the four per-point datasets becomes sweep_<d>_per_shard."""
    return re.sub(r"\b(sweep_(?:shard_metrics|trip_data|snapshot_counts|effective_parameters))\b", r"\1_per_shard",
                  sql)


def _athena_catalog(con, results_dir, schema="athena"):
    """The compact run as Athena's catalog would hold it, in DuckDB: each raw table of create_table_<d>_per_shard.sql
    as a view over its LOCATION with the DDL's columns and types (partition values are strings, like Athena's
    string partitions), then create_view_<d>_per_shard.sql exactly as Athena runs it. The run-level tables are the
    local engine's views of the same run."""
    root = e2e.results_root(results_dir)
    sql_files.create_local_views(con, root)
    con.execute(f"CREATE SCHEMA {schema}")
    for table in ("sweep_shard_outcomes", "sweep_run_context"):
        con.execute(f"CREATE VIEW {schema}.{table} AS SELECT * FROM ride_sim_analytics.{table}")
    ddl = e2e.ddl_tables()
    for dataset in e2e.POINT_DATASETS:
        raw = ddl[f"{dataset}_per_shard"]
        columns = ", ".join(f"CAST({name} AS {e2e.TYPE_MAP[kind][1]}) AS {name}"
                            for name, kind in raw.columns + raw.partitions)
        con.execute(f"CREATE VIEW {schema}.{raw.table} AS SELECT {columns} FROM read_parquet("
                    f"'{root}/dataset={dataset}_per_shard/**/*.parquet', hive_partitioning = true, "
                    "hive_types_autocast = false)")
        view = sql_files.substitute((e2e.ATHENA_DIR / f"create_view_{dataset}_per_shard.sql").read_text(),
                                    {"database": schema}, dataset)
        con.execute(view.rstrip().rstrip(";"))


def _describe(con, relation):
    return [(row[0], row[1]) for row in con.execute(f"DESCRIBE {relation}").fetchall()]


def _sorted_rows(con, sql):
    return sorted(con.execute(sql).fetchall(), key=repr)


@pytest.fixture(scope="module")
def athena_pair(compact_run, demo_run):
    """(the compact run through the Athena model, the per-point run through the local engine's views)."""
    athena, local = duckdb.connect(), duckdb.connect()
    _athena_catalog(athena, compact_run)
    sql_files.create_local_views(local, e2e.results_root(demo_run.results_dir))
    yield athena, local
    athena.close()
    local.close()


@pytest.mark.parametrize("dataset", e2e.POINT_DATASETS)
def test_athena_per_shard_views_equal_the_per_point_tables(athena_pair, dataset):
    """Same column names and types in the same order, and the same rows, as the per-point table of the same
    request: a query written for one layout reads the other."""
    athena, local = athena_pair
    table = f"sweep_{dataset}"
    assert _describe(athena, f"athena.{table}_per_shard") == _describe(local, f"ride_sim_analytics.{table}")
    rows = _sorted_rows(athena, f"SELECT * FROM athena.{table}_per_shard")
    assert rows and rows == _sorted_rows(local, f"SELECT * FROM ride_sim_analytics.{table}")


@pytest.mark.parametrize("name", ["query_run_readiness", "query_trip_snapshot_join",
                                  "query_outcome_configuration_smoke", "query_configuration_summary"])
def test_routed_query_files_answer_the_same_on_the_athena_views(athena_pair, demo_run, name):
    """Every query file that reads point tables, routed as for a per_shard run and run over the Athena model of the
    compact run, answers what it answers unrouted over the per-point run."""
    athena, local = athena_pair
    routed = _route(sql_files.query_file_text(f"{name}.sql", {"database": "athena", "run_id": demo_run.run_id}))
    assert "_per_shard" in routed and re.search(r"athena\.sweep_(shard_metrics|trip_data)\b(?!_)", routed) is None
    compact = athena.execute(routed).fetchall()
    assert compact
    assert compact == local.execute(sql_files.query_file_text(
        f"{name}.sql", {"database": "ride_sim_analytics", "run_id": demo_run.run_id})).fetchall()
