#!/usr/bin/env python3
"""Benchmarks of the cloud path (issue 4, "Performance"), on this machine, against moto and AWS's Lambda runtime
interface emulator, with the same harness as tests/lambda:

  zip size         dist/runtime.zip in bytes (target ≤ 40 MB)
  init             `bootstrap` init time from the emulator's INIT REPORT (process start → first /next, clients
                   built), over several cold starts (target ≤ 50 ms)
  dispatch         one API Gateway request of 1,000 one-point shards: invocation wall time, and dispatch_duration_ms
                   and send_batch_calls from the dispatch_completed log line (targets ≤ 2 s, ≤ 100 calls)
  per-point        the same one-shard request through the emulator (shard_completed duration_ms / points, S3 puts
                   to moto) and through `ridesweep run --threads 1 --json` (wall_seconds / points, local files)

Usage (from the repository root, after scripts/setup.sh and building ridesweep and ridesweep_lambda_package):
  .venv/bin/python bench/lambda_bench.py [--runtime-zip dist/runtime.zip] [--rie third_party/bin/aws-lambda-rie]
      [--ridesweep build/release/apps/ridesweep/ridesweep] [--cold-starts 10] [--points 40] [--json]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import subprocess
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


def equal_cost_request(run_id: str, points: int, shard_size: int | None = None) -> dict:
    rates = [round(0.05 + 0.0001 * i, 4) for i in range(points)]
    request = {"run_id": run_id, "dimensions": {"commission_rate": rates, "num_riders": [3000],
                                                "num_drivers": [600], "match_radius": [5]}, "seed": 11}
    if shard_size:
        request["shard_size"] = shard_size
    else:
        request["shard_count"] = 1
    return request


def local_per_point_ms(ridesweep: pathlib.Path, request: dict, work: pathlib.Path) -> float:
    """Wall time per point of `ridesweep run --threads 1 --json` (one shard, so one worker, sequential points)."""
    path = work / "local-request.json"
    path.write_text(json.dumps(request))
    proc = subprocess.run([str(ridesweep), "run", str(path), "--results-dir", str(work / "local"), "--threads", "1",
                           "--json"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.split("\n", 1)[1])
    return summary["wall_seconds"] * 1000 / summary["points_succeeded"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runtime-zip", default=str(REPO / "dist/runtime.zip"))
    parser.add_argument("--rie", default=str(REPO / "third_party/bin/aws-lambda-rie"))
    parser.add_argument("--ridesweep", default=str(REPO / "build/release/apps/ridesweep/ridesweep"))
    parser.add_argument("--cold-starts", type=int, default=10)
    parser.add_argument("--shards", type=int, default=1000)
    parser.add_argument("--points", type=int, default=40, help="points of the per-point overhead request")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args()

    zip_path = pathlib.Path(args.runtime_zip).resolve()
    results: dict = {"zip_bytes": zip_path.stat().st_size}
    with tempfile.TemporaryDirectory(prefix="lambda-bench-") as tmp:
        work = pathlib.Path(tmp)
        task = unpack_runtime(zip_path, work / "task")

        def policy(queue_arn: str) -> dict:
            return runtime_policy(bucket_arn=f"arn:aws:s3:::{BUCKET}", results_prefix=RESULTS_PREFIX,
                                  queue_arn=queue_arn, log_group_arn=LOG_GROUP_ARN)

        with start_moto(work, policy) as moto:
            env = function_env(moto)
            rie = pathlib.Path(args.rie)

            # Cold starts: a fresh emulator each time; the first invocation inits the runtime.
            inits = []
            for i in range(args.cold_starts):
                with Emulator(rie, task, env, work / f"cold-{i}.log") as function:
                    status, _, _ = proxy_response(function.invoke([]))
                    assert status == 400
                    inits += function.init_durations_ms()
            results["init_ms"] = {"median": statistics.median(inits), "min": min(inits), "max": max(inits),
                                  "samples": len(inits)}

            with Emulator(rie, task, env, work / "bench.log", timeout_seconds=120) as function:
                # Dispatch: 1,000 one-point shards in one API request (warm environment).
                proxy_response(function.invoke([]))
                request = equal_cost_request("bench-dispatch", args.shards, shard_size=1)
                started = time.monotonic()
                status, _, body = proxy_response(function.invoke(request_event(request)))
                wall = time.monotonic() - started
                assert status == 202, body
                (completed,) = function.events("dispatch_completed")
                details = completed["details"]
                results["dispatch"] = {"shards": details["shards_dispatched"],
                                       "invocation_wall_ms": round(wall * 1000, 1),
                                       "dispatch_duration_ms": details["dispatch_duration_ms"],
                                       "send_batch_calls": details["send_batch_calls"],
                                       "payload_form": details["payload_form"]}
                moto.client("sqs").purge_queue(QueueUrl=moto.queue_url)  # once per run: within AWS's rate

                # Per-point cost: one shard through the emulator vs the same shard locally.
                request = equal_cost_request("bench-points", args.points)
                status, _, body = proxy_response(function.invoke(request_event(request)))
                assert status == 202, body
                EventSourceMapping(moto, function).drain()
                shard = [e for e in function.events("shard_completed") if e["details"]["run_id"] == "bench-points"]
                cloud = shard[0]["details"]["duration_ms"] / shard[0]["details"]["points_processed"]
                local = local_per_point_ms(pathlib.Path(args.ridesweep), request, work)
                results["per_point_ms"] = {"points": args.points, "cloud": round(cloud, 2), "local": round(local, 2),
                                           "overhead": round(cloud - local, 2)}

    if args.json:
        print(json.dumps(results, indent=2))
    else:
        init, dispatch, point = results["init_ms"], results["dispatch"], results["per_point_ms"]
        print(f"zip size            {results['zip_bytes']} bytes ({results['zip_bytes'] / 2**20:.1f} MiB)")
        print(f"bootstrap init      median {init['median']:.1f} ms (min {init['min']:.1f}, max {init['max']:.1f}, "
              f"{init['samples']} cold starts)")
        print(f"dispatch            {dispatch['shards']} shards: {dispatch['dispatch_duration_ms']} ms dispatch, "
              f"{dispatch['invocation_wall_ms']} ms invocation, {dispatch['send_batch_calls']} SendMessageBatch "
              f"calls ({dispatch['payload_form']} payloads)")
        print(f"per point           cloud {point['cloud']} ms, local {point['local']} ms, overhead "
              f"{point['overhead']} ms ({point['points']} points, one shard, one thread)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
