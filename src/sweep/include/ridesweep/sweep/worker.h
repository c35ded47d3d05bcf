// The shard worker (spec/sweep.md §7.2–§7.5), shared unchanged by the Lambda SQS path and the local executor.
// A shard attempt is prepared once (dimensions resolved, pre-checks), then each point runs and commits its four
// objects in the contract order (shard_metrics → trip_data → snapshot_counts → effective_parameters, the last
// write committing the point), and finally the success outcome commits the shard. Failures are classified
// (§7.3): permanent ones get a failure record and are acknowledged, transient ones come back for another attempt,
// which skips the points already committed. The worker never keeps more than one point's rows per thread.
// In the per_shard layout (output_layout.h) the points' rows go to the attempt's ShardSpill instead, and CommitShard
// writes one object per dataset before the success outcome: the shard is the unit of commit and of resume.
//
// Threading: PrepareShard/CommitShard/RecordShardFailure for one attempt run on one thread at a time; RunPoint may
// run concurrently for different points of the same prepared shard, each caller with its own DatasetEncoder.
// Everything in WorkerContext is shared and thread-safe.
#ifndef RIDESWEEP_SWEEP_WORKER_H_
#define RIDESWEEP_SWEEP_WORKER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ridesweep/base/object_store.h"
#include "ridesweep/sweep/cancel_marker.h"
#include "ridesweep/sweep/dataset_writer.h"
#include "ridesweep/sweep/design.h"
#include "ridesweep/sweep/dimensions.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/ports.h"
#include "ridesweep/sweep/output_layout.h"
#include "ridesweep/sweep/run_manifest.h"
#include "ridesweep/sweep/shard_spill.h"
#include "ridesweep/sweep/shard_payload.h"
#include "ridesweep/sweep/structured_log.h"

namespace ridesweep::sweep {

// DO NOT CHANGE the names (ShardErrorCodeName): stored in shard_outcomes.error_code.
enum class ShardErrorCode : uint8_t {
  kInvalidShard,           // bounds, shard id, end, product checks — permanent
  kInvalidDimension,       // §1.5 value messages — permanent
  kInjectedFailure,        // failure_injection_shards — permanent
  kRequestReferenceError,  // manifest absent or mismatched — permanent
  kSimulationError,        // the engine rejected the parameters — permanent
  kStorageError,           // store read/write failed after client retries — transient
  kTimeout,                // deadline guard — transient
  kInternalError,          // anything else — transient
  kCancelled,              // the run's cancel marker exists (cancel_marker.h) — permanent
};
std::string_view ShardErrorCodeName(ShardErrorCode code);
// The code with that name; nullopt for a name no code has.
std::optional<ShardErrorCode> ShardErrorCodeFromName(std::string_view name);
bool IsTransient(ShardErrorCode code);

struct ShardError {
  ShardErrorCode code = ShardErrorCode::kInternalError;
  std::string message;
};

// Caches run manifests per execution environment (the 16 most recent runs) for reference-form payloads.
// Thread-safe.
class ManifestCache {
 public:
  explicit ManifestCache(size_t capacity = 16);
  // The manifest at `key`: kNotFound when absent, InvalidArgument when unparsable, other store errors as is.
  Result<RunManifest> Get(ObjectStore& store, std::string_view key);

