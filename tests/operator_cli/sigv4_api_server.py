"""A stand-in for API Gateway with IAM authorisation, for `ridesweep submit`: a small HTTP server that checks each
request's SigV4 signature the way the gateway does — botocore (the oracle) recomputes the signature of the
received method, path, query, signed headers and body with the caller's secret, at the request's own X-Amz-Date —
and answers 403 like the gateway for an unknown key or a wrong signature, otherwise the scripted status and body.
"""

from __future__ import annotations

import dataclasses
import datetime
import http.server
import json
import re
import threading

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AUTHORIZATION = re.compile(r"\AAWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                           r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})\Z")
SIGNATURE_MISMATCH = ("The request signature we calculated does not match the signature you provided. Check your AWS "
                      "Secret Access Key and signing method. Consult the service documentation for details.")


@dataclasses.dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    region: str = ""
    service: str = ""
    signed_headers: list[str] = dataclasses.field(default_factory=list)
    verdict: str = ""  # "ok" or why it was refused


class SigV4ApiServer:
    def __init__(self, secrets: dict[str, str]):
        self.secrets = secrets            # access key id -> secret access key
        self.answer_status = 202
        self.answer_body = b"{}"
        self.received: list[Received] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                received = Received(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                outer.received.append(received)
                status, payload = outer.verify(received, self.headers)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/prod/sweep-run"

    def __enter__(self) -> "SigV4ApiServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def verify(self, received: Received, raw_headers) -> tuple[int, bytes]:
        def refuse(why: str, message: str) -> tuple[int, bytes]:
            received.verdict = why
            return 403, json.dumps({"message": message}).encode()

        match = AUTHORIZATION.match(raw_headers.get("Authorization", ""))
        if not match:
            return refuse("no SigV4 Authorization header", "Missing Authentication Token")
        key_id, date, region, service, signed, signature = match.groups()
        received.region, received.service, received.signed_headers = region, service, signed.split(";")
        secret = self.secrets.get(key_id)
        if secret is None:
            return refuse("unknown key", "The security token included in the request is invalid.")
        amz_date = raw_headers.get("X-Amz-Date", "")
        stamp = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        if abs((datetime.datetime.now(datetime.timezone.utc) - stamp).total_seconds()) > 300 or date != amz_date[:8]:
            return refuse("stale or inconsistent date", "Signature expired")
        if "host" not in received.signed_headers:
            return refuse("host not signed", SIGNATURE_MISMATCH)
        # The request as the gateway sees it, reduced to the headers the client signed.
        headers = {name: raw_headers.get(name, "") for name in received.signed_headers}
        request = AWSRequest(method=received.method, url=f"http://{raw_headers['Host']}{received.path}",
                             headers=headers, data=received.body)
        request.context["timestamp"] = amz_date
        token = raw_headers.get("X-Amz-Security-Token")
        auth = SigV4Auth(Credentials(key_id, secret, token), service, region)
        canonical = auth.canonical_request(request)
        expected = auth.signature(auth.string_to_sign(request, canonical), request)
        if expected != signature:
            return refuse("signature mismatch", SIGNATURE_MISMATCH)
        received.verdict = "ok"
        return self.answer_status, self.answer_body
