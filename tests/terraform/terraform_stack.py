"""The Terraform module applied against a moto server: the emulator, the test-only provider override and the
clients that read back what Terraform created (tests/infra/test_terraform_stack.py, test_deploy_local.py).

moto runs with request authentication on (INITIAL_NO_AUTH_ACTION_COUNT, then /moto-api/reset-auth 0) behind
moto_server_main.py, so every request Terraform's AWS provider makes is signature-checked and authorised against an
IAM user of moto. The endpoint overrides live only in a `moto_override.tf` written into the test's copy of the
module (Terraform merges `*_override.tf` files into the provider block); the module itself never names an
endpoint.

Emulator workarounds, each in the harness and none in the module:
- moto_server_main.py makes moto answer as AWS does in three places: the signature of bodyless API Gateway and
  Lambda requests, compact JSON for an SQS redrive policy, and bucket-policy conditions (see that file).
- moto_policy(): moto authorises SQS batch calls by their own action name (sqs:SendMessageBatch …) where AWS uses
  the single-message permission, and authorises Athena and Glue calls against the resource "*"; an applied policy
  attached to a moto user gets the batch names next to their AWS permission, and its Athena/Glue-only statements
  the resource "*" (same bridges as tests/aws/policy.py; actions stay exactly the applied ones).
- The function's code never runs inside moto (it has no provided.al2023 runtime); the suite runs the packaged
  bootstrap under AWS's runtime interface emulator with the applied configuration instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import subprocess
import sys
import urllib.request
from collections.abc import Iterator

import boto3
from botocore.config import Config

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "support"))
sys.path.insert(0, str(REPO / "tests" / "aws"))

from moto_fixture import ACCOUNT, Keys, _wait_until_up, free_port  # noqa: E402
from policy import MOTO_BATCH_ALIASES, MOTO_UNSCOPED_SERVICES  # noqa: E402

# The runbook's region (variables.tf default).
REGION = "eu-central-1"
# Every service the module's resources and data sources call.
SERVICES = ["apigateway", "athena", "cloudwatch", "cloudwatchlogs", "glue", "iam", "lambda", "s3", "sqs", "sts"]
LAUNCHER = pathlib.Path(__file__).resolve().parent / "moto_server_main.py"
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def override_file(endpoint: str) -> str:
    """The test-only provider settings: every service at the emulator, path-style S3, no instance metadata."""
    lines = ['provider "aws" {', "  skip_metadata_api_check = true", "  s3_use_path_style       = true", "",
             "  endpoints {"]
    width = max(len(s) for s in SERVICES)
    lines += [f'    {s.ljust(width)} = "{endpoint}"' for s in SERVICES]
    lines += ["  }", "}", ""]
    return "\n".join(lines)


class MotoServer:
    def __init__(self, endpoint: str, admin: Keys, log: pathlib.Path):
        self.endpoint = endpoint
        self.admin = admin
        self.log = log

    def client(self, service: str, keys: Keys | None = None):
        keys = keys or self.admin
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint,
                            aws_access_key_id=keys.access_key_id, aws_secret_access_key=keys.secret_access_key,
                            config=Config(retries={"max_attempts": 2}, s3={"addressing_style": "path"}))

    def user_with_policy(self, name: str, policy: dict) -> Keys:
        """An IAM user of moto holding exactly `policy` inline, with an access key."""
        iam = self.client("iam")
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName=name, PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return Keys(key["AccessKeyId"], key["SecretAccessKey"])

    def aws_env(self, keys: Keys | None = None) -> dict[str, str]:
        keys = keys or self.admin
        return {"AWS_ACCESS_KEY_ID": keys.access_key_id, "AWS_SECRET_ACCESS_KEY": keys.secret_access_key,
                "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION}


@contextlib.contextmanager
def start_moto_for_terraform(log_dir: pathlib.Path) -> Iterator[MotoServer]:
    """moto with authentication on and one administrator user (Terraform's deploying identity)."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="1000000")
    log = log_dir / "moto_server.log"
    with log.open("wb") as log_file:
        proc = subprocess.Popen([sys.executable, str(LAUNCHER), "-H", "127.0.0.1", "-p", str(port)], env=env,
                                stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(endpoint, proc, log)
        iam = boto3.client("iam", region_name=REGION, endpoint_url=endpoint, aws_access_key_id="setup",
                           aws_secret_access_key="setup")
        iam.create_user(UserName="deployer")
        iam.put_user_policy(UserName="deployer", PolicyName="admin", PolicyDocument=json.dumps(ALLOW_ALL))
        key = iam.create_access_key(UserName="deployer")["AccessKey"]
        request = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"0", method="POST",
                                         headers={"Content-Type": "application/octet-stream"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert json.loads(answer.read())["status"] == "ok"
        yield MotoServer(endpoint, Keys(key["AccessKeyId"], key["SecretAccessKey"]), log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def moto_policy(applied: dict) -> dict:
    """An applied IAM policy document as moto must see it to authorise what AWS would (see the module comment)."""
    policy = json.loads(json.dumps(applied))
    for statement in policy["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        statement["Action"] = actions + [MOTO_BATCH_ALIASES[a] for a in actions if a in MOTO_BATCH_ALIASES]
        if all(a.startswith(MOTO_UNSCOPED_SERVICES) for a in actions):
            statement["Resource"] = "*"
    return policy


__all__ = ["ACCOUNT", "REGION", "Keys", "MotoServer", "moto_policy", "override_file", "start_moto_for_terraform"]
