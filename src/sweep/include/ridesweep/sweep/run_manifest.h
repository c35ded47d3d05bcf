// The run manifest (spec/sweep.md §5.2): one canonical JSON object per run_id at `P/runs/run_id=R/manifest.json`,
// written once with create-if-absent. It fixes the run's date, detects conflicting resubmissions through the
// request fingerprint, and holds the normalized request that reference-form payloads point to (§5.5, §7.2).
#ifndef RIDESWEEP_SWEEP_RUN_MANIFEST_H_
#define RIDESWEEP_SWEEP_RUN_MANIFEST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/result.h"
#include "ridesweep/base/status.h"
#include "ridesweep/sweep/envelope.h"
#include "ridesweep/sweep/limits.h"
#include "ridesweep/sweep/normalized_request.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/shard_plan.h"

namespace ridesweep::sweep {

// DO NOT REORDER: canonical field order of the manifest.
struct RunManifest {
  std::string schema_version{kOrchestrationSchemaVersion};
  std::string run_id;
  std::string run_date;  // YYYY-MM-DD
  std::string request_fingerprint;
  std::string config_fingerprint;
  std::string created_at;      // RFC 3339
  std::string request_source;  // RequestSourceName()
  std::string shard_strategy;  // ShardStrategyName()
  uint64_t max_shards_ceiling = 0;
  std::vector<ShardRange> shard_ranges;  // shard_id == position
  NormalizedRequest normalized_request;
  // Appended: the build that accepted the run (BuildInfo), stored as {"build":{"version","git_revision"}}. Empty
  // in manifests written before builds were recorded; decoding accepts their absence.
  std::string build_version;
  std::string build_git_revision;
};

RunManifest BuildRunManifest(const ValidatedRequest& validated, std::string_view run_date,
                             std::string_view created_at, RequestSource source);

std::string EncodeRunManifest(const RunManifest& manifest);

// InvalidArgument `Malformed run manifest: <detail>` when the text is not a manifest.
Result<RunManifest> DecodeRunManifest(std::string_view json);

// §7.2 step 2 for reference-form payloads: the manifest's fingerprint and the SHA-256 of its stored
// normalized_request must both equal the payload's. FailedPrecondition
// `Request reference mismatch: expected <payload fp>, found <other fp>` otherwise.
Status VerifyManifestReference(const RunManifest& manifest, std::string_view payload_request_fingerprint);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_RUN_MANIFEST_H_
