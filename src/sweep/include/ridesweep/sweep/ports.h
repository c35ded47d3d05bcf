// Ports of the sweep layer: the seams through which validation, submission and the worker reach the outside
// world without knowing what is behind them. Clock (wall time), ShardDispatcher (a queue: SQS or the local
// in-process queue) and the results ObjectStore (ridesweep/base/object_store.h) are injected; adapters live in
// `local`, `store` and `aws`.
#ifndef RIDESWEEP_SWEEP_PORTS_H_
#define RIDESWEEP_SWEEP_PORTS_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ridesweep::sweep {

using WallTime = std::chrono::system_clock::time_point;

// Wall-clock time in UTC. Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual WallTime Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  WallTime Now() const override { return std::chrono::system_clock::now(); }
};

// A settable clock for tests; Advance() moves it forward. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(WallTime start) : now_ns_(start.time_since_epoch().count()) {}
  WallTime Now() const override { return WallTime(WallTime::duration(now_ns_.load())); }
  void Set(WallTime t) { now_ns_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::milliseconds d) {
    now_ns_.fetch_add(std::chrono::duration_cast<WallTime::duration>(d).count());
  }

 private:
  std::atomic<WallTime::rep> now_ns_;
};

// One shard message on its way to a queue: the §5.5 payload body.
struct ShardMessage {
  uint64_t shard_id = 0;
  std::string body;
};

// What a dispatch achieved. Every message is in exactly one of the two lists.
struct DispatchReport {
  std::vector<uint64_t> enqueued_shard_ids;
  std::vector<uint64_t> failed_shard_ids;
  std::string first_error;      // Detail of the first failure (for `failed to enqueue shard message: <detail>`).
  uint64_t send_calls = 0;      // Queue API calls made (SendMessageBatch in the cloud).
};

// Enqueues shard messages (spec/sweep.md §5.4). Implementations: aws::SqsDispatcher (batched, parallel, with
// retries and a time budget) and the local executor's in-process queue. May throw only on a bug, which the
// submit path reports as dispatch_panicked.
class ShardDispatcher {
 public:
  virtual ~ShardDispatcher() = default;
  // The queue's name for logs and error bodies (queue URL, or "local").
  virtual std::string_view target() const = 0;
  virtual DispatchReport Dispatch(std::span<const ShardMessage> messages) = 0;
};

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_PORTS_H_
