"""infra/aws_serverless_sweep/terraform executed: `fmt`, offline `init`, `validate` and `plan` with the runbook's
variables, one `apply` against a signature-checking moto server shared by every assertion of this module, the
created resources read back through the AWS APIs, the packaged runtime run on what Terraform built, a rollback to a
second zip and back, and `destroy` (which refuses a bucket holding results until it is emptied).

Tests run in file order and share one applied stack (the apply is the expensive step; see terraform_stack.py for the
emulator workarounds). Timings of init/validate/plan/apply/destroy are written to the log (`-s` shows them).
"""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import urllib.parse
import zipfile

import pytest

from system_on_stack import run_the_runbook_flow
from terraform_cli import MODULE, REPO, Terraform, copy_module
from terraform_stack import ACCOUNT, MotoServer, moto_policy, override_file, start_moto_for_terraform

PROJECT = "ride-sim-sweep"
FUNCTION = f"{PROJECT}-runtime"
RESERVED_CONCURRENCY = 105  # the example's non-default value (>= sqs_maximum_concurrency + 5)
RESOURCE_COUNT = 34


def _zip_var(path: pathlib.Path) -> list[str]:
    return ["-var", f"runtime_lambda_zip={path}", "-var", f"reserved_concurrency={RESERVED_CONCURRENCY}"]


def _diagnostics(outcome) -> list[str]:
    """Error summaries + details of a `-json` run, whitespace-normalised."""
    out = []
    for line in outcome.stdout.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        diagnostic = record.get("diagnostic")
        if record.get("@level") == "error" and diagnostic:
            out.append(" ".join(f"{diagnostic.get('summary', '')} {diagnostic.get('detail', '')}".split()))
    return out


# ------------------------------------------------------------------------------------------------------------------
# Fixtures: one moto, one initialised copy of the module, one apply
# ------------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def moto(tmp_path_factory) -> MotoServer:
    with start_moto_for_terraform(tmp_path_factory.mktemp("moto")) as server:
        yield server


@pytest.fixture(scope="module")
def tf(moto, terraform_binary, cli_config, tmp_path_factory) -> Terraform:
    """The module copied with the runbook's terraform.tfvars (from the example) and the test-only override file,
    initialised from the local mirror."""
    module = copy_module(tmp_path_factory.mktemp("stack") / "terraform")
    shutil.copy(module / "terraform.tfvars.example", module / "terraform.tfvars")
    (module / "moto_override.tf").write_text(override_file(moto.endpoint))
    tf = Terraform(terraform_binary, module, cli_config, env=moto.aws_env())
    tf.ok("init", "-input=false", "-no-color", label="init")
    yield tf
    print(f"\nterraform timings (s): {json.dumps(tf.timings)}")


class Stack:
    def __init__(self, tf: Terraform, moto: MotoServer, plan_text: str, outputs: dict):
        self.tf, self.moto, self.plan_text = tf, moto, plan_text
        self.outputs = {name: value["value"] for name, value in outputs.items()}
        self.destroyed = False

    def client(self, service: str):
        return self.moto.client(service)


@pytest.fixture(scope="module")
def stack(tf, moto, runtime_zip) -> Stack:
    tf.ok("validate", "-no-color", label="validate")
    plan = tf.ok("plan", "-input=false", "-no-color", "-out=tfplan", *_zip_var(runtime_zip), label="plan")
    tf.ok("apply", "-input=false", "-no-color", "-auto-approve", "tfplan", label="apply")
    outputs = json.loads(tf.ok("output", "-json").stdout)
    applied = Stack(tf, moto, plan.stdout, outputs)
    yield applied
    if not applied.destroyed:  # a failed test left it: clean up without asserting
        tf.run("destroy", "-input=false", "-no-color", "-auto-approve", *_zip_var(runtime_zip))


# ------------------------------------------------------------------------------------------------------------------
# Before apply: format, init, variables
# ------------------------------------------------------------------------------------------------------------------

