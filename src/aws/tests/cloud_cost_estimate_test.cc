// The cloud cost estimate: each count from the workload, each price applied once.
#include "ridesweep/aws/cloud_cost_estimate.h"

#include <gtest/gtest.h>

namespace ridesweep::aws {
namespace {

TEST(CloudCostEstimateTest, CountsAndPricesOfTheContractsLargestRun) {
  CloudWorkload run;
  run.shards = 1000;
  run.objects = 801'002;
  run.bytes = 2ULL * 1024 * 1024 * 1024;  // 2 GiB
  run.point_seconds = 4000;
  run.lambda_memory_mb = 2048;
  const CloudCost cost = EstimateCloudCost(run);
  EXPECT_DOUBLE_EQ(cost.lambda_gb_seconds, 8000);
  EXPECT_EQ(cost.lambda_requests, 1001u);
  EXPECT_EQ(cost.sqs_requests, 100u + 2000u);
  EXPECT_EQ(cost.s3_put_requests, 801'002u);
  EXPECT_DOUBLE_EQ(cost.storage_gb, 2);
  EXPECT_NEAR(cost.lambda_usd, 8000 * 0.0000166667 + 1001 * 0.0000002, 1e-12);
  EXPECT_NEAR(cost.sqs_usd, 2100 * 0.0000004, 1e-12);
  EXPECT_NEAR(cost.s3_requests_usd, 801'002 * 0.000005, 1e-12);
  EXPECT_NEAR(cost.storage_usd_per_month, 2 * 0.023, 1e-12);
  EXPECT_NEAR(cost.total_usd, cost.lambda_usd + cost.sqs_usd + cost.s3_requests_usd + cost.storage_usd_per_month,
              1e-12);
}

TEST(CloudCostEstimateTest, PricesAreInputs) {
  CloudWorkload run;
  run.shards = 7;  // one SendMessageBatch call for up to ten messages
  run.objects = 10;
  CloudPrices free;
  free.lambda_gb_second = free.lambda_request = free.sqs_request = free.s3_put_request = free.s3_gb_month = 0;
  EXPECT_EQ(EstimateCloudCost(run, free).total_usd, 0);
  EXPECT_EQ(EstimateCloudCost(run, free).sqs_requests, 1u + 14u);
  CloudPrices puts_only = free;
  puts_only.s3_put_request = 1;
  EXPECT_EQ(EstimateCloudCost(run, puts_only).total_usd, 10);
}

}  // namespace
}  // namespace ridesweep::aws
