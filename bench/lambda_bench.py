#!/usr/bin/env python3
"""Benchmarks of the cloud path (issue 4, "Performance"), on this machine, against moto and AWS's Lambda runtime
interface emulator, with the same harness as tests/lambda:

  zip size         dist/runtime.zip in bytes (target ≤ 40 MB)
  init             `bootstrap` init time from the emulator's INIT REPORT (process start → first /next, clients
                   built), over several cold starts (target ≤ 50 ms)
  dispatch         one API Gateway request of 1,000 one-point shards: invocation wall time, and dispatch_duration_ms
                   and send_batch_calls from the dispatch_completed log line (targets ≤ 2 s, ≤ 100 calls), twice:
                   (a) SQS = moto (and again with SWEEP_DISPATCH_CONCURRENCY=1), and (c) SQS = a minimal fast
                   endpoint (bench/fast_endpoints.py), which isolates our side (payloads, SigV4, libcurl); plus
                   (b) boto3 sending the very same message bodies in batches of 10 to the same moto (sequential and
                   8 threads, each on a fresh queue, as ours) and, sequentially, to the fast endpoint. moto's cost
                   per call grows with the queue's depth (it recomputes the queue's attributes, a scan of all its
                   messages, for every message sent), so every run starts on an empty queue, and the mean of the
                   first and of the last 10 calls of each boto3 run is reported.
  per-point        the same one-shard request through the emulator (shard_completed duration_ms / points) with S3
                   and SQS = moto, and with both = the fast endpoints (our S3 client without moto's cost), and
                   through `ridesweep run --threads 1 --json` (wall_seconds / points, local files), in interleaved
                   rounds (medians), each with its CPU time per point (the bootstrap's over the SQS invocation; the
                   whole `ridesweep run` process); plus the shard's S3 requests (counted by the fast S3 endpoint)
  S3 request cost  one HEAD (absent key) + one 15 kB PUT through our S3Store (ridesweep_aws_harness) against moto
                   and the fast endpoint, and boto3's HEAD and PUT against moto

Usage (from the repository root, after scripts/setup.sh and building ridesweep, ridesweep_lambda_package
  and ridesweep_aws_harness):
  .venv/bin/python bench/lambda_bench.py [--runtime-zip dist/runtime.zip] [--rie third_party/bin/aws-lambda-rie]
      [--ridesweep build/release/apps/ridesweep/ridesweep]
      [--aws-harness build/release/src/aws/ridesweep_aws_harness] [--cold-starts 10] [--points 40]
      [--rounds 3] [--fast-repeats 3] [--json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

REPO = pathlib.Path(__file__).resolve().parents[1]
for folder in ("support", "aws", "sql", "e2e", "lambda"):
    sys.path.insert(0, str(REPO / "tests" / folder))

import boto3  # noqa: E402
from fast_endpoints import FastS3, FastSqs  # noqa: E402
from lambda_harness import (Emulator, EventSourceMapping, function_env, proxy_response,  # noqa: E402
                            queue_depth, request_event, sqs_record, unpack_runtime)
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


def local_per_point_ms(ridesweep: pathlib.Path, request: dict, work: pathlib.Path) -> tuple[float, float]:
    """Wall time per point of `ridesweep run --threads 1 --json` (one shard, so one worker, sequential points), and
    the process's CPU time per point (all of it: start-up, submit and the points)."""
    path = work / "local-request.json"
    path.write_text(json.dumps(request))
    results_dir = work / f"local-{request['run_id']}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([str(ridesweep), "run", str(path), "--results-dir", str(results_dir), "--threads", "1",
                           "--json"], capture_output=True, text=True, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.split("\n", 1)[1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    points = summary["points_succeeded"]
    return summary["wall_seconds"] * 1000 / points, cpu * 1000 / points

def log_time(event: dict) -> float:
    """Seconds since the epoch of a structured log line's RFC 3339 timestamp."""
    return datetime.datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")).timestamp()


def dispatch_once(function: Emulator, run_id: str, shards: int) -> dict:
    """One API request of `shards` one-point shards; the numbers of its dispatch_completed log line."""
    request = equal_cost_request(run_id, shards, shard_size=1)
    started = time.monotonic()
    status, _, body = proxy_response(function.invoke(request_event(request)))
    wall = time.monotonic() - started
    assert status == 202, body
    (completed,) = [e for e in function.events("dispatch_completed") if e["details"]["run_id"] == run_id]
    details = completed["details"]
    (accepted,) = [e for e in function.events("run_accepted") if e["details"]["run_id"] == run_id]
    # From run_accepted (validated, planned, manifest and run_context written) to dispatch_completed, less the
    # dispatch itself: encoding the 1,000 shard payloads.
    payloads_ms = (log_time(completed) - log_time(accepted)) * 1000 - details["dispatch_duration_ms"]
    return {"shards": details["shards_dispatched"], "invocation_wall_ms": round(wall * 1000, 1),
            "payload_encoding_ms": round(payloads_ms, 1),
            "dispatch_duration_ms": details["dispatch_duration_ms"], "send_batch_calls": details["send_batch_calls"],
            "payload_form": details["payload_form"]}


def boto3_send(sqs, queue_url: str, bodies: list[tuple[str, str]], threads: int) -> dict:
    """SendMessageBatch of `bodies` (entry id, body) in batches of 10, like our dispatcher; per-call times."""
    batches = [bodies[i:i + 10] for i in range(0, len(bodies), 10)]
    call_ms: list[float] = [0.0] * len(batches)
    failed = threading.Event()

    def send(index: int) -> None:
        started = time.monotonic()
        answer = sqs.send_message_batch(QueueUrl=queue_url, Entries=[{"Id": i, "MessageBody": b}
                                                                     for i, b in batches[index]])
        call_ms[index] = (time.monotonic() - started) * 1000
        if answer.get("Failed") or len(answer["Successful"]) != len(batches[index]):
            failed.set()

    started = time.monotonic()
    if threads == 1:
        for index in range(len(batches)):
            send(index)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(send, range(len(batches))))
    wall = time.monotonic() - started
    assert not failed.is_set(), "boto3 SendMessageBatch reported failed entries"
    return {"messages": len(bodies), "calls": len(batches), "threads": threads, "wall_ms": round(wall * 1000, 1),
            "first10_call_ms": round(statistics.mean(call_ms[:10]), 1),
            "last10_call_ms": round(statistics.mean(call_ms[-10:]), 1)}


