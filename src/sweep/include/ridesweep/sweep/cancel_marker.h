// Cancelling a run: `ridesweep cancel R` (and `DELETE /runs/{id}` of `serve`) writes a small JSON marker at
// `P/runs/run_id=R/cancel.json`; every worker, local or Lambda, looks for it before each shard and before each point
// and stops with the permanent error code `cancelled` (the points in flight finish and stay committed; shards still
// queued are acknowledged without simulating). CancelWatch keeps the per-point look-up cheap on S3: a shard start
// always asks the store, a point asks at most once per interval, and a run seen cancelled stays cancelled.
// Thread-safe.
#ifndef RIDESWEEP_SWEEP_CANCEL_MARKER_H_
#define RIDESWEEP_SWEEP_CANCEL_MARKER_H_

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/base/object_store.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sweep/ports.h"

namespace ridesweep::sweep {

// The marker's bytes: {"run_id":"R","cancelled_at":"<RFC 3339 UTC>"}.
std::string CancelMarkerJson(std::string_view run_id, WallTime cancelled_at);

// Writes the marker (overwriting an earlier one keeps the run cancelled). Store errors as is.
Status WriteCancelMarker(ObjectStore& store, std::string_view results_prefix, std::string_view run_id, WallTime now);

// The marker's cancelled_at text when the run was cancelled, nullopt when not. Store errors as is; an unreadable
// marker still means cancelled (its time reads "unknown").
Result<std::optional<std::string>> ReadCancelMarker(ObjectStore& store, std::string_view results_prefix,
                                                    std::string_view run_id);

class CancelWatch {
 public:
  explicit CancelWatch(std::chrono::milliseconds point_check_interval = std::chrono::milliseconds(1000));

  // Whether `run_id` is cancelled: asks the store when `force` is set, when the run was never asked about, or when
  // the last answer is older than the interval; otherwise repeats the last answer. Store errors as is.
  Result<bool> Cancelled(ObjectStore& store, std::string_view results_prefix, std::string_view run_id, WallTime now,
                         bool force);

 private:
  static constexpr size_t kMaxRuns = 1024;
  struct Entry {
    WallTime checked_at;
    bool cancelled = false;
  };
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::map<std::string, Entry, std::less<>> runs_;
};

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_CANCEL_MARKER_H_
