# Shard queue and its dead-letter queue (spec/sweep.md §14, rows 6-7). Both queues are encrypted with SQS-managed
# keys and their policies only deny non-TLS access: access is granted by IAM (the runtime role), never to the
# account root.

####################################################################################################
# Dead-letter queue
####################################################################################################

resource "aws_sqs_queue" "dlq" {
  name = local.dlq_name
  # The function consumes it too (lambda.tf), and Lambda requires a visibility timeout of at least its timeout.
  visibility_timeout_seconds = var.sqs_visibility_timeout_seconds
  message_retention_seconds  = 1209600
  sqs_managed_sse_enabled    = true
}

####################################################################################################
# Shard queue
####################################################################################################

resource "aws_sqs_queue" "this" {
  name                       = local.queue_name
  visibility_timeout_seconds = var.sqs_visibility_timeout_seconds
  message_retention_seconds  = 1209600
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.sqs_max_receive_count
  })

  lifecycle {
    precondition {
      condition     = var.sqs_visibility_timeout_seconds >= 6 * var.lambda_timeout_seconds
      error_message = "sqs_visibility_timeout_seconds must be at least 6 x lambda_timeout_seconds."
    }

    precondition {
      condition     = var.sqs_visibility_timeout_seconds <= 43200
      error_message = "sqs_visibility_timeout_seconds must be at most 43200 (12 hours)."
    }
  }
}

####################################################################################################
# Queue policies: TLS only
####################################################################################################

data "aws_iam_policy_document" "queue_tls_only" {
  for_each = {
    shards = aws_sqs_queue.this.arn
    dlq    = aws_sqs_queue.dlq.arn
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [each.value]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy    = data.aws_iam_policy_document.queue_tls_only["shards"].json
}

resource "aws_sqs_queue_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  policy    = data.aws_iam_policy_document.queue_tls_only["dlq"].json
}
