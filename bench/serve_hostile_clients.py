"""`ridesweep serve` under hostile clients, measured (docs/BENCHMARKS.md, "serve under hostile clients").

Starts the given binary's `serve` on a free port with a fresh results directory and prints:
- the latency of one GET while 500 other connections sit idle;
- the wall time of 1,000 sequential GETs of unknown runs on one keep-alive connection, with --other-objects empty
  objects of other runs in the results directory;
- the answer to a --chunked-mib MiB chunked POST and the server's RSS before and after it.

Usage: .venv/bin/python bench/serve_hostile_clients.py build/release/apps/ridesweep/ridesweep
"""

from __future__ import annotations

import argparse
import http.client
import pathlib
import re
import resource
import socket
import subprocess
import tempfile
import threading
import time

LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+) ")


def rss_kib(pid: int) -> int:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("ridesweep")
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--gets", type=int, default=1000)
    parser.add_argument("--other-objects", type=int, default=20000)
    parser.add_argument("--chunked-mib", type=int, default=200)
    args = parser.parse_args()

    results = pathlib.Path(tempfile.mkdtemp()) / "results"
    for i in range(args.other_objects):
        leaf = (results / "sweep-results/dataset=effective_parameters/run_date=2026-01-01/"
                f"run_id_partition=other-{i // 100}/status_partition=success/shard_id_partition={i // 100}/"
                f"point_index_partition={i % 100}")
        leaf.mkdir(parents=True, exist_ok=True)
        (leaf / "part-0.parquet").write_bytes(b"")
    proc = subprocess.Popen([args.ridesweep, "serve", "--port", "0", "--results-dir", str(results), "--threads", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(LISTENING.search(proc.stdout.readline()).group(1))
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, args.idle + 256)), hard))
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(args.idle)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        start = time.monotonic()
        conn.request("GET", "/runs/behind-idle")
        status = conn.getresponse()
        status.read()
        print(f"GET behind {args.idle} idle connections: {status.status} in {1000 * (time.monotonic() - start):.1f} ms")
        for sock in idle:
            sock.close()

        start = time.monotonic()
        for i in range(args.gets):
            conn.request("GET", f"/runs/unknown-{i}")
            conn.getresponse().read()
        print(f"{args.gets} unknown-run GETs ({args.other_objects} other objects): "
              f"{time.monotonic() - start:.2f} s")
        conn.close()

        before = rss_kib(proc.pid)
        sock = socket.create_connection(("127.0.0.1", port))
        frame = b"10000\r\n" + b"x" * 65536 + b"\r\n"

        def send() -> None:
            try:
                sock.sendall(b"POST /sweep-run HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                for _ in range(args.chunked_mib * 16):
                    sock.sendall(frame)
                sock.sendall(b"0\r\n\r\n")
            except OSError:
                pass

        sender = threading.Thread(target=send)
        sender.start()
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
        sender.join()
        sock.close()
        status_line = answer.split(b"\r\n")[0].decode()
        print(f"{args.chunked_mib} MiB chunked POST: {status_line}; "
              f"RSS {before} KiB before, {rss_kib(proc.pid)} KiB after")
    finally:
        proc.terminate()
        proc.wait(timeout=60)


if __name__ == "__main__":
    main()
