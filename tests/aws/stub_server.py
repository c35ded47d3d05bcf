"""A scripted HTTP/1.1 server on 127.0.0.1 for the faults moto cannot produce on demand: 503 SlowDown, 5xx,
throttling, connections reset mid-request, partial SendMessageBatch failures. Keep-alive like real AWS endpoints
(moto closes every connection), so connection reuse can be observed. Each request is recorded with the client's
port (one port = one TCP connection); verify_sigv4() checks a recorded request's signature with botocore.

Actions, consumed in order, then `default`: ("respond", status, headers, body), ("reset",) to drop the connection
without an answer, or a callable taking the recorded request and returning one of those.
"""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


class _BackloggedServer(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: clients connecting at once overflow it, and a dropped SYN costs
    # the client a 1 s retransmission timeout.
    request_queue_size = 128


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    client_port: int


@dataclass
class StubServer:
    script: list = field(default_factory=list)
    default: tuple = ("respond", 200, {}, b"")
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # Quiet.
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                record = Recorded(self.command, self.path, {k: v for k, v in self.headers.items()}, body,
                                  self.client_address[1])
                with stub._lock:
                    stub.requests.append(record)
                    action = stub.script.pop(0) if stub.script else stub.default
                if callable(action):
                    action = action(record)
                if action[0] == "reset":
                    # RST instead of FIN: the client sees "connection reset by peer".
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                    return
                _, status, headers, payload = action
                payload = payload.encode() if isinstance(payload, str) else payload
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self._server = _BackloggedServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self):
        self._server.shutdown()
        self._server.server_close()


def verify_sigv4(record: Recorded, secret: str, token: str | None = None) -> bool:
    """Recomputes the request's signature with botocore from the headers it says it signed (as moto does)."""
    authorization = record.headers["Authorization"]
    scope = authorization.split("Credential=", 1)[1].split(",", 1)[0].split("/")
    signed = authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0].split(";")
    headers = {k: v for k, v in record.headers.items() if k.lower() in signed}
    request = AWSRequest(method=record.method, url=record.path, data=record.body, headers=headers)
    request.context["timestamp"] = record.headers["X-Amz-Date"]
    service = scope[3]
    signer = (S3SigV4Auth if service == "s3" else SigV4Auth)(Credentials(scope[0], secret, token), service, scope[2])
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    return authorization.endswith("Signature=" + expected)
