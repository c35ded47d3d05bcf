// The ingress validation pipeline (spec/sweep.md §1.4 steps 1–14): decode → shape checks and normalization →
// run_id pattern → dimension names and values → configuration → shard plan. The first failure wins and comes back
// as an ApiError (400 validation_error, 500 misconfiguration). A success carries everything the accept path needs:
// the normalized request, its canonical JSON, both fingerprints and the plan. The byte-level entry points are
// what the fuzzers drive. Pure functions; no I/O.
#ifndef RIDESWEEP_SWEEP_REQUEST_VALIDATION_H_
#define RIDESWEEP_SWEEP_REQUEST_VALIDATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/base/json_value.h"
#include "ridesweep/sweep/api_error.h"
#include "ridesweep/sweep/envelope.h"
#include "ridesweep/sweep/limits.h"
#include "ridesweep/sweep/normalized_request.h"
#include "ridesweep/sweep/shard_plan.h"

namespace ridesweep::sweep {

// Step 13 inputs, resolved by the caller from the environment (§8).
struct IngressConfig {
  // The first configuration problem found (e.g. "SWEEP_RESULTS_BUCKET must be configured"), if any: 500.
  std::optional<std::string> misconfiguration;
  // Server MAX_SHARDS. Outside [1, 200000]: 500 `MAX_SHARDS must be an integer between 1 and 200000`.
  uint64_t max_shards_ceiling = kDefaultMaxShardsCeiling;
};

struct ValidatedRequest {
  NormalizedRequest request;
  std::string normalized_json;      // §1.6
  std::string request_fingerprint;  // SHA-256 of normalized_json
  std::string config_fingerprint;
  ShardPlan plan;
  uint64_t max_shards_ceiling = 0;    // the server ceiling in force at acceptance
  uint64_t effective_max_shards = 0;  // min(request max_shards, ceiling)
};

// Steps 1 (decoding) to 14 for a request value (already unwrapped from any envelope).
ApiResult<ValidatedRequest> ValidateRequest(JsonValue request, const IngressConfig& config);

// Steps 11 and 12 alone: run_id pattern, then dimension names and values. nullopt when both pass.
std::optional<ApiError> CheckIngressRules(const NormalizedRequest& request);

// Request text without an envelope (local `serve` body, `ridesweep run` file): parse, then ValidateRequest.
ApiResult<ValidatedRequest> ParseAndValidateRequestBytes(std::string_view body, const IngressConfig& config);

struct ValidatedEvent {
  ValidatedRequest validated;
  RequestSource source = RequestSource::kApiGateway;
};

// A Lambda event as text: parse (failure: 400 `Request payload must be a JSON object`), unwrap (§1.2), validate.
ApiResult<ValidatedEvent> ParseAndValidateEventBytes(std::string_view event_json, const IngressConfig& config);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_REQUEST_VALIDATION_H_