 private:
  struct Impl;
  size_t capacity_;
  std::shared_ptr<Impl> impl_;
};

// How RunPoint checks a point whose commit marker exists before skipping it. A committed point's other objects can
// be lost or damaged afterwards (a deleted file, a disk error); the stricter checks make a rerun repair them, and the
// repaired bytes equal a clean run's because a point's outputs are deterministic.
enum class CommittedPointCheck {
  kMarker,   // the effective_parameters object exists (§7.2 step 4.2): skip
  kObjects,  // and its shard_metrics, trip_data and snapshot_counts objects exist; otherwise the point is rerun
  kContent,  // the point is recomputed and every object whose stored bytes differ (or are missing) is rewritten
};

struct WorkerConfig {
  std::string results_prefix = "serverless-sweeps/outcomes";  // P, as configured (trimmed by StorageLayout)
  bool skip_existing_points = true;                           // SWEEP_SKIP_EXISTING_POINTS
  // RunPoint only (the local executor; `ridesweep run` uses kObjects, `--verify` kContent). RunShard, the Lambda
  // worker's loop, checks the marker alone.
  CommittedPointCheck committed_point_check = CommittedPointCheck::kMarker;
  uint64_t deadline_margin_ms = 20'000;                       // SWEEP_DEADLINE_MARGIN_MS
  // SWEEP_DEAD_LETTER_QUEUE_ARN: SQS records whose eventSourceARN is this queue are dead letters
  // (HandleDeadLetter); empty: none are.
  std::string dead_letter_queue_arn;
  // Test and operations hook, not a scenario parameter: replaces the engine's step cap (SimParams::max_steps) of
  // every point, e.g. to provoke truncation (T18). Sweeps leave it unset and run with the default cap. Not part of
  // effective_parameters_json (which lists no step cap).
  std::optional<uint64_t> max_steps_override;
};

// Shared, thread-safe collaborators. Pointers are not owned and must outlive every call. store and clock are
// required; log may be null (no log lines) and manifests may be null (manifests are then read uncached).
struct WorkerContext {
  ObjectStore* store = nullptr;
  const Clock* clock = nullptr;
  StructuredLog* log = nullptr;
  ManifestCache* manifests = nullptr;
  // Throttles the cancel-marker look-ups before points (may be null: every look-up then asks the store).
  CancelWatch* cancels = nullptr;
  // Makes the spill of a per_shard shard attempt; may be empty when no run uses that layout (such a shard then
  // fails with internal_error).
  ShardSpillFactory spills;
  WorkerConfig config;
};

// One delivery of a shard message, already decoded (run_date resolved).
struct ShardAttempt {
  ShardPayload payload;
  uint64_t attempt = 1;          // ApproximateReceiveCount (local: the executor's counter), >= 1
  std::string event_time;        // RFC 3339 batch start (§7.1)
  std::string message_id;        // for logs; may be empty
};

// A shard attempt that passed §7.2 steps 2–3.
struct PreparedShard {
  ShardAttempt attempt;
  Dimensions dimensions;
  uint64_t replications = 1;  // the payload's (inline) or the run manifest's (reference form)
  Design design;              // likewise
  OutputLayout layout = kDefaultOutputLayout;  // likewise
  // per_shard only: the rows of this attempt's points (null when the shard was committed earlier).
  std::shared_ptr<ShardSpill> spill;
  // per_shard only: the success outcome and the four shard objects exist, so every point is skipped.
  bool shard_committed = false;
  WallTime started_at;
};

struct PointResult {
  bool skipped = false;    // already committed (and complete, per WorkerConfig::committed_point_check)
  bool repaired = false;   // committed, but objects were missing or differed and were rewritten
  bool truncated = false;  // step cap hit (not an error)
  bool cancelled = false;  // the StopCheck stopped the engine; nothing was written (error code kTimeout)
  double duration_ms = 0;  // resolve + simulate + write
};

// Stops a running point: checked by the engine at least every 10,000 events. Returning true cancels the point
// (its outputs are discarded). May be empty.
using StopCheck = std::function<bool()>;

// The §7.4 deadline guard of one invocation: deadline, margin M and E, the longest point duration seen so far
// (0 at first). Share one guard between all shards of an invocation (E carries over between the records of a
// batch). Thread-safe; the clock must outlive the guard.
class DeadlineGuard {
 public:
  DeadlineGuard(const Clock* clock, WallTime deadline, uint64_t margin_ms);

  WallTime deadline() const { return deadline_; }
  uint64_t margin_ms() const { return margin_ms_; }
  uint64_t longest_point_ms() const { return longest_point_ms_.load(std::memory_order_relaxed); }
  // deadline − now in whole milliseconds (negative once passed).
  int64_t RemainingMs() const;

  // Before a point that is not skipped: true when deadline − now < M + E. *remaining_ms = deadline − now.
  bool ShouldStopBeforePoint(int64_t* remaining_ms) const;
  // While a point runs: true when deadline − now < M / 2. *remaining_ms = deadline − now.
  bool ShouldCancelRunningPoint(int64_t* remaining_ms) const;
  // Raises E to `duration` if longer.
  void RecordPointDuration(std::chrono::milliseconds duration);

