// Progress of a run computed from the stored objects alone (no SQL engine): the run manifest for the plan, the
// shard_outcomes keys for shard states and the effective_parameters keys (each one commits a point, spec/sweep.md
// §7.2) for committed points. Cheap enough for `ridesweep status` and `GET /runs/{id}` while a run is going:
// listing only, no object is read except the manifest. Works over any ObjectStore; thread-safe if it is.
#ifndef RIDESWEEP_ANALYTICS_RUN_PROGRESS_H_
#define RIDESWEEP_ANALYTICS_RUN_PROGRESS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/base/object_store.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sweep/output_layout.h"

namespace ridesweep::analytics {

struct RunProgress {
  std::string run_id;
  ManifestState manifest_state = ManifestState::kAbsent;
  std::optional<std::string> run_date;        // from the manifest, else from the first key found
  std::optional<uint64_t> shards_planned;     // manifest plan length
  std::optional<uint64_t> points_planned;     // manifest total_points
  uint64_t shards_succeeded = 0;              // shards with a success record
  uint64_t shards_failed = 0;                 // shards with a failure record and no success record
  std::optional<uint64_t> shards_pending;     // planned shards with no record at all (needs the manifest)
  uint64_t points_committed = 0;              // effective_parameters objects (per_shard: points of committed shards)
  sweep::OutputLayout layout = sweep::OutputLayout::kPerPoint;  // the manifest's; per_point without one
  std::vector<uint64_t> failed_shard_ids;     // ascending
  std::vector<uint64_t> pending_shard_ids;    // ascending; empty without the manifest

  // True when the manifest is known and every planned shard has a success record.
  bool complete() const { return shards_planned.has_value() && shards_succeeded == *shards_planned; }
};

// What ComputeRunProgress lists when the manifest gives no run_date (absent or unreadable manifest).
enum class ProgressScope : uint8_t {
  kWholeResults,   // Each dataset prefix, keys filtered by run_id: finds the data of a run whose manifest is gone.
  kOwnPrefixOnly,  // Nothing: the answer costs the same however many other runs the results hold (`serve`).
};

// Lists the run's keys under `results_prefix`. With a manifest, listing is narrowed to the run's own partition
// prefixes (`…/run_date=D/run_id_partition=R/`); without one, `scope` decides (above). Keys that do not parse as
// dataset keys are ignored. Errors: the store's List error, or a retryable error reading the manifest.
// REQUIRES: run_id matches RUN_ID_PATTERN.
Result<RunProgress> ComputeRunProgress(ObjectStore& store, std::string_view results_prefix, std::string_view run_id,
                                       ProgressScope scope = ProgressScope::kWholeResults);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_RUN_PROGRESS_H_
