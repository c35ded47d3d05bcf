// The runs stored under a results prefix (`ridesweep runs list|show|delete`, `serve`'s GET /runs): which runs
// exist (one manifest each, `P/runs/run_id=R/manifest.json`), their state from the stored objects alone (run
// progress plus the cancel marker), and deleting every object of one run so that its run_id can be used again.
// Works over any ObjectStore (a local directory or S3); thread-safe if the store is.
#ifndef RIDESWEEP_ANALYTICS_RUN_CATALOG_H_
#define RIDESWEEP_ANALYTICS_RUN_CATALOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/run_progress.h"
#include "ridesweep/base/object_store.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sweep/ports.h"

namespace ridesweep::analytics {

struct RunListing {
  RunProgress progress;
  std::optional<std::string> cancelled_at;  // set when the run's cancel marker exists
  std::string layout = "per_point";         // the storage layout of its datasets

  // "complete", "cancelled", "failed" (every shard has an outcome, some failed), or "incomplete".
  std::string State() const;
};

// The run ids with a manifest under `results_prefix`, ascending.
Result<std::vector<std::string>> ListRunIds(ObjectStore& store, std::string_view results_prefix);

// One run's listing. NotFound `run '<id>' not found` when the run has neither a manifest nor any object.
Result<RunListing> DescribeRun(ObjectStore& store, std::string_view results_prefix, std::string_view run_id);

// Every key of the run: its objects in each dataset (narrowed to the run's partitions when the manifest names the
// run date), then the cancel marker and the manifest when present (the manifest last).
Result<std::vector<std::string>> RunObjectKeys(ObjectStore& store, std::string_view results_prefix,
                                               std::string_view run_id);

struct DeleteRunResult {
  uint64_t objects_deleted = 0;
};

// Deletes RunObjectKeys in order, the manifest last, so an interrupted delete leaves the run listed and can be
// repeated. The first store error stops it (the objects deleted so far stay deleted).
Result<DeleteRunResult> DeleteRun(ObjectStore& store, std::string_view results_prefix, std::string_view run_id);

enum class CancelOutcome : uint8_t {
  kCancelled,         // the marker was written now
  kAlreadyCancelled,  // a marker was there: nothing written
  kAlreadyComplete,   // every shard succeeded: nothing to cancel, nothing written
};

// `ridesweep cancel` and `DELETE /runs/{id}`: writes the run's cancel marker (cancel_marker.h) unless the run is
// complete or already cancelled. NotFound as DescribeRun for an unknown run; store errors as is. `listing` (may be
// null) receives the run's state before the call.
Result<CancelOutcome> CancelRun(ObjectStore& store, std::string_view results_prefix, std::string_view run_id,
                                sweep::WallTime now, RunListing* listing = nullptr);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_RUN_CATALOG_H_
