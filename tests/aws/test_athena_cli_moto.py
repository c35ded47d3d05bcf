"""`ridesweep athena apply` (spec/sweep.md §12) through the real CLI against moto's Athena, signatures and IAM
checked: the exact statements moto received, in order, with workgroup, database context and output location;
operator-edited plans; dry run (nothing sent); plan and argument errors (exit 2); and, from a scripted stub speaking
Athena's JSON 1.1 (moto cannot make a query fail), FAILED states, API errors and StopQueryExecution (exit 1)."""

from __future__ import annotations

import json

import pytest

from athena_cli import (QUERY_OUTPUT, execution_ids, executions_since, run_cli, sql_file)
from conftest import REPO, RESULTS_PREFIX
from stub_server import StubServer, verify_sigv4

SQL_DIR = REPO / "infra" / "aws_serverless_sweep" / "athena"
SQL_REL = "infra/aws_serverless_sweep/athena"  # as printed: the default directory is relative to the working dir
POINT_DATASETS = ["effective_parameters", "shard_metrics", "trip_data", "snapshot_counts"]
BOOTSTRAP = (["create_database.sql", "create_table.sql", "create_table_run_context.sql",
              "create_table_effective_parameters.sql", "create_table_shard_metrics.sql", "create_table_trip_data.sql",
              "create_table_snapshot_counts.sql"]
             + [f"create_table_{d}_per_shard.sql" for d in POINT_DATASETS]
             + [f"create_view_{d}_per_shard.sql" for d in POINT_DATASETS]
             + ["repair_table.sql", "repair_table_run_context.sql", "repair_table_effective_parameters.sql",
                "repair_table_shard_metrics.sql", "repair_table_trip_data.sql", "repair_table_snapshot_counts.sql"]
             + [f"repair_table_{d}_per_shard.sql" for d in POINT_DATASETS])
N = len(BOOTSTRAP)  # 25
APPLY = ["athena", "apply", "--query-results-s3", QUERY_OUTPUT, "--poll-interval-seconds", "0.05"]


def test_bootstrap_executes_the_plan_in_order_with_its_context(cli, moto):
    before = execution_ids(moto)
    proc = run_cli(cli, [*APPLY, "--results-bucket", f"s3://{moto.bucket}/team-a"], moto, moto.operator)
    assert proc.returncode == 0, proc.stderr
    executions = executions_since(moto, before)
    location = f"s3://{moto.bucket}/team-a/{RESULTS_PREFIX}"
    assert [e["Query"] for e in executions] == [sql_file(name, location=location) for name in BOOTSTRAP]
    for execution in executions:
        assert execution["QueryExecutionContext"]["Database"] == "ride_sim_analytics"
        assert execution["WorkGroup"] == "primary"
        assert execution["ResultConfiguration"]["OutputLocation"].startswith(QUERY_OUTPUT)
        assert execution["Status"]["State"] == "SUCCEEDED"
    lines = proc.stdout.splitlines()
    assert lines[0] == f"Using plan: {SQL_REL}/athena_bootstrap.plan"
    assert lines[1] == "Execution order:"
    assert lines[2:2 + N] == [f"  {i:02d}. {SQL_REL}/{name}" for i, name in enumerate(BOOTSTRAP, 1)]
    expected = []
    for i, (name, execution) in enumerate(zip(BOOTSTRAP, executions), 1):
        expected += [f"[{i:02d}/{N}] Executing {name}...", f"    QueryExecutionId={execution['QueryExecutionId']}",
                     f"    {name} -> SUCCEEDED"]
    assert lines[2 + N:] == expected + ["Athena SQL execution completed successfully."]
    assert moto.client("athena").get_database(CatalogName="AwsDataCatalog",
                                              DatabaseName="ride_sim_analytics")["Database"]["Name"]