def test_module_is_terraform_fmt_clean(terraform_binary, cli_config):
    proc = subprocess.run([str(terraform_binary), "fmt", "-check", "-recursive", "-diff", str(MODULE)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"terraform fmt would change:\n{proc.stdout}{proc.stderr}"


def test_init_installs_only_the_aws_provider_from_the_mirror(tf):
    lock = (tf.workdir / ".terraform.lock.hcl").read_text()
    assert re.findall(r'^provider "([^"]+)"', lock, flags=re.M) == ["registry.terraform.io/hashicorp/aws"]
    version = re.search(r'^\s*version\s*=\s*"([^"]+)"', lock, flags=re.M).group(1)
    assert version.startswith("5."), version
    assert (tf.workdir / ".terraform" / "providers" / "registry.terraform.io" / "hashicorp" / "aws").is_dir()


# A value each validation block rejects. create_glue_catalog is a bool: any non-bool fails type conversion before
# its validation, so it has no entry.
INVALID = {
    "aws_region": "Frankfurt",
    "project_name": "X",
    "results_bucket_name": "Results_Bucket",
    "results_prefix": "/leading-slash",
    "noncurrent_version_expiration_days": "1.5",
    "runtime_lambda_zip": "runtime.tar.gz",
    "lambda_architecture": "sparc",
    "lambda_memory_mb": "64",
    "lambda_timeout_seconds": "901",
    "reserved_concurrency": "-2",
    "max_shards": "0",
    "log_retention_days": "2",
    "sqs_visibility_timeout_seconds": "50000",
    "sqs_max_receive_count": "0",
    "sqs_batch_size": "11",
    "sqs_maximum_concurrency": "1",
    "api_throttle_rate_limit": "0",
    "api_throttle_burst_limit": "0",
    "athena_database": "Bad-Database",
    "athena_workgroup": "bad workgroup",
    "athena_results_prefix": "",
    "alarm_actions": '["not-an-arn"]',
}


def _error_messages() -> dict[str, list[str]]:
    """variable name -> the error messages of its validation blocks, in order."""
    text = (MODULE / "variables.tf").read_text()
    out = {}
    for name, body in re.findall(r'^variable "(\w+)" \{(.*?)^\}', text, flags=re.S | re.M):
        found = re.findall(r'error_message\s*=\s*"((?:[^"\\]|\\.)*)"', body)
        if found:
            out[name] = [json.loads(f'"{m}"') for m in found]
    return out


def test_every_validation_block_rejects_a_bad_value_with_its_message(tf):
    messages = _error_messages()
    assert set(messages) - {"create_glue_catalog"} == set(INVALID)
    args = [arg for name, value in INVALID.items() for arg in ("-var", f"{name}={value}")]
    outcome = tf.run("plan", "-input=false", "-json", "-lock=false", *args)
    assert outcome.returncode == 1
    diagnostics = " | ".join(_diagnostics(outcome))
    for name in INVALID:
        assert messages[name][0] in diagnostics, f"{name}: no '{messages[name][0]}' in {diagnostics}"


# Cross-variable rules are lifecycle preconditions (a resource whose precondition fails stops its dependents from
# being planned, so each rule gets its own plan).
@pytest.mark.parametrize("variables, message", [
    ({"sqs_visibility_timeout_seconds": "600"},
     "sqs_visibility_timeout_seconds must be at least 6 x lambda_timeout_seconds."),
    ({"reserved_concurrency": "50"}, "reserved_concurrency must be -1 or at least sqs_maximum_concurrency + 5."),
])
def test_cross_variable_preconditions_fail_the_plan(tf, runtime_zip, variables, message):
    args = [a for name, value in variables.items() for a in ("-var", f"{name}={value}")]
    outcome = tf.run("plan", "-input=false", "-json", "-lock=false", "-var", f"runtime_lambda_zip={runtime_zip}",
                     *args)
    assert outcome.returncode == 1
    assert f"Resource precondition failed {message}" in " | ".join(_diagnostics(outcome))


def test_a_missing_zip_is_a_clear_plan_error(tf, tmp_path):
    missing = tmp_path / "releases" / "runtime-missing.zip"
    outcome = tf.run("plan", "-input=false", "-json", "-lock=false", "-var", f"runtime_lambda_zip={missing}")
    assert outcome.returncode == 1
    diagnostics = " | ".join(_diagnostics(outcome))
    assert _error_messages()["runtime_lambda_zip"][1] in diagnostics, diagnostics


# ------------------------------------------------------------------------------------------------------------------
# Plan and apply
# ------------------------------------------------------------------------------------------------------------------

def test_plan_creates_the_whole_stack_and_apply_creates_it(stack):
    assert f"Plan: {RESOURCE_COUNT} to add, 0 to change, 0 to destroy." in stack.plan_text
    state = stack.tf.ok("state", "list").stdout.split()
    assert len([s for s in state if not s.startswith("data.")]) == RESOURCE_COUNT, state


def test_outputs_name_the_created_resources(stack):
    out = stack.outputs
    bucket = out["results_bucket"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-ride-hailing-simulation", bucket)
    assert out["runtime_function_name"] == FUNCTION
    assert out["shard_queue_url"].endswith(f"/{ACCOUNT}/{PROJECT}-shards")
    assert out["shard_dlq_url"].endswith(f"/{ACCOUNT}/{PROJECT}-shards-dlq")
    assert out["athena_workgroup"] == f"{PROJECT}-analytics"
    assert out["athena_query_results_s3"] == f"s3://{bucket}/athena-query-results/"
    assert out["api_url"].endswith("/sandbox/sweep-run")
    iam = stack.client("iam")
    for key in ("athena_query_policy_arn", "sweep_invoke_policy_arn"):
        assert iam.get_policy(PolicyArn=out[key])["Policy"]["Arn"] == out[key]


def test_the_runbooks_output_block_reads_the_applied_stack(stack, tmp_path):
    """docs/runbook.md §1 reads the outputs with `terraform output -raw`; its block runs as written."""
    (block,) = [b for b in re.findall(r"```bash\n(.*?)```", (REPO / "docs" / "runbook.md").read_text(), flags=re.S)
                if "terraform output -raw api_url" in b]
    module_link = tmp_path / "infra" / "aws_serverless_sweep" / "terraform"
    module_link.parent.mkdir(parents=True)
    module_link.symlink_to(stack.tf.workdir)
    script = block + 'printf "%s\\n" "$API_URL" "$RESULTS_BUCKET" "$ATHENA_WORKGROUP" "$ATHENA_QUERY_OUTPUT"\n'
    env = dict(stack.tf.environment(), PATH=f"{stack.tf.binary.parent}:/usr/bin:/bin")
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-4:] == [stack.outputs[k] for k in (
        "api_url", "results_bucket", "athena_workgroup", "athena_query_results_s3")]


# ------------------------------------------------------------------------------------------------------------------
# Read back: queue, function, mapping, API, bucket, logs, alarm, workgroup
# ------------------------------------------------------------------------------------------------------------------

def _queue_attributes(stack: Stack, url: str) -> dict:
    return stack.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


def test_queue_and_dlq_attributes(stack):
    queue = _queue_attributes(stack, stack.outputs["shard_queue_url"])
    dlq = _queue_attributes(stack, stack.outputs["shard_dlq_url"])
    function = stack.client("lambda").get_function_configuration(FunctionName=FUNCTION)
    assert int(queue["VisibilityTimeout"]) == 5400 >= 6 * function["Timeout"]
    assert json.loads(queue["RedrivePolicy"]) == {"deadLetterTargetArn": dlq["QueueArn"], "maxReceiveCount": 5}
    assert dlq["VisibilityTimeout"] == queue["VisibilityTimeout"]  # the function consumes it too
    for attributes in (queue, dlq):
        assert attributes["MessageRetentionPeriod"] == "1209600"
        assert attributes["SqsManagedSseEnabled"] == "true"
        policy = json.loads(attributes["Policy"])
        (statement,) = policy["Statement"]
        assert (statement["Effect"], statement["Action"], statement["Condition"]) == (
            "Deny", "sqs:*", {"Bool": {"aws:SecureTransport": "false"}})
        assert statement["Resource"] == attributes["QueueArn"]


def test_function_configuration(stack):
    lam = stack.client("lambda")
    function = lam.get_function_configuration(FunctionName=FUNCTION)
    assert (function["Runtime"], function["Handler"], function["Architectures"]) == (
        "provided.al2023", "bootstrap", ["x86_64"])
    assert (function["MemorySize"], function["Timeout"]) == (1024, 900)
    assert function["Role"] == stack.client("iam").get_role(RoleName=f"{PROJECT}-runtime-role")["Role"]["Arn"]
    assert function["Environment"]["Variables"] == {
        "SWEEP_RESULTS_BUCKET": stack.outputs["results_bucket"],
        "SWEEP_RESULTS_PREFIX": "serverless-sweeps/outcomes",
        "SHARD_QUEUE_URL": stack.outputs["shard_queue_url"],
        "MAX_SHARDS": "1000",
        "SWEEP_DEAD_LETTER_QUEUE_ARN": _queue_attributes(stack, stack.outputs["shard_dlq_url"])["QueueArn"],
    }
    concurrency = lam.get_function_concurrency(FunctionName=FUNCTION)
    assert concurrency["ReservedConcurrentExecutions"] == RESERVED_CONCURRENCY


def test_event_source_mapping(stack):
    lam = stack.client("lambda")
    queue_arn = _queue_attributes(stack, stack.outputs["shard_queue_url"])["QueueArn"]
    # By queue: moto filters FunctionName by the exact string the mapping was created with (here the ARN).
    (mapping,) = lam.list_event_source_mappings(EventSourceArn=queue_arn)["EventSourceMappings"]
    mapping = lam.get_event_source_mapping(UUID=mapping["UUID"])
    assert mapping["FunctionArn"] == lam.get_function_configuration(FunctionName=FUNCTION)["FunctionArn"]
    assert mapping["BatchSize"] == 1
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["ScalingConfig"] == {"MaximumConcurrency": 100}
    # The DLQ's own mapping: the function records dead-lettered shards as failed.
    dlq_arn = _queue_attributes(stack, stack.outputs["shard_dlq_url"])["QueueArn"]
    (dead,) = lam.list_event_source_mappings(EventSourceArn=dlq_arn)["EventSourceMappings"]
    dead = lam.get_event_source_mapping(UUID=dead["UUID"])
    assert dead["FunctionArn"] == mapping["FunctionArn"]
    assert (dead["BatchSize"], dead["FunctionResponseTypes"], dead["ScalingConfig"]) == (
        10, ["ReportBatchItemFailures"], {"MaximumConcurrency": 2})


def _rest_api(stack: Stack) -> dict:
    (api,) = [a for a in stack.client("apigateway").get_rest_apis()["items"] if a["name"] == f"{PROJECT}-api"]
    return api


def test_api_method_validation_and_throttling(stack):
    apigw = stack.client("apigateway")
    api = _rest_api(stack)
    (resource,) = [r for r in apigw.get_resources(restApiId=api["id"])["items"] if r.get("pathPart") == "sweep-run"]
    method = apigw.get_method(restApiId=api["id"], resourceId=resource["id"], httpMethod="POST")
    assert method["authorizationType"] == "AWS_IAM"
    assert method["requestModels"] == {"application/json": "SweepRunRequest"}
    validator = apigw.get_request_validator(restApiId=api["id"], requestValidatorId=method["requestValidatorId"])
    assert validator["validateRequestBody"] is True
    assert validator.get("validateRequestParameters", False) is False  # moto omits false
    integration = apigw.get_integration(restApiId=api["id"], resourceId=resource["id"], httpMethod="POST")
    function_arn = stack.client("lambda").get_function_configuration(FunctionName=FUNCTION)["FunctionArn"]
    assert integration["type"] == "AWS_PROXY" and function_arn in integration["uri"]
    model = apigw.get_model(restApiId=api["id"], modelName="SweepRunRequest")
    assert json.loads(model["schema"]) == json.loads((MODULE / "sweep_run_request.schema.json").read_text())
    stage = apigw.get_stage(restApiId=api["id"], stageName="sandbox")
    settings = stage["methodSettings"]["*/*"]
    assert (settings["throttlingRateLimit"], settings["throttlingBurstLimit"]) == (5.0, 10)
    response = apigw.get_gateway_response(restApiId=api["id"], responseType="BAD_REQUEST_BODY")
    assert response["statusCode"] == "400"
    assert "validation_error" in response["responseTemplates"]["application/json"]


def test_bucket_guardrails(stack):
    s3 = stack.client("s3")
    bucket = stack.outputs["results_bucket"]
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                     "RestrictPublicBuckets": True}
    (rule,) = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert rule["ObjectOwnership"] == "BucketOwnerEnforced"
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    (sse,) = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert sse["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    statements = {s["Sid"]: s for s in json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]}
    assert statements["DenyInsecureTransport"]["Effect"] == "Deny"
    assert statements["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statements["DenyRequestsFromOutsideAccount"]["Condition"] == {
        "StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}}
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]}
    assert rules["expire-noncurrent-versions"]["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    assert rules["abort-incomplete-multipart-uploads"]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 7
    assert rules["expire-athena-query-results"]["Expiration"]["Days"] == 30
    assert rules["expire-athena-query-results"]["Filter"]["Prefix"] == "athena-query-results/"
    assert all(r["Status"] == "Enabled" for r in rules.values())


def test_log_group_alarm_and_workgroup(stack):
    (group,) = stack.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{FUNCTION}")["logGroups"]
    assert group["retentionInDays"] == 30
    (alarm,) = stack.client("cloudwatch").describe_alarms(AlarmNames=[f"{PROJECT}-shards-dlq-not-empty"])[
        "MetricAlarms"]
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Threshold"], alarm["ComparisonOperator"]) == (
        "AWS/SQS", "ApproximateNumberOfMessagesVisible", 0.0, "GreaterThanThreshold")
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": f"{PROJECT}-shards-dlq"}]
    assert (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"], alarm["TreatMissingData"]) == (
        "Maximum", 300, 1, "notBreaching")
    assert alarm["AlarmActions"] == []
    (dead,) = stack.client("cloudwatch").describe_alarms(AlarmNames=[f"{PROJECT}-shards-dead-lettered"])[
        "MetricAlarms"]
    assert (dead["Namespace"], dead["MetricName"], dead["Statistic"], dead["Threshold"], dead["Dimensions"]) == (
        "AWS/SQS", "NumberOfMessagesReceived", "Sum", 0.0, [{"Name": "QueueName", "Value": f"{PROJECT}-shards-dlq"}])
    workgroup = stack.client("athena").get_work_group(WorkGroup=f"{PROJECT}-analytics")["WorkGroup"]
    configuration = workgroup["Configuration"]
    assert configuration["EnforceWorkGroupConfiguration"] is True
    assert configuration["ResultConfiguration"]["OutputLocation"] == stack.outputs["athena_query_results_s3"]
    assert configuration["ResultConfiguration"]["EncryptionConfiguration"]["EncryptionOption"] == "SSE_S3"


def test_a_second_plan_shows_no_change(stack, runtime_zip):
    outcome = stack.tf.run("plan", "-input=false", "-no-color", "-detailed-exitcode", *_zip_var(runtime_zip),
                           label="plan_no_change")
    assert outcome.returncode == 0, f"the module is not idempotent:\n{outcome.text[-4000:]}"
    assert "No changes." in outcome.stdout


# ------------------------------------------------------------------------------------------------------------------
# The system on what Terraform built
# ------------------------------------------------------------------------------------------------------------------

def _policy_document(value) -> dict:
    return value if isinstance(value, dict) else json.loads(urllib.parse.unquote(value))


def applied_policy(stack: Stack, arn: str) -> dict:
    iam = stack.client("iam")
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    return _policy_document(iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"])



def test_the_system_runs_on_what_terraform_built(stack, rie, ridesweep, runtime_zip, tmp_path):
    role_policy = _policy_document(stack.client("iam").get_role_policy(
        RoleName=f"{PROJECT}-runtime-role", PolicyName=f"{PROJECT}-runtime")["PolicyDocument"])
    run_the_runbook_flow(
        moto=stack.moto, outputs=stack.outputs, function_name=FUNCTION,
        runtime_policy=moto_policy(role_policy),
        invoke_policy=applied_policy(stack, stack.outputs["sweep_invoke_policy_arn"]),
        operator_policy=moto_policy(applied_policy(stack, stack.outputs["athena_query_policy_arn"])),
        rie=rie, ridesweep=ridesweep, runtime_zip=runtime_zip, work=tmp_path)


# ------------------------------------------------------------------------------------------------------------------
# Rollback (runbook: apply a second zip, then the known-good one again)
# ------------------------------------------------------------------------------------------------------------------

def _second_release(runtime_zip: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """The known-good zip plus one marker file: a different release with a different code hash."""
    shutil.copy(runtime_zip, dest)
    with zipfile.ZipFile(dest, "a") as archive:
        archive.writestr("RELEASE", "candidate\n")
    return dest


def test_rollback_restores_the_known_good_code_hash(stack, runtime_zip, tmp_path):
    lam = stack.client("lambda")
    known_good = lam.get_function_configuration(FunctionName=FUNCTION)["CodeSha256"]
    candidate = _second_release(runtime_zip, tmp_path / "runtime-candidate.zip")
    stack.tf.ok("apply", "-input=false", "-no-color", "-auto-approve", *_zip_var(candidate), label="apply_candidate")
    assert lam.get_function_configuration(FunctionName=FUNCTION)["CodeSha256"] != known_good
    stack.tf.ok("apply", "-input=false", "-no-color", "-auto-approve", *_zip_var(runtime_zip), label="apply_rollback")
    assert lam.get_function_configuration(FunctionName=FUNCTION)["CodeSha256"] == known_good
    again = stack.tf.run("plan", "-input=false", "-no-color", "-detailed-exitcode", *_zip_var(runtime_zip))
    assert again.returncode == 0, again.text[-3000:]


# ------------------------------------------------------------------------------------------------------------------
# Destroy
# ------------------------------------------------------------------------------------------------------------------

def _empty_bucket(s3, bucket: str) -> int:
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for item in page.get("Versions", []) + page.get("DeleteMarkers", []):
            s3.delete_object(Bucket=bucket, Key=item["Key"], VersionId=item["VersionId"])
            deleted += 1
    return deleted


def test_destroy_refuses_a_bucket_with_results_then_leaves_nothing(stack, runtime_zip):
    s3 = stack.client("s3")
    bucket = stack.outputs["results_bucket"]
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) > 0, "the system test left results to protect"
    refused = stack.tf.run("destroy", "-input=false", "-no-color", "-auto-approve", *_zip_var(runtime_zip),
                           label="destroy_refused")
    assert refused.returncode == 1
    assert "BucketNotEmpty" in refused.text, refused.text[-3000:]
    # Only the bucket and the UUID that names it stay.
    assert stack.tf.ok("state", "list").stdout.split() == ["aws_s3_bucket.this", "terraform_data.bucket_prefix"]
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] > 0  # results untouched

    assert _empty_bucket(s3, bucket) > 0
    stack.tf.ok("destroy", "-input=false", "-no-color", "-auto-approve", *_zip_var(runtime_zip), label="destroy")
    stack.destroyed = True
    assert stack.tf.ok("state", "list").stdout.split() == []

    assert s3.list_buckets()["Buckets"] == []
    assert stack.client("sqs").list_queues().get("QueueUrls", []) == []
    assert stack.client("lambda").list_functions()["Functions"] == []
    assert stack.client("lambda").list_event_source_mappings()["EventSourceMappings"] == []  # none for any queue
    assert stack.client("apigateway").get_rest_apis()["items"] == []
    assert [r for r in stack.client("iam").list_roles()["Roles"] if r["RoleName"].startswith(PROJECT)] == []
    assert stack.client("iam").list_policies(Scope="Local")["Policies"] == []
    assert stack.client("logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/")["logGroups"] == []
    assert stack.client("cloudwatch").describe_alarms()["MetricAlarms"] == []
    assert [w["Name"] for w in stack.client("athena").list_work_groups()["WorkGroups"]] == ["primary"]
