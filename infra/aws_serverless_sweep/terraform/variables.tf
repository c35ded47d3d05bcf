# Inputs of the serverless sweep stack (spec/sweep.md §14). Every variable is described, precisely typed and
# validated; cross-variable rules are lifecycle preconditions in queue.tf and lambda.tf.

####################################################################################################
# Placement and naming
####################################################################################################

variable "aws_region" {
  description = "AWS region of every resource."
  type        = string
  default     = "eu-central-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as eu-central-1."
  }
}

variable "project_name" {
  description = "Name prefix of every resource (queue, function, role, API, policies, alarm)."
  type        = string
  default     = "ride-sim-sweep"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.project_name))
    error_message = "project_name must be 3-32 characters of lowercase letters, digits and '-', starting with a letter."
  }
}

####################################################################################################
# Results storage
####################################################################################################

variable "results_bucket_name" {
  description = "Base name of the results bucket; the bucket name is a random UUID, '-', then the first 26 characters of this value."
  type        = string
  default     = "ride-hailing-simulation"
  nullable    = false

  validation {
    condition = (
      length(var.results_bucket_name) <= 63 &&
      can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.results_bucket_name)) &&
      can(regex("[a-z0-9]$", substr(var.results_bucket_name, 0, 26)))
    )
    error_message = "results_bucket_name must be a lowercase DNS-style name (letters, digits, '-'), at most 63 characters, whose first 26 characters do not end in '-'."
  }
}

variable "results_prefix" {
  description = "Key prefix P of all results objects (no leading or trailing '/'); passed to the function as SWEEP_RESULTS_PREFIX and used to scope IAM."
  type        = string
  default     = "serverless-sweeps/outcomes"
  nullable    = false

  validation {
    condition     = can(regex("^([A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*)?$", var.results_prefix))
    error_message = "results_prefix must be '/'-separated segments of letters, digits, '.', '_' and '-', without leading or trailing '/'."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent versions of results objects expire (the bucket is versioned)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition = (
      var.noncurrent_version_expiration_days >= 1 &&
      var.noncurrent_version_expiration_days <= 3650 &&
      floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    )
    error_message = "noncurrent_version_expiration_days must be an integer between 1 and 3650."
  }
}

####################################################################################################
# Runtime function
####################################################################################################

variable "runtime_lambda_zip" {
  description = "Path of the packaged runtime zip (bootstrap + lib/); deploy_local.sh passes an absolute path."
  type        = string
  default     = "../../dist/runtime.zip"
  nullable    = false

  validation {
    condition     = endswith(var.runtime_lambda_zip, ".zip")
    error_message = "runtime_lambda_zip must be the path of a .zip file."
  }

  validation {
    condition     = !endswith(var.runtime_lambda_zip, ".zip") || fileexists(var.runtime_lambda_zip)
    error_message = "runtime_lambda_zip must name an existing file: build dist/runtime.zip first (deploy_local.sh or the ridesweep_lambda_package target), or pass the path of a kept release."
  }
}

variable "lambda_architecture" {
  description = "Instruction set of the runtime function; must match the architecture the zip was built for."
  type        = string
  default     = "x86_64"
  nullable    = false

  validation {
    condition     = contains(["x86_64", "arm64"], var.lambda_architecture)
    error_message = "lambda_architecture must be x86_64 or arm64."
  }
}

variable "lambda_memory_mb" {
  description = "Memory of the runtime function in MB (1769 MB gives one full vCPU)."
  type        = number
  default     = 1024
  nullable    = false

  validation {
    condition = (
      var.lambda_memory_mb >= 128 &&
      var.lambda_memory_mb <= 10240 &&
      floor(var.lambda_memory_mb) == var.lambda_memory_mb
    )
    error_message = "lambda_memory_mb must be an integer between 128 and 10240."
  }
}

