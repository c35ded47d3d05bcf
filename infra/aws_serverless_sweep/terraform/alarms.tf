# Operational alarms (spec/sweep.md §14, row 17): a shard message reached the DLQ, i.e. a shard exhausted its
# transient retries and needs an operator (the worker records it as failed; inspect the cause, fix, run again).

####################################################################################################
# DLQ not empty
####################################################################################################

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name          = "${var.project_name}-shards-dlq-not-empty"
  alarm_description   = "Shard messages are waiting in ${local.dlq_name}. The worker records each as a failed shard within seconds; one that stays could not be recorded (see the dead_letter_settled log lines): fix the cause, it is retried."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions

  dimensions = {
    QueueName = aws_sqs_queue.dlq.name
  }
}

####################################################################################################
# A shard was dead-lettered
####################################################################################################

# The worker consumes the DLQ within seconds (lambda.tf), so "messages visible" may never be sampled; every message
# it receives from the DLQ is one dead-lettered shard message.
resource "aws_cloudwatch_metric_alarm" "shards_dead_lettered" {
  alarm_name          = "${var.project_name}-shards-dead-lettered"
  alarm_description   = "Shard messages reached ${local.dlq_name} and were recorded as failed shards; see ridesweep status and query_failure_diagnostics, fix the cause, then run the request again."
  namespace           = "AWS/SQS"
  metric_name         = "NumberOfMessagesReceived"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions

  dimensions = {
    QueueName = aws_sqs_queue.dlq.name
  }
}