  // The timeout errors, with the exact §7.4 texts. `written` counts the points committed so far (by this or an
  // earlier attempt), `planned` the shard's points.
  static ShardError StoppedBeforePoint(uint64_t point_index, int64_t remaining_ms, uint64_t written,
                                       uint64_t planned);
  static ShardError CancelledPoint(uint64_t point_index, int64_t remaining_ms, uint64_t written, uint64_t planned);

 private:
  const Clock* clock_;
  WallTime deadline_;
  uint64_t margin_ms_;
  std::atomic<uint64_t> longest_point_ms_{0};
};

// §7.2 steps 1–3: logs shard_started, resolves the dimensions (inline or through the manifest) and runs the
// pre-checks. Writes nothing; on error the caller records the failure (RecordShardFailure).
std::optional<ShardError> PrepareShard(const ShardAttempt& attempt, WorkerContext& ctx, PreparedShard* out);

// §7.2 step 4 for one point: skip check, resolve, simulate (stopping when `stop` says so), write the four
// objects in order. REQUIRES: point_index in [start, end) of the prepared shard. When `stop` cancels the point,
// the error is kTimeout with a generic text and out->cancelled is set; callers with a DeadlineGuard replace the
// text with DeadlineGuard::CancelledPoint(…). Errors are classified per §7.3: store failures storage_error,
// encoder failures internal_error, an engine rejection simulation_error.
std::optional<ShardError> RunPoint(const PreparedShard& shard, uint64_t point_index, DatasetEncoder& encoder,
                                   WorkerContext& ctx, const StopCheck& stop, PointResult* out);

// §7.2 steps 5–7: writes the success outcome (the shard's commit marker), removes a stale failure record and logs
// shard_completed.
std::optional<ShardError> CommitShard(const PreparedShard& shard, uint64_t points_skipped, DatasetEncoder& encoder,
                                      WorkerContext& ctx);

// The failure path: writes the failure record (points_committed = points committed in this attempt) and logs
// shard_failed. Returns false when the record itself could not be written (failure_record_persist_failed); the
// message must then come back whatever the error's class. `started_at` (the shard's start, e.g.
// PreparedShard::started_at) gives shard_failed its duration_ms; 0 when absent.
bool RecordShardFailure(const ShardAttempt& attempt, const ShardError& error, uint64_t points_committed,
                        DatasetEncoder& encoder, WorkerContext& ctx,
                        std::optional<WallTime> started_at = std::nullopt);

// The whole §7.2 algorithm, with the §7.4 deadline guard when `deadline` is set.
struct ShardRunOutcome {
  bool succeeded = false;
  std::optional<ShardError> error;
  uint64_t points_processed = 0;  // run + skipped (success), or committed in this attempt (failure)
  uint64_t points_skipped = 0;
  bool failure_recorded = false;
  // True when the message must come back to the queue (transient error, or the failure record failed).
  bool retry = false;
};
// Any exception escaping the steps becomes internal_error (transient) with the exception's text.
ShardRunOutcome RunShard(const ShardAttempt& attempt, DatasetEncoder& encoder, WorkerContext& ctx,
                         std::optional<WallTime> deadline = std::nullopt);
// The same with an invocation-wide guard (null: no deadline), so E carries over between the shards of a batch.
ShardRunOutcome RunShard(const ShardAttempt& attempt, DatasetEncoder& encoder, WorkerContext& ctx,
                         DeadlineGuard* guard);
// SWEEP_POINT_THREADS: the shard's points run on up to encoders.size() threads at once, one encoder each (the
// calling thread uses encoders[0], which also writes the shard outcome); each point keeps its own write order.
// After a failed point no new point starts, and the failure is the lowest failing point's. REQUIRES: encoders
// non-empty, no null entry, each used by no other thread meanwhile.
ShardRunOutcome RunShard(const ShardAttempt& attempt, std::span<DatasetEncoder* const> encoders, WorkerContext& ctx,
                         DeadlineGuard* guard);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_WORKER_H_
