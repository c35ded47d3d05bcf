# The one runtime function (`bootstrap`, provided.al2023) that serves both the API path and the SQS worker path,
# its log group, the queue → function event source mapping (spec/sweep.md §14, rows 8, 10, 11) and the
# dead-letter queue → function mapping that records dead-lettered shards as failed.

####################################################################################################
# Log group
####################################################################################################

resource "aws_cloudwatch_log_group" "this" {
  # checkov:skip=CKV_AWS_158: CloudWatch Logs encrypts at rest by default; the logs hold no secrets, so a customer key would only add a key policy to manage
  # checkov:skip=CKV_AWS_338: retention is the operator's choice (log_retention_days, default 30); results live in S3, not in logs
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
}

####################################################################################################
# Function
####################################################################################################

resource "aws_lambda_function" "this" {
  # checkov:skip=CKV_AWS_50: no X-Ray in this stack (see CKV_AWS_73 on the API stage)
  # checkov:skip=CKV_AWS_116: a function DLQ only catches asynchronous invocations; this function is invoked synchronously by API Gateway and by the SQS mapping, whose failures go to the shard DLQ
  # checkov:skip=CKV_AWS_117: the function only calls public AWS endpoints (S3, SQS); a VPC would add NAT or endpoints and cold-start cost for no isolation gain
  # checkov:skip=CKV_AWS_173: the environment holds names only (bucket, prefix, queue URL, shard ceiling), encrypted at rest with the AWS managed key
  # checkov:skip=CKV_AWS_272: the zip is built and deployed by the operator's own pipeline (deploy_local.sh); code signing would need an AWS Signer profile outside this module
  function_name = local.function_name
  role          = aws_iam_role.runtime.arn
  runtime       = "provided.al2023"
  handler       = "bootstrap"
  architectures = [var.lambda_architecture]
  memory_size   = var.lambda_memory_mb
  timeout       = var.lambda_timeout_seconds

  # -1 is also the provider's "no reservation".
  reserved_concurrent_executions = var.reserved_concurrency

  filename         = var.runtime_lambda_zip
  source_code_hash = filebase64sha256(var.runtime_lambda_zip)

  environment {
    variables = {
      SWEEP_RESULTS_BUCKET = aws_s3_bucket.this.bucket
      SWEEP_RESULTS_PREFIX = var.results_prefix
      SHARD_QUEUE_URL      = aws_sqs_queue.this.url
      MAX_SHARDS           = tostring(var.max_shards)
      # Records from this queue are settled, not run: see "Dead-letter queue → function" below.
      SWEEP_DEAD_LETTER_QUEUE_ARN = aws_sqs_queue.dlq.arn
    }
  }

  lifecycle {
    precondition {
      condition     = var.reserved_concurrency < 0 || var.reserved_concurrency >= var.sqs_maximum_concurrency + 5
      error_message = "reserved_concurrency must be -1 or at least sqs_maximum_concurrency + 5."
    }
  }

  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.runtime,
  ]
}

####################################################################################################
# Queue → function
####################################################################################################

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn        = aws_sqs_queue.this.arn
  function_name           = aws_lambda_function.this.arn
  batch_size              = var.sqs_batch_size
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.sqs_maximum_concurrency
  }
}

####################################################################################################
# Dead-letter queue → function
####################################################################################################

# A message reaches the DLQ after sqs_max_receive_count receives. When none of those attempts wrote an outcome (the
# function timed out, ran out of memory or crashed), the worker writes the shard's failure record from here, so the
# shard reads "failed" with the reason instead of "pending" forever. A shard that has an outcome is left alone; a
# record that cannot be written stays on the DLQ (and keeps the alarm raised).
resource "aws_lambda_event_source_mapping" "dead_letters" {
  event_source_arn        = aws_sqs_queue.dlq.arn
  function_name           = aws_lambda_function.this.arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = 2
  }
}
