"""AthenaClient (JSON 1.1) against moto's Athena, signatures checked: start, poll, read results, stop."""

from __future__ import annotations

import json

from conftest import harness_env, run_harness


def test_query_lifecycle(harness_path, moto):
    ops = [{"op": "start", "query": "SELECT 1", "database": "ride_sim_analytics", "workgroup": "primary",
            "output": f"s3://{moto.bucket}/athena-query-results/"},
           {"op": "get"}, {"op": "results"}, {"op": "stop"}]
    start, get, results, stop = run_harness(harness_path, ["athena"], json.dumps(ops),
                                            harness_env(moto, moto.operator))
    assert start["code"] == "OK" and start["id"], start
    assert get["code"] == "OK" and get["state"] == "SUCCEEDED" and get["final"] is True, get
    assert results["code"] == "OK" and isinstance(results["rows"], list), results
    assert stop["code"] == "OK", stop
    executions = moto.client("athena").list_query_executions()["QueryExecutionIds"]
    assert start["id"] in executions


def test_runtime_role_may_not_run_athena_queries(harness_path, moto):
    (start,) = run_harness(harness_path, ["athena"], json.dumps([{"op": "start", "query": "SELECT 1"}]),
                           harness_env(moto, moto.worker))
    assert start["code"] == "FAILED_PRECONDITION", start
    assert start["message"].startswith("403 "), start
