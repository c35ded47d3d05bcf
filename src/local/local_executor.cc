// LocalExecutor: in-process shard queue and worker pool (spec/sweep.md §17).
#include "ridesweep/local/local_executor.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <queue>
#include <system_error>
#include <thread>

#include "ridesweep/base/exception_text.h"
#include "ridesweep/sweep/point_cost.h"
#include "ridesweep/sweep/shard_payload.h"
#include "ridesweep/sweep/structured_log.h"

namespace ridesweep::local {
namespace {

using Steady = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kMaxRetryDelay{30'000};
// Shards are prepared ahead until this many points per thread are queued, so that the cost order covers points of
// several shards (all of a small request's points, the last stretch of a large one) while the number of open
// shards stays bounded.
constexpr size_t kQueuedPointsPerThread = 8;

struct QueuedMessage {
  std::string body;
  uint64_t attempt = 1;
  std::string message_id;
  Steady::time_point not_before{};
  // Points of this message already counted in ExecutorStats::points_done, by index from the payload's start
  // (sized at the first preparation). Shared by every attempt of the message, so a retry that skips the points an
  // earlier attempt committed does not count them again (issue 13: done exceeded the total).
  std::shared_ptr<std::vector<bool>> counted;
};


// Runs one worker step on a pool thread. An exception escaping it (an encoder or store that throws) becomes
// internal_error, transient (spec/sweep.md §7.3), as in sweep::RunShard, instead of terminating the process.
template <typename Step>
std::optional<sweep::ShardError> Guarded(Step&& step) {
  try {
    return step();
  } catch (...) {
    return sweep::ShardError{sweep::ShardErrorCode::kInternalError, ExceptionText(std::current_exception())};
  }
}

// RecordShardFailure; a throw counts as "not recorded", so the message comes back.
bool RecordFailure(const sweep::ShardAttempt& attempt, const sweep::ShardError& error, uint64_t points_committed,
                   sweep::DatasetEncoder& encoder, sweep::WorkerContext& ctx,
                   std::optional<sweep::WallTime> started_at = std::nullopt) {
  try {
    return sweep::RecordShardFailure(attempt, error, points_committed, encoder, ctx, started_at);
  } catch (...) {
    return false;
  }
}

// One shard attempt whose points are being handed out to the pool.
struct ActiveShard {
  sweep::PreparedShard prepared;
  QueuedMessage message;
  uint64_t order = 0;  // preparation sequence: among equal estimates the earlier shard's points run first
  uint64_t end_point = 0;
  uint64_t points_queued = 0;  // not handed out yet (0 once the attempt has an error)
  uint64_t points_running = 0;
  uint64_t points_committed = 0;  // written in this attempt
  uint64_t points_skipped = 0;
  std::optional<sweep::ShardError> error;
  // Set with --shard-timeout-seconds: the §7.4 guard against this attempt's deadline.
  std::shared_ptr<sweep::DeadlineGuard> guard;
};

// A point waiting for a thread, with its cost estimate (sweep/point_cost.h).
struct QueuedPoint {
  uint64_t cost = 0;
  uint64_t shard_order = 0;
  uint64_t point = 0;
  std::shared_ptr<ActiveShard> shard;
};

// Priority of the point queue: the highest estimate first (longest processing time first, so the threads finish
// together), ties by shard then point index. A deterministic order; the outputs do not depend on it.
struct RunsLater {
  bool operator()(const QueuedPoint& a, const QueuedPoint& b) const {
    if (a.cost != b.cost) return a.cost < b.cost;
    if (a.shard_order != b.shard_order) return a.shard_order > b.shard_order;
    return a.point > b.point;
  }
};

}  // namespace

class LocalExecutor::Impl {
 public:
  Impl(sweep::WorkerContext ctx, sweep::DatasetEncoderFactory encoders, ExecutorOptions options)
      : ctx_(ctx), encoders_(std::move(encoders)), options_(options) {
    if (options_.threads == 0) options_.threads = std::max(1u, std::thread::hardware_concurrency());
    // With --shard-timeout-seconds a shard's deadline runs from its preparation, so no shard is prepared while
    // points of others wait: the next one only when no point is queued.
    prepare_ahead_points_ = options_.shard_timeout ? 0 : kQueuedPointsPerThread * options_.threads;
  }

  ~Impl() {
    RequestStop();
    for (std::thread& t : threads_) t.join();
  }

