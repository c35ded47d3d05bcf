"""T23: what only the source shows about infra/aws_serverless_sweep/terraform (python-hcl2, no provider).

The module is executed by tests/terraform (init, validate, plan, apply against moto, read-back of every created
resource, the system on the applied stack, rollback, destroy). What remains here is what execution cannot see:
variable and output sets with their descriptions, types and defaults, the version pins, no `any` type, exact
least-privilege IAM statements (execution runs under them but only proves they suffice), the scoped invoke
permission, the redeploy trigger, the bucket-name expression for long base names, optional Glue tables identical to
the DDL schema, README tables, and the body model against the golden requests.
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
from dataset_schemas import PER_SHARD_TABLES, TABLES, projection_properties  # noqa: E402

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
    # Ours: the function settles dead letters (lambda.tf, "Dead-letter queue → function").
    "SettleDeadLetters": ({"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                           "sqs:ChangeMessageVisibility"}, {"${aws_sqs_queue.dlq.arn}"}),
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
    "CancelRuns": ({"s3:PutObject"}, {f"{BUCKET_ARN}/${{local.results_key_prefix}}runs/run_id=*/cancel.json"}),
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
    # Only aws: the module must initialise from a local mirror holding nothing else (tests/terraform runs init).
    assert providers == {"aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}}


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

def test_invoke_permission_is_scoped_to_the_api(stack):
    permission = stack.resource("aws_lambda_permission", "api")
    assert permission["principal"] == "apigateway.amazonaws.com"
    assert permission["source_arn"] == "${aws_api_gateway_rest_api.this.execution_arn}/*/*"


def test_redeploy_trigger_covers_every_api_part(stack):
    """A change to any of these must create a new deployment (a second apply only shows it once it happened)."""
    trigger = stack.resource("aws_api_gateway_deployment", "this")["triggers"]["redeployment"]
    for part in ("aws_api_gateway_method.sweep_run_post", "aws_api_gateway_integration.sweep_run_post",
                 "local.sweep_run_request_schema", "aws_api_gateway_gateway_response.bad_request_body"):
        assert part in trigger


# ------------------------------------------------------------------------------------------------------------------
# Queue, function, event source mapping, logs
# ------------------------------------------------------------------------------------------------------------------

def test_no_account_root_grant_anywhere():
    for name in TF_FILES:
        text = (TF_DIR / name).read_text()
        assert ":root" not in text, name


# ------------------------------------------------------------------------------------------------------------------
# Bucket
# ------------------------------------------------------------------------------------------------------------------

def test_bucket_name_is_uuid_prefixed_base_cut_to_26(stack):
    assert stack.locals["bucket_name"] == \
        "${terraform_data.bucket_prefix.output}-${substr(var.results_bucket_name, 0, 26)}"
    prefix = stack.resource("terraform_data", "bucket_prefix")
    assert prefix["input"] == "${uuid()}"
    assert _one(prefix["lifecycle"])["ignore_changes"] == ["input"]
    assert stack.resource("aws_s3_bucket", "this")["bucket"] == "${local.bucket_name}"


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

def test_glue_catalog_is_optional(stack):
    database = stack.resource("aws_glue_catalog_database", "this")
    assert database["count"] == "${var.create_glue_catalog ? 1 : 0}"
    assert database["name"] == "${var.athena_database}"
    table = stack.resource("aws_glue_catalog_table", "this")
    assert table["for_each"] == "${var.create_glue_catalog ? local.glue_tables : {}}"


def test_glue_tables_equal_the_ddl_schema(stack):
    # The six tables and the four raw tables of the per_shard layout (their views are Athena views, made by the
    # tables plan, not Glue tables).
    tables = stack.locals["glue_tables"]
    assert list(tables) == [t.table for t in TABLES + PER_SHARD_TABLES]
    for spec in TABLES + PER_SHARD_TABLES:
        table = tables[spec.table]
        assert table["dataset"] == spec.dataset
        assert [(c["name"], c["type"]) for c in table["columns"]] == list(spec.columns)
        assert table["partitions"] == list(spec.partitions)
        assert table["projection"] == projection_properties(spec)  # the DDL's partition projection
    glue = stack.resource("aws_glue_catalog_table", "this")
    assert glue["table_type"] == "EXTERNAL_TABLE"
    assert "each.value.projection" in glue["parameters"]
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
