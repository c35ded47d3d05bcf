# Outputs of the serverless sweep stack (spec/sweep.md §14): endpoints, names and policy ARNs operators need.

output "api_url" {
  description = "POST endpoint for sweep requests (SigV4, service execute-api)."
  value       = try("${aws_api_gateway_stage.this.invoke_url}/${local.api_resource_path}", null)
}

output "results_bucket" {
  description = "Name of the results bucket (SWEEP_RESULTS_BUCKET)."
  value       = try(aws_s3_bucket.this.bucket, null)
}

output "shard_queue_url" {
  description = "URL of the shard queue (SHARD_QUEUE_URL)."
  value       = try(aws_sqs_queue.this.url, null)
}

output "shard_dlq_url" {
  description = "URL of the shard dead-letter queue."
  value       = try(aws_sqs_queue.dlq.url, null)
}

output "runtime_function_name" {
  description = "Name of the runtime Lambda function."
  value       = try(aws_lambda_function.this.function_name, null)
}

output "athena_query_policy_arn" {
  description = "ARN of the operator policy for running the Athena SQL files."
  value       = try(aws_iam_policy.athena_query_access.arn, null)
}

output "sweep_invoke_policy_arn" {
  description = "ARN of the policy that allows submitting sweeps to the API."
  value       = try(aws_iam_policy.sweep_invoke.arn, null)
}

output "athena_workgroup" {
  description = "Name of the project's Athena workgroup."
  value       = try(aws_athena_workgroup.this.name, null)
}

output "athena_query_results_s3" {
  description = "S3 location of Athena query results (the workgroup enforces it)."
  value       = local.athena_results_path
}
