// Cancelling a run (cancel_marker.h): a shard of a cancelled run is acknowledged without simulating; a marker
// written while a shard runs stops it before its next point, keeping the committed points; CancelWatch asks the
// store at every shard start but at most once per interval before points.
#include <gtest/gtest.h>

#include <string>

#include "ridesweep/store/memory_store.h"
#include "ridesweep/store/object_store_wrapper.h"
#include "ridesweep/sweep/cancel_marker.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/worker.h"
#include "worker_test_support.h"

namespace ridesweep::sweep {
namespace {

using store::MemoryStore;
using testing::AttemptFor;
using testing::ReadmeTime;
using testing::RecordingEncoder;
using testing::Validate;

constexpr std::string_view kPrefix = "serverless-sweeps/outcomes";
constexpr std::string_view kDate = "2026-02-14";
// Four points in two shards of two.
constexpr std::string_view kFourPoints =
    R"({"run_id":"cancel-run","dimensions":{"num_drivers":[2,3],"num_riders":[4,5]},"shard_count":2,"seed":7})";

// Writes the cancel marker right after the first point commits (its effective_parameters object), as
// `ridesweep cancel` would while the shard runs; counts the marker look-ups.
class CancelAfterFirstPointStore : public store::ObjectStoreWrapper {
 public:
  CancelAfterFirstPointStore(ObjectStore* target, const Clock* clock) : ObjectStoreWrapper(target), clock_(clock) {}
  Status Put(std::string_view key, std::string_view data, std::string_view content_type) override {
    Status put = ObjectStoreWrapper::Put(key, data, content_type);
    if (armed_ && key.find("dataset=effective_parameters/") != std::string_view::npos) {
      armed_ = false;
      RIDESWEEP_CHECK(WriteCancelMarker(*target(), kPrefix, "cancel-run", clock_->Now()).ok());
    }
    return put;
  }
  Result<ObjectInfo> Head(std::string_view key) override {
    if (key.ends_with("/cancel.json")) ++marker_heads_;
    return ObjectStoreWrapper::Head(key);
  }
  bool armed_ = false;
  int marker_heads_ = 0;

 private:
  const Clock* clock_;
};

class WorkerCancelTest : public ::testing::Test {
 protected:
  WorkerCancelTest() {
    ctx_.store = &store_;
    ctx_.clock = &clock_;
    ctx_.config.results_prefix = std::string(kPrefix);
  }
  FakeClock clock_{ReadmeTime()};
  MemoryStore memory_;
  CancelAfterFirstPointStore store_{&memory_, &clock_};
  RecordingEncoder encoder_;
  WorkerContext ctx_;
  StorageLayout layout_{kPrefix};
};

TEST_F(WorkerCancelTest, ShardOfACancelledRunIsAcknowledgedWithoutSimulating) {
  ASSERT_TRUE(WriteCancelMarker(memory_, kPrefix, "cancel-run", clock_.Now()).ok());
  const ShardRunOutcome outcome = RunShard(AttemptFor(Validate(kFourPoints), 0), encoder_, ctx_);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kCancelled);
  EXPECT_EQ(outcome.error->message, "Run cancel-run was cancelled; stopped before the shard started (not retried)");
  EXPECT_FALSE(outcome.retry);  // permanent: acknowledged, never redelivered
  EXPECT_TRUE(outcome.failure_recorded);
  EXPECT_EQ(outcome.points_processed, 0u);
  EXPECT_EQ(encoder_.outcomes().back().error_code, "cancelled");
  EXPECT_EQ(memory_.size(), 2u);  // the marker and the failure record: no point object
  EXPECT_TRUE(memory_.Head(layout_.ShardOutcomeKey(kDate, "cancel-run", RecordStatus::kFailure, 0))->exists);
}

TEST_F(WorkerCancelTest, MarkerWrittenMidShardStopsBeforeTheNextPointAndKeepsTheCommittedOne) {
  store_.armed_ = true;
  const ShardRunOutcome outcome = RunShard(AttemptFor(Validate(kFourPoints), 1), encoder_, ctx_);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kCancelled);
  EXPECT_EQ(outcome.error->message, "Run cancel-run was cancelled; stopped before point 3 (not retried)");
  EXPECT_FALSE(outcome.retry);
  EXPECT_EQ(outcome.points_processed, 1u);
  EXPECT_TRUE(memory_.Head(layout_.PointKey(Dataset::kEffectiveParameters, kDate, "cancel-run", 1, 2))->exists);
  EXPECT_FALSE(memory_.Head(layout_.PointKey(Dataset::kShardMetrics, kDate, "cancel-run", 1, 3))->exists);
}

TEST_F(WorkerCancelTest, CancelWatchAsksAtShardStartAndThrottlesPointChecks) {
  CancelWatch watch(std::chrono::milliseconds(1000));
  ctx_.cancels = &watch;
  const ValidatedRequest v = Validate(kFourPoints);
  ASSERT_TRUE(RunShard(AttemptFor(v, 0), encoder_, ctx_).succeeded);
  // The fake clock stands still: one look-up at the shard start, the two points reuse it.
  EXPECT_EQ(store_.marker_heads_, 1);
  ASSERT_TRUE(RunShard(AttemptFor(v, 1), encoder_, ctx_).succeeded);
  EXPECT_EQ(store_.marker_heads_, 2);  // every shard start asks again

  // Past the interval a point asks again and sees the marker.
  ASSERT_TRUE(WriteCancelMarker(memory_, kPrefix, "cancel-run", clock_.Now()).ok());
  clock_.Advance(std::chrono::milliseconds(1001));
  Result<bool> cancelled = watch.Cancelled(memory_, kPrefix, "cancel-run", clock_.Now(), false);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_TRUE(*cancelled);
}

TEST(CancelMarkerTest, ReadBackGivesTheTimeOrNothing) {
  MemoryStore memory;
  Result<std::optional<std::string>> absent = ReadCancelMarker(memory, kPrefix, "r");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  ASSERT_TRUE(WriteCancelMarker(memory, kPrefix, "r", ReadmeTime()).ok());
  EXPECT_EQ(*memory.Get("serverless-sweeps/outcomes/runs/run_id=r/cancel.json"),
            CancelMarkerJson("r", ReadmeTime()));
  Result<std::optional<std::string>> present = ReadCancelMarker(memory, kPrefix, "r");
  ASSERT_TRUE(present.ok() && present->has_value());
  EXPECT_EQ(**present, Rfc3339Micros(ReadmeTime()));
}

}  // namespace
}  // namespace ridesweep::sweep