def moto_requests(moto_log: pathlib.Path, marker: str) -> dict:
    """Requests moto logged whose path contains `marker`, per HTTP method."""
    counts: dict = {}
    for line in moto_log.read_text(errors="replace").splitlines():
        if f"{marker}" in line and '"' in line:
            method = line.split('"', 2)[1].split(" ", 1)[0]
            counts[method] = counts.get(method, 0) + 1
    return counts


def cloud_per_point_ms(function: Emulator, run_id: str) -> float:
    (shard,) = [e for e in function.events("shard_completed") if e["details"]["run_id"] == run_id]
    return shard["details"]["duration_ms"] / shard["details"]["points_processed"]


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of one process (the bootstrap), from /proc/<pid>/stat."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def median_of(rounds: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in rounds), 2)


def harness_s3_pair_ms(harness: pathlib.Path, env: dict, bucket: str, tag: str, pairs: int = 100) -> float:
    """Our S3Store (ridesweep_aws_harness s3): the cost of one HEAD (absent key) + one 15 kB PUT, from the wall
    time of `pairs` pairs less that of one pair (process start, clients built), median of 3."""
    data_hex = os.urandom(15_000).hex()

    def run(count: int, name: str) -> float:
        ops = []
        for i in range(count):
            key = f"{RESULTS_PREFIX}/bench/run_id={name}/object-{i}.parquet"
            ops += [{"op": "head", "key": key},
                    {"op": "put", "key": key, "data_hex": data_hex, "content_type": "application/octet-stream"}]
        started = time.monotonic()
        proc = subprocess.run([str(harness), "s3", bucket], input=json.dumps(ops), capture_output=True, text=True,
                              env=env, timeout=300)
        wall = time.monotonic() - started
        assert proc.returncode == 0, proc.stderr[-2000:]
        answers = json.loads(proc.stdout)["results"]
        assert all(a["code"] == "OK" for a in answers), proc.stdout[:2000]
        return wall

    one = statistics.median(run(1, f"{tag}-one-{i}") for i in range(3))
    many = statistics.median(run(pairs, f"{tag}-many-{i}") for i in range(3))
    return round((many - one) * 1000 / (pairs - 1), 2)