variable "lambda_timeout_seconds" {
  description = "Timeout of the runtime function in seconds; the worker's deadline guard stops before it."
  type        = number
  default     = 900
  nullable    = false

  validation {
    condition = (
      var.lambda_timeout_seconds >= 1 &&
      var.lambda_timeout_seconds <= 900 &&
      floor(var.lambda_timeout_seconds) == var.lambda_timeout_seconds
    )
    error_message = "lambda_timeout_seconds must be an integer between 1 and 900."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions of the runtime function; -1 reserves none. When >= 0 it must be at least sqs_maximum_concurrency + 5 so the API path keeps capacity."
  type        = number
  default     = -1
  nullable    = false

  validation {
    condition     = var.reserved_concurrency >= -1 && floor(var.reserved_concurrency) == var.reserved_concurrency
    error_message = "reserved_concurrency must be -1 (none) or a non-negative integer."
  }
}

variable "max_shards" {
  description = "Server ceiling on the shard count of one run (function environment MAX_SHARDS)."
  type        = number
  default     = 1000
  nullable    = false

  validation {
    condition     = var.max_shards >= 1 && var.max_shards <= 200000 && floor(var.max_shards) == var.max_shards
    error_message = "max_shards must be an integer between 1 and 200000."
  }
}

variable "log_retention_days" {
  description = "Retention of the runtime function's CloudWatch log group in days."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

####################################################################################################
# Shard queue
####################################################################################################

variable "sqs_visibility_timeout_seconds" {
  description = "Visibility timeout of the shard queue in seconds; must be at least 6 x lambda_timeout_seconds (AWS guidance for event source mappings)."
  type        = number
  default     = 5400
  nullable    = false

  validation {
    condition = (
      var.sqs_visibility_timeout_seconds >= 0 &&
      var.sqs_visibility_timeout_seconds <= 43200 &&
      floor(var.sqs_visibility_timeout_seconds) == var.sqs_visibility_timeout_seconds
    )
    error_message = "sqs_visibility_timeout_seconds must be an integer between 0 and 43200."
  }
}

variable "sqs_max_receive_count" {
  description = "Deliveries of a shard message before it moves to the DLQ (only transient failures are retried)."
  type        = number
  default     = 5
  nullable    = false

  validation {
    condition = (
      var.sqs_max_receive_count >= 1 &&
      var.sqs_max_receive_count <= 1000 &&
      floor(var.sqs_max_receive_count) == var.sqs_max_receive_count
    )
    error_message = "sqs_max_receive_count must be an integer between 1 and 1000."
  }
}

variable "sqs_batch_size" {
  description = "Shard messages per worker invocation (event source mapping batch size)."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition = (
      var.sqs_batch_size >= 1 &&
      var.sqs_batch_size <= 10 &&
      floor(var.sqs_batch_size) == var.sqs_batch_size
    )
    error_message = "sqs_batch_size must be an integer between 1 and 10."
  }
}

variable "sqs_maximum_concurrency" {
  description = "Maximum concurrent worker invocations of the event source mapping."
  type        = number
  default     = 100
  nullable    = false

  validation {
    condition = (
      var.sqs_maximum_concurrency >= 2 &&
      var.sqs_maximum_concurrency <= 1000 &&
      floor(var.sqs_maximum_concurrency) == var.sqs_maximum_concurrency
    )
    error_message = "sqs_maximum_concurrency must be an integer between 2 and 1000."
  }
}

####################################################################################################
# API
####################################################################################################

variable "api_throttle_rate_limit" {
  description = "Steady-state request rate limit of the API stage (requests per second)."
  type        = number
  default     = 5
  nullable    = false

  validation {
    condition     = var.api_throttle_rate_limit > 0 && var.api_throttle_rate_limit <= 10000
    error_message = "api_throttle_rate_limit must be greater than 0 and at most 10000."
  }
}

variable "api_throttle_burst_limit" {
  description = "Burst request limit of the API stage."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition = (
      var.api_throttle_burst_limit >= 1 &&
      var.api_throttle_burst_limit <= 5000 &&
      floor(var.api_throttle_burst_limit) == var.api_throttle_burst_limit
    )
    error_message = "api_throttle_burst_limit must be an integer between 1 and 5000."
  }
}

####################################################################################################
# Analytics
####################################################################################################

variable "athena_database" {
  description = "Athena/Glue database of the sweep tables."
  type        = string
  default     = "ride_sim_analytics"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.athena_database))
    error_message = "athena_database must match [a-z0-9_]{1,255}."
  }
}

variable "athena_workgroup" {
  description = "Name of the Athena workgroup created for the project; null means project_name followed by '-analytics'."
  type        = string
  default     = null

  validation {
    condition     = var.athena_workgroup == null || can(regex("^[A-Za-z0-9._-]{1,128}$", var.athena_workgroup))
    error_message = "athena_workgroup must be null or 1-128 characters of letters, digits, '.', '_' and '-'."
  }
}

variable "athena_results_prefix" {
  description = "Key prefix in the results bucket for Athena query results (expired after 30 days)."
  type        = string
  default     = "athena-query-results"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", var.athena_results_prefix))
    error_message = "athena_results_prefix must be non-empty '/'-separated segments of letters, digits, '.', '_' and '-', without leading or trailing '/'."
  }
}

variable "create_glue_catalog" {
  description = "Create the Glue database and the six sweep tables with Terraform (otherwise `ridesweep athena apply` creates them)."
  type        = bool
  default     = false
  nullable    = false

  validation {
    condition     = var.create_glue_catalog == true || var.create_glue_catalog == false
    error_message = "create_glue_catalog must be true or false."
  }
}

####################################################################################################
# Operations
####################################################################################################

variable "alarm_actions" {
  description = "ARNs notified when the shard DLQ alarm fires (e.g. an SNS topic); empty for none."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.alarm_actions : can(regex("^arn:aws[a-zA-Z-]*:", arn))])
    error_message = "alarm_actions must contain ARNs only."
  }
}
