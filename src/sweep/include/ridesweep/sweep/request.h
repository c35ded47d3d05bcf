// SweepRequest is the decoded request body (spec/sweep.md §1.1) before validation: the typed fields, with
// run_id untrimmed and dimensions sorted by name. DecodeSweepRequest applies the serde-like decoding grammar of
// §1.3 (object, positional array, scalar) and reports failures as 400 `Malformed request: …`.
// See docs/formats/request_json.md.
#ifndef RIDESWEEP_SWEEP_REQUEST_H_
#define RIDESWEEP_SWEEP_REQUEST_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ridesweep/base/json_value.h"
#include "ridesweep/sweep/api_error.h"
#include "ridesweep/sweep/dimensions.h"
#include "ridesweep/sweep/limits.h"

namespace ridesweep::sweep {

struct SweepRequest {
  std::string run_id;
  Dimensions dimensions;
  std::optional<uint64_t> shard_count;
  std::optional<uint64_t> shard_size;
  uint64_t max_shards = kDefaultMaxShards;
  int64_t seed = 0;
  std::vector<uint64_t> failure_injection_shards;
  uint64_t replications = kDefaultReplications;  // object form only
  // Dimensions given as a {"min","max",…} object: the dimension is in `dimensions` with no values and its
  // object is here; NormalizeRequest replaces it by its levels (dimension_range.h).
  std::map<std::string, JsonValue, std::less<>> dimension_ranges;
  // The `design` value as given (object form only); NormalizeRequest checks it (design.h).
  std::optional<JsonValue> design;
  // The `layout` name as given (object form only); NormalizeRequest checks it (output_layout.h).
  std::optional<std::string> layout;
};

// Decodes the request value. Object fields are visited in byte-wise key order (as the earlier implementation's
// map did), so with two bad fields the one whose name sorts first is reported; unknown fields are ignored;
// `run_id` then `dimensions` are required. Arrays decode positionally (run_id, dimensions, shard_count,
// shard_size, max_shards, seed, failure_injection_shards); `replications` has no position. Takes the value by value so dimension values move.
ApiResult<SweepRequest> DecodeSweepRequest(JsonValue request);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_REQUEST_H_
