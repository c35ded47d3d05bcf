// Run progress from stored keys alone: succeeded / failed (failure without success) / pending (planned, no
// record) shards and committed points, with and without a manifest; listing stays inside the run's partitions
// when the manifest gives the run_date; store errors propagate.
#include "ridesweep/analytics/run_progress.h"

#include <gtest/gtest.h>

#include "ridesweep/store/fault_injecting_store.h"
#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

using testing::FixtureRun;

class RunProgressTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  testing::ResultsWriter writer_{dir_.path(), std::string(testing::kPrefix)};
};

TEST_F(RunProgressTest, CountsShardStatesAndCommittedPoints) {
  const FixtureRun run = testing::RunA();
  writer_.WriteRun(run);
  writer_.WriteRun(testing::RunB());
  store::FaultInjectingStore recording(&writer_.store());
  Result<RunProgress> progress = ComputeRunProgress(recording, testing::kPrefix, run.run_id);
  ASSERT_TRUE(progress.ok()) << progress.status().ToString();
  EXPECT_EQ(progress->manifest_state, ManifestState::kFound);
  EXPECT_EQ(progress->run_date, run.run_date);
  EXPECT_EQ(progress->shards_planned, testing::kRunAExpectedShards);
  EXPECT_EQ(progress->points_planned, 24u);
  EXPECT_EQ(progress->shards_succeeded, 9u);  // shards 3 and 9 count although they have failure records
  EXPECT_EQ(progress->shards_failed, 2u);
  EXPECT_EQ(progress->failed_shard_ids, (std::vector<uint64_t>{5, 11}));
  EXPECT_EQ(progress->shards_pending, 1u);
  EXPECT_EQ(progress->pending_shard_ids, (std::vector<uint64_t>{7}));
  EXPECT_EQ(progress->points_committed, static_cast<uint64_t>(testing::CommittedPoints(run)));
  EXPECT_FALSE(progress->complete());
  // Only the run's own partitions were listed.
  std::vector<std::string> listed;
  for (const store::StoreCall& call : recording.Calls()) {
    if (call.op == store::StoreOp::kList) listed.push_back(call.key);
  }
  EXPECT_EQ(listed, (std::vector<std::string>{
                        "serverless-sweeps/outcomes/dataset=shard_outcomes/run_date=2026-02-14/"
                        "run_id_partition=sweep-a/",
                        "serverless-sweeps/outcomes/dataset=effective_parameters/run_date=2026-02-14/"
                        "run_id_partition=sweep-a/"}));
}

TEST_F(RunProgressTest, CompleteRunIsComplete) {
  const FixtureRun run = testing::RunB();
  writer_.WriteRun(run);
  Result<RunProgress> progress = ComputeRunProgress(writer_.store(), testing::kPrefix, run.run_id);
  ASSERT_TRUE(progress.ok());
  EXPECT_TRUE(progress->complete());
  EXPECT_EQ(progress->shards_pending, 0u);
  EXPECT_EQ(progress->points_committed, 2u);
}

TEST_F(RunProgressTest, WithoutManifestKeysAloneGiveCountsAndDate) {
  const FixtureRun run = testing::RunA();
  writer_.WriteRun(run, /*with_manifest=*/false);
  writer_.WriteRun(testing::RunB());
  // A stray object under the dataset prefix is ignored.
  ASSERT_TRUE(
      writer_.store().Put("serverless-sweeps/outcomes/dataset=shard_outcomes/notes.txt", "x", "text/plain").ok());
  Result<RunProgress> progress = ComputeRunProgress(writer_.store(), testing::kPrefix, run.run_id);
  ASSERT_TRUE(progress.ok()) << progress.status().ToString();
  EXPECT_EQ(progress->manifest_state, ManifestState::kAbsent);
  EXPECT_EQ(progress->run_date, run.run_date);
  EXPECT_FALSE(progress->shards_planned.has_value());
  EXPECT_FALSE(progress->shards_pending.has_value());
  EXPECT_TRUE(progress->pending_shard_ids.empty());
  EXPECT_EQ(progress->shards_succeeded, 9u);
  EXPECT_EQ(progress->shards_failed, 2u);
  EXPECT_EQ(progress->points_committed, static_cast<uint64_t>(testing::CommittedPoints(run)));
  EXPECT_FALSE(progress->complete());
}

TEST_F(RunProgressTest, AcceptedRunWithNothingRunYetIsAllPending) {
  writer_.WriteManifest(testing::MakeManifest("fresh", "2026-04-01", 6, 3));
  Result<RunProgress> progress = ComputeRunProgress(writer_.store(), testing::kPrefix, "fresh");
  ASSERT_TRUE(progress.ok());
  EXPECT_EQ(progress->shards_pending, 3u);
  EXPECT_EQ(progress->pending_shard_ids, (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_EQ(progress->points_committed, 0u);
  EXPECT_EQ(progress->points_planned, 6u);
}

TEST_F(RunProgressTest, StoreErrorsPropagate) {
  writer_.WriteRun(testing::RunB());
  store::FaultInjectingStore faulty(&writer_.store());
  faulty.FailCallsContaining({store::StoreOp::kList}, "dataset=effective_parameters", UnavailableError("down"));
  Result<RunProgress> progress = ComputeRunProgress(faulty, testing::kPrefix, "sweep-b");
  ASSERT_FALSE(progress.ok());
  EXPECT_EQ(progress.status().code(), StatusCode::kUnavailable);

  faulty.ClearRules();
  faulty.FailCallsContaining({store::StoreOp::kGet}, "manifest.json", UnavailableError("slow"));
  EXPECT_EQ(ComputeRunProgress(faulty, testing::kPrefix, "sweep-b").status().code(), StatusCode::kUnavailable);

  // A permanent manifest read problem is not fatal: the keys still answer.
  faulty.ClearRules();
  faulty.FailCallsContaining({store::StoreOp::kGet}, "manifest.json", FailedPreconditionError("denied"));
  Result<RunProgress> degraded = ComputeRunProgress(faulty, testing::kPrefix, "sweep-b");
  ASSERT_TRUE(degraded.ok());
  EXPECT_EQ(degraded->manifest_state, ManifestState::kUnreadable);
  EXPECT_EQ(degraded->shards_succeeded, 2u);
}

}  // namespace
}  // namespace ridesweep::analytics