  sweep::DispatchReport Dispatch(std::span<const sweep::ShardMessage> messages) {
    sweep::DispatchReport report;
    const std::string fallback_date = sweep::UtcDate(ctx_.clock->Now());
    std::lock_guard lock(mu_);
    for (const sweep::ShardMessage& m : messages) {
      QueuedMessage q;
      q.body = m.body;
      q.message_id = "local-" + std::to_string(++message_seq_);
      if (auto decoded = sweep::DecodeShardPayload(m.body, fallback_date); decoded.ok()) {
        stats_.points_total += decoded->end_index_exclusive - decoded->start_index;
      }
      ready_.push_back(std::move(q));
      ++stats_.shards_queued;
      ++stats_.in_flight;
      report.enqueued_shard_ids.push_back(m.shard_id);
    }
    report.send_calls = messages.empty() ? 0 : 1;
    work_cv_.notify_all();
    return report;
  }

  // Each thread creates its own encoder (one DuckDB database, about 8 ms) at the same time as the others; the
  // threads take work only once every encoder exists, and none does if one failed.
  Status Start() {
    std::lock_guard lock(start_mu_);
    if (started_) return Status::Ok();
    auto startup = std::make_shared<Startup>();
    startup->pending = options_.threads;
    for (size_t i = 0; i < options_.threads; ++i) {
      std::thread thread;
      try {
        thread = std::thread([this, startup] {
          Result<std::unique_ptr<sweep::DatasetEncoder>> encoder = MakeEncoder([&] { return encoders_(); });
          {
            std::unique_lock startup_lock(startup->mu);
            if (!encoder.ok() && startup->error.ok()) startup->error = encoder.status();
            --startup->pending;
            startup->cv.notify_all();
            startup->cv.wait(startup_lock, [&] { return startup->decided; });
            if (!startup->error.ok()) return;
          }
          Loop(**encoder);
        });
      } catch (const std::system_error& e) {  // no thread: the ones started must not wait for it
        std::lock_guard startup_lock(startup->mu);
        if (startup->error.ok()) {
          startup->error = InternalError(std::string("cannot start a worker thread: ") + e.what());
        }
        startup->pending -= options_.threads - i;
        break;
      }
      threads_.push_back(std::move(thread));
    }
    Status error;
    {
      std::unique_lock startup_lock(startup->mu);
      startup->cv.wait(startup_lock, [&] { return startup->pending == 0; });
      error = startup->error;
      startup->decided = true;
      startup->cv.notify_all();
    }
    if (!error.ok()) {
      for (std::thread& t : threads_) t.join();
      threads_.clear();
      return error;
    }
    started_ = true;
    return Status::Ok();
  }

  void WaitUntilIdle(const std::function<void(const ExecutorStats&)>& on_progress) {
    std::unique_lock lock(mu_);
    for (;;) {
      if (stats_.in_flight == 0 || (stop_ && busy_threads_ == 0)) break;
      idle_cv_.wait_for(lock, std::chrono::milliseconds(100));
      if (on_progress) {
        const ExecutorStats snapshot = stats_;
        lock.unlock();
        on_progress(snapshot);
        lock.lock();
      }
    }
    if (on_progress) {
      const ExecutorStats snapshot = stats_;
      lock.unlock();
      on_progress(snapshot);
    }
  }

  void RequestStop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    work_cv_.notify_all();
    idle_cv_.notify_all();
  }

  bool stop_requested() const {
    std::lock_guard lock(mu_);
    return stop_;
  }

  ExecutorStats stats() const {
    std::lock_guard lock(mu_);
    return stats_;
  }

  std::vector<DeadLetter> dead_letters() const {
    std::lock_guard lock(mu_);
    return dead_letters_;
  }

 private:
  // Start(): the threads report their encoders, then learn whether to run.
  struct Startup {
    std::mutex mu;
    std::condition_variable cv;
    size_t pending = 0;  // threads still creating their encoder
    Status error;        // the first failure
    bool decided = false;
  };

  // Runs the encoder factory; an exception becomes an internal error instead of terminating the process.
  template <typename Make>
  static Result<std::unique_ptr<sweep::DatasetEncoder>> MakeEncoder(Make&& make) {
    try {
      return make();
    } catch (...) {
      return InternalError("cannot create the dataset encoder: " + ExceptionText(std::current_exception()));
    }
  }

