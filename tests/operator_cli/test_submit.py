"""`ridesweep submit` (spec/sweep.md §17) against a SigV4-verifying stand-in for API Gateway (sigv4_api_server.py,
botocore recomputes every signature): 202 → the body on stdout, exit 0; any other answer → status and body on
stderr, exit 1 (wrong credentials: the gateway's 403 reaches the user); nothing sent → exit 2."""

from __future__ import annotations

import json
import pathlib
import subprocess

import pytest

from conftest import REPO, base_env
from sigv4_api_server import SigV4ApiServer

KEY_ID = "AKIAOPERATOREXAMPLE1"
SECRET = "operatorSecretEXAMPLEoperatorSecretEXAMPLE"
REQUEST = REPO / "examples" / "demo-request.json"
ACCEPTED = {"run_id": "demo-run-001", "total_points": 8, "shards_dispatched": 4, "status": "dispatch_submitted"}


@pytest.fixture
def api():
    with SigV4ApiServer({KEY_ID: SECRET}) as server:
        server.answer_body = json.dumps(ACCEPTED, separators=(",", ":")).encode()
        yield server


def submit(ridesweep: pathlib.Path, *args: str, env: dict[str, str] | None = None,
           stdin: str | None = None) -> subprocess.CompletedProcess:
    full = base_env()
    full.update(env if env is not None else {"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET,
                                             "AWS_REGION": "eu-central-1"})
    return subprocess.run([str(ridesweep), "submit", *args], capture_output=True, text=True, env=full, input=stdin,
                          timeout=60)


def test_accepted_request_prints_the_202_body(ridesweep, api):
    proc = submit(ridesweep, str(REQUEST), "--api-url", api.url)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == api.answer_body.decode() + "\n"
    assert proc.stderr == ""
    [received] = api.received
    assert received.verdict == "ok"
    assert received.method == "POST" and received.path == "/prod/sweep-run"
    assert received.body == REQUEST.read_bytes()  # the file's bytes, untouched
    assert received.headers["content-type"] == "application/json"
    assert (received.region, received.service) == ("eu-central-1", "execute-api")
    assert {"host", "x-amz-date", "content-type"} <= set(received.signed_headers)


def test_session_token_is_signed_and_region_option_wins(ridesweep, api):
    env = {"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": "tokenEXAMPLE/+=abc",
           "AWS_REGION": "eu-central-1"}
    proc = submit(ridesweep, "-", "--api-url", api.url, "--region", "ap-southeast-2", env=env,
                  stdin=REQUEST.read_text())
    assert proc.returncode == 0, proc.stderr
    [received] = api.received
    assert received.verdict == "ok"
    assert received.region == "ap-southeast-2"
    assert received.headers["x-amz-security-token"] == "tokenEXAMPLE/+=abc"
    assert "x-amz-security-token" in received.signed_headers


@pytest.mark.parametrize("status,body", [
    (400, {"error": "validation_error", "message": "Invalid request body"}),
    (409, {"error": "run_id_conflict", "message": "run_id 'demo-run-001' was already submitted with a different "
                                                  "request"}),
    (502, {"error": "dispatch_failed", "message": "failed to enqueue shard message: throttled"}),
])
def test_other_answers_reach_stderr_with_exit_1(ridesweep, api, status, body):
    api.answer_status = status
    api.answer_body = json.dumps(body).encode()
    proc = submit(ridesweep, str(REQUEST), "--api-url", api.url)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == f"Error: {api.url} answered HTTP {status}\n{json.dumps(body)}\n"
    assert api.received[0].verdict == "ok"


def test_wrong_secret_gets_the_gateways_403(ridesweep, api):
    env = {"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": "wrong" + SECRET, "AWS_REGION": "us-east-1"}
    proc = submit(ridesweep, str(REQUEST), "--api-url", api.url, env=env)
    assert proc.returncode == 1
    assert api.received[0].verdict == "signature mismatch"
    assert proc.stderr.startswith(f"Error: {api.url} answered HTTP 403\n")
    assert "The request signature we calculated does not match" in proc.stderr
    assert proc.stdout == ""


def test_unknown_key_gets_403(ridesweep, api):
    env = {"AWS_ACCESS_KEY_ID": "AKIAUNKNOWNEXAMPLE00", "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_REGION": "us-east-1"}
    proc = submit(ridesweep, str(REQUEST), "--api-url", api.url, env=env)
    assert proc.returncode == 1
    assert "HTTP 403" in proc.stderr and "security token included in the request is invalid" in proc.stderr


def test_missing_credentials_send_nothing(ridesweep, api):
    proc = submit(ridesweep, str(REQUEST), "--api-url", api.url, env={"AWS_REGION": "us-east-1"})
    assert proc.returncode == 2
    assert "AWS credentials not found" in proc.stderr
    assert 'eval "$(aws configure export-credentials --format env)"' in proc.stderr
    assert api.received == []


def test_missing_region_sends_nothing(ridesweep, api):
    proc = submit(ridesweep, str(REQUEST), "--api-url", api.url,
                  env={"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET})
    assert proc.returncode == 2
    assert "AWS region not found" in proc.stderr
    assert api.received == []


@pytest.mark.parametrize("args,message", [
    (["--api-url", "ftp://example.com/sweep-run"], "invalid --api-url 'ftp://example.com/sweep-run'"),
    (["--api-url", "https://example.com/sweep-run?x=1"], "invalid --api-url"),
    ([], "--api-url is required"),
])
def test_argument_errors_exit_2(ridesweep, args, message):
    proc = submit(ridesweep, str(REQUEST), *args)
    assert proc.returncode == 2
    assert message in proc.stderr


def test_unreadable_request_file_exits_2(ridesweep, api, tmp_path):
    proc = submit(ridesweep, str(tmp_path / "missing.json"), "--api-url", api.url)
    assert proc.returncode == 2
    assert f"cannot read request file '{tmp_path / 'missing.json'}'" in proc.stderr
    assert api.received == []


def test_no_answer_exits_1(ridesweep, api):
    api.httpd.shutdown()
    api.httpd.server_close()
    proc = submit(ridesweep, str(REQUEST), "--api-url", api.url, "--timeout-seconds", "5")
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"Error: no answer from {api.url}: ")
