// Cloud cost estimate: counts times unit prices; see cloud_cost_estimate.h.
#include "ridesweep/aws/cloud_cost_estimate.h"

namespace ridesweep::aws {

CloudCost EstimateCloudCost(const CloudWorkload& workload, const CloudPrices& prices) {
  CloudCost cost;
  cost.lambda_gb_seconds = workload.point_seconds * (workload.lambda_memory_mb / 1024.0);
  cost.lambda_requests = workload.shards + 1;
  cost.sqs_requests = (workload.shards + 9) / 10 + 2 * workload.shards;
  cost.s3_put_requests = workload.objects;
  cost.storage_gb = static_cast<double>(workload.bytes) / (1024.0 * 1024.0 * 1024.0);
  cost.lambda_usd = cost.lambda_gb_seconds * prices.lambda_gb_second +
                    static_cast<double>(cost.lambda_requests) * prices.lambda_request;
  cost.sqs_usd = static_cast<double>(cost.sqs_requests) * prices.sqs_request;
  cost.s3_requests_usd = static_cast<double>(cost.s3_put_requests) * prices.s3_put_request;
  cost.storage_usd_per_month = cost.storage_gb * prices.s3_gb_month;
  cost.total_usd = cost.lambda_usd + cost.sqs_usd + cost.s3_requests_usd + cost.storage_usd_per_month;
  return cost;
}

}  // namespace ridesweep::aws
