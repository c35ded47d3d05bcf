"""`ridesweep serve` against hostile or broken clients, over real sockets on 127.0.0.1.

- Idle connections cost no worker: 500 connections that send nothing (or half a request line) do not delay
  another client's request.
- GET /runs/{id} reads only the run's own prefix: 1,000 GETs of unknown runs stay fast however many other runs'
  objects the results directory holds.
- The 10 MiB body limit holds for chunked bodies: 413 with the JSON error and no buffering past the limit.
- A truncated body gets a prompt JSON 400; every error the server answers itself has a JSON body.
- A second `serve` on a port already in use exits 2 with a clear message (no SO_REUSEPORT sharing); the listen
  backlog is at least 128.
"""

from __future__ import annotations

import http.client
import json
import pathlib
import resource
import socket
import subprocess
import threading
import time

import pytest

import e2e_support as e2e
from test_serve import Server

TOO_LARGE = {"error": "payload_too_large", "message": "Request body exceeds 10485760 bytes"}


@pytest.fixture(scope="module")
def server(cli, tmp_path_factory):
    srv = Server(cli, tmp_path_factory.mktemp("serve-hostile") / "results")
    yield srv
    if srv.proc.poll() is None:
        code, _ = srv.terminate()
        assert code == 0


def _rss_bytes(pid: int) -> int:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _read_answers(sock: socket.socket, count: int, timeout: float) -> list[tuple[int, dict, bytes]]:
    """Reads `count` HTTP answers (status, headers, body) from a raw socket."""
    sock.settimeout(timeout)
    data = b""
    answers = []
    while len(answers) < count:
        if b"\r\n\r\n" in data:
            head, rest = data.split(b"\r\n\r\n", 1)
            lines = head.decode().split("\r\n")
            headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
            length = int(headers["content-length"])
            if len(rest) >= length:
                answers.append((int(lines[0].split()[1]), headers, rest[:length]))
                data = rest[length:]
                continue
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before {count} answers: {data!r}"
        data += chunk
    return answers


def _read_answer(sock: socket.socket, timeout: float) -> tuple[int, dict, bytes]:
    return _read_answers(sock, 1, timeout)[0]


def _assert_json_error(status: int, headers: dict, body: bytes, expected_status: int) -> dict:
    assert status == expected_status, body
    assert headers["content-type"] == "application/json"
    error = json.loads(body)
    assert isinstance(error["error"], str) and isinstance(error["message"], str), error
    return error


def test_idle_connections_do_not_block_other_clients(server):
    # 500 sockets plus the test's own: raise this process's soft descriptor limit if it is lower.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1024:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))
    idle = []
    try:
        for i in range(500):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
            if i % 2:
                sock.sendall(b"GET /runs/slow HTTP/1.1\r\nHost: x\r\n")  # half a request, never finished
            idle.append(sock)
        start = time.monotonic()
        status, _, text = server.request("GET", "/runs/some-other-run")
        elapsed = time.monotonic() - start
        assert status == 404, text
        # Bound: 1 s. The request needs a few milliseconds; a server that gives each connection a thread until
        # its read timeout (8 threads, 5 s) made it wait minutes behind these 500 sockets.
        assert elapsed < 1.0, f"{elapsed:.2f} s behind 500 idle connections"
    finally:
        for sock in idle:
            sock.close()


def test_unknown_run_gets_do_not_scan_other_runs(server):
    # Other runs' committed points: 20,000 objects under the two datasets a progress answer reads.
    for dataset in ("effective_parameters", "shard_outcomes"):
        for shard in range(100):
            directory = server.results_dir / pathlib.Path(
                e2e.point_key(dataset, "2026-01-01", f"other-{shard}", shard, 0)).parent.parent
            for point in range(100):
                leaf = directory / f"point_index_partition={point}" if dataset == "effective_parameters" else \
                    directory / f"point_index={point}"
                leaf.mkdir(parents=True, exist_ok=True)
                (leaf / "part-0.parquet").write_bytes(b"")
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        start = time.monotonic()
        for i in range(1000):
            conn.request("GET", f"/runs/unknown-{i}")
            response = conn.getresponse()
            body = response.read()
            assert response.status == 404, body
            assert json.loads(body) == {"error": "not_found", "message": f"no run 'unknown-{i}' in the results"}
        elapsed = time.monotonic() - start
    finally:
        conn.close()
    # Bound: 5 s for 1,000 (5 ms each; one answer is a manifest lookup plus a loopback round trip, well under
    # 1 ms). Scanning the 20,000 other objects per request, as before, took seconds per hundred requests.
    assert elapsed < 5.0, f"1,000 unknown-run GETs took {elapsed:.2f} s"