  // A unit of work picked under the lock.
  struct Work {
    std::shared_ptr<ActiveShard> shard;  // set: run point `point` of it
    uint64_t point = 0;
    std::optional<QueuedMessage> message;  // set: prepare this message
  };

  // Preparing a due message comes first while fewer than prepare_ahead_points_ points are queued (preparation
  // is cheap: decode, dimensions, pre-checks); otherwise the most expensive queued point.
  std::optional<Work> PickWork(std::unique_lock<std::mutex>& lock) {
    for (;;) {
      if (stop_) return std::nullopt;
      const Steady::time_point now = Steady::now();
      std::optional<Steady::time_point> earliest;
      if (queued_points_ == 0 || queued_points_ < prepare_ahead_points_) {
        for (auto it = ready_.begin(); it != ready_.end(); ++it) {
          if (it->not_before <= now) {
            Work w;
            w.message = std::move(*it);
            ready_.erase(it);
            return w;
          }
          earliest = earliest ? std::min(*earliest, it->not_before) : it->not_before;
        }
      }
      while (!points_.empty()) {
        QueuedPoint next = points_.top();
        points_.pop();
        if (next.shard->error) continue;  // the attempt failed: its remaining points are not run
        --next.shard->points_queued;
        --queued_points_;
        ++next.shard->points_running;
        return Work{std::move(next.shard), next.point, std::nullopt};
      }
      if (earliest) {
        work_cv_.wait_until(lock, *earliest);
      } else {
        work_cv_.wait(lock);
      }
    }
  }

  void Loop(sweep::DatasetEncoder& encoder) {
    std::unique_lock lock(mu_);
    for (;;) {
      std::optional<Work> work = PickWork(lock);
      if (!work) break;
      ++busy_threads_;
      lock.unlock();
      if (work->message) {
        Prepare(std::move(*work->message), encoder);
      } else {
        RunOnePoint(work->shard, work->point, encoder);
      }
      lock.lock();
      --busy_threads_;
      idle_cv_.notify_all();
    }
  }

  void Prepare(QueuedMessage message, sweep::DatasetEncoder& encoder) {
    const sweep::WallTime now = ctx_.clock->Now();
    auto decoded = sweep::DecodeShardPayload(message.body, sweep::UtcDate(now));
    if (!decoded.ok()) {
      JsonObject details;
      details.Set("message_id", JsonValue::String(message.message_id));
      details.Set("error", JsonValue::String(decoded.status().message()));
      ctx_.log->Error("child_handler", "payload_rejected", std::move(details));
      std::lock_guard lock(mu_);
      ++stats_.payloads_rejected;
      Finalize();
      return;
    }
    sweep::ShardAttempt attempt;
    attempt.payload = std::move(decoded).value();
    attempt.attempt = message.attempt;
    attempt.event_time = sweep::Rfc3339Micros(now);
    attempt.message_id = message.message_id;
    auto shard = std::make_shared<ActiveShard>();
    if (auto error = Guarded([&] { return sweep::PrepareShard(attempt, ctx_, &shard->prepared); }); error) {
      const bool recorded = RecordFailure(attempt, *error, 0, encoder, ctx_);
      Settle(message, attempt, *error, recorded, 0, encoder, std::nullopt);
      return;
    }
    if (options_.shard_timeout) {
      shard->guard = std::make_shared<sweep::DeadlineGuard>(ctx_.clock, now + *options_.shard_timeout,
                                                            ctx_.config.deadline_margin_ms);
    }
    shard->message = std::move(message);
    shard->end_point = attempt.payload.end_index_exclusive;
    const uint64_t start_point = attempt.payload.start_index;
    if (!shard->message.counted) {
      shard->message.counted = std::make_shared<std::vector<bool>>(shard->end_point - start_point, false);
    }
    std::vector<uint64_t> costs;
    costs.reserve(shard->end_point - start_point);
    for (uint64_t point = start_point; point < shard->end_point; ++point) {
      costs.push_back(sweep::EstimatePointCost(shard->prepared.dimensions, point, shard->prepared.replications,
                                               shard->prepared.design, attempt.payload.seed));
    }
    std::lock_guard lock(mu_);
    shard->order = ++prepared_seq_;
    shard->points_queued = costs.size();
    queued_points_ += costs.size();
    for (uint64_t point = start_point; point < shard->end_point; ++point) {
      points_.push(QueuedPoint{costs[point - start_point], shard->order, point, shard});
    }
    work_cv_.notify_all();
  }

