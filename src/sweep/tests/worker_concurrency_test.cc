// SWEEP_POINT_THREADS (spec/sweep.md §7.2 step 4): RunShard with several encoders runs a shard's points on that
// many threads and must write exactly what one thread writes; a failing point stops new points and the failure
// reported is the lowest failing point's, with the same classification and failure record as one thread.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>

#include "ridesweep/store/fault_injecting_store.h"
#include "ridesweep/store/memory_store.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/worker.h"
#include "worker_test_support.h"

namespace ridesweep::sweep {
namespace {

using store::FaultInjectingStore;
using store::MemoryStore;
using store::StoreOp;
using testing::AttemptFor;
using testing::LogCapture;
using testing::ReadmeTime;
using testing::RecordingEncoder;
using testing::Rendezvous;
using testing::Snapshot;
using testing::Validate;

constexpr std::string_view kPrefix = "serverless-sweeps/outcomes";
constexpr std::string_view kDate = "2026-02-14";
// Eight tiny points in one shard.
constexpr std::string_view kEightPoints =
    R"({"run_id":"threads-run","dimensions":{"num_drivers":[2,3],"num_riders":[4,5],)"
    R"("commission_rate":[0.1,0.2]},"shard_count":1,"seed":7})";

// One store, clock, log and cache per "deployment"; encoders as many as the test asks.
struct Deployment {
  Deployment() {
    ctx.store = &store;
    ctx.clock = &clock;
    ctx.log = logs.log();
    ctx.manifests = &manifests;
    ctx.config.results_prefix = std::string(kPrefix);
  }

  FakeClock clock{ReadmeTime()};
  MemoryStore memory;
  FaultInjectingStore store{&memory};
  LogCapture logs{&clock};
  ManifestCache manifests;
  WorkerContext ctx;
};

TEST(WorkerConcurrencyTest, ThreeThreadsWriteTheSameObjectsAsOne) {
  const ValidatedRequest v = Validate(kEightPoints);
  Deployment one;
  RecordingEncoder sequential;
  const ShardRunOutcome alone = RunShard(AttemptFor(v, 0), sequential, one.ctx);
  ASSERT_TRUE(alone.succeeded);

  Deployment three;
  std::array<RecordingEncoder, 3> encoders;
  DatasetEncoder* const pointers[] = {&encoders[0], &encoders[1], &encoders[2]};
  // Each encoder's first point waits (at most 10 s) until all three threads are inside a point at once.
  Rendezvous meeting(3);
  for (RecordingEncoder& e : encoders) e.before_metrics = meeting.OnFirstCall();
  const ShardRunOutcome together = RunShard(AttemptFor(v, 0), pointers, three.ctx, nullptr);
  ASSERT_TRUE(together.succeeded);

  EXPECT_EQ(meeting.arrived(), 3);  // the three threads really ran points at the same time
  EXPECT_EQ(together.points_processed, 8u);
  EXPECT_EQ(together.points_skipped, 0u);
  const std::map<std::string, std::string> expected = Snapshot(one.memory);
  EXPECT_EQ(expected.size(), 8u * 4u + 1u);
  EXPECT_EQ(Snapshot(three.memory), expected);
  // Every thread did some of the points; only the first encoder wrote the outcome.
  size_t points = 0;
  for (const RecordingEncoder& e : encoders) {
    EXPECT_FALSE(e.metrics().empty());
    points += e.metrics().size();
  }
  EXPECT_EQ(points, 8u);
  EXPECT_EQ(encoders[0].outcomes().size(), 1u);
  EXPECT_TRUE(encoders[1].outcomes().empty());
  // Each point still commits last: its effective_parameters put follows its other three.
  const std::vector<std::string> puts = three.store.SucceededKeys(StoreOp::kPut);
  const StorageLayout layout(kPrefix);
  for (uint64_t point = 0; point < 8; ++point) {
    auto position = [&](Dataset d) {
      const std::string key = layout.PointKey(d, kDate, "threads-run", 0, point);
      return std::find(puts.begin(), puts.end(), key) - puts.begin();
    };
    const auto commit = position(Dataset::kEffectiveParameters);
    ASSERT_LT(static_cast<size_t>(commit), puts.size());
    EXPECT_LT(position(Dataset::kShardMetrics), commit);
    EXPECT_LT(position(Dataset::kTripData), commit);
    EXPECT_LT(position(Dataset::kSnapshotCounts), commit);
  }
  EXPECT_EQ(puts.back(), layout.ShardOutcomeKey(kDate, "threads-run", RecordStatus::kSuccess, 0));
}

TEST(WorkerConcurrencyTest, FailingPointsStopTheShardAndTheLowestOneIsReported) {
  const ValidatedRequest v = Validate(kEightPoints);
  Deployment d;
  const StorageLayout layout(kPrefix);
  // Points 5 and 3 cannot write their trip data (transient); whichever fails first in time, point 3 is reported.
  for (uint64_t point : {5u, 3u}) {
    d.store.AddRule({.ops = {StoreOp::kPut},
                     .key_prefix = layout.PointKey(Dataset::kTripData, kDate, "threads-run", 0, point),
                     .error = UnavailableError("503 Slow Down for point " + std::to_string(point))});
  }
  std::array<RecordingEncoder, 2> encoders;
  DatasetEncoder* const pointers[] = {&encoders[0], &encoders[1]};
  const ShardRunOutcome outcome = RunShard(AttemptFor(v, 0), pointers, d.ctx, nullptr);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kStorageError);
  EXPECT_EQ(outcome.error->message, "Failed to persist trip data artifact: 503 Slow Down for point 3");
  EXPECT_TRUE(outcome.retry);
  EXPECT_TRUE(outcome.failure_recorded);
  EXPECT_FALSE(d.memory.Head(layout.ShardOutcomeKey(kDate, "threads-run", RecordStatus::kSuccess, 0))->exists);
  EXPECT_TRUE(d.memory.Head(layout.ShardOutcomeKey(kDate, "threads-run", RecordStatus::kFailure, 0))->exists);
  // Points 0–2 were started before point 3 and committed; nothing after the failures committed more than the
  // two threads had in hand (at most point 4 besides 0–2), and the failure record counts what did commit.
  uint64_t committed = 0;
  for (uint64_t point = 0; point < 8; ++point) {
    const bool done =
        d.memory.Head(layout.PointKey(Dataset::kEffectiveParameters, kDate, "threads-run", 0, point))->exists;
    if (point < 3) {
      EXPECT_TRUE(done) << point;
    } else if (point != 4) {
      EXPECT_FALSE(done) << point;
    }
    committed += done ? 1 : 0;
  }
  EXPECT_EQ(outcome.points_processed, committed);
  EXPECT_EQ(encoders[0].outcomes().back().points_processed, static_cast<int64_t>(committed));
  EXPECT_EQ(encoders[0].outcomes().back().error_code, "storage_error");

  // The redelivery, on two threads again, skips the committed points and completes the shard.
  d.store.ClearRules();
  const ShardRunOutcome retried = RunShard(AttemptFor(v, 0, kDate, 2), pointers, d.ctx, nullptr);
  ASSERT_TRUE(retried.succeeded);
  EXPECT_EQ(retried.points_skipped, committed);
  EXPECT_EQ(retried.points_processed, 8u);
  EXPECT_FALSE(d.memory.Head(layout.ShardOutcomeKey(kDate, "threads-run", RecordStatus::kFailure, 0))->exists);
}

}  // namespace
}  // namespace ridesweep::sweep
