#!/usr/bin/env python3
"""Objects and PUTs per run in both output layouts, on the cloud path against the local emulators: one API Gateway
request of `--shards` shards × `--points-per-shard` tiny points through the packaged bootstrap under AWS's Lambda
runtime interface emulator, S3 and SQS = moto (signatures checked, the runtime's IAM policy), the queue drained by
the tests' event source mapping in batches of 10. For each layout it reports the run's objects (a listing of the
results prefix), the PUT requests moto logged for the run, the run's stored bytes and the drain's wall time.

Usage (from the repository root, after scripts/setup.sh and building ridesweep_lambda_package):
  nice .venv/bin/python bench/layout_puts_bench.py [--runtime-zip build/release/dist/runtime.zip]
      [--rie third_party/bin/aws-lambda-rie] [--shards 1000] [--points-per-shard 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
for folder in ("support", "aws", "sql", "e2e", "lambda"):
    sys.path.insert(0, str(REPO / "tests" / folder))

from lambda_harness import (Emulator, EventSourceMapping, function_env, proxy_response,  # noqa: E402
                            request_event, unpack_runtime)
from moto_fixture import BUCKET, LOG_GROUP_ARN, RESULTS_PREFIX, start_moto  # noqa: E402
from policy import runtime_policy  # noqa: E402


def tiny_request(run_id: str, shards: int, points_per_shard: int, layout: str) -> dict:
    """shards × points_per_shard points of a few dozen events each (2 drivers, 4 riders)."""
    rates = [round(0.05 + 0.0001 * i, 4) for i in range(shards * points_per_shard)]
    request = {"run_id": run_id, "dimensions": {"commission_rate": rates, "num_riders": [4], "num_drivers": [2]},
               "shard_count": shards, "seed": 3}
    if layout != "per_point":
        request["layout"] = layout
    return request


def moto_puts(moto_log: pathlib.Path, run_id: str) -> int:
    """PUT requests moto logged whose path names the run (data objects, outcomes, run_context, manifest)."""
    count = 0
    for line in moto_log.read_text(errors="replace").splitlines():
        if '"PUT ' in line and (f"run_id={run_id}/" in line or f"run_id_partition={run_id}/" in line or
                                f"run_id%3D{run_id}%2F" in line or f"run_id_partition%3D{run_id}%2F" in line):
            count += 1
    return count


def run_objects(moto, run_id: str) -> tuple[int, int]:
    s3 = moto.client("s3")
    objects = size = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=moto.bucket, Prefix=RESULTS_PREFIX + "/"):
        for item in page.get("Contents", []):
            key = item["Key"]
            if f"/run_id={run_id}/" in key or f"/run_id_partition={run_id}/" in key:
                objects += 1
                size += item["Size"]
    return objects, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runtime-zip", default=str(REPO / "build/release/dist/runtime.zip"))
    parser.add_argument("--rie", default=str(REPO / "third_party/bin/aws-lambda-rie"))
    parser.add_argument("--shards", type=int, default=1000)
    parser.add_argument("--points-per-shard", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    results = {"shards": args.shards, "points": args.shards * args.points_per_shard}
    with tempfile.TemporaryDirectory(prefix="layout-puts-bench-") as tmp:
        work = pathlib.Path(tmp)
        task = unpack_runtime(pathlib.Path(args.runtime_zip).resolve(), work / "task")

        def policy(queue_arn: str) -> dict:
            return runtime_policy(bucket_arn=f"arn:aws:s3:::{BUCKET}", results_prefix=RESULTS_PREFIX,
                                  queue_arn=queue_arn, log_group_arn=LOG_GROUP_ARN)

        with start_moto(work, policy) as moto:
            env = function_env(moto)
            with Emulator(pathlib.Path(args.rie), task, env, work / "bench.log", timeout_seconds=900) as function:
                proxy_response(function.invoke([]))
                for layout in ("per_point", "per_shard"):
                    run_id = f"layout-bench-{layout.replace('_', '-')}"
                    request = tiny_request(run_id, args.shards, args.points_per_shard, layout)
                    status, _, body = proxy_response(function.invoke(request_event(request), timeout=600))
                    assert status == 202, body
                    started = time.monotonic()
                    mapping = EventSourceMapping(moto, function, batch_size=10)
                    mapping.drain(max_invocations=args.shards)
                    wall = time.monotonic() - started
                    assert all(r.failed_ids == [] for r in mapping.results)
                    objects, size = run_objects(moto, run_id)
                    results[layout] = {"objects": objects, "puts": moto_puts(moto.log, run_id),
                                       "stored_bytes": size, "drain_seconds": round(wall, 1),
                                       "invocations": len(mapping.results)}
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{results['shards']} shards, {results['points']} points")
        print(f"{'layout':10} {'objects':>8} {'PUTs':>8} {'bytes':>12} {'drain s':>8}")
        for layout in ("per_point", "per_shard"):
            r = results[layout]
            print(f"{layout:10} {r['objects']:8} {r['puts']:8} {r['stored_bytes']:12} {r['drain_seconds']:8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
