"""Minimal, fast local stand-ins for SQS (JSON protocol) and S3, used only by bench/lambda_bench.py to measure OUR
side of the cloud path (planning, payloads, SigV4 signing, libcurl HTTP) without moto's per-request cost.

They answer the way our clients read AWS, nothing more: no signature check, no authorisation, no persistence.
- FastSqs: `POST /` with `X-Amz-Target: AmazonSQS.SendMessageBatch` (application/x-amz-json-1.0) answers
  {"Successful":[{"Id","MessageId","MD5OfMessageBody"}],"Failed":[]} with the real MD5s (the dispatcher checks
  them) and keeps every message body it accepted, in arrival order.
- FastS3: path-style PUT (incl. `If-None-Match: *` → 412), GET, HEAD and DELETE on an in-memory dict.

Both speak HTTP/1.1 with keep-alive (as AWS does; moto closes every connection), write each answer in one send()
and set TCP_NODELAY, so no Nagle / delayed-ACK stall adds 40 ms to a request, and accept a backlog of 128
connections.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):  # Quiet.
        pass

    def _answer(self, status: int, body: bytes = b"", content_type: str = "application/json",
                extra: dict[str, str] | None = None) -> None:
        head = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}",
                f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        head += [f"{name}: {value}" for name, value in (extra or {}).items()]
        payload = ("\r\n".join(head) + "\r\n\r\n").encode()
        self.wfile.write(payload if self.command == "HEAD" else payload + body)

    def _count(self) -> None:
        """One more request; the client's port names its TCP connection. Call with the owner's lock held."""
        owner = self.server.owner  # type: ignore[attr-defined]
        owner.requests += 1
        owner.client_ports.add(self.client_address[1])

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""


class _ThreadingServer(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: eight clients connecting at once overflow it, and a dropped SYN
    # costs the client a 1 s retransmission timeout.
    request_queue_size = 128


class _Server:
    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self._server = _ThreadingServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._server.owner = self  # type: ignore[attr-defined]
        self.lock = threading.Lock()
        self.requests = 0
        self.client_ports: set[int] = set()  # one per TCP connection the clients opened
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def connections(self) -> int:
        return len(self.client_ports)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _SqsHandler(_Handler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        owner: FastSqs = self.server.owner  # type: ignore[attr-defined]
        request = json.loads(self._body())
        if self.headers.get("X-Amz-Target") != "AmazonSQS.SendMessageBatch":
            self._answer(400, json.dumps({"__type": "com.amazonaws.sqs#InvalidAction",
                                          "message": "only SendMessageBatch"}).encode())
            return
        successful = []
        bodies = []
        for entry in request["Entries"]:
            body = entry["MessageBody"]
            bodies.append((entry["Id"], body))
            successful.append({"Id": entry["Id"], "MessageId": str(uuid.uuid4()),
                               "MD5OfMessageBody": hashlib.md5(body.encode()).hexdigest()})
        with owner.lock:
            self._count()
            owner.messages.extend(bodies)
        self._answer(200, json.dumps({"Successful": successful, "Failed": []}).encode(),
                     "application/x-amz-json-1.0")


class FastSqs(_Server):
    """SendMessageBatch only; `messages` holds (entry id, body) of every accepted message."""

    def __init__(self):
        self.messages: list[tuple[str, str]] = []
        super().__init__(_SqsHandler)


_NO_SUCH_KEY = b"<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>"


class _S3Handler(_Handler):
    def _key(self) -> str:
        return self.path.split("?", 1)[0]

    def do_PUT(self):  # noqa: N802
        owner: FastS3 = self.server.owner  # type: ignore[attr-defined]
        data = self._body()
        with owner.lock:
            self._count()
            owner.counts["PUT"] = owner.counts.get("PUT", 0) + 1
            if self.headers.get("If-None-Match") == "*" and self._key() in owner.objects:
                status = 412
            else:
                owner.objects[self._key()] = data
                status = 200
        if status == 412:
            self._answer(412, b"<Error><Code>PreconditionFailed</Code><Message>exists</Message></Error>",
                         "application/xml")
        else:
            self._answer(200, extra={"ETag": '"' + hashlib.md5(data).hexdigest() + '"'})

    def _read(self, head: bool) -> None:
        owner: FastS3 = self.server.owner  # type: ignore[attr-defined]
        with owner.lock:
            self._count()
            owner.counts[self.command] = owner.counts.get(self.command, 0) + 1
            data = owner.objects.get(self._key())
        if data is None:
            self._answer(404, b"" if head else _NO_SUCH_KEY, "application/xml")
        else:
            self._answer(200, data, "application/octet-stream")

    def do_GET(self):  # noqa: N802
        self._read(head=False)

    def do_HEAD(self):  # noqa: N802
        self._read(head=True)

    def do_DELETE(self):  # noqa: N802
        owner: FastS3 = self.server.owner  # type: ignore[attr-defined]
        with owner.lock:
            self._count()
            owner.counts["DELETE"] = owner.counts.get("DELETE", 0) + 1
            owner.objects.pop(self._key(), None)
        self._answer(204)


class FastS3(_Server):
    """Path-style objects in memory, keyed by the request path (/bucket/key); `counts` per HTTP method."""

    def __init__(self):
        self.objects: dict[str, bytes] = {}
        self.counts: dict[str, int] = {}
        super().__init__(_S3Handler)
