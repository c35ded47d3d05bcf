// The worker in the per_shard layout (output_layout.h) against an in-memory store, the real Parquet encoder and
// spill and the real engine on tiny points: one object per dataset per shard before the success outcome, nothing
// per point, the shard as the unit of resume, byte-identical objects whatever the number of point threads, and a
// failed shard write that leaves no success outcome.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ridesweep/store/fault_injecting_store.h"
#include "ridesweep/store/memory_store.h"
#include "ridesweep/store/parquet_shard_spill.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/worker.h"
#include "worker_test_support.h"

namespace ridesweep::sweep {
namespace {

using store::FaultInjectingStore;
using store::MemoryStore;
using store::StoreOp;
using testing::AttemptFor;
using testing::IsParquet;
using testing::LogCapture;
using testing::ReadmeTime;
using testing::RecordingEncoder;
using testing::Snapshot;
using testing::Validate;

constexpr std::string_view kPrefix = "serverless-sweeps/outcomes";
constexpr std::string_view kDate = "2026-02-14";
// Four points in two shards of two, compact layout.
constexpr std::string_view kFourPoints =
    R"({"run_id":"compact-run","dimensions":{"num_drivers":[2,3],"num_riders":[4,5]},"shard_count":2,"seed":7,)"
    R"("layout":"per_shard"})";

class WorkerPerShardTest : public ::testing::Test {
 protected:
  WorkerPerShardTest() {
    ctx_.store = &store_;
    ctx_.clock = &clock_;
    ctx_.log = logs_.log();
    ctx_.manifests = &manifests_;
    ctx_.spills = store::ParquetShardSpillFactory();
    ctx_.config.results_prefix = std::string(kPrefix);
  }

  std::vector<std::string> ShardKeys(uint64_t shard) const {
    std::vector<std::string> keys;
    for (Dataset d : {Dataset::kShardMetrics, Dataset::kTripData, Dataset::kSnapshotCounts,
                      Dataset::kEffectiveParameters}) {
      keys.push_back(layout_.ShardKey(d, kDate, "compact-run", shard));
    }
    return keys;
  }
  std::string OutcomeKey(uint64_t shard) const {
    return layout_.ShardOutcomeKey(kDate, "compact-run", RecordStatus::kSuccess, shard);
  }

  FakeClock clock_{ReadmeTime()};
  MemoryStore memory_;
  FaultInjectingStore store_{&memory_};
  LogCapture logs_{&clock_};
  ManifestCache manifests_;
  RecordingEncoder encoder_;
  WorkerContext ctx_;
  StorageLayout layout_{kPrefix};
};

TEST_F(WorkerPerShardTest, WritesOneObjectPerDatasetThenTheSuccessOutcome) {
  const ShardRunOutcome outcome = RunShard(AttemptFor(Validate(kFourPoints), 1), encoder_, ctx_);
  ASSERT_TRUE(outcome.succeeded) << outcome.error->message;
  EXPECT_EQ(outcome.points_processed, 2u);
  std::vector<std::string> expected = ShardKeys(1);
  expected.push_back(OutcomeKey(1));
  EXPECT_EQ(store_.SucceededKeys(StoreOp::kPut), expected);
  for (const auto& [key, bytes] : Snapshot(memory_)) EXPECT_TRUE(IsParquet(bytes)) << key;
  // The per-point encoder wrote nothing but the outcome; the outcome names the shard's metrics object.
  EXPECT_TRUE(encoder_.metrics().empty());
  ASSERT_EQ(encoder_.outcomes().size(), 1u);
  EXPECT_EQ(encoder_.outcomes()[0].result_key, ShardKeys(1)[0]);
  EXPECT_EQ(encoder_.outcomes()[0].points_processed, 2);
}

TEST_F(WorkerPerShardTest, ACommittedShardIsSkippedWhole) {
  const ValidatedRequest v = Validate(kFourPoints);
  ASSERT_TRUE(RunShard(AttemptFor(v, 0), encoder_, ctx_).succeeded);
  const auto first = Snapshot(memory_);
  store_.ClearCalls();
  const ShardRunOutcome again = RunShard(AttemptFor(v, 0, kDate, 2), encoder_, ctx_);
  ASSERT_TRUE(again.succeeded);
  EXPECT_EQ(again.points_skipped, 2u);
  EXPECT_EQ(store_.SucceededKeys(StoreOp::kPut), std::vector<std::string>{OutcomeKey(0)});
  const auto second = Snapshot(memory_);
  for (const std::string& key : ShardKeys(0)) EXPECT_EQ(second.at(key), first.at(key)) << key;
}

TEST_F(WorkerPerShardTest, AMissingShardObjectMakesTheWholeShardRunAgain) {
  const ValidatedRequest v = Validate(kFourPoints);
  ASSERT_TRUE(RunShard(AttemptFor(v, 0), encoder_, ctx_).succeeded);
  const auto first = Snapshot(memory_);
  ASSERT_TRUE(memory_.Delete(ShardKeys(0)[1]).ok());
  const ShardRunOutcome again = RunShard(AttemptFor(v, 0, kDate, 2), encoder_, ctx_);
  ASSERT_TRUE(again.succeeded);
  EXPECT_EQ(again.points_skipped, 0u);
  const auto second = Snapshot(memory_);
  EXPECT_EQ(second.size(), first.size());
  // Same bytes (the outputs are deterministic); the outcome differs only in its attempt and times.
  for (const std::string& key : ShardKeys(0)) EXPECT_EQ(second.at(key), first.at(key)) << key;
}

TEST_F(WorkerPerShardTest, PointThreadsDoNotChangeTheBytes) {
  const ValidatedRequest v = Validate(kFourPoints);
  ASSERT_TRUE(RunShard(AttemptFor(v, 0), encoder_, ctx_).succeeded);
  const auto one_thread = Snapshot(memory_);
  ASSERT_TRUE(memory_.Delete(OutcomeKey(0)).ok());
  for (const std::string& key : ShardKeys(0)) ASSERT_TRUE(memory_.Delete(key).ok());
  RecordingEncoder second;
  DatasetEncoder* const encoders[] = {&encoder_, &second};
  ASSERT_TRUE(RunShard(AttemptFor(v, 0), encoders, ctx_, nullptr).succeeded);
  const auto two_threads = Snapshot(memory_);
  for (const std::string& key : ShardKeys(0)) EXPECT_EQ(two_threads.at(key), one_thread.at(key)) << key;
}

TEST_F(WorkerPerShardTest, AFailedShardWriteLeavesNoSuccessOutcome) {
  store_.FailPutsUnderPrefix(layout_.prefix() + "/dataset=snapshot_counts_per_shard/", UnavailableError("503"));
  const ShardRunOutcome outcome = RunShard(AttemptFor(Validate(kFourPoints), 0), encoder_, ctx_);
  ASSERT_FALSE(outcome.succeeded);
  EXPECT_TRUE(outcome.retry);
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kStorageError);
  EXPECT_FALSE(memory_.Head(OutcomeKey(0))->exists);
}

TEST_F(WorkerPerShardTest, AWorkerWithoutASpillFailsTheShardClearly) {
  ctx_.spills = nullptr;
  const ShardRunOutcome outcome = RunShard(AttemptFor(Validate(kFourPoints), 0), encoder_, ctx_);
  ASSERT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kInternalError);
  EXPECT_NE(outcome.error->message.find("per_shard"), std::string::npos) << outcome.error->message;
  for (const std::string& key : ShardKeys(0)) EXPECT_FALSE(memory_.Head(key)->exists);
}

}  // namespace
}  // namespace ridesweep::sweep