def test_an_edited_plan_changes_the_order_partitions_only(cli, moto, tmp_path):
    plan = tmp_path / "reordered.plan"
    plan.write_text("# snapshot counts first, then outcomes\n"
                    f"{SQL_DIR / 'repair_table_snapshot_counts.sql'}\n\n{SQL_DIR / 'repair_table.sql'}\n"
                    f"{SQL_DIR / 'repair_table_trip_data.sql'}\n")
    before = execution_ids(moto)
    proc = run_cli(cli, [*APPLY, "--execution-mode", "partitions-only", "--plan-file", str(plan),
                         "--max-concurrent", "2", "--database", "sweeps_team_a"], moto, moto.operator)
    assert proc.returncode == 0, proc.stderr
    assert [e["Query"] for e in executions_since(moto, before)] == [
        "MSCK REPAIR TABLE sweeps_team_a.sweep_snapshot_counts", "MSCK REPAIR TABLE sweeps_team_a.sweep_shard_outcomes",
        "MSCK REPAIR TABLE sweeps_team_a.sweep_trip_data"]
    assert "[01/03] Launching repair_table_snapshot_counts.sql..." in proc.stdout
    assert proc.stdout.count(" -> SUCCEEDED") == 3


def test_dry_run_sends_nothing(cli, moto):
    before = execution_ids(moto)
    proc = run_cli(cli, [*APPLY, "--results-bucket", moto.bucket, "--dry-run"], moto, None)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "Dry run only; no Athena queries executed."
    assert len(proc.stdout.splitlines()) == 2 + N + 1
    assert execution_ids(moto) == before


@pytest.mark.parametrize("plan_text, message", [
    (None, "Plan error: Plan file not found: {plan}"),
    ("create_database.sql\nnotes.txt\n", "Plan error: Plan entries must point to .sql files, got: notes.txt"),
    ("# only comments\n\n", "Plan error: Plan file contains no SQL entries"),
    ("missing.sql\n", "Plan error: SQL file in plan does not exist: {dir}/missing.sql"),
])
def test_plan_errors_exit_2_and_send_nothing(cli, moto, tmp_path, plan_text, message):
    plan = tmp_path / "operator.plan"
    if plan_text is not None:
        plan.write_text(plan_text)
        (tmp_path / "create_database.sql").write_text((SQL_DIR / "create_database.sql").read_text())
    before = execution_ids(moto)
    proc = run_cli(cli, [*APPLY, "--results-bucket", moto.bucket, "--plan-file", str(plan)], moto, moto.operator)
    assert proc.returncode == 2
    assert proc.stderr.strip() == message.format(plan=plan, dir=tmp_path)
    assert proc.stdout == ""
    assert execution_ids(moto) == before


