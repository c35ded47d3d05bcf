// Deployment configuration from the environment (spec/sweep.md §8).
#include "ridesweep/sweep/config.h"

#include <charconv>
#include <cstdlib>
#include <utility>

#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/keys.h"

namespace ridesweep::sweep {
namespace {

bool IsBlankChar(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view TrimBlank(std::string_view s) {
  while (!s.empty() && IsBlankChar(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlankChar(s.back())) s.remove_suffix(1);
  return s;
}

// The trimmed value, or nullopt when unset or blank.
std::optional<std::string> Read(const EnvironmentLookup& lookup, std::string_view name) {
  std::optional<std::string> raw = lookup(name);
  if (!raw.has_value()) return std::nullopt;
  const std::string_view trimmed = TrimBlank(*raw);
  if (trimmed.empty()) return std::nullopt;
  return std::string(trimmed);
}

// Keeps the first problem of a path.
void Note(std::optional<std::string>* slot, const std::optional<std::string>& problem) {
  if (!slot->has_value() && problem.has_value()) *slot = problem;
}

struct IntegerSetting {
  uint64_t value = 0;
  std::optional<std::string> problem;
};

// An optional integer setting in [lo, hi]; `fallback` when unset or blank.
IntegerSetting ReadInteger(const EnvironmentLookup& lookup, std::string_view name, uint64_t fallback, uint64_t lo,
                           uint64_t hi) {
  IntegerSetting out{fallback, std::nullopt};
  const std::optional<std::string> text = Read(lookup, name);
  if (!text.has_value()) return out;
  uint64_t parsed = 0;
  const char* begin = text->data();
  const char* end = begin + text->size();
  const bool digits_only = text->find_first_not_of("0123456789") == std::string::npos;
  const auto [ptr, ec] = std::from_chars(begin, end, parsed);
  if (!digits_only || ec != std::errc() || ptr != end || parsed < lo || parsed > hi) {
    out.problem = errors::IntegerSettingOutOfRange(name, lo, hi);
    return out;
  }
  out.value = parsed;
  return out;
}

std::optional<std::string> Required(const EnvironmentLookup& lookup, std::string_view name, std::string* slot) {
  std::optional<std::string> value = Read(lookup, name);
  if (!value.has_value()) return errors::MustBeConfigured(name);
  *slot = std::move(*value);
  return std::nullopt;
}

bool IsLogLevelName(std::string_view text) {
  std::string lower;
  for (char ch : text) lower.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
  return lower == "debug" || lower == "info" || lower == "warn" || lower == "error";
}

}  // namespace

EnvironmentLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

EnvironmentLookup EnvironmentFromMap(std::map<std::string, std::string, std::less<>> variables) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    const auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

SweepConfig LoadSweepConfig(DeploymentMode mode, const EnvironmentLookup& lookup) {
  SweepConfig c;
  c.mode = mode;
  const bool cloud = mode == DeploymentMode::kCloud;

  // Table order of §8; each path keeps its first problem.
  if (cloud) {
    const std::optional<std::string> bucket = Required(lookup, env::kResultsBucket, &c.results_bucket);
    Note(&c.api_misconfiguration, bucket);
    Note(&c.worker_misconfiguration, bucket);
    Note(&c.api_misconfiguration, Required(lookup, env::kShardQueueUrl, &c.shard_queue_url));
  }
  if (std::optional<std::string> prefix = Read(lookup, env::kResultsPrefix)) {
    if (std::optional<std::string> problem = ResultsPrefixProblem(*prefix)) {
      const std::string text = errors::InvalidSetting(env::kResultsPrefix, *prefix, *problem);
      Note(&c.api_misconfiguration, text);
      Note(&c.worker_misconfiguration, text);
    }
    c.results_prefix = std::move(*prefix);
  }

  const IntegerSetting max_shards = ReadInteger(lookup, env::kMaxShards, kDefaultMaxShardsCeiling,
                                                kMinMaxShardsCeiling, kMaxMaxShardsCeiling);
  c.max_shards_ceiling = max_shards.value;
  Note(&c.api_misconfiguration, max_shards.problem);

  if (cloud) {
    const IntegerSetting inline_max = ReadInteger(lookup, env::kInlinePayloadMaxBytes, kDefaultInlinePayloadMaxBytes,
                                                  kMinInlinePayloadMaxBytes, kMaxInlinePayloadMaxBytes);
    c.inline_payload_max_bytes = static_cast<size_t>(inline_max.value);
    Note(&c.api_misconfiguration, inline_max.problem);
    const IntegerSetting concurrency = ReadInteger(lookup, env::kDispatchConcurrency, kDefaultDispatchConcurrency,
                                                   kMinDispatchConcurrency, kMaxDispatchConcurrency);
    c.dispatch_concurrency = concurrency.value;
    Note(&c.api_misconfiguration, concurrency.problem);
  }

  const IntegerSetting margin = ReadInteger(lookup, env::kDeadlineMarginMs, kDefaultDeadlineMarginMs,
                                            kMinDeadlineMarginMs, kMaxDeadlineMarginMs);
  c.deadline_margin_ms = margin.value;
  Note(&c.worker_misconfiguration, margin.problem);

  const IntegerSetting skip = ReadInteger(lookup, env::kSkipExistingPoints, 1, 0, 1);
  c.skip_existing_points = skip.value == 1;
  Note(&c.worker_misconfiguration, skip.problem);

  const IntegerSetting threads =
      ReadInteger(lookup, env::kPointThreads, kDefaultPointThreads, kMinPointThreads, kMaxPointThreads);
  c.point_threads = threads.value;
  Note(&c.worker_misconfiguration, threads.problem);

  c.s3_endpoint = Read(lookup, env::kS3Endpoint);
  c.sqs_endpoint = Read(lookup, env::kSqsEndpoint);
  c.athena_endpoint = Read(lookup, env::kAthenaEndpoint);
  // An endpoint override must be a URL; anything else would fail every request instead of the start.
  for (const auto& [name, value] : {std::pair{env::kS3Endpoint, &c.s3_endpoint},
                                    std::pair{env::kSqsEndpoint, &c.sqs_endpoint},
                                    std::pair{env::kAthenaEndpoint, &c.athena_endpoint}}) {
    if (value->has_value() && !(*value)->starts_with("http://") && !(*value)->starts_with("https://")) {
      const std::string text = errors::InvalidSetting(name, **value, "is not an http:// or https:// URL");
      Note(&c.api_misconfiguration, text);
      Note(&c.worker_misconfiguration, text);
    }
  }
  if (std::optional<std::string> dir = Read(lookup, env::kResultsDir)) c.results_dir = std::move(*dir);
  if (std::optional<std::string> level = Read(lookup, env::kLogLevel)) {
    if (!IsLogLevelName(*level)) {
      const std::string text = errors::InvalidSetting(env::kLogLevel, *level, "is not one of debug, info, warn, error");
      Note(&c.api_misconfiguration, text);
      Note(&c.worker_misconfiguration, text);
    }
    c.log_level = ParseLogLevel(*level);
  }
  c.aws_region = Read(lookup, env::kAwsRegion);
  if (std::optional<std::string> arn = Read(lookup, env::kDeadLetterQueueArn)) {
    if (!arn->starts_with("arn:") || arn->find(":sqs:") == std::string::npos) {
      Note(&c.worker_misconfiguration,
           errors::InvalidSetting(env::kDeadLetterQueueArn, *arn, "is not an SQS queue ARN"));
    }
    c.dead_letter_queue_arn = std::move(*arn);
  }
  return c;
}

IngressConfig SweepConfig::ingress() const {
  IngressConfig out;
  out.misconfiguration = api_misconfiguration;
  out.max_shards_ceiling = max_shards_ceiling;
  return out;
}

SubmitConfig SweepConfig::submit() const {
  SubmitConfig out;
  out.ingress = ingress();
  out.results_prefix = results_prefix;
  out.inline_payload_max_bytes = inline_payload_max_bytes;
  return out;
}

WorkerConfig SweepConfig::worker() const {
  WorkerConfig out;
  out.results_prefix = results_prefix;
  out.skip_existing_points = skip_existing_points;
  out.deadline_margin_ms = deadline_margin_ms;
  out.dead_letter_queue_arn = dead_letter_queue_arn;
  return out;
}

}  // namespace ridesweep::sweep
