"""`ridesweep export --engine athena` and unknown runs on the Athena path, through the real CLI and Athena and S3
clients against the authorising moto server. The run manifest is read from the results bucket (an unknown run
exits 3 with the local engine's message before anything is submitted); the generated sweep_points SELECT is
submitted to moto, which records it but does not execute SQL, so the recorded statement is executed by DuckDB
over the reference local views (test_athena_analysis_moto.duckdb_rows) and must give the local rows; moto, seeded
with those rows spelled as Athena spells them, makes the CLI write a file equal to the local export."""

from __future__ import annotations

import pathlib
import subprocess

import pyarrow.parquet as pq
import pytest

from athena_cli import QUERY_OUTPUT, execution_ids, executions_since, run_cli, seed_results
from conftest import REPO, RESULTS_PREFIX
from test_athena_analysis_moto import SWEEP_POINTS_TYPES, duckdb_rows, local_rows
from test_athena_query_moto import RUN_ID, athena_result, athena_result_of, local_query

ATHENA = ["--engine", "athena", "--poll-interval-seconds", "0.05", "--athena-query-output", QUERY_OUTPUT]


def upload(moto, results: pathlib.Path, root: str = "") -> None:
    s3 = moto.client("s3")
    for path in sorted(p for p in results.rglob("*") if p.is_file()):
        s3.put_object(Bucket=moto.bucket, Key=root + path.relative_to(results).as_posix(), Body=path.read_bytes())


def local_export(cli, results: pathlib.Path, out: pathlib.Path, extra: list[str] | None = None):
    return subprocess.run([cli, "export", "--run-id", RUN_ID, "--results-dir", str(results), "--out", str(out),
                           *(extra or [])], capture_output=True, text=True, cwd=REPO, timeout=120)


def athena_export(cli, moto, out: pathlib.Path, extra: list[str] | None = None, run_id: str = RUN_ID):
    return run_cli(cli, ["export", "--run-id", run_id, "--out", str(out), "--results-bucket", moto.bucket, *ATHENA,
                         *(extra or [])], moto, moto.operator)


def seed_local_points(cli, moto, results: pathlib.Path) -> str:
    """Seeds moto with the local sweep_points rows; returns the local CSV."""
    local = local_query(cli, results, ["-c", "SELECT * FROM ride_sim_analytics.sweep_points"])
    assert local.returncode == 0, local.stderr
    seed_results(moto, [athena_result_of(local.stdout, SWEEP_POINTS_TYPES)])
    return local.stdout


def leftovers(directory: pathlib.Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".ridesweep-export"))


@pytest.mark.parametrize("extension, extra", [
    ("parquet", []),
    ("csv", []),
    ("json", []),
    ("parquet", ["--metrics", "platform_revenue,conversion_rate"]),
])
def test_the_athena_export_equals_the_local_export(cli, moto, demo_run, tmp_path, extension, extra):
    upload(moto, demo_run)
    local_file = tmp_path / f"local.{extension}"
    local = local_export(cli, demo_run, local_file, extra)
    assert local.returncode == 0, local.stderr
    local_csv = seed_local_points(cli, moto, demo_run)
    printed = run_cli(cli, ["export", "--run-id", RUN_ID, "--results-dir", str(demo_run), "--print-sql"], moto, None)
    assert printed.returncode == 0, printed.stderr
    before = execution_ids(moto)

    athena_file = tmp_path / f"athena.{extension}"
    proc = athena_export(cli, moto, athena_file, extra)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == local.stdout.replace(str(local_file), str(athena_file))
    [execution] = executions_since(moto, before)
    assert execution["Query"] == printed.stdout.rstrip().removesuffix(";")
    assert duckdb_rows(demo_run, execution["Query"]) == local_rows(local_csv)
    if extension == "parquet":
        athena_table, local_table = pq.read_table(athena_file), pq.read_table(local_file)
        assert athena_table.schema == local_table.schema
        assert athena_table.equals(local_table)
        assert athena_table.num_rows == len(local_csv.splitlines()) - 1
    else:
        assert athena_file.read_bytes() == local_file.read_bytes()
    assert leftovers(tmp_path) == []


