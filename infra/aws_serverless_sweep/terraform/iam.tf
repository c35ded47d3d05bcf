# Least-privilege IAM of the stack (spec/sweep.md §14): the runtime role's inline policy, the operators' Athena
# policy and the API invoke policy. Statement ids are part of the contract; tests/infra/test_terraform.py checks
# them, and T24 runs a full sweep under the runtime policy.

####################################################################################################
# Runtime role
####################################################################################################

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    sid     = "LambdaAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "runtime" {
  name               = "${var.project_name}-runtime-role"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "runtime" {
  statement {
    sid       = "WriteResults"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/${local.results_key_prefix}*"]
  }

  # Manifests and the skip check of committed points.
  statement {
    sid       = "ReadResults"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.this.arn}/${local.results_key_prefix}*"]
  }

  # No prefix condition: only with ListBucket on the whole bucket does a missing key answer 404 instead of 403.
  statement {
    sid       = "ListResultsBucket"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]
  }

  # Stale failure records only; success objects can never be deleted by the runtime.
  statement {
    sid       = "DeleteStaleFailureRecords"
    effect    = "Allow"
    actions   = ["s3:DeleteObject"]
    resources = ["${aws_s3_bucket.this.arn}/${local.results_key_prefix}dataset=shard_outcomes/*/status_partition=failure/*"]
  }

  statement {
    sid       = "ProduceShards"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this.arn]
  }

  statement {
    sid    = "ConsumeShards"
    effect = "Allow"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
    ]
    resources = [aws_sqs_queue.this.arn]
  }

  statement {
    sid    = "SettleDeadLetters"
    effect = "Allow"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
    ]
    resources = [aws_sqs_queue.dlq.arn]
  }

  statement {
    sid       = "WriteLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
}

resource "aws_iam_role_policy" "runtime" {
  name   = "${var.project_name}-runtime"
  role   = aws_iam_role.runtime.id
  policy = data.aws_iam_policy_document.runtime.json
}

####################################################################################################
# Operator Athena policy
####################################################################################################

data "aws_iam_policy_document" "athena_query_access" {
  statement {
    sid    = "RunQueries"
    effect = "Allow"
    actions = [
      "athena:StartQueryExecution",
      "athena:GetQueryExecution",
      "athena:GetQueryResults",
      "athena:StopQueryExecution",
      "athena:GetWorkGroup",
    ]
    resources = [
      aws_athena_workgroup.this.arn,
      "arn:${local.partition}:athena:${local.region}:${local.account_id}:workgroup/primary",
    ]
  }

  statement {
    sid    = "Catalog"
    effect = "Allow"
    actions = [
      "glue:GetDatabase",
      "glue:GetDatabases",
      "glue:GetTable",
      "glue:GetTables",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:CreateDatabase",
      "glue:CreateTable",
      "glue:UpdateTable",
      "glue:CreatePartition",
      "glue:BatchCreatePartition",
    ]
    resources = [
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog",
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:database/${var.athena_database}",
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${var.athena_database}/*",
    ]
  }

  statement {
    sid       = "ReadResults"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.this.arn}/${local.results_key_prefix}*"]
  }

  statement {
    sid       = "CancelRuns"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/${local.results_key_prefix}runs/run_id=*/cancel.json"]
  }

  statement {
    sid       = "Bucket"
    effect    = "Allow"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.this.arn]
  }

  statement {
    sid    = "QueryOutput"
    effect = "Allow"
    actions = [
      "s3:PutObject",
      "s3:GetObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${aws_s3_bucket.this.arn}/${var.athena_results_prefix}/*"]
  }
}

resource "aws_iam_policy" "athena_query_access" {
  name        = "${var.project_name}-athena-query-access"
  description = "Run the sweep's Athena SQL files: queries, DDL, partitions and query results."
  policy      = data.aws_iam_policy_document.athena_query_access.json
}

####################################################################################################
# API invoke policy
####################################################################################################

data "aws_iam_policy_document" "sweep_invoke" {
  statement {
    sid       = "InvokeSweepRun"
    effect    = "Allow"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.this.execution_arn}/${local.api_stage_name}/POST/${local.api_resource_path}"]
  }
}

resource "aws_iam_policy" "sweep_invoke" {
  name        = "${var.project_name}-sweep-invoke"
  description = "Submit sweeps: SigV4-signed POST to the sweep-run endpoint."
  policy      = data.aws_iam_policy_document.sweep_invoke.json
}
