// The §7.4 deadline guard with injected clocks: the guard's arithmetic, a shard stopped before a point it cannot
// finish (T13: points of "6 s" against a 30 s deadline) and finished over redeliveries that skip committed points,
// a point cancelled mid-run that leaves no objects, and E carried over between the shards of one invocation.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <string>

#include "ridesweep/store/memory_store.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/worker.h"
#include "worker_test_support.h"

namespace ridesweep::sweep {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using store::MemoryStore;
using testing::AttemptFor;
using testing::LogCapture;
using testing::ReadmeTime;
using testing::RecordingEncoder;
using testing::Snapshot;
using testing::Validate;

constexpr std::string_view kDate = "2026-02-14";
constexpr std::string_view kThreePoints =
    R"({"run_id":"deadline-run","dimensions":{"num_drivers":[2],"num_riders":[4,5,6]},"shard_count":1})";
// ~75,000 events (100 simulated hours): the engine polls its stop check 9 times.
constexpr std::string_view kLongPoint =
    R"({"run_id":"deadline-run","dimensions":{"num_drivers":[2],"num_riders":[4],"simulation_duration_hours":[100]},)"
    R"("shard_count":1})";

// Moves forward by a fixed step on every reading, so time passes while the engine polls its stop check.
class SteppingClock final : public Clock {
 public:
  SteppingClock(WallTime start, milliseconds step)
      : now_ns_(start.time_since_epoch().count()),
        step_ns_(std::chrono::duration_cast<WallTime::duration>(step).count()) {}
  WallTime Now() const override { return WallTime(WallTime::duration(now_ns_.fetch_add(step_ns_))); }

