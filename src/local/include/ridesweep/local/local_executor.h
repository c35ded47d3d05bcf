// LocalExecutor is the embedded default's queue and worker pool (spec/sweep.md §17): an in-process queue that
// receives the same shard payload strings as SQS (it is a sweep::ShardDispatcher), and a pool of threads that runs
// the shared worker (sweep/worker.h) on them. Points of different shards interleave so every thread stays busy:
// shards are prepared ahead (up to 8 queued points per thread; none ahead with a shard timeout) and their points
// run most expensive first by a deterministic estimate (sweep/point_cost.h), so the threads finish together; a
// shard's success outcome is written when its last point commits. The order never changes what is written.
// Transient failures are requeued after 1 s x 2^(attempt-1) (capped at 30 s) up to max_attempts, then
// dead-lettered; permanent failures are final.
// Thread-safe: Dispatch may be called while the pool runs (ridesweep serve).
#ifndef RIDESWEEP_LOCAL_LOCAL_EXECUTOR_H_
#define RIDESWEEP_LOCAL_LOCAL_EXECUTOR_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ridesweep/sweep/dataset_writer.h"
#include "ridesweep/sweep/ports.h"
#include "ridesweep/sweep/worker.h"

namespace ridesweep::local {

struct ExecutorOptions {
  size_t threads = 0;          // 0 = hardware threads
  uint32_t max_attempts = 5;   // per message, then dead-lettered
  // Base delay before a transient failure is retried (doubles per attempt, capped at 30 s). Tests shorten it.
  std::chrono::milliseconds retry_base_delay{1'000};
  // Deadline of each shard attempt (`--shard-timeout-seconds`); the worker's deadline guard (§7.4, margin
  // SWEEP_DEADLINE_MARGIN_MS) stops or cancels points against it, and the timeout is retried like on Lambda.
  std::optional<std::chrono::seconds> shard_timeout;
};

// Counters of everything the executor has seen since it started. Plain values.
struct ExecutorStats {
  uint64_t shards_queued = 0;        // messages received (first deliveries)
  uint64_t shards_succeeded = 0;
  uint64_t shards_failed = 0;        // permanent failures (final)
  uint64_t shards_dead_lettered = 0; // transient failures that ran out of attempts
  uint64_t shards_requeued = 0;
  uint64_t payloads_rejected = 0;
  uint64_t points_total = 0;         // points of the shards received
  // Points committed or skipped, each counted once per message however many attempts see it (a retry skips what
  // an earlier attempt committed), so points_done <= points_total.
  uint64_t points_done = 0;
  uint64_t points_skipped = 0;       // of points_done: already committed before this message's first attempt
  uint64_t in_flight = 0;            // messages not yet final
};

// A message that ran out of attempts: its shard and the last attempt's error. When that attempt's failure record
// could not be written, the executor tries once more (the error prefixed "dead-lettered after N attempts: "), so
// readers see the shard as failed rather than pending; failure_recorded says whether a record exists.
struct DeadLetter {
  std::string run_id;
  uint64_t shard_id = 0;
  uint64_t attempts = 0;
  std::string error_code;
  std::string error;
  bool failure_recorded = false;
};

class LocalExecutor final : public sweep::ShardDispatcher {
 public:
  // `ctx` collaborators must outlive the executor; `encoders` makes one DatasetEncoder per worker thread.
  LocalExecutor(sweep::WorkerContext ctx, sweep::DatasetEncoderFactory encoders, ExecutorOptions options);
  ~LocalExecutor() override;  // Stops the pool (RequestStop + join).

  // sweep::ShardDispatcher: enqueue messages (attempt 1). Never fails.
  std::string_view target() const override { return "local"; }
  sweep::DispatchReport Dispatch(std::span<const sweep::ShardMessage> messages) override;

  // Starts the worker threads (idempotent). Fails if an encoder cannot be created.
  Status Start();
  // Blocks until every message received so far is final (succeeded, failed, rejected or dead-lettered), or a
  // stop was requested. `on_progress` (may be empty) is called from the waiting thread about 10 times a second.
  void WaitUntilIdle(const std::function<void(const ExecutorStats&)>& on_progress = {});
  // Stop taking new work: points in flight finish, unstarted points and queued messages stay unfinished (their
  // committed work stays; a rerun completes the rest). Safe from a signal-watching thread.
  void RequestStop();
  bool stop_requested() const;
  ExecutorStats stats() const;
  // Every dead-lettered message so far, in the order they were dead-lettered.
  std::vector<DeadLetter> dead_letters() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ridesweep::local

#endif  // RIDESWEEP_LOCAL_LOCAL_EXECUTOR_H_
