# Pinned Terraform and provider versions for the serverless sweep stack (spec/sweep.md §14).
# Cross-variable invariants are lifecycle preconditions, so Terraform 1.5 suffices (no 1.9 validation needed).
# State is local by default; pass -backend-config to `terraform init` for a remote backend.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 6.0"
    }
  }
}
