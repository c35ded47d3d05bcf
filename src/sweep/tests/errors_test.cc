// Pins every contract text of sweep/errors.h to the wording of spec/sweep.md, so an accidental edit fails here.
#include "ridesweep/sweep/errors.h"

#include <gtest/gtest.h>

namespace ridesweep::sweep {
namespace {

TEST(ErrorsTest, ConstantTexts) {
  struct Case {
    std::string_view actual;
    std::string_view spec;
  } kCases[] = {
      {errors::kPayloadNotObject, "Request payload must be a JSON object"},
      {errors::kBodyNotObject, "Request body must be a JSON object"},
      {errors::kMalformedJsonBodyPrefix, "Malformed JSON body: "},
      {errors::kBodyNotBase64, "Malformed JSON body: body is not valid base64"},
      {errors::kMalformedRequestPrefix, "Malformed request: "},
      {errors::kRunIdEmpty, "run_id cannot be empty"},
      {errors::kDimensionsEmpty, "dimensions cannot be empty"},
      {errors::kDimensionNamesBlank, "dimension names must be non-empty strings"},
      {errors::kParameterSpaceTooLarge, "Parameter space is too large for this deployment (>200000 points)"},
      {errors::kShardingRequired, "Either shard_count or shard_size is required"},
      {errors::kShardCountNotPositive, "shard_count must be a positive integer"},
      {errors::kShardSizeNotPositive, "shard_size must be a positive integer"},
      {errors::kMaxShardsNotPositive, "max_shards must be a positive integer"},
      {errors::kRunIdPattern, "run_id must match [A-Za-z0-9._-]{1,128}"},
      {errors::kNoShards, "No shards to process"},
      {errors::kShardsDoNotCover, "Shard boundaries do not cover full parameter space"},
      {errors::kShardsOverlapOrGap, "Shard boundaries overlap or leave gaps"},
      {errors::kBatchIntervalAtLeastOne, "Dimension 'batch_interval_secs' must be at least 1"},
      {errors::kIndexExceedsProduct, "Index exceeds dimension product"},
      {errors::kSqsBodyNotString, "SQS record body must be a string"},
      {errors::kInvalidPayloadPrefix, "invalid child shard payload: "},
      {errors::kPayloadNotAddressable, "invalid child shard payload: run_id or run_date is not addressable"},
      {errors::kInvalidShardBounds, "Invalid shard bounds"},
      {errors::kShardIdOutOfRange, "shard_id must be less than total_points"},
      {errors::kEndExceedsTotalPoints, "end_index_exclusive exceeds total_points"},
      {errors::kTotalPointsMismatch, "total_points does not match the dimension product"},
      {errors::kInjectedShardFailure, "Injected shard failure for verification"},
      {errors::kSerializeShardMetricsPrefix, "Failed to serialize shard metrics to parquet: "},
      {errors::kPersistShardMetricsPrefix, "Failed to persist shard metrics artifact: "},
      {errors::kPersistTripDataPrefix, "Failed to persist trip data artifact: "},
      {errors::kPersistSnapshotCountsPrefix, "Failed to persist snapshot counts artifact: "},
      {errors::kSerializeEffectiveParametersPrefix, "Failed to serialize effective-parameter parquet: "},
      {errors::kPersistEffectiveParametersPrefix, "Failed to persist effective-parameter artifact: "},
      {errors::kSerializeSuccessOutcomePrefix, "Failed to serialize success outcome parquet: "},
      {errors::kPersistSuccessOutcomePrefix, "Failed to persist success outcome: "},
      {errors::kPersistFailureOutcomePrefix, "Failed to persist failure outcome: "},
      {errors::kSerializeFailureOutcomePrefix, "Failed to serialize failure outcome parquet: "},
      {errors::kDispatchBudgetExhausted, "dispatch time budget exhausted"},
      {errors::kDispatchPanicked, "Child dispatch panicked before completion"},
      {errors::kParentHandlerPanicked, "Parent handler panicked while processing the request"},
      {errors::kUsePostSweepRun, "Use POST /sweep-run"},
      {errors::kRequestBodyTooLarge, "Request body exceeds 10485760 bytes"},
      {errors::kGatewayInvalidRequestBody, "Invalid request body"},
  };
  for (const Case& c : kCases) EXPECT_EQ(c.actual, c.spec);
}

TEST(ErrorsTest, FormattedTexts) {
  EXPECT_EQ(errors::DimensionNotNonEmptyList("a b"), "Dimension 'a b' must be a non-empty list");
  EXPECT_EQ(errors::DimensionTooManyValues("x"), "Dimension 'x' exceeds MAX_DIMENSION_VALUES=10000");
  EXPECT_EQ(errors::MustBeConfigured("SHARD_QUEUE_URL"), "SHARD_QUEUE_URL must be configured");
  EXPECT_EQ(errors::IntegerSettingOutOfRange("MAX_SHARDS", 1, 200000),
            "MAX_SHARDS must be an integer between 1 and 200000");
  EXPECT_EQ(errors::ShardCountExceeds(1001, 1000), "Computed shard count 1001 exceeds max_shards=1000");
  EXPECT_EQ(errors::UnsupportedDimension("foo"), "Unsupported dimension 'foo'");
  EXPECT_EQ(errors::DimensionMustBeUnsigned("n"), "Dimension 'n' must be an unsigned integer");
  EXPECT_EQ(errors::DimensionTooLarge("n"), "Dimension 'n' is too large");
  EXPECT_EQ(errors::DimensionMustBeSigned("n"), "Dimension 'n' must be a signed integer");
  EXPECT_EQ(errors::DimensionMustBeNumeric("n"), "Dimension 'n' must be numeric");
  EXPECT_EQ(errors::DimensionMustBeBoolean("n"), "Dimension 'n' must be boolean");
  EXPECT_EQ(errors::DimensionMustBeString("n"), "Dimension 'n' must be a string");
  EXPECT_EQ(errors::DimensionCannotBeEmpty("n"), "Dimension 'n' cannot be empty");
  EXPECT_EQ(errors::UnsupportedMatchingAlgorithm("Greedy"),
            "Unsupported matching_algorithm_type 'Greedy' (expected simple, cost_based, or hungarian)");
  EXPECT_EQ(errors::UnsupportedTrafficProfile("x"), "Unsupported traffic_profile 'x' (expected none or berlin)");
  EXPECT_EQ(errors::RequestReferenceNotFound("k"), "Request reference not found: k");
  EXPECT_EQ(errors::RequestReferenceMismatch("a", "b"), "Request reference mismatch: expected a, found b");
  EXPECT_EQ(errors::DeadlineStoppedBeforePoint(7, 1500, 3, 10),
            "Deadline guard: stopped before point 7 with 1500 ms left; 3 of 10 points written");
  EXPECT_EQ(errors::DeadlineCancelledPoint(7, -5, 3, 10),
            "Deadline guard: cancelled point 7 with -5 ms left; 3 of 10 points written");
  EXPECT_EQ(errors::RunIdConflict("r"), "run_id 'r' was already submitted with a different request");
  EXPECT_EQ(errors::FailedToEnqueue("x"), "failed to enqueue shard message: x");
  EXPECT_EQ(errors::NoRoute("GET", "/"), "No route for GET /");
}

}  // namespace
}  // namespace ridesweep::sweep
