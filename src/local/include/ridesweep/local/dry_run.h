// `ridesweep run --dry-run`: validates and plans a request exactly as `ridesweep run` accepts it, without running
// the sweep or writing anything. The accept path (sweep::SubmitRequestBytes) runs against a store::OverlayStore
// over the existing results, so an invalid request or a conflicting run gets the real run's status and body, and
// its writes (manifest, run_context) stay in memory; the shard messages are captured, not enqueued. A calibration
// then runs a few points through the real worker (resolve, simulate, encode) into the same overlay, timing them
// and measuring their objects; from those the plan's object counts and bytes per layout (run_footprint.h) and the
// wall time on this machine follow, the time scaled over all points with sweep::EstimatePointCost. Single-threaded;
// the encoder is used by the calling thread only.
#ifndef RIDESWEEP_LOCAL_DRY_RUN_H_
#define RIDESWEEP_LOCAL_DRY_RUN_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/base/object_store.h"
#include "ridesweep/base/result.h"
#include "ridesweep/local/run_footprint.h"
#include "ridesweep/sweep/dataset_writer.h"
#include "ridesweep/sweep/submit.h"

namespace ridesweep::local {

struct DryRunOptions {
  std::string results_prefix = "serverless-sweeps/outcomes";  // P
  uint64_t max_shards_ceiling = 1000;                         // as `ridesweep run --max-shards`
  size_t threads = 1;                                         // the real run's worker threads (>= 1)
  size_t calibration_points = 3;                              // 0: no calibration, no time or byte estimate
};

struct DryRunPlan {
  std::string run_id;
  uint64_t points = 0;
  uint64_t shards = 0;
  uint64_t largest_shard_points = 0;
  RunFootprint per_point;  // bytes from the calibration (0 without one)
  RunFootprint per_shard;
  size_t calibration_points = 0;       // points simulated
  double calibration_seconds = 0;      // their total time (resolve, simulate, encode)
  std::optional<double> point_seconds;           // estimated single-thread time of all points
  std::optional<double> estimated_wall_seconds;  // on `threads` threads: max(point_seconds / threads, longest)
  size_t threads = 1;
};

struct DryRunResult {
  sweep::SubmitResponse response;  // the accept path's answer (status_code 202 when `plan` is set)
  std::optional<DryRunPlan> plan;
};

// `base` holds the existing results (may be null: none). Errors: the calibration's (a point that fails to run or
// encode, as the worker reports it); a rejected request is not an error but a response without a plan.
Result<DryRunResult> PlanDryRun(std::string_view request_body, ObjectStore* base, sweep::DatasetEncoder& encoder,
                                const DryRunOptions& options);

}  // namespace ridesweep::local

#endif  // RIDESWEEP_LOCAL_DRY_RUN_H_
