"""The runtime role's policy of infra/aws_serverless_sweep/terraform/iam.tf, as an IAM JSON document for moto.

The statements are read from the Terraform source (python-hcl2), and the Terraform references in their resources
are replaced by the test stack's ARNs, so the integration tests run under exactly the policy that is deployed.
One moto quirk is bridged: AWS authorises SendMessageBatch with the sqs:SendMessage permission, while moto checks
the API name ("sqs:SendMessageBatch"); each batch action is added next to its single-message permission.
"""

from __future__ import annotations

import pathlib

import hcl2
from hcl2.utils import SerializationOptions

IAM_TF = pathlib.Path(__file__).resolve().parents[2] / "infra" / "aws_serverless_sweep" / "terraform" / "iam.tf"
OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
# AWS: batch APIs are authorised by the single-message action; moto: by their own name.
MOTO_BATCH_ALIASES = {"sqs:SendMessage": "sqs:SendMessageBatch", "sqs:DeleteMessage": "sqs:DeleteMessageBatch",
                      "sqs:ChangeMessageVisibility": "sqs:ChangeMessageVisibilityBatch"}


def terraform_statements(document: str = "runtime") -> list[dict]:
    parsed = hcl2.load(IAM_TF.open(), serialization_options=OPTIONS)
    for block in parsed.get("data", []):
        for kind, named in block.items():
            if kind == "aws_iam_policy_document" and document in named:
                return named[document]["statement"]
    raise AssertionError(f"aws_iam_policy_document.{document} not found in {IAM_TF}")


def runtime_policy(bucket_arn: str, results_prefix: str, queue_arn: str, log_group_arn: str,
                   dlq_arn: str | None = None) -> dict:
    """The runtime role's policy; the DLQ's ARN defaults to the queue's with "-dlq" appended (as the fixtures and
    Terraform name it)."""
    substitutions = {
        "${aws_s3_bucket.this.arn}": bucket_arn,
        "${local.results_key_prefix}": f"{results_prefix}/" if results_prefix else "",
        "${aws_sqs_queue.this.arn}": queue_arn,
        "${aws_sqs_queue.dlq.arn}": dlq_arn if dlq_arn is not None else f"{queue_arn}-dlq",
        "${aws_cloudwatch_log_group.this.arn}": log_group_arn,
    }
    return render_policy("runtime", substitutions)


# moto authorises Athena and Glue requests against the resource "*" (only SQS, IAM and STS name a resource), so a
# statement scoped to a workgroup or catalog ARN would never match there. For those two services the rendered
# policy keeps the actions exactly and widens the resource to "*": the dynamic tests then check the action list,
# while the ARNs themselves are pinned statically by tests/infra/test_terraform.py.
MOTO_UNSCOPED_SERVICES = ("athena:", "glue:")


def render_policy(document: str, substitutions: dict[str, str]) -> dict:
    """Any aws_iam_policy_document of iam.tf as IAM JSON, Terraform references replaced, moto quirks bridged."""
    statements = []
    for statement in terraform_statements(document):
        resources = []
        for resource in statement["resources"]:
            for token, value in substitutions.items():
                resource = resource.replace(token, value)
            assert "${" not in resource, f"unresolved Terraform reference in {resource}"
            resources.append(resource)
        actions = list(statement["actions"])
        actions += [MOTO_BATCH_ALIASES[a] for a in statement["actions"] if a in MOTO_BATCH_ALIASES]
        if all(a.startswith(MOTO_UNSCOPED_SERVICES) for a in actions):
            resources = ["*"]
        statements.append({"Sid": statement["sid"], "Effect": statement["effect"], "Action": actions,
                           "Resource": resources})
    return {"Version": "2012-10-17", "Statement": statements}


def athena_query_policy(bucket_arn: str, results_prefix: str, athena_results_prefix: str, region: str,
                        account: str, workgroup: str, database: str = "ride_sim_analytics") -> dict:
    """The operators' policy (aws_iam_policy_document.athena_query_access) for the test stack."""
    return render_policy("athena_query_access", {
        "${aws_athena_workgroup.this.arn}": f"arn:aws:athena:{region}:{account}:workgroup/{workgroup}",
        "${local.partition}": "aws", "${local.region}": region, "${local.account_id}": account,
        "${var.athena_database}": database, "${aws_s3_bucket.this.arn}": bucket_arn,
        "${local.results_key_prefix}": f"{results_prefix}/" if results_prefix else "",
        "${var.athena_results_prefix}": athena_results_prefix,
    })