 private:
  mutable std::atomic<WallTime::rep> now_ns_;
  WallTime::rep step_ns_;
};

TEST(DeadlineGuardTest, StopsBeforeAPointWhenLessThanMarginPlusLongestPointIsLeft) {
  FakeClock clock(ReadmeTime());
  DeadlineGuard guard(&clock, ReadmeTime() + seconds(30), 20'000);
  int64_t remaining = 0;
  EXPECT_FALSE(guard.ShouldStopBeforePoint(&remaining));
  EXPECT_EQ(remaining, 30'000);
  guard.RecordPointDuration(milliseconds(6'000));
  guard.RecordPointDuration(milliseconds(2'000));  // E is the longest seen
  EXPECT_EQ(guard.longest_point_ms(), 6'000u);
  clock.Advance(milliseconds(4'000));  // 26 000 left = M + E: still enough
  EXPECT_FALSE(guard.ShouldStopBeforePoint(&remaining));
  clock.Advance(milliseconds(1));
  EXPECT_TRUE(guard.ShouldStopBeforePoint(&remaining));
  EXPECT_EQ(remaining, 25'999);
  clock.Advance(milliseconds(60'000));
  EXPECT_TRUE(guard.ShouldStopBeforePoint(&remaining));
  EXPECT_EQ(remaining, -34'001);
}

TEST(DeadlineGuardTest, CancelsARunningPointBelowHalfTheMargin) {
  FakeClock clock(ReadmeTime());
  DeadlineGuard guard(&clock, ReadmeTime() + seconds(10), 20'000);
  int64_t remaining = 0;
  EXPECT_FALSE(guard.ShouldCancelRunningPoint(&remaining));  // 10 000 is not below 10 000
  EXPECT_EQ(remaining, 10'000);
  // M / 2 is not rounded down: 10 000 ms is below 20 001 / 2.
  DeadlineGuard odd(&clock, ReadmeTime() + seconds(10), 20'001);
  EXPECT_TRUE(odd.ShouldCancelRunningPoint(&remaining));
  clock.Advance(milliseconds(1));
  EXPECT_TRUE(guard.ShouldCancelRunningPoint(&remaining));
  EXPECT_EQ(remaining, 9'999);
}

TEST(DeadlineGuardTest, Texts) {
  const ShardError stopped = DeadlineGuard::StoppedBeforePoint(7, 1234, 2, 5);
  EXPECT_EQ(stopped.code, ShardErrorCode::kTimeout);
  EXPECT_EQ(stopped.message, "Deadline guard: stopped before point 7 with 1234 ms left; 2 of 5 points written");
  const ShardError cancelled = DeadlineGuard::CancelledPoint(7, -5, 2, 5);
  EXPECT_EQ(cancelled.code, ShardErrorCode::kTimeout);
  EXPECT_EQ(cancelled.message, "Deadline guard: cancelled point 7 with -5 ms left; 2 of 5 points written");
}

class DeadlineTest : public ::testing::Test {
 protected:
  DeadlineTest() {
    ctx_.store = &memory_;
    ctx_.clock = &clock_;
    ctx_.log = logs_.log();
    ctx_.manifests = &manifests_;
    // Every point "takes 6 s".
    encoder_.before_metrics = [this] { clock_.Advance(seconds(6)); };
  }

  FakeClock clock_{ReadmeTime()};
  MemoryStore memory_;
  LogCapture logs_{&clock_};
  ManifestCache manifests_;
  RecordingEncoder encoder_;
  WorkerContext ctx_;
  StorageLayout layout_{ctx_.config.results_prefix};
};

// T13: deadline 30 s, margin 20 s, points of 6 s.
TEST_F(DeadlineTest, TimeoutBeforeTheDeadlineThenRedeliveriesFinishTheShard) {
  const ValidatedRequest v = Validate(kThreePoints);
  const std::string failure_key = layout_.ShardOutcomeKey(kDate, "deadline-run", RecordStatus::kFailure, 0);
  const std::string success_key = layout_.ShardOutcomeKey(kDate, "deadline-run", RecordStatus::kSuccess, 0);

  // Attempt 1: point 0 runs (24 s left), then 24 s < 20 s + 6 s stops the shard before point 1.
  WallTime deadline = clock_.Now() + seconds(30);
  ShardRunOutcome outcome = RunShard(AttemptFor(v, 0, kDate, 1), encoder_, ctx_, deadline);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kTimeout);
  EXPECT_EQ(outcome.error->message,
            "Deadline guard: stopped before point 1 with 24000 ms left; 1 of 3 points written");
  EXPECT_TRUE(outcome.retry);
  EXPECT_TRUE(outcome.failure_recorded);
  EXPECT_EQ(outcome.points_processed, 1u);
  EXPECT_LT(clock_.Now(), deadline);
  ASSERT_TRUE(memory_.Head(failure_key)->exists);
  const ShardOutcomeRow& record = encoder_.outcomes().back();
  EXPECT_EQ(record.error_code, "timeout");
  EXPECT_EQ(record.points_processed, 1);
  EXPECT_EQ(record.completed_time, Rfc3339Micros(ReadmeTime() + seconds(6)));
  const JsonObject guard = logs_.OnlyDetails("deadline_guard_triggered");
  EXPECT_EQ(LogCapture::Keys(guard), (std::set<std::string>{"attempt", "longest_point_ms", "margin_ms", "message_id",
                                                              "point_index", "remaining_ms", "run_id", "shard_id"}));
  EXPECT_EQ(guard.Find("point_index")->as_unsigned(), 1u);
  EXPECT_EQ(guard.Find("remaining_ms")->as_unsigned(), 24'000u);
  // What the guard decided with (24 s < M 20 s + E 6 s), so a reader can check the decision exactly.
  EXPECT_EQ(guard.Find("margin_ms")->as_unsigned(), 20'000u);
  EXPECT_EQ(guard.Find("longest_point_ms")->as_unsigned(), 6'000u);

  // Attempt 2 (a fresh invocation): point 0 is skipped, point 1 runs, point 2 does not fit.
  deadline = clock_.Now() + seconds(30);
  outcome = RunShard(AttemptFor(v, 0, kDate, 2), encoder_, ctx_, deadline);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->message,
            "Deadline guard: stopped before point 2 with 24000 ms left; 2 of 3 points written");
  EXPECT_EQ(outcome.points_processed, 1u);
  EXPECT_EQ(outcome.points_skipped, 1u);
  EXPECT_EQ(encoder_.metrics().size(), 2u);

  // Attempt 3: points 0 and 1 are skipped, point 2 runs, the shard commits.
  deadline = clock_.Now() + seconds(30);
  outcome = RunShard(AttemptFor(v, 0, kDate, 3), encoder_, ctx_, deadline);
  ASSERT_TRUE(outcome.succeeded) << outcome.error->message;
  EXPECT_EQ(outcome.points_processed, 3u);
  EXPECT_EQ(outcome.points_skipped, 2u);
  EXPECT_EQ(encoder_.metrics().size(), 3u);  // each point simulated exactly once
  EXPECT_EQ(encoder_.outcomes().back().points_processed, 3);
  EXPECT_TRUE(memory_.Head(success_key)->exists);
  EXPECT_FALSE(memory_.Head(failure_key)->exists);
  EXPECT_EQ(Snapshot(memory_).size(), 3u * 4u + 1u);
}

// T13: a point cancelled while it runs leaves no objects of its own.
TEST_F(DeadlineTest, PointCancelledMidRunLeavesNoObjects) {
  SteppingClock clock(ReadmeTime(), milliseconds(5'000));
  ctx_.clock = &clock;
  encoder_.before_metrics = nullptr;
  const ShardRunOutcome outcome =
      RunShard(AttemptFor(Validate(kLongPoint), 0), encoder_, ctx_, ReadmeTime() + seconds(40));
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kTimeout);
  std::smatch match;
  ASSERT_TRUE(std::regex_match(
      outcome.error->message, match,
      std::regex(R"(Deadline guard: cancelled point 0 with (-?\d+) ms left; 0 of 1 points written)")))
      << outcome.error->message;
  const int64_t remaining = std::stoll(match[1].str());
  EXPECT_LT(2 * remaining, 20'000);  // below M / 2 …
  EXPECT_GE(2 * remaining, 10'000);  // … and caught at the first poll that got there (5 s per reading)
  EXPECT_TRUE(outcome.retry);
  EXPECT_TRUE(encoder_.metrics().empty());
  const auto objects = Snapshot(memory_);
  ASSERT_EQ(objects.size(), 1u);  // the timeout record only
  EXPECT_EQ(objects.begin()->first, layout_.ShardOutcomeKey(kDate, "deadline-run", RecordStatus::kFailure, 0));
  const JsonObject guard = logs_.OnlyDetails("deadline_guard_triggered");
  EXPECT_EQ(guard.Find("point_index")->as_unsigned(), 0u);
  EXPECT_EQ(guard.Find("remaining_ms")->as_unsigned(), static_cast<uint64_t>(remaining));
}

// §7.4: E is per invocation, so one guard shared by the records of a batch carries it from shard to shard.
TEST_F(DeadlineTest, LongestPointCarriesOverBetweenShardsOfAnInvocation) {
  const ValidatedRequest v = Validate(
      R"({"run_id":"deadline-run","dimensions":{"num_drivers":[2],"num_riders":[4,5]},"shard_count":2})");
  DeadlineGuard guard(&clock_, clock_.Now() + seconds(32), 20'000);
  ASSERT_TRUE(RunShard(AttemptFor(v, 0), encoder_, ctx_, &guard).succeeded);  // 26 s left afterwards
  EXPECT_EQ(guard.longest_point_ms(), 6'000u);
  const ShardRunOutcome second = RunShard(AttemptFor(v, 1), encoder_, ctx_, &guard);
  ASSERT_TRUE(second.succeeded);  // 26 s = M + E is just enough
  const ShardRunOutcome third = RunShard(AttemptFor(v, 0), encoder_, ctx_, &guard);
  EXPECT_TRUE(third.succeeded);  // everything committed: skipped points need no time
  ctx_.config.skip_existing_points = false;
  const ShardRunOutcome fourth = RunShard(AttemptFor(v, 1), encoder_, ctx_, &guard);
  ASSERT_TRUE(fourth.error.has_value());
  EXPECT_EQ(fourth.error->message,
            "Deadline guard: stopped before point 1 with 20000 ms left; 0 of 1 points written");
}

// Without a deadline the guard never interferes, however long the points take.
TEST_F(DeadlineTest, NoDeadlineNoGuard) {
  const ShardRunOutcome outcome = RunShard(AttemptFor(Validate(kThreePoints), 0), encoder_, ctx_);
  EXPECT_TRUE(outcome.succeeded);
  EXPECT_TRUE(logs_.Events("deadline_guard_triggered").empty());
}

}  // namespace
}  // namespace ridesweep::sweep
