# Provider, shared data sources, naming and tags of the serverless sweep stack (spec/sweep.md §14).
# One API Gateway → one Lambda binary (`bootstrap`) → SQS → the same binary as worker → S3 → Athena.

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = local.tags
  }
}

####################################################################################################
# Account context
####################################################################################################

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

# Globally unique bucket names: <uuid>-<base name cut to 26 characters> (36 + 1 + 26 = 63, the S3 maximum).
# The UUID is drawn once and kept in state (terraform_data is built in, so the module needs no provider beyond aws):
# uuid() yields a new value at every plan, and ignore_changes on the input keeps the first one.
resource "terraform_data" "bucket_prefix" {
  input = uuid()

  lifecycle {
    ignore_changes = [input]
  }
}

####################################################################################################
# Names and derived values
####################################################################################################

locals {
  tags = {
    Project   = var.project_name
    ManagedBy = "terraform"
    Component = "serverless-sweep"
  }

  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition

  bucket_name = "${terraform_data.bucket_prefix.output}-${substr(var.results_bucket_name, 0, 26)}"

  # Key prefix of every results object ("" when results_prefix is empty: keys then start at dataset=).
  results_key_prefix = var.results_prefix == "" ? "" : "${var.results_prefix}/"

  queue_name          = "${var.project_name}-shards"
  dlq_name            = "${var.project_name}-shards-dlq"
  function_name       = "${var.project_name}-runtime"
  log_group_name      = "/aws/lambda/${var.project_name}-runtime"
  api_stage_name      = "sandbox"
  api_resource_path   = "sweep-run"
  athena_workgroup    = coalesce(var.athena_workgroup, "${var.project_name}-analytics")
  athena_results_path = "s3://${aws_s3_bucket.this.bucket}/${var.athena_results_prefix}/"
}
