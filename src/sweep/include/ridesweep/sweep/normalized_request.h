// NormalizedRequest is the request after the shape checks of spec/sweep.md §1.4 steps 2–10: run_id trimmed,
// dimensions sorted, total_points computed (configurations × replications), injection list sorted and
// de-duplicated. Its canonical JSON (§1.6,
// fields in declaration order) is what request_fingerprint hashes and what the run manifest stores.
#ifndef RIDESWEEP_SWEEP_NORMALIZED_REQUEST_H_
#define RIDESWEEP_SWEEP_NORMALIZED_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ridesweep/base/json_value.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sweep/api_error.h"
#include "ridesweep/sweep/design.h"
#include "ridesweep/sweep/dimensions.h"
#include "ridesweep/sweep/limits.h"
#include "ridesweep/sweep/output_layout.h"
#include "ridesweep/sweep/request.h"

namespace ridesweep::sweep {

// DO NOT REORDER the fields: §1.6 field order is part of the request fingerprint.
struct NormalizedRequest {
  std::string run_id;  // trimmed
  Dimensions dimensions;
  uint64_t total_points = 0;
  std::optional<uint64_t> shard_count;
  std::optional<uint64_t> shard_size;
  uint64_t max_shards = kDefaultMaxShards;  // the request's value, never the server ceiling
  int64_t seed = 0;
  std::vector<uint64_t> failure_injection_shards;  // sorted, unique
  // Simulations per configuration, 1..1000. Written to the canonical JSON only when not 1, so requests without
  // it keep their earlier canonical form and fingerprints.
  uint64_t replications = kDefaultReplications;
  // Written to the canonical JSON (after replications) only when not the default grid.
  Design design;
  // Written to the canonical JSON (after design) only when not the default per_point, so earlier requests keep
  // their canonical form and fingerprints.
  OutputLayout layout = kDefaultOutputLayout;

  // Distinct parameter combinations: total_points / replications.
  uint64_t configurations() const { return replications == 0 ? 0 : total_points / replications; }

  friend bool operator==(const NormalizedRequest&, const NormalizedRequest&) = default;
};

// §1.4 steps 2–10 (the earlier implementation's checks, in its order). Errors are 400 validation errors.
ApiResult<NormalizedRequest> NormalizeRequest(SweepRequest request);

// §1.6 canonical compact JSON.
void AppendNormalizedRequestJson(std::string* out, const NormalizedRequest& request);
std::string NormalizedRequestJson(const NormalizedRequest& request);

// Reads the §1.6 object back (e.g. from a run manifest). InvalidArgument naming the offending field on failure.
Result<NormalizedRequest> NormalizedRequestFromJson(const JsonValue& value);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_NORMALIZED_REQUEST_H_
