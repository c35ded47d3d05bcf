// What the cloud path (API Gateway → Lambda → SQS → S3) would cost for one run, for `ridesweep run --dry-run`:
// Lambda GB-seconds and invocations, SQS requests, S3 PUT requests and a month of S3 storage, each priced with
// caller-supplied unit prices (defaults: us-east-1 list prices; docs/local_workflow.md, "Plan a sweep"). An
// estimate from counts, not a bill: no free tier, API Gateway, CloudWatch, Athena or data transfer. Pure.
#ifndef RIDESWEEP_AWS_CLOUD_COST_ESTIMATE_H_
#define RIDESWEEP_AWS_CLOUD_COST_ESTIMATE_H_

#include <cstdint>

namespace ridesweep::aws {

// Unit prices in USD.
struct CloudPrices {
  double lambda_gb_second = 0.0000166667;  // x86, per GB-second
  double lambda_request = 0.0000002;       // per invocation ($0.20 per million)
  double sqs_request = 0.0000004;          // per standard-queue request ($0.40 per million)
  double s3_put_request = 0.000005;        // per PUT ($0.005 per 1,000)
  double s3_gb_month = 0.023;              // S3 Standard, per GB-month
};

// The run as the cloud would execute it.
struct CloudWorkload {
  uint64_t shards = 0;               // one SQS message and one worker invocation each (SQS batch size 1)
  uint64_t objects = 0;              // objects written (S3 PUTs)
  uint64_t bytes = 0;                // bytes stored
  double point_seconds = 0;          // single-thread simulation + encoding time of all points
  double lambda_memory_mb = 1024;    // the runtime function's memory (Terraform lambda_memory_mb)
};

struct CloudCost {
  double lambda_gb_seconds = 0;      // point_seconds × memory in GB
  uint64_t lambda_requests = 0;      // one API invocation + one per shard
  uint64_t sqs_requests = 0;         // SendMessageBatch (10 per call) + one receive and one delete per shard
  uint64_t s3_put_requests = 0;      // = objects
  double storage_gb = 0;             // bytes / 2^30
  double lambda_usd = 0;
  double sqs_usd = 0;
  double s3_requests_usd = 0;
  double storage_usd_per_month = 0;
  double total_usd = 0;              // the four above, storage for one month
};

CloudCost EstimateCloudCost(const CloudWorkload& workload, const CloudPrices& prices = {});

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_CLOUD_COST_ESTIMATE_H_
