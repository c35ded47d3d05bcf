"""A large sweep of cheap points end to end on the local path, stage by stage: `run` (sweep and end-of-run summary),
a rerun of the finished request (every point skipped: the skip checks and the summary alone), `status`,
`status --json` (with the statistics by configuration), `query query_configuration_summary`, `ingest`, one `query`,
`report`, `export` (when the binary has it) and `runs delete`. Each stage runs under
`/usr/bin/time -v`; the table gives its wall time and peak RSS, and the object count and bytes of the run's
results. With `--neighbour-points N` a small run (N points) is first written to the same results directory and
timed again after the big one, so that its figures show whether reads stay scoped to their own run.

    nice .venv/bin/python bench/scale_run.py --ridesweep build/release/apps/ridesweep/ridesweep \
        --points 200000 --work-dir /tmp/scale --threads 2 [--layout per_shard]

The request is the memory soak's (bench/rss_soak.py): 10 riders, 3 drivers, one simulated hour per point, three
short dimension lists, so no shard payload grows with the number of points. Results go under --work-dir, which is
removed at the end unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from rss_soak import request  # noqa: E402

WALL = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)")
RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def timed(args: list[str], cwd: pathlib.Path) -> dict:
    proc = subprocess.run(["/usr/bin/time", "-v", *args], cwd=cwd, capture_output=True, text=True)
    wall = WALL.search(proc.stderr)
    rss = RSS.search(proc.stderr)
    seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))) if wall else None
    return {"exit": proc.returncode, "wall_s": seconds, "peak_rss_mib": int(rss.group(1)) / 1024 if rss else None,
            "stderr_tail": proc.stderr.splitlines()[-25:-23] if proc.returncode not in (0, 1) else []}


def footprint(results: pathlib.Path, run_id: str) -> tuple[int, int]:
    objects = size = 0
    for path in results.rglob("*"):
        if path.is_file() and (f"={run_id}/" in path.as_posix()):
            objects += 1
            size += path.stat().st_size
    return objects, size


def stages(cli: str, results: pathlib.Path, request_path: pathlib.Path, run_id: str, threads: int,
           work: pathlib.Path, has_export: bool) -> list[tuple[str, dict]]:
    loc = ["--results-dir", str(results)]
    # Each stage replaces the file an earlier run's stage wrote (binaries without --force never refuse).
    force = ["--force"] if "--force" in subprocess.run([cli, "report", "--help"], capture_output=True,
                                                       text=True).stdout else []
    out = [("run", timed([cli, "run", str(request_path), *loc, "--threads", str(threads), "--top", "3",
                          "--quiet"], work)),
           ("rerun (all skipped) + summary", timed([cli, "run", str(request_path), *loc, "--threads", str(threads),
                                                    "--top", "3", "--quiet"], work)),
           ("status", timed([cli, "status", "--run-id", run_id, *loc], work)),
           ("status --json (with the configuration summary)", timed([cli, "status", "--run-id", run_id, *loc,
                                                                      "--json"], work)),
           ("query query_configuration_summary", timed([cli, "query", "query_configuration_summary", "--run-id",
                                                        run_id, *loc], work)),
           ("ingest", timed([cli, "ingest", "--run-id", run_id, *loc], work)),
           ("query query_run_level_profile", timed([cli, "query", "query_run_level_profile", "--run-id", run_id,
                                                    *loc], work)),
           ("report", timed([cli, "report", "--run-id", run_id, *loc, "--out", str(work / "report.html"), *force],
                             work))]
    if has_export:
        out.append(("export", timed([cli, "export", "--run-id", run_id, *loc, "--out", str(work / "export.parquet"),
                                     "--force"], work)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ridesweep", required=True)
    parser.add_argument("--points", type=int, default=200000)
    parser.add_argument("--shard-size", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--neighbour-points", type=int, default=500)
    parser.add_argument("--work-dir", default="/tmp/ridesweep-scale")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--baseline-ridesweep", help="another binary whose neighbour-run reads are timed as well")
    parser.add_argument("--layout", choices=["per_point", "per_shard"], default="per_point",
                        help="output layout of both runs (the request's \"layout\")")
    args = parser.parse_args()

    cli = str(pathlib.Path(args.ridesweep).resolve())
    work = pathlib.Path(args.work_dir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    results = work / "results"
    help_text = subprocess.run([cli, "--help"], capture_output=True, text=True).stdout
    has_export = re.search(r"^\s+export\b", help_text, re.MULTILINE) is not None
    report = {"points": args.points, "threads": args.threads, "shard_size": args.shard_size, "layout": args.layout,
              "stages": {}}
    try:
        small_path = work / "small.json"
        small = request(args.neighbour_points, min(args.shard_size, args.neighbour_points))
        small["run_id"] = "scale-neighbour"
        if args.layout != "per_point":
            small["layout"] = args.layout
        small_path.write_text(json.dumps(small))
        if args.neighbour_points:
            report["neighbour_alone"] = dict(stages(cli, results, small_path, "scale-neighbour", args.threads, work,
                                                    has_export))
        big_path = work / "big.json"
        big = request(args.points, args.shard_size)
        if args.layout != "per_point":
            big["layout"] = args.layout
        big_path.write_text(json.dumps(big))
        report["stages"] = dict(stages(cli, results, big_path, big["run_id"], args.threads, work, has_export))
        report["objects"], report["bytes"] = footprint(results, big["run_id"])
        if args.neighbour_points:
            report["neighbour_next_to_big"] = dict(
                stages(cli, results, small_path, "scale-neighbour", args.threads, work, has_export)[1:])
            if args.baseline_ridesweep:
                baseline = str(pathlib.Path(args.baseline_ridesweep).resolve())
                report["neighbour_next_to_big_baseline"] = dict(
                    stages(baseline, results, small_path, "scale-neighbour", args.threads, work, False)[1:])
        report["stages"]["runs delete"] = timed([cli, "runs", "delete", big["run_id"], "--yes", "--results-dir",
                                                 str(results)], work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    os.nice(0)
    main()
