// libFuzzer target for the worker's payload decoder: any record body either decodes (then re-encoding and decoding
// again is stable) or is rejected with the `invalid child shard payload: ` prefix. Findings are crashes, sanitizer
// reports and broken invariants (__builtin_trap).
// Build: -DCMAKE_CXX_COMPILER=clang++-14 -DRIDESWEEP_BUILD_FUZZERS=ON; run with tests/fuzz/corpus/payload.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/shard_payload.h"

namespace {

void Require(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ridesweep::sweep::DecodeShardPayload;
  using ridesweep::sweep::EncodeShardPayload;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  ridesweep::Result<ridesweep::sweep::ShardPayload> decoded = DecodeShardPayload(body, "2026-01-01");
  if (!decoded.ok()) {
    const std::string& message = decoded.status().message();
    Require(message.rfind(ridesweep::sweep::errors::kInvalidPayloadPrefix, 0) == 0);
    return 0;
  }
  Require(decoded->run_date.has_value());
  const std::string encoded = EncodeShardPayload(*decoded);
  ridesweep::Result<ridesweep::sweep::ShardPayload> again = DecodeShardPayload(encoded, "2000-01-01");
  Require(again.ok());
  Require(EncodeShardPayload(*again) == encoded);
  return 0;
}
