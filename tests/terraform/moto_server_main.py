"""moto_server with three fixes that make it answer as AWS does, for the Terraform tests (terraform_stack.py).

1. Signatures. moto's request authentication recomputes each SigV4 signature from the request it received. For
REST-JSON services whose response class keeps the request headers as its `data` (API Gateway, Lambda), a GET, HEAD
or DELETE without a body is re-signed with that header dictionary as the payload, so every such request a correct
client signs (boto3, the Terraform AWS provider) fails with SignatureDoesNotMatch. AWS hashes the empty payload for
these requests; this launcher makes moto do the same, then runs the normal moto_server entry point. Signatures are
still checked for every request, and IAM authorisation is unchanged.

2. Queue attributes. moto renders RedrivePolicy (and a queue Policy) with json.dumps' default ", " and ": "
separators, where AWS answers compact JSON. The Terraform AWS provider then reports a whitespace-only change of the
shard queue's redrive policy at every plan, and the queue policies and the runtime role policy that depend on the
queue follow. moto's SQS models get compact separators.

3. Bucket policy conditions. moto evaluates a bucket policy on object requests, but with no request context and
only the StringEquals operator: any other operator counts as met, so the stack's two Deny statements
(`Bool aws:SecureTransport false`, `StringNotEquals aws:PrincipalAccount <account>`) denied every request, and a
statement whose condition is not met is reported as an explicit Deny instead of not applying. Here the conditions
are evaluated with AWS's semantics (Bool and StringNotEquals added; an unmet condition means the statement does not
apply) against the context of a request to AWS's TLS endpoint from the bucket's own account: aws:SecureTransport is
"true" (moto listens on plain HTTP in place of that endpoint) and aws:PrincipalAccount is the account.

Usage: python moto_server_main.py -H 127.0.0.1 -p PORT (the arguments of moto_server).
"""

from __future__ import annotations

import json
import sys
import types

from botocore.awsrequest import AWSRequest
from moto.iam import access_control, policy_conditions
from moto.s3 import models as s3_models
from moto.server import main
from moto.sqs import models as sqs_models

BODYLESS_METHODS = {"GET", "HEAD", "DELETE"}


def _create_aws_request(self) -> AWSRequest:
    request = _original_create_aws_request(self)
    if self._method in BODYLESS_METHODS and not self._body:
        request.data = b""
    return request


_original_create_aws_request = access_control.IAMRequestBase._create_aws_request
access_control.IAMRequestBase._create_aws_request = _create_aws_request


def _compact_dumps(value, **kwargs) -> str:
    kwargs.setdefault("separators", (",", ":"))
    return json.dumps(value, **kwargs)


sqs_models.json = types.SimpleNamespace(**{name: getattr(json, name) for name in dir(json) if not name.startswith("_")})
sqs_models.json.dumps = _compact_dumps


def _listed(expected) -> list[str]:
    return expected if isinstance(expected, list) else [expected]


policy_conditions.CONDITION_OPERATIONS["Bool"] = (
    lambda expected, actual: actual.lower() in [str(e).lower() for e in _listed(expected)])
policy_conditions.CONDITION_OPERATIONS["StringNotEquals"] = (
    lambda expected, actual: actual not in _listed(expected))

_original_statement_permission = access_control.IAMPolicyStatement.is_action_permitted


def _statement_permission(self, action, resource="*", principal=None, incoming_condition_values=None):
    if self._statement.get("Condition") and not self._check_conditions(incoming_condition_values):
        return access_control.PermissionResult.NEUTRAL
    return _original_statement_permission(self, action, resource, principal, incoming_condition_values)


access_control.IAMPolicyStatement.is_action_permitted = _statement_permission


def _bucket_permission(self, action: str, resource: str):
    if self.policy is None:
        return access_control.PermissionResult.NEUTRAL
    context = {"aws:SecureTransport": "true", "aws:PrincipalAccount": self.account_id}
    return access_control.IAMPolicy(self.policy.decode()).is_action_permitted(
        action, resource, incoming_condition_values=context)


s3_models.FakeBucket.get_permission = _bucket_permission

if __name__ == "__main__":
    sys.exit(main())
