"""SignV4 against botocore's signer on randomised requests (botocore is the oracle).

The C++ harness signs each request (`ridesweep_aws_harness sign`); botocore's SigV4Auth / S3SigV4Auth signs the
same inputs at the same instant; canonical request, Authorization and every added header must be identical.
Requests vary the service (S3's no-normalisation, single-encoding rule versus everyone else's), method, host
(with and without port), paths with spaces, reserved characters, UTF-8 and dot segments, repeated and unicode
query parameters, header names and values with folding whitespace and repeats, binary bodies, session tokens,
regions and times. The seed is fixed and printed, so a failure replays.
"""

from __future__ import annotations

import datetime
import json
import random
import subprocess
from unittest import mock
from urllib.parse import quote

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SEED = 20260214
CASES = 400
SERVICES = ["s3", "sqs", "athena", "execute-api", "service"]
HOSTS = ["example.amazonaws.com", "127.0.0.1:4566", "bucket.s3.eu-west-1.amazonaws.com", "sqs.us-east-1.amazonaws.com"]
REGIONS = ["us-east-1", "eu-central-1", "ap-southeast-2", "cn-north-1"]
PATH_CHARS = list("abcXYZ019-_.~ !$&'()*+,;=:@%") + ["é", "ሴ", "😀", "ß"]
QUERY_CHARS = list("abcXYZ019-_.~ !$&'()*+,;=:@%/?#[]") + ["é", "ሴ", "😀"]
HEADER_NAMES = ["Content-Type", "X-Amz-Meta-Owner", "x-amz-meta-run", "My-Header1", "X-Amz-Target", "If-None-Match",
                "Range", "Content-Encoding", "X-Custom"]
UNSIGNED = ["User-Agent", "Expect", "X-Amzn-Trace-Id", "Connection"]
VALUE_CHARS = list("abcXYZ019-_.~!$&'()*+,;=:@/\"") + [" ", " ", "  ", "\t"]


def random_text(rng: random.Random, alphabet: list[str], lo: int, hi: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def random_path(rng: random.Random, service: str) -> str:
    segments = [random_text(rng, PATH_CHARS, 0 if service != "s3" else 1, 8) for _ in range(rng.randint(0, 4))]
    if service != "s3" and rng.random() < 0.3:
        segments.insert(rng.randint(0, len(segments)), rng.choice([".", "..", ""]))
    raw = "/" + "/".join(segments)
    if rng.random() < 0.2:
        raw += "/"
    if service == "s3" or rng.random() < 0.5:
        return quote(raw, safe="/~")  # The wire path of an encoded key (S3Store's UriEncodePath).
    return raw.replace("%", "%25")  # A raw path, as the AWS test suite writes them (a bare '%' would be an escape).


def random_case(rng: random.Random) -> dict:
    service = rng.choice(SERVICES)
    headers = []
    for _ in range(rng.randint(0, 5)):
        value = random_text(rng, VALUE_CHARS, 0, 20)
        headers.append([rng.choice(HEADER_NAMES), value])
    if rng.random() < 0.3:
        headers.append([rng.choice(UNSIGNED), random_text(rng, VALUE_CHARS, 1, 10)])
    host = rng.choice(HOSTS)
    if rng.random() < 0.2:
        headers.append(["Host", host])
    token = ""
    if rng.random() < 0.5:
        token = random_text(rng, list("ABCDEFabcdef0123456789+/="), 16, 300)
    return {
        "method": rng.choice(["GET", "PUT", "POST", "DELETE", "HEAD"]),
        "scheme": rng.choice(["http", "https"]),
        "host": host,
        "path": random_path(rng, service),
        "query": [[random_text(rng, QUERY_CHARS, 1, 6), random_text(rng, QUERY_CHARS, 0, 6)]
                  for _ in range(rng.randint(0, 4))],
        "headers": headers,
        "body_hex": bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 64))).hex() if rng.random() < 0.7 else "",
        "service": service,
        "region": rng.choice(REGIONS),
        "access_key": "AKIA" + random_text(rng, list("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 16, 16),
        "secret_key": random_text(rng, list("ABCDEFabcdef0123456789+/"), 40, 40),
        "token": token,
        "time": rng.randint(1_420_070_400, 1_893_456_000),  # 2015..2030
    }


def botocore_sign(case: dict) -> tuple[str, dict[str, str]]:
    request = AWSRequest(method=case["method"], url=f"{case['scheme']}://{case['host']}{case['path']}",
                         data=bytes.fromhex(case["body_hex"]), params=[tuple(p) for p in case["query"]])
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders appends, so repeated names stay repeated.
    credentials = Credentials(case["access_key"], case["secret_key"], case["token"] or None)
    signer = (S3SigV4Auth if case["service"] == "s3" else SigV4Auth)(credentials, case["service"], case["region"])
    now = datetime.datetime.fromtimestamp(case["time"], tz=datetime.timezone.utc).replace(tzinfo=None)
    captured = {}
    original = signer.canonical_request

    def spy(req):  # The canonical request botocore signs inside add_auth.
        captured["canonical"] = original(req)
        return captured["canonical"]

    signer.canonical_request = spy
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        signer.add_auth(request)
    canonical = captured["canonical"]
    added = {name: request.headers[name] for name in ("X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256",
                                                      "Authorization") if name in request.headers}
    return canonical, added


def test_signatures_match_botocore_on_randomised_requests(harness_path):
    rng = random.Random(SEED)
    cases = [random_case(rng) for _ in range(CASES)]
    proc = subprocess.run([harness_path, "sign"], input="\n".join(json.dumps(c) for c in cases) + "\n",
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    ours = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(ours) == CASES
    services_seen = set()
    for index, (case, mine) in enumerate(zip(cases, ours)):
        canonical, added = botocore_sign(case)
        context = f"seed {SEED}, case {index}: {json.dumps(case, ensure_ascii=False)}"
        assert mine["canonical_request"] == canonical, context
        assert dict(mine["headers"]) == added, context
        services_seen.add(case["service"])
    assert services_seen == set(SERVICES)


def test_the_url_we_send_is_the_one_we_signed(harness_path):
    """botocore signs the query of request.params; our wire URL must carry exactly those pairs, encoded alike."""
    case = {"method": "GET", "scheme": "http", "host": "127.0.0.1:4566", "path": "/b/a%20key",
            "query": [["prefix", "a b/ሴ"], ["list-type", "2"], ["continuation-token", "x+y/z="]], "headers": [],
            "body_hex": "", "service": "s3", "region": "us-east-1", "access_key": "AKID", "secret_key": "S",
            "token": "", "time": 1_440_938_160}
    proc = subprocess.run([harness_path, "sign"], input=json.dumps(case) + "\n", capture_output=True, text=True)
    mine = json.loads(proc.stdout)
    assert mine["url"] == ("http://127.0.0.1:4566/b/a%20key?prefix=a%20b%2F%E1%88%B4&list-type=2"
                           "&continuation-token=x%2By%2Fz%3D")
    canonical, _ = botocore_sign(case)
    assert mine["canonical_request"] == canonical