def test_bad_targets_exit_2_submit_nothing_and_leave_nothing(cli, moto, demo_run, tmp_path):
    upload(moto, demo_run)
    existing = tmp_path / "points.csv"
    existing.write_text("keep me\n")
    before = execution_ids(moto)
    cases = [
        (existing, [], f"Error: {existing} exists (use --force to replace it)\n"),
        (tmp_path / "points.xlsx", [], "Error: unsupported export format '.xlsx': use .parquet, .csv or .json\n"),
        (tmp_path / "missing-dir" / "points.csv", [],
         f"Error: cannot write {tmp_path / 'missing-dir' / 'points.csv'}: No such file or directory\n"),
        (tmp_path / "points.parquet", ["--metrics", "no_such_metric"], None),
    ]
    for out, extra, message in cases:
        proc = athena_export(cli, moto, out, extra)
        local = local_export(cli, demo_run, out, extra)
        assert (proc.returncode, proc.stderr) == (local.returncode, local.stderr), out
        assert proc.returncode == 2, proc.stderr
        if message is not None:
            assert proc.stderr == message
    assert existing.read_text() == "keep me\n"
    assert execution_ids(moto) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["points.csv"]
    # Without a results bucket there is no manifest to take the columns from.
    proc = run_cli(cli, ["export", "--run-id", RUN_ID, "--out", str(tmp_path / "p.csv"), *ATHENA], moto,
                   moto.operator)
    assert proc.returncode == 2
    assert proc.stderr == "Error: --results-bucket is required for --engine athena (or set SWEEP_RESULTS_BUCKET)\n"


def test_force_replaces_and_a_run_without_points_exits_1(cli, moto, demo_run, tmp_path):
    upload(moto, demo_run)
    out = tmp_path / "points.csv"
    out.write_text("old\n")
    local_csv = seed_local_points(cli, moto, demo_run)
    proc = athena_export(cli, moto, out, ["--force"])
    assert proc.returncode == 0, proc.stderr
    assert out.read_text().splitlines()[0] == local_csv.splitlines()[0]
    # No committed point yet: Athena returns no row; the existing file stays as it was.
    header = local_csv.splitlines()[0].split(",")
    seed_results(moto, [athena_result(header, [], SWEEP_POINTS_TYPES)])
    kept = out.read_bytes()
    proc = athena_export(cli, moto, out, ["--force"])
    assert proc.returncode == 1
    assert proc.stderr == (f"Error: run '{RUN_ID}' has no committed point in "
                           f"s3://{moto.bucket}/{RESULTS_PREFIX}\n")
    assert out.read_bytes() == kept
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", [
    ["query", "query_run_level_profile"],
    ["query", "-c", "SELECT 1"],
    ["export", "--out", "points.parquet"],
])
def test_an_unknown_run_exits_3_with_the_local_message_before_any_query(cli, moto, demo_run, tmp_path, command):
    """The manifest is read from the bucket first; the message is the local engine's over the same bucket."""
    upload(moto, demo_run)
    args = [part if part != "points.parquet" else str(tmp_path / part) for part in command]
    before = execution_ids(moto)
    proc = run_cli(cli, [*args, "--run-id", "no-such-run", "--results-bucket", moto.bucket, *ATHENA], moto,
                   moto.operator)
    location = f"s3://{moto.bucket}/{RESULTS_PREFIX}"
    assert (proc.returncode, proc.stderr) == (3, f"Error: no run 'no-such-run' in {location}\n")
    assert execution_ids(moto) == before
    local = run_cli(cli, [*args, "--run-id", "no-such-run", "--results-dir", f"s3://{moto.bucket}"], moto,
                    moto.operator)
    assert (local.returncode, local.stderr) == (proc.returncode, proc.stderr)
    assert list(tmp_path.iterdir()) == []
