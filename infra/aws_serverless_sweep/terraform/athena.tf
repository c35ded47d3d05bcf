# Athena workgroup of the project (spec/sweep.md §14, row 18): query results go to the results bucket under
# athena_results_prefix, SSE-S3 encrypted, and the workgroup enforces this configuration on every query.

####################################################################################################
# Workgroup
####################################################################################################

resource "aws_athena_workgroup" "this" {
  name          = local.athena_workgroup
  description   = "Sweep analytics (infra/aws_serverless_sweep/athena)."
  force_destroy = true

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true

    result_configuration {
      output_location = local.athena_results_path

      encryption_configuration {
        encryption_option = "SSE_S3"
      }
    }
  }
}