  // RunPoint under the shard's deadline guard, if any (spec/sweep.md §7.4 applied to --shard-timeout-seconds).
  // Unlike the Lambda path, the before-point check also applies to points that turn out to be committed already.
  std::optional<sweep::ShardError> RunGuardedPoint(const ActiveShard& shard, uint64_t point,
                                                   sweep::DatasetEncoder& encoder, sweep::PointResult* result) {
    const sweep::DeadlineGuard* guard = shard.guard.get();
    const uint64_t planned = shard.end_point - shard.prepared.attempt.payload.start_index;
    uint64_t written = 0;
    {
      std::lock_guard lock(mu_);
      written = shard.points_committed + shard.points_skipped;
    }
    int64_t remaining_ms = 0;
    if (guard != nullptr && guard->ShouldStopBeforePoint(&remaining_ms)) {
      return sweep::DeadlineGuard::StoppedBeforePoint(point, remaining_ms, written, planned);
    }
    sweep::StopCheck stop;
    if (guard != nullptr) {
      stop = [guard] {
        int64_t left = 0;
        return guard->ShouldCancelRunningPoint(&left);
      };
    }
    std::optional<sweep::ShardError> error =
        Guarded([&] { return sweep::RunPoint(shard.prepared, point, encoder, ctx_, stop, result); });
    if (guard != nullptr && error && result->cancelled) {
      return sweep::DeadlineGuard::CancelledPoint(point, guard->RemainingMs(), written, planned);
    }
    if (guard != nullptr && !error && !result->skipped) {
      shard.guard->RecordPointDuration(std::chrono::milliseconds(static_cast<int64_t>(result->duration_ms)));
    }
    return error;
  }

  void RunOnePoint(const std::shared_ptr<ActiveShard>& shard, uint64_t point, sweep::DatasetEncoder& encoder) {
    sweep::PointResult result;
    std::optional<sweep::ShardError> error = RunGuardedPoint(*shard, point, encoder, &result);
    bool finished = false;
    {
      std::lock_guard lock(mu_);
      --shard->points_running;
      if (error) {
        if (!shard->error) shard->error = std::move(error);
        queued_points_ -= shard->points_queued;  // its entries in points_ are skipped when they come up
        shard->points_queued = 0;
      } else {
        // A point counts once per message, whichever attempt commits or skips it.
        std::vector<bool>& counted = *shard->message.counted;
        const uint64_t slot = point - shard->prepared.attempt.payload.start_index;
        const bool first_time = !counted[slot];
        counted[slot] = true;
        if (result.skipped) {
          ++shard->points_skipped;
        } else {
          ++shard->points_committed;
        }
        if (first_time) {
          ++stats_.points_done;
          if (result.skipped) ++stats_.points_skipped;
        }
      }
      // Stopped mid-shard, the shard gets no outcome: its committed points stay and a rerun completes it.
      finished = shard->points_running == 0 && (shard->error || shard->points_queued == 0);
    }
    if (!finished) return;
    std::optional<sweep::ShardError> final_error = shard->error;
    if (!final_error) {
      final_error = Guarded([&] { return sweep::CommitShard(shard->prepared, shard->points_skipped, encoder, ctx_); });
    }
    if (!final_error) {
      std::lock_guard lock(mu_);
      ++stats_.shards_succeeded;
      Finalize();
      return;
    }
    // In the per_shard layout nothing is committed before the shard's outcome: a failed attempt committed no point.
    const uint64_t committed = shard->prepared.spill != nullptr ? 0 : shard->points_committed;
    const bool recorded =
        RecordFailure(shard->prepared.attempt, *final_error, committed, encoder, ctx_, shard->prepared.started_at);
    Settle(shard->message, shard->prepared.attempt, *final_error, recorded, committed, encoder,
           shard->prepared.started_at);
  }

