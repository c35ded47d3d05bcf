// The ingress pipeline (spec/sweep.md §1.4).
#include "ridesweep/sweep/request_validation.h"

#include <algorithm>
#include <utility>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/sha256.h"
#include "ridesweep/sweep/dimension_mapping.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/fingerprint.h"
#include "ridesweep/sweep/identifiers.h"
#include "ridesweep/sweep/request.h"

namespace ridesweep::sweep {

std::optional<ApiError> CheckIngressRules(const NormalizedRequest& request) {
  if (!MatchesRunIdPattern(request.run_id)) return MakeValidationError(std::string(errors::kRunIdPattern));
  if (Status status = CheckDimensions(request.dimensions); !status.ok()) return MakeValidationError(status.message());
  return std::nullopt;
}

ApiResult<ValidatedRequest> ValidateRequest(JsonValue request_value, const IngressConfig& config) {
  // Step 1 (decoding).
  ApiResult<SweepRequest> decoded = DecodeSweepRequest(std::move(request_value));
  if (!decoded.ok()) return std::move(decoded).error();
  // Steps 2–10.
  ApiResult<NormalizedRequest> normalized = NormalizeRequest(std::move(decoded).value());
  if (!normalized.ok()) return std::move(normalized).error();
  // Steps 11–12.
  if (std::optional<ApiError> error = CheckIngressRules(*normalized)) return std::move(*error);
  // Step 13.
  if (config.misconfiguration.has_value()) return MakeMisconfigurationError(*config.misconfiguration);
  if (config.max_shards_ceiling < kMinMaxShardsCeiling || config.max_shards_ceiling > kMaxMaxShardsCeiling) {
    return MakeMisconfigurationError(
        errors::IntegerSettingOutOfRange("MAX_SHARDS", kMinMaxShardsCeiling, kMaxMaxShardsCeiling));
  }
  // Step 14.
  ValidatedRequest out;
  out.request = std::move(normalized).value();
  out.max_shards_ceiling = config.max_shards_ceiling;
  out.effective_max_shards = std::min(out.request.max_shards, config.max_shards_ceiling);
  ApiResult<ShardPlan> plan = PlanShards(out.request.total_points, out.request.shard_count, out.request.shard_size,
                                         out.effective_max_shards);
  if (!plan.ok()) return std::move(plan).error();
  out.plan = std::move(plan).value();
  out.normalized_json = NormalizedRequestJson(out.request);
  out.request_fingerprint = Sha256Hex(out.normalized_json);
  out.config_fingerprint = ConfigFingerprint(out.request.dimensions, out.request.seed, out.request.replications,
                                                out.request.design);
  return out;
}

ApiResult<ValidatedRequest> ParseAndValidateRequestBytes(std::string_view body, const IngressConfig& config) {
  ApiResult<JsonValue> parsed = ParseRequestBody(body);
  if (!parsed.ok()) return std::move(parsed).error();
  return ValidateRequest(std::move(parsed).value(), config);
}

ApiResult<ValidatedEvent> ParseAndValidateEventBytes(std::string_view event_json, const IngressConfig& config) {
  Result<JsonValue> event = ParseJson(event_json);
  if (!event.ok()) return MakeValidationError(std::string(errors::kPayloadNotObject));
  ApiResult<UnwrappedRequest> unwrapped = UnwrapApiEvent(std::move(event).value());
  if (!unwrapped.ok()) return std::move(unwrapped).error();
  const RequestSource source = unwrapped->source;
  ApiResult<ValidatedRequest> validated = ValidateRequest(std::move(unwrapped->request), config);
  if (!validated.ok()) return std::move(validated).error();
  return ValidatedEvent{std::move(validated).value(), source};
}

}  // namespace ridesweep::sweep
