"""The analysis SQL on the Athena path: `query --engine athena` submits query_configuration_summary.sql and the
generated sweep_points SELECT (`export --print-sql`, passed with -c) through the real CLI and Athena client to the
authorising moto server, which records the statement but does not execute SQL. Each recorded statement is then
executed by DuckDB over the reference local views of tests/sql/sql_files.py (the project's mapping of the Athena
tables onto the results tree, with its json_extract_scalar macro), and returns exactly the rows the local engine
prints; moto, seeded with those rows spelled as Athena spells them, makes the CLI print the local CSV byte for
byte."""

from __future__ import annotations

import sys

import duckdb

from athena_cli import QUERY_OUTPUT, execution_ids, executions_since, run_cli, seed_results
from conftest import REPO
from test_athena_query_moto import RUN_ID, athena_result_of, local_query, parse_csv_line, statement

sys.path.insert(0, str(REPO / "tests" / "sql"))
import sql_files  # noqa: E402

ATHENA = ["query", "--engine", "athena", "--run-id", RUN_ID, "--poll-interval-seconds", "0.05",
          "--athena-query-output", QUERY_OUTPUT]
SUMMARY_TYPES = {"metric": "varchar", "mean": "double", "sd": "double", "ci95_low": "double", "ci95_high": "double",
                 "not_distinguishable_from_best": "boolean"}
# The SQL types Athena reports for the demo run's sweep_points columns that are not bigint.
SWEEP_POINTS_TYPES = {"run_id": "varchar", "seed": "decimal(20,0)", "commission_rate": "double",
                      "truncated": "boolean"}
SWEEP_POINTS_TYPES.update({name: "double" for name in (
    "conversion_rate", "platform_revenue", "driver_payouts", "total_fares_collected", "avg_time_to_match_ms",
    "median_time_to_match_ms", "p90_time_to_match_ms", "avg_time_to_pickup_ms", "median_time_to_pickup_ms",
    "p90_time_to_pickup_ms", "match_rate", "share_matched_within_60s", "share_matched_within_180s")})


def duckdb_rows(results, sql: str) -> list[list[str | None]]:
    """`sql` run by DuckDB over the reference views, cells as the local engine prints them (via VARCHAR)."""
    con = duckdb.connect()
    sql_files.create_local_views(con, results / "serverless-sweeps" / "outcomes")
    cursor = con.execute(f"SELECT * FROM ({sql})")
    columns = [d[0] for d in cursor.description]
    cast = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in columns)
    return [list(r) for r in con.execute(f"SELECT {cast} FROM ({sql})").fetchall()]


def local_rows(csv_text: str) -> list[list[str | None]]:
    return [parse_csv_line(line) for line in csv_text.splitlines()[1:]]


def test_configuration_summary_on_athena_returns_the_local_rows(cli, moto, demo_run):
    local = local_query(cli, demo_run, ["query_configuration_summary"])
    assert local.returncode == 0, local.stderr
    seed_results(moto, [athena_result_of(local.stdout, SUMMARY_TYPES)])
    before = execution_ids(moto)
    proc = run_cli(cli, [*ATHENA, "query_configuration_summary"], moto, moto.operator)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == local.stdout
    [execution] = executions_since(moto, before)
    assert execution["Query"] == statement("query_configuration_summary.sql")
    assert duckdb_rows(demo_run, execution["Query"]) == local_rows(local.stdout)


def test_generated_sweep_points_sql_on_athena_returns_the_local_rows(cli, moto, demo_run):
    printed = run_cli(cli, ["export", "--run-id", RUN_ID, "--results-dir", str(demo_run), "--print-sql"], moto, None)
    assert printed.returncode == 0, printed.stderr
    local = local_query(cli, demo_run, ["-c", "SELECT * FROM ride_sim_analytics.sweep_points"])
    assert local.returncode == 0, local.stderr
    seed_results(moto, [athena_result_of(local.stdout, SWEEP_POINTS_TYPES)])
    before = execution_ids(moto)
    proc = run_cli(cli, [*ATHENA, "-c", printed.stdout], moto, moto.operator)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == local.stdout
    [execution] = executions_since(moto, before)
    assert execution["Query"] == printed.stdout.rstrip().removesuffix(";")
    assert duckdb_rows(demo_run, execution["Query"]) == local_rows(local.stdout)
