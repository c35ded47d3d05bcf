# REST API: POST /sweep-run with IAM (SigV4) authorization, JSON body validation against the SweepRunRequest model,
# a JSON 400 body for validation failures, stage throttling, and the Lambda proxy integration
# (spec/sweep.md §14, rows 12-15).

####################################################################################################
# API, resource, model, validator
####################################################################################################

resource "aws_api_gateway_rest_api" "this" {
  name        = "${var.project_name}-api"
  description = "Ride-hailing parameter sweeps: POST /${local.api_resource_path}"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_resource" "sweep_run" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = local.api_resource_path
}

# The schema lives in its own file so the offline tests can validate the golden requests against it. The redeploy
# trigger hashes the file, not the model's schema attribute: API Gateway may return the schema reformatted, and a
# refreshed value must not replace the deployment.
locals {
  sweep_run_request_schema = file("${path.module}/sweep_run_request.schema.json")
}

resource "aws_api_gateway_model" "sweep_run_request" {
  rest_api_id  = aws_api_gateway_rest_api.this.id
  name         = "SweepRunRequest"
  description  = "Sweep request body (JSON Schema draft 4)."
  content_type = "application/json"
  schema       = local.sweep_run_request_schema
}

resource "aws_api_gateway_request_validator" "this" {
  rest_api_id                 = aws_api_gateway_rest_api.this.id
  name                        = "validate-body"
  validate_request_body       = true
  validate_request_parameters = false
}

####################################################################################################
# Method and integration
####################################################################################################

resource "aws_api_gateway_method" "sweep_run_post" {
  rest_api_id          = aws_api_gateway_rest_api.this.id
  resource_id          = aws_api_gateway_resource.sweep_run.id
  http_method          = "POST"
  authorization        = "AWS_IAM"
  request_validator_id = aws_api_gateway_request_validator.this.id

  request_models = {
    "application/json" = aws_api_gateway_model.sweep_run_request.name
  }
}

resource "aws_api_gateway_integration" "sweep_run_post" {
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_resource.sweep_run.id
  http_method             = aws_api_gateway_method.sweep_run_post.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.this.invoke_arn
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/*"
}

####################################################################################################
# Validation error body
####################################################################################################

resource "aws_api_gateway_gateway_response" "bad_request_body" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  response_type = "BAD_REQUEST_BODY"
  status_code   = "400"

  response_templates = {
    "application/json" = "{\"error\":\"validation_error\",\"message\":$context.error.messageString}"
  }
}

####################################################################################################
# Deployment, stage, throttling
####################################################################################################

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.sweep_run.id,
      aws_api_gateway_method.sweep_run_post.id,
      aws_api_gateway_method.sweep_run_post.authorization,
      aws_api_gateway_integration.sweep_run_post.id,
      aws_api_gateway_integration.sweep_run_post.uri,
      sha1(local.sweep_run_request_schema),
      aws_api_gateway_request_validator.this.id,
      aws_api_gateway_gateway_response.bad_request_body.response_templates,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [
    aws_api_gateway_integration.sweep_run_post,
    aws_api_gateway_gateway_response.bad_request_body,
  ]
}

resource "aws_api_gateway_stage" "this" {
  # checkov:skip=CKV_AWS_73: no X-Ray in this stack; every request is traced by its request id in the function's structured logs
  # checkov:skip=CKV_AWS_76: access logs need the account-wide API Gateway CloudWatch role, which this module does not own
  # checkov:skip=CKV_AWS_120: POST /sweep-run starts a run; a cached answer would acknowledge a run that was never dispatched
  # checkov:skip=CKV2_AWS_4: execution logging needs the same account-wide CloudWatch role as access logs (CKV_AWS_76)
  # checkov:skip=CKV2_AWS_29: callers authenticate with SigV4 (AWS_IAM), unsigned requests never reach the function, and the stage is throttled
  # checkov:skip=CKV2_AWS_51: client certificates authenticate the gateway to HTTP back ends; the back end here is a Lambda proxy integration
  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = local.api_stage_name
}

resource "aws_api_gateway_method_settings" "all" {
  # checkov:skip=CKV_AWS_225: the only method is POST /sweep-run, which must never be answered from a cache (see CKV_AWS_120)
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    throttling_burst_limit = var.api_throttle_burst_limit
    throttling_rate_limit  = var.api_throttle_rate_limit
  }
}
