"""Cancel on the cloud path: a run is accepted (its four shards wait in moto's SQS queue), `ridesweep cancel` writes
the cancel marker to the results bucket with the runtime role's keys, and the packaged bootstrap under the Lambda
runtime interface emulator then acknowledges every queued shard without simulating: each gets a failure record
with the permanent error code `cancelled`, nothing is retried or dead-lettered, and no point object is written."""

from __future__ import annotations

import json
import os
import subprocess

from cloud_results import PREFIX, read_parquet, run_keys, get_bytes
from e2e_support import EXAMPLES
from lambda_harness import EventSourceMapping, dlq_bodies, proxy_response, queue_depth, request_event
from moto_fixture import REGION


def _cli(ridesweep, moto, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SWEEP_"))}
    env.update({"AWS_ACCESS_KEY_ID": moto.worker.access_key_id, "AWS_SECRET_ACCESS_KEY":
                moto.worker.secret_access_key, "AWS_REGION": REGION, "SWEEP_S3_ENDPOINT": moto.endpoint})
    return subprocess.run([str(ridesweep), *args, "--results-dir", f"s3://{moto.bucket}"], capture_output=True,
                          text=True, timeout=120, env=env)


def test_queued_shards_of_a_cancelled_run_are_acknowledged_without_simulating(start_lambda, moto, ridesweep):
    run_id = "cancel-cloud-run"
    request = json.loads((EXAMPLES / "demo-request.json").read_text()) | {"run_id": run_id}
    function = start_lambda()
    status, _, body = proxy_response(function.invoke(request_event(request)))
    assert status == 202, body
    sqs = moto.client("sqs")
    assert queue_depth(sqs, moto.queue_url) == 4

    cancelled = _cli(ridesweep, moto, "cancel", run_id)
    assert cancelled.returncode == 0, cancelled.stderr
    assert get_bytes(moto, f"{PREFIX}/runs/run_id={run_id}/cancel.json").startswith(b'{"run_id":"cancel-cloud-run"')

    mapping = EventSourceMapping(moto, function)
    mapping.drain()
    assert sorted(r.receive_counts[0] for r in mapping.results) == [1, 1, 1, 1]  # each delivered once
    assert all(r.failed_ids == [] for r in mapping.results)  # acknowledged
    assert queue_depth(sqs, moto.queue_url) == 0 and dlq_bodies(moto) == []

    keys = run_keys(moto, run_id)
    assert not [k for k in keys if "point_index" in k]  # nothing was simulated
    failures = [k for k in keys if "status_partition=failure" in k]
    assert len(failures) == 4
    for key in failures:
        (row,) = read_parquet(get_bytes(moto, key)).to_pylist()
        assert (row["error_code"], row["points_processed"]) == ("cancelled", 0)
        assert row["error_message"] == f"Run {run_id} was cancelled; stopped before the shard started (not retried)"

    shown = _cli(ridesweep, moto, "runs", "show", run_id, "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["state"] == "cancelled"
