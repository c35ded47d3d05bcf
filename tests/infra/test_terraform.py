"""T23: static checks of infra/aws_serverless_sweep/terraform against spec/sweep.md §14 (python-hcl2, no provider).

Terraform cannot run here (no provider downloads), so the HCL is parsed and each rule of §14 is asserted on the
parsed blocks: strict variables, API authorization and validation, queue and DLQ rules, the function and its event
source mapping, bucket guardrails, exact least-privilege IAM statements, alarms, logs, Athena, optional Glue
tables identical to the DDL schema, README tables, and the body model against the golden requests.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys

import hcl2
import jsonschema
import pytest
from hcl2.utils import SerializationOptions

REPO = pathlib.Path(__file__).resolve().parents[2]
TF_DIR = REPO / "infra" / "aws_serverless_sweep" / "terraform"
GOLDEN = REPO.parent / "shared" / "spec" / "golden.json"
sys.path.insert(0, str(REPO / "tests" / "sql"))
from dataset_schemas import TABLES  # noqa: E402

TF_FILES = ["versions.tf", "variables.tf", "outputs.tf", "main.tf", "api.tf", "queue.tf", "lambda.tf", "storage.tf",
            "iam.tf", "athena.tf", "alarms.tf", "glue.tf"]
OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)

# §14 variable table: name -> default.
SPEC_VARIABLES = {
    "aws_region": "eu-central-1", "project_name": "ride-sim-sweep", "results_bucket_name": "ride-hailing-simulation",
    "results_prefix": "serverless-sweeps/outcomes", "runtime_lambda_zip": "../../dist/runtime.zip",
    "lambda_architecture": "x86_64", "lambda_memory_mb": 1024, "lambda_timeout_seconds": 900,
    "reserved_concurrency": -1, "max_shards": 1000, "sqs_visibility_timeout_seconds": 5400,
    "sqs_max_receive_count": 5, "sqs_batch_size": 1, "sqs_maximum_concurrency": 100, "api_throttle_rate_limit": 5,
    "api_throttle_burst_limit": 10, "log_retention_days": 30, "noncurrent_version_expiration_days": 30,
    "athena_database": "ride_sim_analytics", "athena_workgroup": None, "athena_results_prefix": "athena-query-results",
    "create_glue_catalog": False, "alarm_actions": [],
}
SPEC_OUTPUTS = {"api_url", "results_bucket", "shard_queue_url", "shard_dlq_url", "runtime_function_name",
                "athena_query_policy_arn", "sweep_invoke_policy_arn", "athena_workgroup", "athena_query_results_s3"}

BUCKET_ARN = "${aws_s3_bucket.this.arn}"
RESULTS_OBJECTS = f"{BUCKET_ARN}/${{local.results_key_prefix}}*"
QUEUE_ARN = "${aws_sqs_queue.this.arn}"

# §14 "Runtime role" and "Operator Athena policy": sid -> (actions, resources).
SPEC_RUNTIME_STATEMENTS = {
    "WriteResults": ({"s3:PutObject"}, {RESULTS_OBJECTS}),
    "ReadResults": ({"s3:GetObject"}, {RESULTS_OBJECTS}),
    "ListResultsBucket": ({"s3:ListBucket"}, {BUCKET_ARN}),
    "DeleteStaleFailureRecords": (
        {"s3:DeleteObject"},
        {f"{BUCKET_ARN}/${{local.results_key_prefix}}dataset=shard_outcomes/*/status_partition=failure/*"}),
    "ProduceShards": ({"sqs:SendMessage"}, {QUEUE_ARN}),
    "ConsumeShards": ({"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                       "sqs:ChangeMessageVisibility"}, {QUEUE_ARN}),
    "WriteLogs": ({"logs:CreateLogStream", "logs:PutLogEvents"}, {"${aws_cloudwatch_log_group.this.arn}:*"}),
}
GLUE_PREFIX = "arn:${local.partition}:glue:${local.region}:${local.account_id}"
SPEC_OPERATOR_STATEMENTS = {
    "RunQueries": ({"athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
                    "athena:StopQueryExecution", "athena:GetWorkGroup"},
                   {"${aws_athena_workgroup.this.arn}",
                    "arn:${local.partition}:athena:${local.region}:${local.account_id}:workgroup/primary"}),
    "Catalog": ({"glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartition",
                 "glue:GetPartitions", "glue:CreateDatabase", "glue:CreateTable", "glue:UpdateTable",
                 "glue:CreatePartition", "glue:BatchCreatePartition"},
                {f"{GLUE_PREFIX}:catalog", f"{GLUE_PREFIX}:database/${{var.athena_database}}",
                 f"{GLUE_PREFIX}:table/${{var.athena_database}}/*"}),
    "ReadResults": ({"s3:GetObject"}, {RESULTS_OBJECTS}),
    "Bucket": ({"s3:ListBucket", "s3:GetBucketLocation"}, {BUCKET_ARN}),
    "QueryOutput": ({"s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"},
                    {f"{BUCKET_ARN}/${{var.athena_results_prefix}}/*"}),
}
SPEC_INVOKE_STATEMENTS = {
    "InvokeSweepRun": ({"execute-api:Invoke"},
                       {"${aws_api_gateway_rest_api.this.execution_arn}/${local.api_stage_name}/POST/"
                        "${local.api_resource_path}"}),
}
# Every Allow action the stack may grant: the documented runtime and operator sets, the invoke policy and the
# Lambda trust relationship.
DOCUMENTED_ACTIONS = set().union(*(a for a, _ in SPEC_RUNTIME_STATEMENTS.values()),
                                 *(a for a, _ in SPEC_OPERATOR_STATEMENTS.values()),
                                 {"execute-api:Invoke", "sts:AssumeRole"})


# ------------------------------------------------------------------------------------------------------------------
# Loading
# ------------------------------------------------------------------------------------------------------------------

class Stack:
    def __init__(self):
        self.resources, self.data, self.variables, self.outputs, self.locals = {}, {}, {}, {}, {}
        self.terraform = []
        for name in TF_FILES:
            parsed = hcl2.load((TF_DIR / name).open(), serialization_options=OPTIONS)
            for block in parsed.get("resource", []):
                for rtype, named in block.items():
                    for rname, body in named.items():
                        self.resources[(rtype, rname)] = body
            for block in parsed.get("data", []):
                for dtype, named in block.items():
                    for dname, body in named.items():
                        self.data[(dtype, dname)] = body
            for block in parsed.get("variable", []):
                self.variables.update(block)
            for block in parsed.get("output", []):
                self.outputs.update(block)
            for block in parsed.get("locals", []):
                self.locals.update(block)
            self.terraform += parsed.get("terraform", [])

    def resource(self, rtype: str, name: str) -> dict:
        assert (rtype, name) in self.resources, f"missing resource {rtype}.{name}"
        return self.resources[(rtype, name)]

    def of_type(self, rtype: str) -> dict:
        return {name: body for (t, name), body in self.resources.items() if t == rtype}

    def statements(self, doc: str) -> dict:
        body = self.data[("aws_iam_policy_document", doc)]
        return {s["sid"]: s for s in body["statement"]}


@pytest.fixture(scope="module")
def stack() -> Stack:
    return Stack()


def _one(blocks):
    assert isinstance(blocks, list) and len(blocks) == 1, blocks
    return blocks[0]


# ------------------------------------------------------------------------------------------------------------------
# Files, versions, variables, outputs
# ------------------------------------------------------------------------------------------------------------------

def test_files_exist():
    for name in TF_FILES + ["README.md", "terraform.tfvars.example", "sweep_run_request.schema.json"]:
        assert (TF_DIR / name).is_file(), name


def test_versions_are_pinned(stack):
    (terraform,) = stack.terraform
    assert terraform["required_version"] == ">= 1.5.0"
    providers = _one(terraform["required_providers"])
    assert providers["aws"] == {"source": "hashicorp/aws", "version": ">= 5.0"}
    assert providers["random"] == {"source": "hashicorp/random", "version": ">= 3.6"}


def test_no_type_any_anywhere():
    for name in TF_FILES:
        assert not re.search(r"\bany\b", re.sub(r"#[^\n]*", "", (TF_DIR / name).read_text())), name


def test_variables_are_the_spec_set_with_spec_defaults(stack):
    assert set(stack.variables) == set(SPEC_VARIABLES)
    for name, default in SPEC_VARIABLES.items():
        assert stack.variables[name].get("default") == default, name


@pytest.mark.parametrize("name", sorted(SPEC_VARIABLES))
def test_every_variable_is_described_typed_and_validated(stack, name):
    body = stack.variables[name]
    assert len(body.get("description", "")) > 10
    assert body.get("type") in {"string", "number", "bool", "${list(string)}"}
    validations = body.get("validation", [])
    assert validations, f"{name} has no validation block"
    for validation in validations:
        assert f"var.{name}" in validation["condition"]
        assert validation["error_message"].endswith(".")


def test_numeric_variables_reject_fractions(stack):
    for name, body in stack.variables.items():
        if body["type"] == "number" and name != "api_throttle_rate_limit":
            assert f"floor(var.{name}) == var.{name}" in body["validation"][0]["condition"] or \
                name == "log_retention_days", name


def test_outputs_are_the_spec_set_and_described(stack):
    assert set(stack.outputs) == SPEC_OUTPUTS
    for name, body in stack.outputs.items():
        assert body.get("description"), name
        assert "value" in body, name


def test_api_url_output_points_at_the_sweep_run_resource(stack):
    assert stack.outputs["api_url"]["value"] == \
        '${try("${aws_api_gateway_stage.this.invoke_url}/${local.api_resource_path}", null)}'
    assert stack.locals["api_resource_path"] == "sweep-run"
    assert stack.locals["api_stage_name"] == "sandbox"


def test_tfvars_example_names_are_variables_with_default_values(stack):
    text = (TF_DIR / "terraform.tfvars.example").read_text()
    assigned = re.findall(r"^([a-z_]+)\s*=\s*(.+?)(?:\s+#.*)?$", text, re.MULTILINE)
    assert {name for name, _ in assigned} == set(SPEC_VARIABLES) - {"athena_workgroup", "runtime_lambda_zip"}
    for name, value in assigned:
        assert json.loads(value) == SPEC_VARIABLES[name], name


# ------------------------------------------------------------------------------------------------------------------
# README tables
# ------------------------------------------------------------------------------------------------------------------

def _readme_table(heading: str) -> list[list[str]]:
    text = (TF_DIR / "README.md").read_text()
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]


def test_readme_inputs_table_matches_variables(stack):
    rows = _readme_table("Inputs")
    assert [r[0].strip("`") for r in rows] == list(stack.variables)
    for name, description, typ, default in rows:
        body = stack.variables[name.strip("`")]
        assert description == body["description"]
        assert typ.strip("`") == body["type"].removeprefix("${").removesuffix("}")
        assert json.loads(default.strip("`")) == body.get("default")


def test_readme_outputs_table_matches_outputs(stack):
    rows = _readme_table("Outputs")
    assert [r[0].strip("`") for r in rows] == list(stack.outputs)
    for name, description in rows:
        assert description == stack.outputs[name.strip("`")]["description"]


# ------------------------------------------------------------------------------------------------------------------
# API
# ------------------------------------------------------------------------------------------------------------------

def test_method_uses_aws_iam_and_validates_the_body(stack):
    method = stack.resource("aws_api_gateway_method", "sweep_run_post")
    assert method["http_method"] == "POST"
    assert method["authorization"] == "AWS_IAM"
    assert method["request_validator_id"] == "${aws_api_gateway_request_validator.this.id}"
    assert method["request_models"] == {"application/json": "${aws_api_gateway_model.sweep_run_request.name}"}
    validator = stack.resource("aws_api_gateway_request_validator", "this")
    assert validator["name"] == "validate-body" and validator["validate_request_body"] is True
    model = stack.resource("aws_api_gateway_model", "sweep_run_request")
    assert model["name"] == "SweepRunRequest" and model["content_type"] == "application/json"
    assert model["schema"] == '${file("${path.module}/sweep_run_request.schema.json")}'
    assert stack.resource("aws_api_gateway_resource", "sweep_run")["path_part"] == "${local.api_resource_path}"
    assert stack.resource("aws_api_gateway_rest_api", "this")["name"] == "${var.project_name}-api"


def test_integration_is_lambda_proxy_with_scoped_permission(stack):
    integration = stack.resource("aws_api_gateway_integration", "sweep_run_post")
    assert integration["type"] == "AWS_PROXY" and integration["integration_http_method"] == "POST"
    assert integration["uri"] == "${aws_lambda_function.this.invoke_arn}"
    permission = stack.resource("aws_lambda_permission", "api")
    assert permission["principal"] == "apigateway.amazonaws.com"
    assert permission["source_arn"] == "${aws_api_gateway_rest_api.this.execution_arn}/*/*"


def test_bad_request_body_gateway_response(stack):
    response = stack.resource("aws_api_gateway_gateway_response", "bad_request_body")
    assert response["response_type"] == "BAD_REQUEST_BODY"
    assert response["status_code"] == "400"
    template = response["response_templates"]["application/json"]
    assert template.replace('\\"', '"') == '{"error":"validation_error","message":$context.error.messageString}'


def test_stage_throttling_and_redeploy_trigger(stack):
    stage = stack.resource("aws_api_gateway_stage", "this")
    assert stage["stage_name"] == "${local.api_stage_name}"
    settings = stack.resource("aws_api_gateway_method_settings", "all")
    assert settings["method_path"] == "*/*"
    values = _one(settings["settings"])
    assert values["throttling_burst_limit"] == "${var.api_throttle_burst_limit}"
    assert values["throttling_rate_limit"] == "${var.api_throttle_rate_limit}"
    assert values["metrics_enabled"] is True
    trigger = stack.resource("aws_api_gateway_deployment", "this")["triggers"]["redeployment"]
    for part in ("aws_api_gateway_method.sweep_run_post", "aws_api_gateway_integration.sweep_run_post",
                 "aws_api_gateway_model.sweep_run_request", "aws_api_gateway_gateway_response.bad_request_body"):
        assert part in trigger


# ------------------------------------------------------------------------------------------------------------------
# Queue, function, event source mapping, logs
# ------------------------------------------------------------------------------------------------------------------

def test_queue_has_dlq_redrive_and_visibility_rule(stack):
    queue = stack.resource("aws_sqs_queue", "this")
    dlq = stack.resource("aws_sqs_queue", "dlq")
    assert stack.locals["queue_name"] == "${var.project_name}-shards"
    assert stack.locals["dlq_name"] == "${var.project_name}-shards-dlq"
    assert queue["name"] == "${local.queue_name}" and dlq["name"] == "${local.dlq_name}"
    assert queue["visibility_timeout_seconds"] == "${var.sqs_visibility_timeout_seconds}"
    for q in (queue, dlq):
        assert q["message_retention_seconds"] == 1209600
        assert q["sqs_managed_sse_enabled"] is True
    redrive = queue["redrive_policy"]
    assert "deadLetterTargetArn = aws_sqs_queue.dlq.arn" in redrive
    assert "maxReceiveCount = var.sqs_max_receive_count" in redrive
    conditions = [p["condition"] for p in _one(queue["lifecycle"])["precondition"]]
    assert "${var.sqs_visibility_timeout_seconds >= 6 * var.lambda_timeout_seconds}" in conditions
    assert "${var.sqs_visibility_timeout_seconds <= 43200}" in conditions


def test_spec_default_visibility_satisfies_the_rule():
    assert SPEC_VARIABLES["sqs_visibility_timeout_seconds"] >= 6 * SPEC_VARIABLES["lambda_timeout_seconds"]


def test_queue_policies_only_deny_insecure_transport(stack):
    policies = stack.of_type("aws_sqs_queue_policy")
    assert set(policies) == {"this", "dlq"}
    (statement,) = stack.data[("aws_iam_policy_document", "queue_tls_only")]["statement"]
    assert statement["effect"] == "Deny" and statement["actions"] == ["sqs:*"]
    condition = _one(statement["condition"])
    assert (condition["test"], condition["variable"], condition["values"]) == ("Bool", "aws:SecureTransport",
                                                                               ["false"])
    for name, policy in policies.items():
        assert "queue_tls_only" in policy["policy"], name


def test_no_account_root_grant_anywhere():
    for name in TF_FILES:
        text = (TF_DIR / name).read_text()
        assert ":root" not in text, name


def test_function_settings(stack):
    function = stack.resource("aws_lambda_function", "this")
    assert stack.locals["function_name"] == "${var.project_name}-runtime"
    assert function["runtime"] == "provided.al2023" and function["handler"] == "bootstrap"
    assert function["architectures"] == ["${var.lambda_architecture}"]
    assert function["memory_size"] == "${var.lambda_memory_mb}"
    assert function["timeout"] == "${var.lambda_timeout_seconds}"
    assert function["reserved_concurrent_executions"] == "${var.reserved_concurrency}"
    assert function["source_code_hash"] == "${filebase64sha256(var.runtime_lambda_zip)}"
    env = _one(function["environment"])["variables"]
    assert env == {"SWEEP_RESULTS_BUCKET": "${aws_s3_bucket.this.bucket}",
                   "SWEEP_RESULTS_PREFIX": "${var.results_prefix}",
                   "SHARD_QUEUE_URL": "${aws_sqs_queue.this.url}",
                   "MAX_SHARDS": "${tostring(var.max_shards)}"}
    assert "${aws_cloudwatch_log_group.this}" in function["depends_on"]
    (precondition,) = _one(function["lifecycle"])["precondition"]
    assert precondition["condition"] == \
        "${var.reserved_concurrency < 0 || var.reserved_concurrency >= var.sqs_maximum_concurrency + 5}"


def test_event_source_mapping_reports_item_failures_with_bounded_concurrency(stack):
    mapping = stack.resource("aws_lambda_event_source_mapping", "this")
    assert mapping["event_source_arn"] == QUEUE_ARN
    assert mapping["function_name"] == "${aws_lambda_function.this.arn}"
    assert mapping["batch_size"] == "${var.sqs_batch_size}"
    assert mapping["function_response_types"] == ["ReportBatchItemFailures"]
    assert _one(mapping["scaling_config"])["maximum_concurrency"] == "${var.sqs_maximum_concurrency}"


def test_log_group_has_retention(stack):
    group = stack.resource("aws_cloudwatch_log_group", "this")
    assert stack.locals["log_group_name"] == "/aws/lambda/${var.project_name}-runtime"
    assert group["name"] == "${local.log_group_name}"
    assert group["retention_in_days"] == "${var.log_retention_days}"


# ------------------------------------------------------------------------------------------------------------------
# Bucket
# ------------------------------------------------------------------------------------------------------------------

def test_bucket_blocks_public_access_and_enforces_ownership(stack):
    block = stack.resource("aws_s3_bucket_public_access_block", "this")
    for key in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
        assert block[key] is True, key
    ownership = stack.resource("aws_s3_bucket_ownership_controls", "this")
    assert _one(ownership["rule"])["object_ownership"] == "BucketOwnerEnforced"
    versioning = stack.resource("aws_s3_bucket_versioning", "this")
    assert _one(versioning["versioning_configuration"])["status"] == "Enabled"
    sse = stack.resource("aws_s3_bucket_server_side_encryption_configuration", "this")
    assert _one(_one(sse["rule"])["apply_server_side_encryption_by_default"])["sse_algorithm"] == "AES256"


def test_bucket_name_is_uuid_prefixed_base_cut_to_26(stack):
    assert stack.locals["bucket_name"] == \
        "${random_uuid.bucket_prefix.result}-${substr(var.results_bucket_name, 0, 26)}"
    assert stack.resource("aws_s3_bucket", "this")["bucket"] == "${local.bucket_name}"


def test_bucket_policy_denies_other_accounts_and_plain_http(stack):
    statements = stack.statements("bucket")
    assert set(statements) == {"DenyRequestsFromOutsideAccount", "DenyInsecureTransport"}
    expected_conditions = {
        "DenyRequestsFromOutsideAccount": ("StringNotEquals", "aws:PrincipalAccount", ["${local.account_id}"]),
        "DenyInsecureTransport": ("Bool", "aws:SecureTransport", ["false"]),
    }
    for sid, statement in statements.items():
        assert statement["effect"] == "Deny" and statement["actions"] == ["s3:*"]
        assert statement["resources"] == [BUCKET_ARN, f"{BUCKET_ARN}/*"]
        assert _one(statement["principals"]) == {"type": "*", "identifiers": ["*"]}
        condition = _one(statement["condition"])
        assert (condition["test"], condition["variable"], condition["values"]) == expected_conditions[sid]
    assert stack.resource("aws_s3_bucket_policy", "this")["policy"] == "${data.aws_iam_policy_document.bucket.json}"


def test_lifecycle_expires_noncurrent_versions_multipart_and_query_results(stack):
    rules = {r["id"]: r for r in stack.resource("aws_s3_bucket_lifecycle_configuration", "this")["rule"]}
    assert all(r["status"] == "Enabled" for r in rules.values())
    noncurrent = _one(rules["expire-noncurrent-versions"]["noncurrent_version_expiration"])
    assert noncurrent["noncurrent_days"] == "${var.noncurrent_version_expiration_days}"
    abort = _one(rules["abort-incomplete-multipart-uploads"]["abort_incomplete_multipart_upload"])
    assert abort["days_after_initiation"] == 7
    athena = rules["expire-athena-query-results"]
    assert _one(athena["filter"])["prefix"] == "${var.athena_results_prefix}/"
    assert _one(athena["expiration"])["days"] == 30


# ------------------------------------------------------------------------------------------------------------------
# IAM
# ------------------------------------------------------------------------------------------------------------------

def _as_spec(statements: dict) -> dict:
    return {sid: (set(s["actions"]), set(s["resources"])) for sid, s in statements.items()}


def test_runtime_role_statements_are_exactly_the_spec(stack):
    statements = stack.statements("runtime")
    assert all(s["effect"] == "Allow" for s in statements.values())
    assert _as_spec(statements) == SPEC_RUNTIME_STATEMENTS
    role = stack.resource("aws_iam_role", "runtime")
    assert role["name"] == "${var.project_name}-runtime-role"
    trust = _one(stack.data[("aws_iam_policy_document", "lambda_assume")]["statement"])
    assert trust["actions"] == ["sts:AssumeRole"]
    assert _one(trust["principals"]) == {"type": "Service", "identifiers": ["lambda.amazonaws.com"]}
    assert stack.resource("aws_iam_role_policy", "runtime")["policy"] == \
        "${data.aws_iam_policy_document.runtime.json}"


def test_delete_object_only_on_failure_records(stack):
    for (dtype, name), body in stack.data.items():
        if dtype != "aws_iam_policy_document":
            continue
        for statement in body["statement"]:
            if statement.get("effect") == "Allow" and "s3:DeleteObject" in statement["actions"]:
                assert statement["resources"] == [
                    f"{BUCKET_ARN}/${{local.results_key_prefix}}dataset=shard_outcomes/*/status_partition=failure/*"]


def test_operator_athena_policy_can_create_partitions_and_write_results(stack):
    assert _as_spec(stack.statements("athena_query_access")) == SPEC_OPERATOR_STATEMENTS
    policy = stack.resource("aws_iam_policy", "athena_query_access")
    assert policy["name"] == "${var.project_name}-athena-query-access"
    assert policy["policy"] == "${data.aws_iam_policy_document.athena_query_access.json}"


def test_invoke_policy_targets_the_post_method_only(stack):
    assert _as_spec(stack.statements("sweep_invoke")) == SPEC_INVOKE_STATEMENTS
    assert stack.resource("aws_iam_policy", "sweep_invoke")["name"] == "${var.project_name}-sweep-invoke"


def test_no_wildcard_allow_actions_and_only_documented_actions(stack):
    granted = set()
    for (dtype, name), body in stack.data.items():
        if dtype != "aws_iam_policy_document":
            continue
        for statement in body["statement"]:
            effect = statement.get("effect", "Allow")
            for action in statement["actions"]:
                if effect == "Deny":
                    assert action in ("s3:*", "sqs:*"), (name, action)
                else:
                    assert "*" not in action, (name, action)
                    granted.add(action)
            for resource in statement.get("resources", []):
                assert resource != "*", (name, statement.get("sid"))
    assert granted <= DOCUMENTED_ACTIONS
    assert "s3:DeleteObject" in granted and "glue:BatchCreatePartition" in granted  # the set is not vacuous


def test_iam_policies_are_only_the_documented_ones(stack):
    assert set(stack.of_type("aws_iam_policy")) == {"athena_query_access", "sweep_invoke"}
    assert set(stack.of_type("aws_iam_role_policy")) == {"runtime"}
    assert not stack.of_type("aws_iam_role_policy_attachment")  # no managed policies on the runtime role


# ------------------------------------------------------------------------------------------------------------------
# Alarms, Athena, Glue
# ------------------------------------------------------------------------------------------------------------------

def test_dlq_alarm(stack):
    alarm = stack.resource("aws_cloudwatch_metric_alarm", "dlq_not_empty")
    assert alarm["alarm_name"] == "${var.project_name}-shards-dlq-not-empty"
    assert (alarm["namespace"], alarm["metric_name"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    assert alarm["statistic"] == "Maximum" and alarm["period"] == 300 and alarm["evaluation_periods"] == 1
    assert alarm["threshold"] == 0 and alarm["comparison_operator"] == "GreaterThanThreshold"
    assert alarm["treat_missing_data"] == "notBreaching"
    assert alarm["alarm_actions"] == "${var.alarm_actions}"
    assert alarm["dimensions"] == {"QueueName": "${aws_sqs_queue.dlq.name}"}


def test_athena_workgroup_enforces_encrypted_results_location(stack):
    workgroup = stack.resource("aws_athena_workgroup", "this")
    assert workgroup["name"] == "${local.athena_workgroup}"
    assert stack.locals["athena_workgroup"] == '${coalesce(var.athena_workgroup, "${var.project_name}-analytics")}'
    configuration = _one(workgroup["configuration"])
    assert configuration["enforce_workgroup_configuration"] is True
    result = _one(configuration["result_configuration"])
    assert result["output_location"] == "${local.athena_results_path}"
    assert stack.locals["athena_results_path"] == \
        "s3://${aws_s3_bucket.this.bucket}/${var.athena_results_prefix}/"
    assert _one(result["encryption_configuration"])["encryption_option"] == "SSE_S3"


def test_glue_catalog_is_optional(stack):
    database = stack.resource("aws_glue_catalog_database", "this")
    assert database["count"] == "${var.create_glue_catalog ? 1 : 0}"
    assert database["name"] == "${var.athena_database}"
    table = stack.resource("aws_glue_catalog_table", "this")
    assert table["for_each"] == "${var.create_glue_catalog ? local.glue_tables : {}}"


def test_glue_tables_equal_the_ddl_schema(stack):
    tables = stack.locals["glue_tables"]
    assert list(tables) == [t.table for t in TABLES]
    for spec in TABLES:
        table = tables[spec.table]
        assert table["dataset"] == spec.dataset
        assert [(c["name"], c["type"]) for c in table["columns"]] == list(spec.columns)
        assert table["partitions"] == list(spec.partitions)
    glue = stack.resource("aws_glue_catalog_table", "this")
    assert glue["table_type"] == "EXTERNAL_TABLE"
    assert glue["parameters"]["projection.enabled"] == "false"
    descriptor = _one(glue["storage_descriptor"])
    assert descriptor["location"] == \
        "s3://${aws_s3_bucket.this.bucket}/${local.results_key_prefix}dataset=${each.value.dataset}/"
    assert _one(descriptor["ser_de_info"])["serialization_library"] == \
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"


# ------------------------------------------------------------------------------------------------------------------
# Body model vs golden requests
# ------------------------------------------------------------------------------------------------------------------

def _expand(template: dict) -> dict:
    request = dict(template)
    request["dimensions"] = {name: list(range(*values["range"])) if isinstance(values, dict) else values
                             for name, values in template["dimensions"].items()}
    return request


def _golden_requests() -> list[tuple[str, object, int]]:
    golden = json.loads(GOLDEN.read_text())
    cases = []
    for case in golden["canonical_cases"]:
        cases.append((case["name"], json.loads(case["input_request_text"]),
                      case["expected_by_this_system"]["status"]))
    for case in golden["plan_cases"]:  # a plan implies an accepted request
        request = json.loads(case["input_request_text"]) if "input_request_text" in case else \
            _expand(case["input_request_template"])
        cases.append((case["name"], request, 202))
    for case in golden["normalization_cases"]:
        cases.append((case["name"], json.loads(case["input_request_text"]), 202))
    for case in golden["validation_cases"]:
        if "input_request_text" in case:
            request = json.loads(case["input_request_text"])
        elif "input_request_template" in case:
            request = _expand(case["input_request_template"])
        else:  # an API Gateway event: the gateway validates its body
            request = json.loads(json.loads(case["input_event_text"])["body"])
        cases.append((case["name"], request, case["expected_status"]))
    return cases


GOLDEN_REQUESTS = _golden_requests()


@pytest.fixture(scope="module")
def model_validator():
    schema = json.loads((TF_DIR / "sweep_run_request.schema.json").read_text())
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def test_golden_set_has_both_outcomes():
    statuses = {status for _, _, status in GOLDEN_REQUESTS}
    assert statuses == {202, 400}
    assert len(GOLDEN_REQUESTS) >= 20


@pytest.mark.parametrize("name, request_body, status", GOLDEN_REQUESTS, ids=[c[0] for c in GOLDEN_REQUESTS])
def test_model_never_rejects_what_the_runtime_accepts(model_validator, name, request_body, status):
    if model_validator.is_valid(request_body):
        return
    assert status != 202, f"{name}: the gateway model would reject a request the runtime accepts"


def test_model_rejects_the_manual_acceptance_example(model_validator):
    # spec/sweep.md §18.1 "manual": {"run_id":"bad"} is rejected by the gateway model, nothing enqueued.
    assert not model_validator.is_valid({"run_id": "bad"})


@pytest.mark.parametrize("body", [
    {"run_id": "", "dimensions": {"num_riders": [1]}, "shard_count": 1},
    {"run_id": "x", "dimensions": {}, "shard_count": 1},
    {"run_id": "x", "dimensions": {"num_riders": []}, "shard_count": 1},
    {"run_id": "x", "dimensions": {"num_riders": [1]}},
    {"run_id": "x", "dimensions": {"num_riders": [1]}, "shard_count": 0},
    {"run_id": "x", "dimensions": {"num_riders": [1]}, "shard_size": 2.5},
    {"run_id": "x", "dimensions": {"num_riders": [1]}, "shard_count": 1, "seed": 1.5},
    [1, 2],
])
def test_model_rejects_bodies_the_runtime_rejects(model_validator, body):
    assert not model_validator.is_valid(body)


@pytest.mark.parametrize("body", [
    {"run_id": "x", "dimensions": {"num_riders": [1]}, "shard_count": None, "shard_size": 1},
    {"run_id": "x", "dimensions": {"num_riders": [1]}, "shard_size": 1, "seed": -5, "unknown": True},
])
def test_model_accepts_contract_valid_variants(model_validator, body):
    assert model_validator.is_valid(body)
