// Every message text of the sweep contract (spec/sweep.md §1.2–§1.5, §4, §5.5–§5.6, §7, §8), as named constants
// or, when a value is interpolated, as small formatting functions. DO NOT CHANGE any text: clients, the golden
// vectors (spec/golden.json) and the earlier implementation's users match on them. Contract tests cover each.
#ifndef RIDESWEEP_SWEEP_ERRORS_H_
#define RIDESWEEP_SWEEP_ERRORS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace ridesweep::sweep::errors {

// §1.2 envelope.
inline constexpr std::string_view kPayloadNotObject = "Request payload must be a JSON object";
inline constexpr std::string_view kBodyNotObject = "Request body must be a JSON object";
inline constexpr std::string_view kMalformedJsonBodyPrefix = "Malformed JSON body: ";
inline constexpr std::string_view kBodyNotBase64 = "Malformed JSON body: body is not valid base64";

// §1.3 decoding.
inline constexpr std::string_view kMalformedRequestPrefix = "Malformed request: ";

// §1.4 validation pipeline.
inline constexpr std::string_view kRunIdEmpty = "run_id cannot be empty";
inline constexpr std::string_view kDimensionsEmpty = "dimensions cannot be empty";
inline constexpr std::string_view kDimensionNamesBlank = "dimension names must be non-empty strings";
inline constexpr std::string_view kParameterSpaceTooLarge =
    "Parameter space is too large for this deployment (>200000 points)";
inline constexpr std::string_view kShardingRequired = "Either shard_count or shard_size is required";
inline constexpr std::string_view kShardCountNotPositive = "shard_count must be a positive integer";
inline constexpr std::string_view kShardSizeNotPositive = "shard_size must be a positive integer";
inline constexpr std::string_view kMaxShardsNotPositive = "max_shards must be a positive integer";
inline constexpr std::string_view kRunIdPattern = "run_id must match [A-Za-z0-9._-]{1,128}";
std::string DimensionNotNonEmptyList(std::string_view name);  // Dimension '<name>' must be a non-empty list
std::string DimensionTooManyValues(std::string_view name);    // … exceeds MAX_DIMENSION_VALUES=10000
std::string MustBeConfigured(std::string_view variable);      // <VAR> must be configured
// <VAR> must be an integer between <lo> and <hi>
std::string IntegerSettingOutOfRange(std::string_view variable, uint64_t lo, uint64_t hi);
// <VAR> '<value>' is invalid: <reason>
std::string InvalidSetting(std::string_view variable, std::string_view value, std::string_view reason);
std::string ShardCountExceeds(uint64_t shard_count, uint64_t cap);  // Computed shard count <n> exceeds max_shards=<m>

// §4 plan guards (unreachable for validated input; kept as 400s).
inline constexpr std::string_view kNoShards = "No shards to process";
inline constexpr std::string_view kShardsDoNotCover = "Shard boundaries do not cover full parameter space";
inline constexpr std::string_view kShardsOverlapOrGap = "Shard boundaries overlap or leave gaps";

// §1.5 dimensions (ingress step 12 and the worker's invalid_dimension failures).
std::string UnsupportedDimension(std::string_view name);         // Unsupported dimension '<name>'
std::string DimensionMustBeUnsigned(std::string_view name);      // Dimension '<name>' must be an unsigned integer
std::string DimensionTooLarge(std::string_view name);            // Dimension '<name>' is too large
std::string DimensionMustBeSigned(std::string_view name);        // Dimension '<name>' must be a signed integer
std::string DimensionMustBeNumeric(std::string_view name);       // Dimension '<name>' must be numeric
std::string DimensionMustBeBoolean(std::string_view name);       // Dimension '<name>' must be boolean
std::string DimensionMustBeString(std::string_view name);        // Dimension '<name>' must be a string
std::string DimensionCannotBeEmpty(std::string_view name);       // Dimension '<name>' cannot be empty
// Dimension '<name>' value <value> is outside the allowed range <range>; value in canonical JSON, range as in
// RangeText (e.g. `Dimension 'commission_rate' value 1.5 is outside the allowed range [0, 1]`).
std::string DimensionOutOfRange(std::string_view name, std::string_view value, std::string_view range);
// Range objects ({"min","max","log","steps"}) in place of a value list:
std::string RangeShape(std::string_view name);  // Dimension '<name>' range must be {"min": number, …}
std::string RangeOnListOnlyDimension(std::string_view name);  // Dimension '<name>' takes a list of values, not a range
std::string RangeMinAboveMax(std::string_view name);          // Dimension '<name>' range has min > max
std::string RangeLogNeedsPositiveMin(std::string_view name);  // Dimension '<name>' log range needs min > 0
std::string RangeNeedsSteps(std::string_view name);           // Dimension '<name>' range needs "steps" in a grid
std::string RangeStepsTooFew(std::string_view name);          // Dimension '<name>' steps must be at least 2 …
// Unsupported matching_algorithm_type '<raw>' (expected simple, cost_based, or hungarian)
std::string UnsupportedMatchingAlgorithm(std::string_view raw);
std::string UnsupportedTrafficProfile(std::string_view raw);     // … '<raw>' (expected none or berlin)
// Designs (design.h):
inline constexpr std::string_view kDesignShape =
    R"(design must be {"type": "grid"} or {"type": "random" | "latin_hypercube" | "sobol", "samples": unsigned})";
