// Contract constants of the sweep system (spec/sweep.md §0.1). Values that travel in requests, payloads, keys or
// response bodies are compatibility promises; the numbers below appear verbatim in error messages.
#ifndef RIDESWEEP_SWEEP_LIMITS_H_
#define RIDESWEEP_SWEEP_LIMITS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ridesweep::sweep {

// DO NOT CHANGE: written into the 202 body, the run_context object and the run manifest.
inline constexpr std::string_view kOrchestrationSchemaVersion = "v1";
// DO NOT CHANGE: `record_schema` column of shard_outcomes, run_context and effective_parameters.
inline constexpr std::string_view kRecordSchemaVersion = "v1";

inline constexpr uint64_t kMaxDimensionValues = 10'000;
inline constexpr uint64_t kMaxTotalParameterPoints = 200'000;  // 200 000 itself is allowed.
inline constexpr uint64_t kDefaultReplications = 1;   // Request `replications` when absent.
inline constexpr uint64_t kMaxReplications = 1'000;
inline constexpr uint64_t kDefaultMaxShards = 1'000;           // Request `max_shards` when absent.
inline constexpr uint64_t kDefaultMaxShardsCeiling = 1'000;    // Server MAX_SHARDS when unset.
inline constexpr uint64_t kMinMaxShardsCeiling = 1;
inline constexpr uint64_t kMaxMaxShardsCeiling = 200'000;
inline constexpr size_t kMaxRunIdLength = 128;
inline constexpr size_t kSqsMessageLimitBytes = 262'144;
inline constexpr size_t kDefaultInlinePayloadMaxBytes = 65'536;
inline constexpr size_t kSendBatchMaxEntries = 10;
inline constexpr size_t kSendBatchMaxBytes = 262'144;
inline constexpr std::string_view kDefaultResultsPrefix = "serverless-sweeps/outcomes";

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_LIMITS_H_
