// LocalExecutor (spec/sweep.md §17) driven through the real submit path, the real worker and the real Parquet
// encoder over an in-memory store with fault injection: transient store failures are requeued with a doubling
// delay and succeed, permanent failures are recorded and final, exhausted attempts are dead-lettered, points of
// different shards run side by side, most expensive first by the cost estimate (within a shard only when a shard
// timeout is set), a stop keeps committed points for a rerun, bad payloads are rejected without writing anything,
// a failed encoder creation fails Start, and the counters add up.
#include "ridesweep/local/local_executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/store/fault_injecting_store.h"
#include "ridesweep/store/memory_store.h"
#include "ridesweep/store/object_store_wrapper.h"
#include "ridesweep/store/parquet_dataset_encoder.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/structured_log.h"
#include "ridesweep/sweep/submit.h"

namespace ridesweep::local {
namespace {

ExecutorOptions OneThread() {
  ExecutorOptions options;
  options.threads = 1;
  return options;
}


using std::chrono::milliseconds;
using sweep::Dataset;
using sweep::RecordStatus;

constexpr std::string_view kPrefix = "serverless-sweeps/outcomes";

// Small points (10 riders, 3 drivers, one simulated hour after the request window) keep each point a few ms.
std::string Request(std::string_view run_id, std::string_view extra_dimensions, std::string_view sharding,
                    std::string_view injection = "[]") {
  return std::string(R"({"run_id":")") + std::string(run_id) +
         R"(","dimensions":{"num_riders":[10],"num_drivers":[3],"simulation_duration_hours":[1])" +
         std::string(extra_dimensions) + "}," + std::string(sharding) + R"(,"seed":7,"failure_injection_shards":)" +
         std::string(injection) + "}";
}

// Thread-safe collector of structured log lines, parsed on demand.
class LogLines {
 public:
  void Add(std::string_view line) {
    std::lock_guard lock(mu_);
    lines_.emplace_back(line);
  }
  // details of every line whose event is `event`, in order.
  std::vector<JsonObject> Details(std::string_view event) const {
    std::lock_guard lock(mu_);
    std::vector<JsonObject> out;
    for (const std::string& line : lines_) {
      Result<JsonValue> parsed = ParseJson(line);
      EXPECT_TRUE(parsed.ok()) << line;
      if (!parsed.ok()) continue;
      const JsonValue* name = parsed->as_object().Find("event");
      if (name != nullptr && name->as_string() == event) {
        out.push_back(parsed->as_object().Find("details")->as_object());
      }
    }
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

uint64_t U64(const JsonObject& o, std::string_view key) {
  const JsonValue* v = o.Find(key);
  EXPECT_NE(v, nullptr) << key;
  return v == nullptr ? 0 : v->as_unsigned();
}
std::string Str(const JsonObject& o, std::string_view key) {
  const JsonValue* v = o.Find(key);
  EXPECT_NE(v, nullptr) << key;
  return v == nullptr ? "" : v->as_string();
}

// Calls `hook` before forwarding each Put (from worker threads).
class HookedStore : public store::ObjectStoreWrapper {
 public:
  using Hook = std::function<void(std::string_view key)>;
  HookedStore(ObjectStore* target, Hook hook) : ObjectStoreWrapper(target), hook_(std::move(hook)) {}
  Status Put(std::string_view key, std::string_view data, std::string_view content_type) override {
    hook_(key);
    return ObjectStoreWrapper::Put(key, data, content_type);
  }

 private:
  Hook hook_;
};

// Records the key of every Put, in order (the Puts come from the pool's threads).
struct PutKeyRecorder {
  explicit PutKeyRecorder(ObjectStore* target)
      : store(target, [this](std::string_view key) {
          std::lock_guard lock(mu);
          keys.emplace_back(key);
        }) {}
  std::mutex mu;
  std::vector<std::string> keys;
  HookedStore store;
};

// Holds every shard_metrics Put until `needed` of them wait at the same time (or a timeout passes), and remembers
// whether they ever did: proof that that many points were running at once.
class RendezvousStore : public store::ObjectStoreWrapper {
 public:
  RendezvousStore(ObjectStore* target, size_t needed) : ObjectStoreWrapper(target), needed_(needed) {}
  Status Put(std::string_view key, std::string_view data, std::string_view content_type) override {
    if (key.find("/dataset=shard_metrics/") != std::string_view::npos) {
      std::unique_lock lock(mu_);
      waiting_.insert(std::string(key));
      if (waiting_.size() >= needed_) {
        met_ = true;
        cv_.notify_all();
      }
      cv_.wait_for(lock, std::chrono::seconds(10), [this] { return met_; });
    }
    return ObjectStoreWrapper::Put(key, data, content_type);
  }
  bool met() const {
    std::lock_guard lock(mu_);
    return met_;
  }
  std::set<std::string> waiting_keys() const {
    std::lock_guard lock(mu_);
    return waiting_;
  }

 private:
  const size_t needed_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::string> waiting_;
  bool met_ = false;
};

// A real Parquet encoder whose trip_data encoding throws while `throws_left` (shared by every thread's encoder) is
// above zero.
class ThrowingEncoder : public sweep::DatasetEncoder {
 public:
  ThrowingEncoder(std::unique_ptr<sweep::DatasetEncoder> real, std::shared_ptr<std::atomic<int>> throws_left)
      : real_(std::move(real)), throws_left_(std::move(throws_left)) {}
  Result<std::string> EncodeShardMetrics(const sweep::ShardMetricsRow& m) override {
    return real_->EncodeShardMetrics(m);
  }
  Result<std::string> EncodeTripData(std::span<const sim::TripRow> trips) override {
    if (throws_left_->fetch_sub(1) > 0) throw std::runtime_error("encoder exploded");
    return real_->EncodeTripData(trips);
  }
  Result<std::string> EncodeSnapshotCounts(std::span<const sim::SnapshotRow> s) override {
    return real_->EncodeSnapshotCounts(s);
  }
  Result<std::string> EncodeEffectiveParameters(const sweep::EffectiveParametersRow& row) override {
    return real_->EncodeEffectiveParameters(row);
  }
  Result<std::string> EncodeShardOutcome(const sweep::ShardOutcomeRow& row) override {
    return real_->EncodeShardOutcome(row);
  }
  Result<std::string> EncodeRunContext(const sweep::RunContextRow& row) override {
    return real_->EncodeRunContext(row);
  }

 private:
  std::unique_ptr<sweep::DatasetEncoder> real_;
  std::shared_ptr<std::atomic<int>> throws_left_;
};

class LocalExecutorTest : public ::testing::Test {
 protected:
  LocalExecutorTest()
      : faults_(&memory_),
        log_([this](std::string_view line) { lines_.Add(line); }, &clock_, sweep::LogLevel::kInfo),
        layout_(kPrefix) {
    auto encoder = store::ParquetDatasetEncoder::Create();
    EXPECT_TRUE(encoder.ok());
    submit_encoder_ = std::move(encoder).value();
  }

  // The store the worker and the submit path see; tests may put a wrapper over faults_.
  ObjectStore* store() { return top_ != nullptr ? top_ : &faults_; }

  void MakeExecutor(size_t threads, uint32_t max_attempts = 5, milliseconds retry_base = milliseconds(5),
                    sweep::DatasetEncoderFactory encoders = store::ParquetDatasetEncoderFactory(),
                    std::optional<std::chrono::seconds> shard_timeout = std::nullopt) {
    executor_.reset();
    sweep::WorkerContext ctx;
    ctx.store = store();
    ctx.clock = &clock_;
    ctx.log = &log_;
    ctx.manifests = &manifests_;
    ctx.config.results_prefix = std::string(kPrefix);
    ctx.config.committed_point_check = committed_point_check_;
    ExecutorOptions options;
    options.threads = threads;
    options.max_attempts = max_attempts;
    options.retry_base_delay = retry_base;
    options.shard_timeout = shard_timeout;
    executor_ = std::make_unique<LocalExecutor>(ctx, std::move(encoders), options);
    ASSERT_TRUE(executor_->Start().ok());
  }

  sweep::SubmitResponse Submit(const std::string& request) {
    sweep::SubmitContext ctx;
    ctx.store = store();
    ctx.encoder = submit_encoder_.get();
    ctx.dispatcher = executor_.get();
    ctx.clock = &clock_;
    ctx.log = &log_;
    ctx.config.results_prefix = std::string(kPrefix);
    sweep::SubmitResponse response = sweep::SubmitRequestBytes(request, sweep::RequestSource::kLocalCli, ctx);
    EXPECT_EQ(response.status_code, 202) << response.body;
    if (response.accepted) run_date_ = response.accepted->manifest.run_date;
    return response;
  }

  // Submits and waits; returns the final counters.
  ExecutorStats RunToIdle(const std::string& request) {
    Submit(request);
    executor_->WaitUntilIdle();
    return executor_->stats();
  }

  bool Exists(const std::string& key) {
    Result<ObjectInfo> info = memory_.Head(key);
    return info.ok() && info->exists;
  }
  std::string PointKey(Dataset dataset, std::string_view run_id, uint64_t shard, uint64_t point) const {
    return layout_.PointKey(dataset, run_date_, run_id, shard, point);
  }
  std::string OutcomeKey(std::string_view run_id, RecordStatus status, uint64_t shard) const {
    return layout_.ShardOutcomeKey(run_date_, run_id, status, shard);
  }
  size_t CountKeys(std::string_view substring) {
    Result<std::vector<std::string>> keys = memory_.List("");
    EXPECT_TRUE(keys.ok());
    if (!keys.ok()) return 0;
    return static_cast<size_t>(std::count_if(keys->begin(), keys->end(), [&](const std::string& key) {
      return key.find(substring) != std::string::npos;
    }));
  }

  store::MemoryStore memory_;
  store::FaultInjectingStore faults_;
  ObjectStore* top_ = nullptr;
  sweep::SystemClock clock_;
  LogLines lines_;
  sweep::StructuredLog log_;
  sweep::ManifestCache manifests_;
  sweep::StorageLayout layout_;
  std::unique_ptr<sweep::DatasetEncoder> submit_encoder_;
  std::unique_ptr<LocalExecutor> executor_;
  std::string run_date_;
  sweep::CommittedPointCheck committed_point_check_ = sweep::CommittedPointCheck::kMarker;
};

TEST_F(LocalExecutorTest, RunsEveryShardAndCountsPointsAndShards) {
  MakeExecutor(2);
  int progress_calls = 0;
  Submit(Request("all-ok", R"(,"commission_rate":[0.1,0.2,0.3,0.4,0.5])", R"("shard_count":2)"));
  executor_->WaitUntilIdle([&](const ExecutorStats&) { ++progress_calls; });
  const ExecutorStats s = executor_->stats();
  EXPECT_GE(progress_calls, 1);
  EXPECT_EQ(s.shards_queued, 2u);
  EXPECT_EQ(s.shards_succeeded, 2u);
  EXPECT_EQ(s.shards_failed + s.shards_dead_lettered + s.shards_requeued + s.payloads_rejected, 0u);
  EXPECT_EQ(s.points_total, 5u);
  EXPECT_EQ(s.points_done, 5u);
  EXPECT_EQ(s.points_skipped, 0u);
  EXPECT_EQ(s.in_flight, 0u);
  // 4 objects per point, 2 success outcomes, run_context and manifest (§10.1).
  EXPECT_EQ(memory_.size(), 4u * 5 + 2 + 2);
  EXPECT_TRUE(Exists(OutcomeKey("all-ok", RecordStatus::kSuccess, 0)));
  EXPECT_TRUE(Exists(OutcomeKey("all-ok", RecordStatus::kSuccess, 1)));
  // Shard 0 is [0,3), shard 1 is [3,5).
  EXPECT_TRUE(Exists(PointKey(Dataset::kEffectiveParameters, "all-ok", 1, 4)));
  EXPECT_EQ(lines_.Details("shard_completed").size(), 2u);
}

TEST_F(LocalExecutorTest, TransientStoreFailureIsRequeuedAndSucceedsSkippingCommittedPoints) {
  // The first trip_data write of point 1 fails as a transient outage; point 0 was committed before it.
  faults_.AddRule({.ops = {store::StoreOp::kPut},
                   .key_substring = "/dataset=trip_data/",
                   .nth = 2,
                   .error = UnavailableError("injected outage")});
  MakeExecutor(1, 5, milliseconds(5));
  const ExecutorStats s = RunToIdle(Request("transient", R"(,"commission_rate":[0.1,0.2])", R"("shard_count":1)"));
  EXPECT_EQ(faults_.injected_count(), 1);
  EXPECT_EQ(s.shards_requeued, 1u);
  EXPECT_EQ(s.shards_succeeded, 1u);
  EXPECT_EQ(s.shards_failed + s.shards_dead_lettered, 0u);
  EXPECT_EQ(s.points_done, 2u);      // point 0 counts once, though both attempts saw it
  EXPECT_EQ(s.points_skipped, 0u);   // committed by this message's own attempt 1, not before it
  EXPECT_EQ(s.in_flight, 0u);

  const std::vector<JsonObject> requeued = lines_.Details("shard_requeued");
  ASSERT_EQ(requeued.size(), 1u);
  EXPECT_EQ(U64(requeued[0], "attempt"), 1u);
  EXPECT_EQ(U64(requeued[0], "delay_ms"), 5u);
  EXPECT_EQ(Str(requeued[0], "run_id"), "transient");
  const std::vector<JsonObject> failed = lines_.Details("shard_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(Str(failed[0], "error_code"), "storage_error");
  EXPECT_EQ(Str(failed[0], "error").rfind(sweep::errors::kPersistTripDataPrefix, 0), 0u) << Str(failed[0], "error");
  const std::vector<JsonObject> completed = lines_.Details("shard_completed");
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(U64(completed[0], "attempt"), 2u);
  EXPECT_EQ(U64(completed[0], "points_skipped"), 1u);
  // The failure record of attempt 1 was removed by the successful attempt (§7.2 step 6).
  EXPECT_EQ(lines_.Details("stale_failure_removed").size(), 1u);
  EXPECT_FALSE(Exists(OutcomeKey("transient", RecordStatus::kFailure, 0)));
  EXPECT_TRUE(Exists(OutcomeKey("transient", RecordStatus::kSuccess, 0)));
  EXPECT_TRUE(Exists(PointKey(Dataset::kEffectiveParameters, "transient", 0, 1)));
}

TEST_F(LocalExecutorTest, Issue0013RetriedShardCountsEachPointOnceAndNeverMoreThanTheTotal) {
  // Attempts 1 and 2 fail on the trip_data writes of points 2 and 3 after committing the points before them; attempt
  // 3 skips points 0-2 and commits the rest. Before the fix every skip counted again: points_done reached
  // 2 + 3 + 4 = 9 of 4, and `ridesweep run` crashed drawing the bar.
  faults_.AddRule({.ops = {store::StoreOp::kPut},
                   .key_substring = "/dataset=trip_data/",
                   .nth = 3,
                   .error = UnavailableError("disk full")});
  faults_.AddRule({.ops = {store::StoreOp::kPut},
                   .key_substring = "/dataset=trip_data/",
                   .nth = 5,
                   .error = UnavailableError("disk full")});
  MakeExecutor(1, 5, milliseconds(5));
  Submit(Request("retry-count", R"(,"commission_rate":[0.1,0.2,0.3,0.4])", R"("shard_count":1)"));
  uint64_t max_done = 0;
  bool never_above_total = true;
  executor_->WaitUntilIdle([&](const ExecutorStats& s) {
    max_done = std::max(max_done, s.points_done);
    never_above_total = never_above_total && s.points_done <= s.points_total;
  });
  const ExecutorStats s = executor_->stats();
  EXPECT_EQ(faults_.injected_count(), 2);
  EXPECT_EQ(s.shards_requeued, 2u);
  EXPECT_EQ(s.shards_succeeded, 1u);
  EXPECT_EQ(s.points_total, 4u);
  EXPECT_EQ(s.points_done, 4u);
  EXPECT_EQ(s.points_skipped, 0u);
  EXPECT_TRUE(never_above_total);
  EXPECT_EQ(max_done, 4u);
  const std::vector<JsonObject> completed = lines_.Details("shard_completed");
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(U64(completed[0], "attempt"), 3u);
  EXPECT_EQ(U64(completed[0], "points_skipped"), 3u);  // the worker's own count of this attempt stays per attempt
}

TEST_F(LocalExecutorTest, Issue0013RerunRepairsMissingObjectsAndVerifyRewritesDamagedOnes) {
  const std::string request = Request("repair", R"(,"commission_rate":[0.1,0.2,0.3])", R"("shard_count":1)");
  MakeExecutor(2);
  RunToIdle(request);
  const std::string trips = PointKey(Dataset::kTripData, "repair", 0, 1);
  const std::string snapshots = PointKey(Dataset::kSnapshotCounts, "repair", 0, 2);
  const Result<std::string> clean_trips = memory_.Get(trips);
  const Result<std::string> clean_snapshots = memory_.Get(snapshots);
  ASSERT_TRUE(clean_trips.ok() && clean_snapshots.ok());
  ASSERT_TRUE(memory_.Delete(trips).ok());
  ASSERT_TRUE(memory_.Put(snapshots, "PAR1 damaged", "application/octet-stream").ok());

  // The marker check alone (the Lambda worker's) skips all three points and repairs nothing.
  MakeExecutor(2);
  ExecutorStats s = RunToIdle(request);
  EXPECT_EQ(s.points_skipped, 3u);
  EXPECT_FALSE(Exists(trips));

  // Existence: the point without its trip_data runs again; the damaged object is not seen.
  committed_point_check_ = sweep::CommittedPointCheck::kObjects;
  MakeExecutor(2);
  s = RunToIdle(request);
  EXPECT_EQ(s.points_skipped, 2u);
  EXPECT_EQ(memory_.Get(trips).value(), *clean_trips);
  EXPECT_EQ(memory_.Get(snapshots).value(), "PAR1 damaged");

  // Content: every point is recomputed, the damaged object rewritten with the clean bytes, the rest left alone.
  committed_point_check_ = sweep::CommittedPointCheck::kContent;
  PutKeyRecorder recorder(&faults_);
  top_ = &recorder.store;
  MakeExecutor(2);
  s = RunToIdle(request);
  EXPECT_EQ(s.points_skipped, 2u);
  EXPECT_EQ(s.points_done, 3u);
  EXPECT_EQ(memory_.Get(snapshots).value(), *clean_snapshots);
  EXPECT_EQ(lines_.Details("committed_point_repaired").size(), 2u);  // one per repair, of both reruns
  // Of the point objects, only the damaged one was written.
  std::vector<std::string> point_puts;
  for (const std::string& key : recorder.keys) {
    if (key.find("/point_index") != std::string::npos) point_puts.push_back(key);
  }
  EXPECT_EQ(point_puts, std::vector<std::string>{snapshots});
  executor_.reset();
  top_ = nullptr;
}

TEST_F(LocalExecutorTest, PermanentFailureIsRecordedOnceAndNotRetried) {
  MakeExecutor(2);
  const ExecutorStats s =
      RunToIdle(Request("permanent", R"(,"commission_rate":[0.1,0.2,0.3])", R"("shard_count":3)", "[1]"));
  EXPECT_EQ(s.shards_failed, 1u);
  EXPECT_EQ(s.shards_succeeded, 2u);
  EXPECT_EQ(s.shards_requeued + s.shards_dead_lettered, 0u);
  EXPECT_EQ(s.points_done, 2u);
  EXPECT_EQ(s.in_flight, 0u);
  EXPECT_TRUE(Exists(OutcomeKey("permanent", RecordStatus::kFailure, 1)));
  EXPECT_FALSE(Exists(OutcomeKey("permanent", RecordStatus::kSuccess, 1)));
  EXPECT_EQ(CountKeys("/shard_id=1/"), 0u);  // no per-point object of the injected shard
  EXPECT_EQ(CountKeys("shard_id_partition=1/point_index_partition"), 0u);
  const std::vector<JsonObject> failed = lines_.Details("shard_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(Str(failed[0], "error_code"), "injected_failure");
  EXPECT_EQ(Str(failed[0], "error"), sweep::errors::kInjectedShardFailure);
  EXPECT_EQ(U64(failed[0], "shard_id"), 1u);
  EXPECT_TRUE(lines_.Details("shard_requeued").empty());
}

TEST_F(LocalExecutorTest, PermanentFailureWhoseRecordCannotBeWrittenComesBack) {
  // §7.2: if the failure record itself cannot be written, the message must come back whatever the error class.
  faults_.FailCallsContaining({store::StoreOp::kPut}, "status_partition=failure", UnavailableError("down"));
  MakeExecutor(1, 2, milliseconds(2));
  const ExecutorStats s = RunToIdle(Request("unrecorded", "", R"("shard_count":1)", "[0]"));
  EXPECT_EQ(s.shards_requeued, 1u);
  EXPECT_EQ(s.shards_dead_lettered, 1u);
  EXPECT_EQ(s.shards_failed, 0u);
  // Both attempts, then the dead-letter step's own try (issue 13).
  EXPECT_EQ(lines_.Details("failure_record_persist_failed").size(), 3u);
  ASSERT_EQ(executor_->dead_letters().size(), 1u);
  EXPECT_FALSE(executor_->dead_letters()[0].failure_recorded);
}

TEST_F(LocalExecutorTest, ExhaustedAttemptsAreDeadLetteredWithDoublingDelays) {
  faults_.FailCallsContaining({store::StoreOp::kPut}, "/dataset=trip_data/", UnavailableError("disk on fire"));
  MakeExecutor(2, 3, milliseconds(5));
  const ExecutorStats s = RunToIdle(Request("dead", "", R"("shard_count":1)"));
  EXPECT_EQ(s.shards_requeued, 2u);
  EXPECT_EQ(s.shards_dead_lettered, 1u);
  EXPECT_EQ(s.shards_succeeded + s.shards_failed, 0u);
  EXPECT_EQ(s.in_flight, 0u);
  const std::vector<JsonObject> requeued = lines_.Details("shard_requeued");
  ASSERT_EQ(requeued.size(), 2u);
  EXPECT_EQ(U64(requeued[0], "attempt"), 1u);
  EXPECT_EQ(U64(requeued[0], "delay_ms"), 5u);
  EXPECT_EQ(U64(requeued[1], "attempt"), 2u);
  EXPECT_EQ(U64(requeued[1], "delay_ms"), 10u);
  const std::vector<JsonObject> dead = lines_.Details("shard_dead_lettered");
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(U64(dead[0], "attempt"), 3u);
  EXPECT_EQ(Str(dead[0], "error").rfind(sweep::errors::kPersistTripDataPrefix, 0), 0u) << Str(dead[0], "error");
  EXPECT_NE(Str(dead[0], "error").find("disk on fire"), std::string::npos);
  // Every attempt wrote its failure record (the last one stays); the point never committed.
  EXPECT_EQ(lines_.Details("shard_failed").size(), 3u);
  EXPECT_TRUE(Exists(OutcomeKey("dead", RecordStatus::kFailure, 0)));
  EXPECT_FALSE(Exists(OutcomeKey("dead", RecordStatus::kSuccess, 0)));
  EXPECT_FALSE(Exists(PointKey(Dataset::kEffectiveParameters, "dead", 0, 0)));
}

// Regression: an exception escaping the worker on a pool thread used to terminate the whole process; it is now
// internal_error (transient, §7.3) like in sweep::RunShard, so the shard is retried.
TEST_F(LocalExecutorTest, Issue0013DeadLetterWithoutAFailureRecordRecordsOneAndReportsTheReason) {
  // Every attempt fails, and so does every attempt's failure record: before issue 13 the shard had no record and
  // read as pending forever. The dead-letter step writes one more (its 4th failure-record Put succeeds).
  faults_.FailCallsContaining({store::StoreOp::kPut}, "/dataset=trip_data/", UnavailableError("disk on fire"));
  for (int64_t nth = 1; nth <= 3; ++nth) {
    faults_.AddRule({.ops = {store::StoreOp::kPut},
                     .key_substring = "/status_partition=failure/",
                     .nth = nth,
                     .error = UnavailableError("no room for the record")});
  }
  MakeExecutor(1, 3, milliseconds(5));
  const ExecutorStats s = RunToIdle(Request("dead-unrecorded", "", R"("shard_count":1)"));
  EXPECT_EQ(s.shards_dead_lettered, 1u);
  const std::vector<DeadLetter> letters = executor_->dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].run_id, "dead-unrecorded");
  EXPECT_EQ(letters[0].shard_id, 0u);
  EXPECT_EQ(letters[0].attempts, 3u);
  EXPECT_EQ(letters[0].error_code, "storage_error");
  EXPECT_NE(letters[0].error.find("disk on fire"), std::string::npos) << letters[0].error;
  EXPECT_TRUE(letters[0].failure_recorded);
  EXPECT_TRUE(Exists(OutcomeKey("dead-unrecorded", RecordStatus::kFailure, 0)));
  const std::vector<JsonObject> dead = lines_.Details("shard_dead_lettered");
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_TRUE(dead[0].Find("failure_recorded")->as_bool());
}

TEST_F(LocalExecutorTest, Issue0013DeadLetterIsReportedWhenNoRecordCanBeWritten) {
  faults_.FailCallsContaining({store::StoreOp::kPut}, "/dataset=trip_data/", UnavailableError("disk full"));
  faults_.FailCallsContaining({store::StoreOp::kPut}, "/dataset=shard_outcomes/", UnavailableError("disk full"));
  MakeExecutor(1, 2, milliseconds(5));
  Submit(Request("dead-full", "", R"("shard_count":1)"));
  executor_->WaitUntilIdle();
  const std::vector<DeadLetter> letters = executor_->dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_FALSE(letters[0].failure_recorded);
  EXPECT_NE(letters[0].error.find("disk full"), std::string::npos) << letters[0].error;
  EXPECT_FALSE(Exists(OutcomeKey("dead-full", RecordStatus::kFailure, 0)));
}

TEST_F(LocalExecutorTest, ExceptionInAWorkerStepIsATransientInternalError) {
  auto throws_left = std::make_shared<std::atomic<int>>(1);
  MakeExecutor(1, 3, milliseconds(2), [throws_left]() -> Result<std::unique_ptr<sweep::DatasetEncoder>> {
    auto real = store::ParquetDatasetEncoder::Create();
    if (!real.ok()) return real.status();
    return std::unique_ptr<sweep::DatasetEncoder>(std::make_unique<ThrowingEncoder>(std::move(real).value(),
                                                                                     throws_left));
  });
  const ExecutorStats s = RunToIdle(Request("throws", "", R"("shard_count":1)"));
  EXPECT_EQ(s.shards_requeued, 1u);
  EXPECT_EQ(s.shards_succeeded, 1u);
  const std::vector<JsonObject> failed = lines_.Details("shard_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(Str(failed[0], "error_code"), "internal_error");
  EXPECT_EQ(Str(failed[0], "error"), "encoder exploded");
  EXPECT_TRUE(Exists(OutcomeKey("throws", RecordStatus::kSuccess, 0)));
  EXPECT_FALSE(Exists(OutcomeKey("throws", RecordStatus::kFailure, 0)));
}

TEST_F(LocalExecutorTest, PointsOfDifferentShardsRunAtTheSameTime) {
  // Two shards of one point each on two threads: both points must be inside the store at once.
  RendezvousStore rendezvous(&faults_, 2);
  top_ = &rendezvous;
  MakeExecutor(2);
  const ExecutorStats s = RunToIdle(Request("interleave", R"(,"commission_rate":[0.1,0.2])", R"("shard_count":2)"));
  EXPECT_TRUE(rendezvous.met()) << "the second shard did not start while the first one ran";
  std::set<std::string> shards;
  for (const std::string& key : rendezvous.waiting_keys()) shards.insert(key.substr(key.find("/shard_id=")));
  EXPECT_EQ(shards.size(), 2u);
  EXPECT_EQ(s.shards_succeeded, 2u);
}

TEST_F(LocalExecutorTest, PointsOfOneShardSpreadOverTheThreads) {
  RendezvousStore rendezvous(&faults_, 2);
  top_ = &rendezvous;
  MakeExecutor(2);
  const ExecutorStats s = RunToIdle(Request("spread", R"(,"commission_rate":[0.1,0.2])", R"("shard_count":1)"));
  EXPECT_TRUE(rendezvous.met()) << "the shard's points ran one after the other";
  EXPECT_EQ(s.shards_succeeded, 1u);
  EXPECT_EQ(s.points_done, 2u);
}

// Six points in two shards, estimates (riders × drivers + riders + drivers, sweep/point_cost.h): point 0 (2
// drivers, 10 riders) 32, 1 (2, 30) 92, 2 (2, 20) 62, 3 (3, 10) 43, 4 (3, 30) 123, 5 (3, 20) 83.
std::string CostOrderRequest(std::string_view run_id) {
  return std::string(R"({"run_id":")") + std::string(run_id) +
         R"(","dimensions":{"num_drivers":[2,3],"num_riders":[10,30,20],"simulation_duration_hours":[1]},)"
         R"("shard_count":2,"seed":7})";
}

// The order of the commit markers: "p<point>" for each effective_parameters object, "s<shard>" for each success
// outcome, as Put by the worker.
std::vector<std::string> CommitOrder(const std::vector<std::string>& keys, const sweep::StorageLayout& layout,
                                     std::string_view run_date, std::string_view run_id) {
  std::vector<std::string> order;
  for (const std::string& key : keys) {
    for (uint64_t point = 0; point < 6; ++point) {
      if (key == layout.PointKey(Dataset::kEffectiveParameters, run_date, run_id, point / 3, point)) {
        order.push_back("p" + std::to_string(point));
      }
    }
    for (uint64_t shard = 0; shard < 2; ++shard) {
      if (key == layout.ShardOutcomeKey(run_date, run_id, RecordStatus::kSuccess, shard)) {
        order.push_back("s" + std::to_string(shard));
      }
    }
  }
  return order;
}

TEST_F(LocalExecutorTest, PointsRunMostExpensiveFirstAcrossShardsAndEachShardCommitsAfterItsLastPoint) {
  PutKeyRecorder puts(&faults_);
  top_ = &puts.store;
  MakeExecutor(1);
  const ExecutorStats s = RunToIdle(CostOrderRequest("cost-order"));
  EXPECT_EQ(s.shards_succeeded, 2u);
  EXPECT_EQ(s.points_done, 6u);
  // Both shards are prepared before the first point (fewer than 8 points per thread queued), so one thread runs
  // the estimates in descending order; shard 1 ([3,6)) commits after point 3, shard 0 after point 0.
  EXPECT_EQ(CommitOrder(puts.keys, layout_, run_date_, "cost-order"),
            (std::vector<std::string>{"p4", "p1", "p5", "p2", "p3", "s1", "p0", "s0"}));
}

TEST_F(LocalExecutorTest, WithAShardTimeoutNoShardIsPreparedWhilePointsWait) {
  // A shard's deadline runs from its preparation, so shards are not prepared ahead: cost order within a shard.
  PutKeyRecorder puts(&faults_);
  top_ = &puts.store;
  MakeExecutor(1, 5, milliseconds(5), store::ParquetDatasetEncoderFactory(), std::chrono::seconds(600));
  const ExecutorStats s = RunToIdle(CostOrderRequest("cost-order-timeout"));
  EXPECT_EQ(s.shards_succeeded, 2u);
  EXPECT_EQ(CommitOrder(puts.keys, layout_, run_date_, "cost-order-timeout"),
            (std::vector<std::string>{"p1", "p2", "p0", "s0", "p4", "p5", "p3", "s1"}));
}

TEST_F(LocalExecutorTest, StopKeepsCommittedPointsAndARerunCompletesTheRest) {
  // Stop as soon as the first point commits (its effective_parameters write), from the worker thread itself.
  bool stopped = false;
  HookedStore hooked(&faults_, [&](std::string_view key) {
    if (!stopped && key.find("/dataset=effective_parameters/") != std::string_view::npos) {
      stopped = true;
      executor_->RequestStop();
    }
  });
  top_ = &hooked;
  const std::string request = Request("stopped", R"(,"commission_rate":[0.1,0.2,0.3,0.4])", R"("shard_count":1)");
  MakeExecutor(1);
  Submit(request);
  executor_->WaitUntilIdle();
  EXPECT_TRUE(executor_->stop_requested());
  ExecutorStats s = executor_->stats();
  executor_.reset();  // joins the pool
  EXPECT_EQ(s.points_done, 1u);
  EXPECT_EQ(s.in_flight, 1u);  // the shard is not final: no outcome of any kind
  EXPECT_EQ(s.shards_succeeded + s.shards_failed + s.shards_dead_lettered, 0u);
  EXPECT_EQ(CountKeys("/dataset=effective_parameters/"), 1u);
  EXPECT_FALSE(Exists(OutcomeKey("stopped", RecordStatus::kSuccess, 0)));
  EXPECT_FALSE(Exists(OutcomeKey("stopped", RecordStatus::kFailure, 0)));
  const std::string committed = memory_.Get(PointKey(Dataset::kShardMetrics, "stopped", 0, 0)).value();

  // The rerun (a resubmission of the same request) skips the committed point and finishes the shard.
  MakeExecutor(1);
  s = RunToIdle(request);
  EXPECT_EQ(s.shards_succeeded, 1u);
  EXPECT_EQ(s.points_skipped, 1u);
  EXPECT_EQ(s.points_done, 4u);
  EXPECT_EQ(CountKeys("/dataset=effective_parameters/"), 4u);
  EXPECT_TRUE(Exists(OutcomeKey("stopped", RecordStatus::kSuccess, 0)));
  EXPECT_EQ(memory_.Get(PointKey(Dataset::kShardMetrics, "stopped", 0, 0)).value(), committed);
  EXPECT_EQ(lines_.Details("run_resubmitted").size(), 1u);
}

TEST_F(LocalExecutorTest, UndecodablePayloadsAreRejectedWithoutWritingAnything) {
  MakeExecutor(2);
  const std::vector<sweep::ShardMessage> messages = {
      {0, "42"},
      {1, R"({"run_id":"x"})"},
      {2, R"({"run_id":"../x","run_date":"2026-02-14","dimensions":{"num_riders":[10]},"total_points":1,)"
          R"("shard_id":0,"start_index":0,"end_index_exclusive":1,"seed":0,"failure_injection_shards":[]})"},
  };
  const sweep::DispatchReport report = executor_->Dispatch(messages);
  EXPECT_EQ(report.enqueued_shard_ids, (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_TRUE(report.failed_shard_ids.empty());
  executor_->WaitUntilIdle();
  const ExecutorStats s = executor_->stats();
  EXPECT_EQ(s.payloads_rejected, 3u);
  EXPECT_EQ(s.shards_queued, 3u);
  EXPECT_EQ(s.in_flight, 0u);
  EXPECT_EQ(s.shards_succeeded + s.shards_failed + s.shards_requeued + s.shards_dead_lettered, 0u);
  EXPECT_EQ(memory_.size(), 0u);
  const std::vector<JsonObject> rejected = lines_.Details("payload_rejected");
  ASSERT_EQ(rejected.size(), 3u);
  std::vector<std::string> errors;
  for (const JsonObject& d : rejected) errors.push_back(Str(d, "error"));
  std::sort(errors.begin(), errors.end());
  EXPECT_EQ(errors[0].rfind("invalid child shard payload: ", 0), 0u) << errors[0];
  EXPECT_NE(std::find(errors.begin(), errors.end(),
                      "invalid child shard payload: missing field `dimensions` at line 1 column 14"),
            errors.end());
  EXPECT_NE(std::find(errors.begin(), errors.end(), sweep::errors::kPayloadNotAddressable), errors.end());
}

TEST_F(LocalExecutorTest, StartFailsWhenAnyThreadCannotCreateItsEncoderAndNothingRuns) {
  // The threads create their encoders at the same time; the second creation fails, so Start reports it and no
  // thread takes the message dispatched before.
  executor_.reset();
  auto created = std::make_shared<std::atomic<int>>(0);
  sweep::WorkerContext ctx;
  ctx.store = &faults_;
  ctx.clock = &clock_;
  ctx.config.results_prefix = std::string(kPrefix);
  ExecutorOptions options;
  options.threads = 2;
  executor_ = std::make_unique<LocalExecutor>(
      ctx,
      [created]() -> Result<std::unique_ptr<sweep::DatasetEncoder>> {
        if (created->fetch_add(1) == 1) return InternalError("no database today");
        return store::ParquetDatasetEncoderFactory()();
      },
      options);
  Submit(Request("no-encoder", "", R"("shard_count":1)"));
  const Status started = executor_->Start();
  EXPECT_FALSE(started.ok());
  EXPECT_EQ(started.message(), "no database today");
  EXPECT_EQ(created->load(), 2);
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(executor_->stats().points_done, 0u);
  EXPECT_EQ(executor_->stats().in_flight, 1u);
  EXPECT_EQ(CountKeys("/dataset=effective_parameters/"), 0u);
  executor_.reset();  // nothing left to join
}

TEST_F(LocalExecutorTest, DispatchBeforeStartWaitsForTheWorkers) {
  // Messages may arrive before the pool starts (ridesweep serve accepts while starting); nothing is lost.
  executor_.reset();
  sweep::WorkerContext ctx;
  ctx.store = &faults_;
  ctx.clock = &clock_;
  ctx.log = &log_;
  ctx.config.results_prefix = std::string(kPrefix);
  executor_ = std::make_unique<LocalExecutor>(ctx, store::ParquetDatasetEncoderFactory(), OneThread());
  Submit(Request("late-start", "", R"("shard_count":1)"));
  EXPECT_EQ(executor_->stats().in_flight, 1u);
  ASSERT_TRUE(executor_->Start().ok());
  ASSERT_TRUE(executor_->Start().ok());  // idempotent
  executor_->WaitUntilIdle();
  EXPECT_EQ(executor_->stats().shards_succeeded, 1u);
  EXPECT_EQ(executor_->target(), "local");
}

}  // namespace
}  // namespace ridesweep::local
