"""Memory soak of a long `ridesweep run`: many small points in one process, its resident set sampled from
/proc/<pid>/status while it runs. The growth per point is the slope of RSS over points done after a warm-up (the
first `--warmup` fraction of the run: encoders, DuckDB caches and allocator arenas reach their working size), fitted
by least squares over the samples; a process without per-point growth has a slope near 0 B/point.

    .venv/bin/python bench/rss_soak.py --ridesweep build/release/apps/ridesweep/ridesweep --points 20000

Points are counted from the non-interactive progress lines on stderr ("[###---] 1234/20000 points"), which
`ridesweep run` prints once per tenth, so the fit has about nine samples after a 10 % warm-up; RSS is sampled every
0.2 s and each progress line is paired with the sample taken just after it.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import subprocess
import tempfile
import threading
import time

PROGRESS = re.compile(r"\] (\d+)/(\d+) points")


def rss_kib(pid: int) -> int | None:
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def request(points: int, shard_size: int) -> dict:
    """`points` (a multiple of 500) points of 10 riders, 3 drivers and one simulated hour: a few ms each, so the run is
    dominated by per-point overhead. Three short dimension lists (20 x 25 x points/500 values), so that no shard
    payload grows with the number of points (a single list of `points` values would put all of them in every
    shard's payload)."""
    assert points % 500 == 0, "points must be a multiple of 500"
    return {"run_id": f"rss-soak-{points}",
            "dimensions": {"num_riders": [10], "num_drivers": [3], "simulation_duration_hours": [1],
                           "commission_rate": [round(0.05 + 0.01 * i, 2) for i in range(20)],
                           "base_fare": [round(1.0 + 0.1 * i, 1) for i in range(25)],
                           "per_km_rate": [round(0.5 + 0.01 * i, 2) for i in range(points // 500)]},
            "shard_size": shard_size, "seed": 7}


def slope(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ridesweep", required=True)
    parser.add_argument("--points", type=int, default=20000)
    parser.add_argument("--shard-size", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=float, default=0.1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        request_path = pathlib.Path(tmp) / "request.json"
        request_path.write_text(json.dumps(request(args.points, args.shard_size)))
        proc = subprocess.Popen([args.ridesweep, "run", str(request_path), "--results-dir", f"{tmp}/results",
                                 "--threads", str(args.threads), "--top", "1"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        latest = {"rss": 0}
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                value = rss_kib(proc.pid)
                if value is not None:
                    latest["rss"] = value
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        pairs: list[tuple[int, int]] = []
        assert proc.stderr is not None
        for line in proc.stderr:
            if match := PROGRESS.search(line):
                time.sleep(0.25)  # the sample after this line
                pairs.append((int(match.group(1)), latest["rss"]))
        proc.wait()
        stop.set()
        sampler.join()
    assert proc.returncode == 0, proc.returncode
    # The last line (all points done) comes as the pool shuts down and frees its encoders: not a per-point sample.
    after = [(p, r) for p, r in pairs if args.warmup * args.points <= p < args.points and r > 0]
    per_point = slope([p for p, _ in after], [r * 1024.0 for _, r in after]) if len(after) >= 2 else float("nan")
    print(json.dumps({"points": args.points, "threads": args.threads, "shard_size": args.shard_size,
                      "samples_after_warmup": [{"points_done": p, "rss_kib": r} for p, r in after],
                      "rss_growth_bytes_per_point": round(per_point, 1)}, indent=1))


if __name__ == "__main__":
    main()
