"""A fault-injecting HTTP/1.1 proxy on 127.0.0.1 in front of moto's S3, for the faults moto cannot produce on
demand (503 SlowDown, 500 InternalError, connections reset). The bootstrap's SWEEP_S3_ENDPOINT points here;
requests are forwarded byte for byte (Host included, so moto checks the signature the client computed for this
endpoint), and `decide(method, path)` picks, per request, None (forward) or a fault. tests/aws/stub_server.py is
the scripted stub without an upstream; this one keeps moto as the real store behind the faults.
"""

from __future__ import annotations

import http.client
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SLOW_DOWN = (503, b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
                  b"<Message>Please reduce your request rate.</Message></Error>")
INTERNAL_ERROR = (500, b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code>'
                       b"<Message>We encountered an internal error. Please try again.</Message></Error>")
RESET = "reset"
# Hop-by-hop headers the proxy sets itself.
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


@dataclass
class Seen:
    method: str
    path: str
    fault: object   # None when forwarded
    status: int     # upstream or injected status (0 for a reset)


@dataclass
class FaultProxy:
    upstream: str
    decide: Callable[[str, str], object] = lambda method, path: None
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        target = urlsplit(self.upstream)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # Quiet.
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with proxy._lock:
                    fault = proxy.decide(self.command, self.path)
                if fault == RESET:
                    proxy._record(self.command, self.path, fault, 0)
                    # RST instead of FIN: the client sees "connection reset by peer".
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault is not None:
                    status, payload = fault
                    proxy._record(self.command, self.path, fault, status)
                    self._answer(status, [("Content-Type", "application/xml")], payload, len(payload))
                    return
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                    headers["Content-Length"] = str(len(body))
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    payload = answer.read()
                    size = int(answer.getheader("Content-Length") or len(payload))
                    kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in _HOP]
                finally:
                    upstream.close()
                proxy._record(self.command, self.path, None, answer.status)
                self._answer(answer.status, kept, payload, size)

            def _answer(self, status: int, headers: list[tuple[str, str]], payload: bytes, size: int):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                # HEAD keeps the object's size, as S3 answers it.
                self.send_header("Content-Length", str(size if self.command == "HEAD" else len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _record(self, method: str, path: str, fault: object, status: int) -> None:
        with self._lock:
            self.seen.append(Seen(method, path, fault, status))

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self):
        self._server.shutdown()
        self._server.server_close()
