// libFuzzer target for the ingress path: request bytes (local `serve` body) and Lambda event bytes go through
// parse → unwrap → decode → validate → plan; accepted requests are then encoded into payloads and decoded back.
// Crashes, sanitizer reports and broken round-trip invariants (__builtin_trap) are findings.
// Build: -DCMAKE_CXX_COMPILER=clang++-14 -DRIDESWEEP_BUILD_FUZZERS=ON; run with tests/fuzz/corpus/request.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/normalized_request.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/responses.h"
#include "ridesweep/sweep/shard_payload.h"

namespace {

using ridesweep::sweep::ValidatedRequest;

void Require(bool condition) {
  if (!condition) __builtin_trap();
}

// Canonical JSON is a fixed point: writing a parsed canonical text gives the same text.
void CheckCanonicalFixedPoint(std::string_view input) {
  ridesweep::Result<ridesweep::JsonValue> parsed = ridesweep::ParseJson(input);
  if (!parsed.ok()) return;
  const std::string canonical = ridesweep::ToCanonicalJson(*parsed);
  ridesweep::Result<ridesweep::JsonValue> again = ridesweep::ParseJson(canonical);
  Require(again.ok());
  Require(ridesweep::ToCanonicalJson(*again) == canonical);
}

void CheckAccepted(const ValidatedRequest& v) {
  using namespace ridesweep::sweep;
  // The normalized JSON reads back to the same request.
  ridesweep::Result<ridesweep::JsonValue> normalized = ridesweep::ParseJson(v.normalized_json);
  Require(normalized.ok());
  ridesweep::Result<NormalizedRequest> back = NormalizedRequestFromJson(*normalized);
  Require(back.ok() && *back == v.request);
  // The plan covers [0, total) contiguously.
  Require(!v.plan.shards.empty() && v.plan.shards.front().start_index == 0 &&
          v.plan.shards.back().end_index_exclusive == v.request.total_points);
  // First and last payloads, both forms, decode to what was encoded.
  for (size_t limit : {kDefaultInlinePayloadMaxBytes, size_t{1}}) {
    ShardPayloadEncoder encoder(v.request, v.plan, "2026-02-14", "runs/run_id=x/manifest.json",
                                v.request_fingerprint, limit);
    for (const ShardRange& shard : {v.plan.shards.front(), v.plan.shards.back()}) {
      const std::string body = encoder.Encode(shard);
      Require(body.size() <= kSqsMessageLimitBytes);
      ridesweep::Result<ShardPayload> decoded = DecodeShardPayload(body, "2026-01-01");
      Require(decoded.ok());
      Require(decoded->shard_id == shard.shard_id && decoded->start_index == shard.start_index &&
              decoded->end_index_exclusive == shard.end_index_exclusive);
      Require(EncodeShardPayload(*decoded) == body);
    }
  }
  (void)AcceptedBody(AcceptedRun{v.request.run_id, v.request.total_points, &v.plan, "2026-02-14",
                                 v.request_fingerprint, v.config_fingerprint});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckCanonicalFixedPoint(input);

  ridesweep::sweep::IngressConfig config;
  ridesweep::sweep::ApiResult<ValidatedRequest> request = ridesweep::sweep::ParseAndValidateRequestBytes(input, config);
  if (request.ok()) {
    CheckAccepted(*request);
  } else {
    Require(request.error().status_code == 400);
    Require(ridesweep::ParseJson(request.error().Body()).ok());
  }

  ridesweep::sweep::ApiResult<ridesweep::sweep::ValidatedEvent> event =
      ridesweep::sweep::ParseAndValidateEventBytes(input, config);
  if (event.ok()) {
    CheckAccepted(event->validated);
  } else {
    Require(ridesweep::ParseJson(ridesweep::sweep::LambdaProxyResponse(event.error().status_code, event.error().Body()))
                .ok());
  }
  return 0;
}