std::string UnsupportedDesignType(std::string_view raw);  // Unsupported design type '<raw>' (expected grid, …)
inline constexpr std::string_view kDesignGridTakesNoSamples = R"(design 'grid' takes no "samples")";
std::string DesignNeedsSamples(std::string_view type);  // design '<type>' needs "samples"
inline constexpr std::string_view kDesignSamplesNotUnsigned = "design samples must be an unsigned integer";
inline constexpr std::string_view kDesignSamplesOutOfRange = "design samples must be between 1 and 200000";
inline constexpr std::string_view kDesignTooManyDimensions = "a sobol design takes at most 22 dimensions";
// Dimension '<name>' range takes no "steps" in a <type> design
std::string RangeStepsInSamplingDesign(std::string_view name, std::string_view type);
// Unknown layout '<raw>' (expected per_point or per_shard)
std::string UnknownLayout(std::string_view raw);
inline constexpr std::string_view kReplicationsOutOfRange = "replications must be between 1 and 1000";
inline constexpr std::string_view kBatchIntervalAtLeastOne = "Dimension 'batch_interval_secs' must be at least 1";
inline constexpr std::string_view kIndexExceedsProduct = "Index exceeds dimension product";

// §5.5 / §7.1 payload rejection.
inline constexpr std::string_view kSqsBodyNotString = "SQS record body must be a string";
inline constexpr std::string_view kInvalidPayloadPrefix = "invalid child shard payload: ";
inline constexpr std::string_view kPayloadNotAddressable =
    "invalid child shard payload: run_id or run_date is not addressable";

// §7.2 worker.
std::string RequestReferenceNotFound(std::string_view key);  // Request reference not found: <key>
// Request reference is not this run's manifest under the results prefix: <key> (expected <manifest key>)
std::string RequestReferenceOutsidePrefix(std::string_view key, std::string_view expected);
// Request reference mismatch: expected <fp>, found <fp>
std::string RequestReferenceMismatch(std::string_view expected, std::string_view found);
inline constexpr std::string_view kInvalidShardBounds = "Invalid shard bounds";
inline constexpr std::string_view kShardIdOutOfRange = "shard_id must be less than total_points";
inline constexpr std::string_view kEndExceedsTotalPoints = "end_index_exclusive exceeds total_points";
inline constexpr std::string_view kTotalPointsMismatch = "total_points does not match the dimension product";
inline constexpr std::string_view kInjectedShardFailure = "Injected shard failure for verification";
// Prefixes; the underlying error text follows.
inline constexpr std::string_view kSerializeShardMetricsPrefix = "Failed to serialize shard metrics to parquet: ";
inline constexpr std::string_view kPersistShardMetricsPrefix = "Failed to persist shard metrics artifact: ";
inline constexpr std::string_view kPersistTripDataPrefix = "Failed to persist trip data artifact: ";
inline constexpr std::string_view kPersistSnapshotCountsPrefix = "Failed to persist snapshot counts artifact: ";
inline constexpr std::string_view kSerializeEffectiveParametersPrefix =
    "Failed to serialize effective-parameter parquet: ";
inline constexpr std::string_view kPersistEffectiveParametersPrefix =
    "Failed to persist effective-parameter artifact: ";
inline constexpr std::string_view kSerializeSuccessOutcomePrefix = "Failed to serialize success outcome parquet: ";
inline constexpr std::string_view kPersistSuccessOutcomePrefix = "Failed to persist success outcome: ";
inline constexpr std::string_view kPersistFailureOutcomePrefix = "Failed to persist failure outcome: ";
inline constexpr std::string_view kSerializeFailureOutcomePrefix = "Failed to serialize failure outcome parquet: ";
// §7.4 deadline guard.
// Deadline guard: stopped before point <i> with <ms> ms left; <n> of <m> points written
std::string DeadlineStoppedBeforePoint(uint64_t point_index, int64_t remaining_ms, uint64_t written, uint64_t planned);
// Deadline guard: cancelled point <i> with <ms> ms left; <n> of <m> points written
std::string DeadlineCancelledPoint(uint64_t point_index, int64_t remaining_ms, uint64_t written, uint64_t planned);

// §5.4 / §5.6 responses.
std::string RunIdConflict(std::string_view run_id);  // run_id '<R>' was already submitted with a different request
std::string FailedToEnqueue(std::string_view detail);  // failed to enqueue shard message: <detail>
inline constexpr std::string_view kDispatchBudgetExhausted = "dispatch time budget exhausted";
inline constexpr std::string_view kDispatchPanicked = "Child dispatch panicked before completion";
inline constexpr std::string_view kParentHandlerPanicked = "Parent handler panicked while processing the request";
std::string NoRoute(std::string_view method, std::string_view path);  // No route for <METHOD> <path>
inline constexpr std::string_view kUsePostSweepRun = "Use POST /sweep-run";
inline constexpr std::string_view kRequestBodyTooLarge = "Request body exceeds 10485760 bytes";
inline constexpr std::string_view kGatewayInvalidRequestBody = "Invalid request body";

}  // namespace ridesweep::sweep::errors

#endif  // RIDESWEEP_SWEEP_ERRORS_H_