def test_chunked_body_over_the_limit_is_413_without_buffering_it(server):
    rss_before = _rss_bytes(server.proc.pid)
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    chunk = b"x" * 65536
    frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"

    def send_body():
        try:
            sock.sendall(b"POST /sweep-run HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in range(11 * 16):  # 11 MiB
                sock.sendall(frame)
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # The server may close once it has answered and drained for a while.

    sender = threading.Thread(target=send_body)
    sender.start()
    try:
        status, headers, body = _read_answer(sock, timeout=60)
    finally:
        sender.join()
        sock.close()
    assert _assert_json_error(status, headers, body, 413) == TOO_LARGE
    growth = _rss_bytes(server.proc.pid) - rss_before
    # Bound: 20 MB. The parser keeps at most the 10 MiB limit and frees it with the error; the old server read the
    # whole chunked body (11 MiB here, 270 MB for a 200 MiB body) and accepted it.
    assert growth < 20 * 1024 * 1024, f"RSS grew by {growth / 1e6:.1f} MB"
    assert server.request("GET", "/runs/after-413")[0] == 404  # still serving


def test_truncated_body_gets_a_prompt_json_400(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b'POST /sweep-run HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"run_id":')
        sock.shutdown(socket.SHUT_WR)
        start = time.monotonic()
        status, headers, body = _read_answer(sock, timeout=30)
        elapsed = time.monotonic() - start
    error = _assert_json_error(status, headers, body, 400)
    assert error == {"error": "bad_request",
                     "message": "Request truncated: the connection closed before the end of the body"}
    # Bound: 2 s. The answer needs no timeout, only the client's FIN; the old server waited out its 5 s read
    # timeout and then sent an empty 400.
    assert elapsed < 2.0, f"answered after {elapsed:.2f} s"


@pytest.mark.parametrize("raw,status,message", [
    (b"GET /x HTTP/1.1\r\nBad Header\r\n\r\n", 400, "Malformed header line"),
    (b"GET /x HTTP/2.0\r\n\r\n", 505, "Only HTTP/1.1 and HTTP/1.0 are supported"),
    (b"POST /sweep-run HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501,
     "Unsupported Transfer-Encoding (only chunked is accepted)"),
    (b"POST /sweep-run HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}", 400,
     "Both Transfer-Encoding and Content-Length were sent"),
    (b"GET /x HTTP/1.1\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n", 431, "Request headers exceed 16384 bytes"),
    (b"POST /sweep-run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400,
     "Malformed chunked body: bad chunk size"),
    (b"POST /sweep-run HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", 413, TOO_LARGE["message"]),
    (b"GET /runs/%zz HTTP/1.1\r\n\r\n", 400, "Malformed percent-encoding in the request path"),
])
def test_every_error_the_server_answers_itself_is_json(server, raw, status, message):
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(raw)
        got = _read_answer(sock, timeout=30)
    assert _assert_json_error(*got, status)["message"] == message


def test_keep_alive_and_pipelined_requests(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"GET /runs/p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        first, second = _read_answers(sock, 2, timeout=30)
    assert first[0] == 404 and json.loads(first[2])["message"] == "no run 'p1' in the results"
    assert second[0] == 404 and json.loads(second[2])["message"] == "No route for GET /nowhere"


def test_second_serve_on_the_same_port_exits_2(cli, server, tmp_path):
    second = cli.run("serve", "--port", str(server.port), "--results-dir", tmp_path / "other", timeout=30)
    assert second.returncode == 2, second.stdout + second.stderr
    assert second.stderr == (f"Error: address 127.0.0.1:{server.port} is already in use (is another `ridesweep "
                             "serve` running?); choose another --port\n")
    assert second.stdout == ""
    assert server.request("GET", "/runs/still-mine")[0] == 404  # the first server keeps its port


def test_listen_backlog_is_at_least_128(server):
    # `ss` reports a listening socket's backlog in the Send-Q column (the kernel caps it at net.core.somaxconn).
    out = subprocess.run(["ss", "-ltnH", f"sport = :{server.port}"], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines() if line.strip()]
    assert len(rows) == 1, out.stdout
    somaxconn = int(pathlib.Path("/proc/sys/net/core/somaxconn").read_text())
    assert int(rows[0][2]) >= min(128, somaxconn), out.stdout