def boto3_s3_ms(s3, bucket: str, tag: str, count: int = 100) -> dict:
    """boto3 against the same endpoint: median HEAD (absent key) and 15 kB PUT."""
    data = os.urandom(15_000)
    head, put = [], []
    for i in range(count):
        key = f"{RESULTS_PREFIX}/bench/run_id={tag}/object-{i}.parquet"
        started = time.monotonic()
        try:
            s3.head_object(Bucket=bucket, Key=key)
        except s3.exceptions.ClientError:
            pass
        head.append((time.monotonic() - started) * 1000)
        started = time.monotonic()
        s3.put_object(Bucket=bucket, Key=key, Body=data)
        put.append((time.monotonic() - started) * 1000)
    return {"head": round(statistics.median(head), 2), "put_15kB": round(statistics.median(put), 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runtime-zip", default=str(REPO / "dist/runtime.zip"))
    parser.add_argument("--rie", default=str(REPO / "third_party/bin/aws-lambda-rie"))
    parser.add_argument("--ridesweep", default=str(REPO / "build/release/apps/ridesweep/ridesweep"))
    parser.add_argument("--aws-harness", default=str(REPO / "build/release/src/aws/ridesweep_aws_harness"))
    parser.add_argument("--cold-starts", type=int, default=10)
    parser.add_argument("--shards", type=int, default=1000)
    parser.add_argument("--points", type=int, default=40, help="points of the per-point overhead request")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the per-point measurement")
    parser.add_argument("--fast-repeats", type=int, default=3, help="dispatch runs against the fast endpoint")
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

            # (c) Our dispatch against the fast SQS endpoint: our side only (S3 is still moto: manifest, run_context).
            with FastSqs() as fast_sqs, Emulator(rie, task, dict(env, SWEEP_SQS_ENDPOINT=fast_sqs.endpoint),
                                                 work / "bench-fast.log", timeout_seconds=120) as function:
                proxy_response(function.invoke([]))
                runs = []
                for i in range(args.fast_repeats):
                    connections, requests = fast_sqs.connections, fast_sqs.requests
                    runs.append(dict(dispatch_once(function, f"bench-dispatch-fast-{i}", args.shards),
                                     http_requests=fast_sqs.requests - requests,
                                     new_connections=fast_sqs.connections - connections))
                new_connections = [r["new_connections"] for r in runs]  # in run order: warm runs reuse them
                runs.sort(key=lambda r: r["dispatch_duration_ms"])
                results["dispatch_fast_endpoint"] = dict(runs[len(runs) // 2], repeats=len(runs),
                                                         dispatch_duration_ms_all=[r["dispatch_duration_ms"]
                                                                                   for r in runs],
                                                         new_connections_per_run=new_connections)
                bodies = fast_sqs.messages[:args.shards]  # the first run's 1,000 messages, as sent

            with Emulator(rie, task, env, work / "bench.log", timeout_seconds=120) as function:
                # (a) Dispatch: 1,000 one-point shards in one API request (warm environment), to moto's empty queue.
                proxy_response(function.invoke([]))
                results["dispatch"] = dispatch_once(function, "bench-dispatch", args.shards)
                moto.client("sqs").purge_queue(QueueUrl=moto.queue_url)  # once per run: within AWS's rate

            # (b) boto3 with the same bodies against the same moto (fresh, empty queues) and the fast endpoint.
            sqs = moto.client("sqs")
            baseline = {}
            for threads in (1, 8):
                queue_url = sqs.create_queue(QueueName=f"bench-boto3-{threads}")["QueueUrl"]
                baseline[f"moto_threads_{threads}"] = boto3_send(sqs, queue_url, bodies, threads)
            with FastSqs() as fast_sqs:
                fast_client = boto3.client("sqs", region_name="us-east-1", endpoint_url=fast_sqs.endpoint,
                                           aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="EXAMPLEKEY")
                baseline["fast_endpoint_threads_1"] = boto3_send(fast_client, moto.queue_url, bodies, 1)
            results["dispatch_boto3"] = dict(baseline, message_bytes_mean=round(
                statistics.mean(len(b.encode()) for _, b in bodies)))

            # Per-point cost: one shard of `points` points (one thread) through the emulator with S3 and SQS = moto,
            # the same with both = the fast endpoints, and locally; interleaved rounds, medians. CPU time is the
            # bootstrap's own over the SQS invocation (the local one: the whole `ridesweep run` process).
            with FastS3() as fast_s3, FastSqs() as fast_sqs, \
                    Emulator(rie, task, env, work / "points-moto.log", timeout_seconds=300) as on_moto, \
                    Emulator(rie, task, dict(env, SWEEP_S3_ENDPOINT=fast_s3.endpoint,
                                             SWEEP_SQS_ENDPOINT=fast_sqs.endpoint),
                             work / "points-fast.log", timeout_seconds=300) as on_fast, \
                    Emulator(rie, task, dict(env, SWEEP_S3_ENDPOINT=fast_s3.endpoint,
                                             SWEEP_SQS_ENDPOINT=fast_sqs.endpoint, SWEEP_POINT_THREADS="2"),
                             work / "points-fast-2threads.log", timeout_seconds=300) as on_fast2:
                for function in (on_moto, on_fast, on_fast2):
                    proxy_response(function.invoke([]))

                def shard_on_fast(function: Emulator, run_id: str) -> tuple[float, float, dict]:
                    """One shard through `function` (S3 and SQS = the fast endpoints): wall ms per point (the
                    shard's duration), bootstrap CPU ms per point, and the S3 requests it made."""
                    request = equal_cost_request(run_id, args.points)
                    status, _, body = proxy_response(function.invoke(request_event(request)))
                    assert status == 202, body
                    message_id, message_body = fast_sqs.messages[-1]
                    before = dict(fast_s3.counts)
                    pid = function.runtime_pids()[0]
                    cpu = process_cpu_seconds(pid)
                    answer = function.invoke({"Records": [sqs_record(
                        {"MessageId": message_id, "ReceiptHandle": "bench", "Body": message_body,
                         "Attributes": {"ApproximateReceiveCount": "1"}}, moto.queue_arn)]})
                    cpu_per_point = (process_cpu_seconds(pid) - cpu) * 1000 / args.points
                    assert answer.payload == {"batchItemFailures": []}, answer.raw[:500]
                    requests = {m: n - before.get(m, 0) for m, n in fast_s3.counts.items() if n > before.get(m, 0)}
                    return cloud_per_point_ms(function, run_id), cpu_per_point, requests

                rounds = []
                for r in range(args.rounds):
                    row: dict = {}
                    request = equal_cost_request(f"bench-points-moto-{r}", args.points)
                    status, _, body = proxy_response(on_moto.invoke(request_event(request)))
                    assert status == 202, body
                    pid = on_moto.runtime_pids()[0]
                    cpu = process_cpu_seconds(pid)
                    EventSourceMapping(moto, on_moto).drain()
                    row["moto_cpu"] = (process_cpu_seconds(pid) - cpu) * 1000 / args.points
                    row["moto"] = cloud_per_point_ms(on_moto, request["run_id"])

                    row["fast"], row["fast_cpu"], shard_requests = shard_on_fast(on_fast, f"bench-points-fast-{r}")
                    # SWEEP_POINT_THREADS=2: the same shard's points on two threads (wall per point; CPU per point).
                    row["fast_2threads"], row["fast_2threads_cpu"], _ = shard_on_fast(
                        on_fast2, f"bench-points-fast2-{r}")

                    request = equal_cost_request(f"bench-points-local-{r}", args.points)
                    row["local"], row["local_cpu"] = local_per_point_ms(pathlib.Path(args.ridesweep), request, work)
                    rounds.append(row)

            # S3 request cost: our S3Store and boto3, against moto (worker user, auth on) and the fast endpoint.
            harness_env = dict(os.environ, AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID=moto.worker.access_key_id,
                               AWS_SECRET_ACCESS_KEY=moto.worker.secret_access_key, SWEEP_S3_ENDPOINT=moto.endpoint)
            harness = pathlib.Path(args.aws_harness)
            s3_costs = {"ours_head_plus_put_moto": harness_s3_pair_ms(harness, harness_env, BUCKET, "s3-moto"),
                        "boto3_moto": boto3_s3_ms(moto.client("s3", moto.worker), BUCKET, "s3-boto3")}
            with FastS3() as fast_s3:
                s3_costs["ours_head_plus_put_fast"] = harness_s3_pair_ms(
                    harness, dict(harness_env, SWEEP_S3_ENDPOINT=fast_s3.endpoint), BUCKET, "s3-fast")
            results["s3_request_ms"] = s3_costs

            # (a') Dispatch with SWEEP_DISPATCH_CONCURRENCY=1, one call at a time like boto3's sequential baseline,
            # last: the per-point rounds drained the queue, and moto allows one purge a minute.
            assert queue_depth(moto.client("sqs"), moto.queue_url) == 0
            with Emulator(rie, task, dict(env, SWEEP_DISPATCH_CONCURRENCY="1"), work / "bench-seq.log",
                          timeout_seconds=120) as function:
                proxy_response(function.invoke([]))
                results["dispatch_sequential"] = dispatch_once(function, "bench-dispatch-seq", args.shards)

            point = {key: median_of(rounds, key) for key in rounds[0]}
            results["per_point_ms"] = {
                "points": args.points, "rounds": len(rounds),
                "cloud": point["moto"], "local": point["local"], "overhead": round(point["moto"] - point["local"], 2),
                "cloud_fast_endpoints": point["fast"],
                "cloud_fast_endpoints_2_point_threads": point["fast_2threads"],
                "overhead_fast_endpoints": round(point["fast"] - point["local"], 2),
                "cpu": {"cloud": point["moto_cpu"], "cloud_fast_endpoints": point["fast_cpu"],
                        "cloud_fast_endpoints_2_point_threads": point["fast_2threads_cpu"],
                        "local": point["local_cpu"]},
                "all_rounds": [{k: round(v, 2) for k, v in row.items()} for row in rounds],
                "shard_s3_requests": shard_requests,
                "moto_requests_one_shard": moto_requests(moto.log, "bench-points-moto-0")}
    results["load_average"] = [round(x, 2) for x in os.getloadavg()]

    if args.json:
        print(json.dumps(results, indent=2))
    else:
        init, dispatch, point = results["init_ms"], results["dispatch"], results["per_point_ms"]
        print(f"zip size            {results['zip_bytes']} bytes ({results['zip_bytes'] / 2**20:.1f} MiB)")
        print(f"bootstrap init      median {init['median']:.1f} ms (min {init['min']:.1f}, max {init['max']:.1f}, "
              f"{init['samples']} cold starts)")
        fast, boto = results["dispatch_fast_endpoint"], results["dispatch_boto3"]
        print(f"dispatch, moto      {dispatch['shards']} shards: {dispatch['dispatch_duration_ms']} ms dispatch, "
              f"{dispatch['invocation_wall_ms']} ms invocation, {dispatch['send_batch_calls']} SendMessageBatch "
              f"calls ({dispatch['payload_form']} payloads, encoded in {dispatch['payload_encoding_ms']} ms)")
        seq = results["dispatch_sequential"]
        print(f"dispatch, moto, 1   {seq['shards']} shards: {seq['dispatch_duration_ms']} ms dispatch with "
              f"SWEEP_DISPATCH_CONCURRENCY=1, {seq['send_batch_calls']} calls")
        print(f"dispatch, fast SQS  {fast['shards']} shards: {fast['dispatch_duration_ms']} ms dispatch (median of "
              f"{fast['dispatch_duration_ms_all']}), {fast['invocation_wall_ms']} ms invocation, payloads "
              f"{fast['payload_encoding_ms']} ms, "
              f"{fast['send_batch_calls']} calls, {fast['http_requests']} HTTP requests; new TCP connections per run "
              f"{fast['new_connections_per_run']}")
        for name, run in boto.items():
            if isinstance(run, dict):
                print(f"boto3, {name:22} {run['messages']} messages of {boto['message_bytes_mean']} B in "
                      f"{run['calls']} calls: {run['wall_ms']} ms (first 10 calls {run['first10_call_ms']} ms each, "
                      f"last 10 {run['last10_call_ms']} ms)")
        cpu = point["cpu"]
        print(f"per point, moto     cloud {point['cloud']} ms, local {point['local']} ms, overhead "
              f"{point['overhead']} ms ({point['points']} points, one shard, one thread, median of {point['rounds']} "
              f"rounds)")
        print(f"per point, fast     cloud {point['cloud_fast_endpoints']} ms, overhead "
              f"{point['overhead_fast_endpoints']} ms (S3 and SQS = bench/fast_endpoints.py)")
        two = point["cloud_fast_endpoints_2_point_threads"]
        print(f"per point, 2 threads cloud {two} ms with SWEEP_POINT_THREADS=2 (fast endpoints), "
              f"{point['cloud_fast_endpoints'] / two:.2f}x the 1-thread rate, CPU "
              f"{cpu['cloud_fast_endpoints_2_point_threads']} ms per point")
        print(f"per point, CPU      cloud {cpu['cloud']} ms (moto), {cpu['cloud_fast_endpoints']} ms (fast), local "
              f"{cpu['local']} ms")
        print(f"S3 requests         one shard: {point['shard_s3_requests']} (fast endpoint), "
              f"{point['moto_requests_one_shard']} (moto's log)")
        cost = results["s3_request_ms"]
        print(f"S3 request cost     ours (HEAD + 15 kB PUT): moto {cost['ours_head_plus_put_moto']} ms, fast "
              f"{cost['ours_head_plus_put_fast']} ms; boto3 on moto: HEAD {cost['boto3_moto']['head']} ms, PUT "
              f"{cost['boto3_moto']['put_15kB']} ms")
        print(f"load average        {results['load_average']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
