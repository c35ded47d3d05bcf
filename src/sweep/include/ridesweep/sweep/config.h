// SweepConfig is the deployment configuration of spec/sweep.md §8, read once at start-up from environment
// variables. The environment comes in as a lookup function (ProcessEnvironment() in the apps, EnvironmentFromMap()
// in tests), so nothing here touches the real environment unless asked. A missing required value or a bad number
// never aborts: it is recorded as the exact message (`<VAR> must be configured`, `<VAR> must be an integer between
// <lo> and <hi>`) and each path reports the first problem among the variables it uses — the API path as a 500
// `misconfiguration` (§1.4 step 13), the SQS path as an invocation error. Blank values (empty or only
// whitespace) count as missing. Plain value type.
#ifndef RIDESWEEP_SWEEP_CONFIG_H_
#define RIDESWEEP_SWEEP_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/sweep/limits.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/structured_log.h"
#include "ridesweep/sweep/submit.h"
#include "ridesweep/sweep/worker.h"

namespace ridesweep::sweep {

// DO NOT CHANGE: the variable names of §8 (Terraform, deploy script and docs set them).
namespace env {
inline constexpr std::string_view kResultsBucket = "SWEEP_RESULTS_BUCKET";
inline constexpr std::string_view kShardQueueUrl = "SHARD_QUEUE_URL";
inline constexpr std::string_view kResultsPrefix = "SWEEP_RESULTS_PREFIX";
inline constexpr std::string_view kMaxShards = "MAX_SHARDS";
inline constexpr std::string_view kInlinePayloadMaxBytes = "SWEEP_INLINE_PAYLOAD_MAX_BYTES";
inline constexpr std::string_view kDispatchConcurrency = "SWEEP_DISPATCH_CONCURRENCY";
inline constexpr std::string_view kDeadlineMarginMs = "SWEEP_DEADLINE_MARGIN_MS";
inline constexpr std::string_view kSkipExistingPoints = "SWEEP_SKIP_EXISTING_POINTS";
inline constexpr std::string_view kPointThreads = "SWEEP_POINT_THREADS";
inline constexpr std::string_view kS3Endpoint = "SWEEP_S3_ENDPOINT";
inline constexpr std::string_view kSqsEndpoint = "SWEEP_SQS_ENDPOINT";
inline constexpr std::string_view kAthenaEndpoint = "SWEEP_ATHENA_ENDPOINT";
inline constexpr std::string_view kResultsDir = "SWEEP_RESULTS_DIR";
inline constexpr std::string_view kLogLevel = "SWEEP_LOG_LEVEL";
inline constexpr std::string_view kAwsRegion = "AWS_REGION";
// Ours, not §8: the ARN of the shard queue's dead-letter queue when it is wired to the worker (optional).
inline constexpr std::string_view kDeadLetterQueueArn = "SWEEP_DEAD_LETTER_QUEUE_ARN";
}  // namespace env

// Allowed ranges (inclusive) of the numeric settings. SWEEP_POINT_THREADS has no range in the spec; 1..64 is ours.
inline constexpr uint64_t kMinInlinePayloadMaxBytes = 1'024;
inline constexpr uint64_t kMaxInlinePayloadMaxBytes = kSqsMessageLimitBytes;
inline constexpr uint64_t kDefaultDispatchConcurrency = 8;
inline constexpr uint64_t kMinDispatchConcurrency = 1;
inline constexpr uint64_t kMaxDispatchConcurrency = 64;
inline constexpr uint64_t kDefaultDeadlineMarginMs = 20'000;
inline constexpr uint64_t kMinDeadlineMarginMs = 1'000;
inline constexpr uint64_t kMaxDeadlineMarginMs = 300'000;
inline constexpr uint64_t kDefaultPointThreads = 1;
inline constexpr uint64_t kMinPointThreads = 1;
inline constexpr uint64_t kMaxPointThreads = 64;
inline constexpr std::string_view kDefaultResultsDir = "./sweep-results";

// local: filesystem store, in-process queue (bucket and queue URL unused). cloud: S3 + SQS.
enum class DeploymentMode : uint8_t { kLocal, kCloud };

// Returns the variable's value, or nullopt when it is unset.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

// getenv(3). Thread-safe as long as nobody modifies the environment concurrently.
EnvironmentLookup ProcessEnvironment();
// A fixed map (tests, the local CLI's overrides). The lookup keeps its own copy.
EnvironmentLookup EnvironmentFromMap(std::map<std::string, std::string, std::less<>> variables);

struct SweepConfig {
  DeploymentMode mode = DeploymentMode::kLocal;

  std::string results_bucket;   // cloud: required (empty in local mode)
  std::string shard_queue_url;  // cloud, API path: required (empty in local mode)
  // P as configured (leading/trailing '/' are trimmed by StorageLayout); the default when unset or blank.
  std::string results_prefix{kDefaultResultsPrefix};
  uint64_t max_shards_ceiling = kDefaultMaxShardsCeiling;           // MAX_SHARDS
  size_t inline_payload_max_bytes = kDefaultInlinePayloadMaxBytes;  // cloud; local keeps the default
  uint64_t dispatch_concurrency = kDefaultDispatchConcurrency;      // cloud; local keeps the default
  uint64_t deadline_margin_ms = kDefaultDeadlineMarginMs;
  bool skip_existing_points = true;  // `0` turns it off, `1` on
  uint64_t point_threads = kDefaultPointThreads;
  std::optional<std::string> s3_endpoint;
  std::optional<std::string> sqs_endpoint;
  std::optional<std::string> athena_endpoint;
  std::string results_dir{kDefaultResultsDir};  // local LocalDirStore root
  LogLevel log_level = LogLevel::kInfo;         // unknown texts read as info
  std::optional<std::string> aws_region;        // cloud; set by Lambda
  // cloud: records from this queue are dead letters (see dead_letter.h); empty when the DLQ is not wired.
  std::string dead_letter_queue_arn;

  // The first problem, in §8 table order, among the variables each path reads; nullopt when it can run.
  // API path: bucket, queue URL, MAX_SHARDS, inline payload size, dispatch concurrency (the last two cloud only).
  std::optional<std::string> api_misconfiguration;
  // SQS/worker path: bucket (cloud), deadline margin, skip flag, point threads. Never the queue URL [fix].
  std::optional<std::string> worker_misconfiguration;

  // §1.4 step 13 inputs for the accept path.
  IngressConfig ingress() const;
  SubmitConfig submit() const;
  WorkerConfig worker() const;
};

// Reads every §8 variable through `lookup`. Never fails: problems land in the *_misconfiguration fields.
// Numbers are plain decimal digits (surrounding whitespace ignored); anything else, or a value outside the range,
// gives `<VAR> must be an integer between <lo> and <hi>`.
SweepConfig LoadSweepConfig(DeploymentMode mode, const EnvironmentLookup& lookup);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_CONFIG_H_