@pytest.mark.parametrize("args, env, message", [
    (["--results-bucket", "b", "--max-concurrent", "0"], {}, "--max-concurrent must be >= 1"),
    ([], {}, "--results-bucket is required in bootstrap mode"),
    (["--results-bucket", ""], {}, "--results-bucket cannot be empty"),
    (["--results-bucket", "s3://"], {}, "--results-bucket must be a bucket name or valid s3://bucket[/prefix] URI"),
    (["--results-bucket", "b/x"], {},
     "--results-bucket should be a bucket name (no slashes) unless using s3://bucket[/prefix]"),
    (["--results-bucket", "b"], {"AWS_REGION": None}, "--region is required when AWS_REGION is not set"),
])
def test_argument_errors_exit_2(cli, moto, args, env, message):
    proc = run_cli(cli, [*APPLY, *args], moto, moto.operator, extra_env=env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == f"Argument error: {message}"


def test_runtime_role_is_denied_and_the_error_is_printed(cli, moto):
    proc = run_cli(cli, [*APPLY, "--results-bucket", moto.bucket], moto, moto.worker)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Athena invocation failed for create_database.sql: 403 "), proc.stderr
    assert "QueryExecutionId" not in proc.stdout


# ---- Failures moto cannot produce: a stub speaking Athena's JSON 1.1 ----

def athena_stub(states: dict[str, list[tuple[str, str]]], start_errors: dict[str, tuple[int, str]] | None = None):
    """Each started query gets id q<N>; GetQueryExecution answers the next (state, reason) scripted for the file
    whose statement contains the key, repeating the last one; Stop is recorded."""
    stub = StubServer()
    started: list[str] = []
    scripts: dict[str, list[tuple[str, str]]] = {}

    def answer(record):
        target = record.headers.get("X-Amz-Target", "")
        body = json.loads(record.body or b"{}")
        if target.endswith("StartQueryExecution"):
            for needle, (status, error) in (start_errors or {}).items():
                if needle in body["QueryString"]:
                    return ("respond", status, {"Content-Type": "application/x-amz-json-1.1"},
                            json.dumps({"__type": error, "Message": "scripted refusal"}))
            started.append(body["QueryString"])
            qid = f"q{len(started)}"
            scripts[qid] = next((list(v) for k, v in states.items() if k in body["QueryString"]), [("SUCCEEDED", "")])
            return ("respond", 200, {}, json.dumps({"QueryExecutionId": qid}))
        if target.endswith("GetQueryExecution"):
            qid = body["QueryExecutionId"]
            state, reason = scripts[qid][0] if len(scripts[qid]) == 1 else scripts[qid].pop(0)
            status = {"State": state, **({"StateChangeReason": reason} if reason else {})}
            return ("respond", 200, {}, json.dumps({"QueryExecution": {"QueryExecutionId": qid, "Status": status}}))
        return ("respond", 200, {}, "{}")

    stub.default = answer
    stub.started = started
    return stub


def targets(stub) -> list[str]:
    return [r.headers.get("X-Amz-Target", "").split(".")[-1] for r in stub.requests]


def test_a_failed_query_exits_1_with_its_reason_and_stops_the_rest(cli, moto):
    stub = athena_stub({"sweep_run_context": [("RUNNING", "")],
                        "sweep_shard_outcomes": [("QUEUED", ""), ("FAILED", "HIVE_METASTORE_ERROR: no such table")]})
    try:
        proc = run_cli(cli, [*APPLY, "--execution-mode", "partitions-only", "--max-concurrent", "2",
                             "--plan-file", str(SQL_DIR / "athena_partitions.plan")], moto, moto.operator,
                       athena_endpoint=stub.endpoint)
        assert proc.returncode == 1, proc.stdout
        assert proc.stderr.strip() == ("Athena query failed for repair_table.sql: state=FAILED, query_execution_id=q1, "
                                       "reason=HIVE_METASTORE_ERROR: no such table")
        assert len(stub.started) == 2  # the plan's other four files never started
        assert targets(stub)[-1] == "StopQueryExecution"
        assert json.loads(stub.requests[-1].body) == {"QueryExecutionId": "q2"}
        assert all(verify_sigv4(r, moto.operator.secret_access_key) for r in stub.requests)
    finally:
        stub.close()


def test_api_errors_and_timeouts_exit_1(cli, moto):
    stub = athena_stub({}, start_errors={"sweep_run_context": (400, "InvalidRequestException")})
    try:
        proc = run_cli(cli, [*APPLY, "--results-bucket", moto.bucket], moto, moto.operator,
                       athena_endpoint=stub.endpoint)
        assert proc.returncode == 1
        assert proc.stderr.strip() == ("Athena invocation failed for create_table_run_context.sql: "
                                       "400 InvalidRequestException: scripted refusal")
        assert len(stub.started) == 2
    finally:
        stub.close()
    stub = athena_stub({"CREATE DATABASE": [("RUNNING", "")]})
    try:
        proc = run_cli(cli, [*APPLY, "--results-bucket", moto.bucket, "--timeout-seconds", "1"], moto, moto.operator,
                       athena_endpoint=stub.endpoint)
        assert proc.returncode == 1
        assert proc.stderr.strip() == "Athena execution timed out after 1s"
        assert targets(stub)[-1] == "StopQueryExecution"
    finally:
        stub.close()


def test_credentials_come_from_the_aws_cli_when_the_environment_has_none(cli, moto, tmp_path):
    """§12: without credential variables the command asks `aws configure export-credentials --format process`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.txt"
    stand_in = bin_dir / "aws"
    exported = json.dumps({"Version": 1, "AccessKeyId": moto.operator.access_key_id,
                           "SecretAccessKey": moto.operator.secret_access_key})
    stand_in.write_text(f"#!/bin/sh\necho \"$@\" >> {calls}\nprintf '%s' '{exported}'\n")
    stand_in.chmod(0o755)
    before = execution_ids(moto)
    proc = run_cli(cli, [*APPLY, "--execution-mode", "partitions-only"], moto, None,
                   extra_env={"PATH": f"{bin_dir}:/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert calls.read_text().split("\n")[0] == "configure export-credentials --format process"
    assert len(executions_since(moto, before)) == 10  # the partitions plan: ten repairs