  // After a failed attempt: requeue (transient, attempts left), dead-letter (transient, none left) or final.
  // A dead-lettered message whose last failure record is missing gets one more try at it (see DeadLetter).
  void Settle(const QueuedMessage& message, const sweep::ShardAttempt& attempt, const sweep::ShardError& error,
              bool failure_recorded, uint64_t points_committed, sweep::DatasetEncoder& encoder,
              std::optional<sweep::WallTime> started_at) {
    const bool transient = sweep::IsTransient(error.code) || !failure_recorded;
    std::optional<DeadLetter> dead_letter;
    if (transient && message.attempt >= options_.max_attempts) {
      dead_letter = DeadLetter{attempt.payload.run_id, attempt.payload.shard_id, message.attempt,
                               std::string(sweep::ShardErrorCodeName(error.code)), error.message, failure_recorded};
      if (!failure_recorded) {
        const sweep::ShardError final_error{
            error.code, "dead-lettered after " + std::to_string(message.attempt) + " attempts: " + error.message};
        dead_letter->failure_recorded =
            RecordFailure(attempt, final_error, points_committed, encoder, ctx_, started_at);
      }
    }
    JsonObject details;
    details.Set("run_id", JsonValue::String(attempt.payload.run_id));
    details.Set("shard_id", JsonValue::Unsigned(attempt.payload.shard_id));
    details.Set("attempt", JsonValue::Unsigned(message.attempt));
    std::lock_guard lock(mu_);
    if (!transient) {
      ++stats_.shards_failed;
      Finalize();
      return;
    }
    if (message.attempt >= options_.max_attempts) {
      details.Set("error", JsonValue::String(error.message));
      details.Set("failure_recorded", JsonValue::Bool(dead_letter->failure_recorded));
      ctx_.log->Error("local_executor", "shard_dead_lettered", std::move(details));
      ++stats_.shards_dead_lettered;
      dead_letters_.push_back(std::move(*dead_letter));
      Finalize();
      return;
    }
    auto delay = options_.retry_base_delay * (uint64_t{1} << std::min<uint64_t>(message.attempt - 1, 20));
    delay = std::min<std::chrono::milliseconds>(delay, kMaxRetryDelay);
    details.Set("delay_ms", JsonValue::Unsigned(static_cast<uint64_t>(delay.count())));
    ctx_.log->Info("local_executor", "shard_requeued", std::move(details));
    QueuedMessage retry = message;
    ++retry.attempt;
    retry.not_before = Steady::now() + delay;
    ready_.push_back(std::move(retry));
    ++stats_.shards_requeued;
    work_cv_.notify_all();
  }

  // REQUIRES: mu_ held. One message reached a final state.
  void Finalize() {
    --stats_.in_flight;
    idle_cv_.notify_all();
  }

  sweep::WorkerContext ctx_;
  sweep::DatasetEncoderFactory encoders_;
  ExecutorOptions options_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable idle_cv_;
  std::deque<QueuedMessage> ready_;
  // Points of the prepared shards not handed out yet; entries of a failed attempt stay until they come up.
  std::priority_queue<QueuedPoint, std::vector<QueuedPoint>, RunsLater> points_;
  uint64_t queued_points_ = 0;  // live entries of points_
  uint64_t prepared_seq_ = 0;
  size_t prepare_ahead_points_ = 0;
  ExecutorStats stats_;
  std::vector<DeadLetter> dead_letters_;
  uint64_t message_seq_ = 0;
  size_t busy_threads_ = 0;
  bool stop_ = false;
  std::mutex start_mu_;
  bool started_ = false;
  std::vector<std::thread> threads_;
};

LocalExecutor::LocalExecutor(sweep::WorkerContext ctx, sweep::DatasetEncoderFactory encoders,
                             ExecutorOptions options)
    : impl_(std::make_unique<Impl>(ctx, std::move(encoders), options)) {}
LocalExecutor::~LocalExecutor() = default;
sweep::DispatchReport LocalExecutor::Dispatch(std::span<const sweep::ShardMessage> messages) {
  return impl_->Dispatch(messages);
}
Status LocalExecutor::Start() { return impl_->Start(); }
void LocalExecutor::WaitUntilIdle(const std::function<void(const ExecutorStats&)>& on_progress) {
  impl_->WaitUntilIdle(on_progress);
}
void LocalExecutor::RequestStop() { impl_->RequestStop(); }
bool LocalExecutor::stop_requested() const { return impl_->stop_requested(); }
ExecutorStats LocalExecutor::stats() const { return impl_->stats(); }
std::vector<DeadLetter> LocalExecutor::dead_letters() const { return impl_->dead_letters(); }

}  // namespace ridesweep::local
