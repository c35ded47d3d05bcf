# Operational alarms (spec/sweep.md §14, row 17): any message in the shard DLQ means a shard exhausted its
# transient retries and needs an operator (inspect, fix, redrive).

####################################################################################################
# DLQ not empty
####################################################################################################

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name          = "${var.project_name}-shards-dlq-not-empty"
  alarm_description   = "Shard messages reached ${local.dlq_name}; inspect them and redrive after fixing the cause."
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
