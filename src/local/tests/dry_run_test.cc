// `ridesweep run --dry-run` as a library call: a rejected request gets the real accept path's answer, a valid one
// a plan (points, shards, objects and bytes per layout, a calibrated time), and the results store is never
// written.
#include "ridesweep/local/dry_run.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "ridesweep/store/local_dir_store.h"
#include "ridesweep/store/memory_store.h"
#include "ridesweep/store/parquet_dataset_encoder.h"
#include "ridesweep/sweep/ports.h"

namespace ridesweep::local {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kRequest =
    R"({"run_id":"dry-1","dimensions":{"num_drivers":[2,3],"num_riders":[10,30,20],)"
    R"("simulation_duration_hours":[1]},"shard_count":2})";

class DryRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ridesweep-dry-run-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    auto store = store::LocalDirStore::Open(dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    base_ = std::move(store).value();
    auto encoder = store::ParquetDatasetEncoder::Create();
    ASSERT_TRUE(encoder.ok());
    encoder_ = std::move(encoder).value();
  }
  void TearDown() override { fs::remove_all(dir_); }

  size_t FilesUnderResults() const {
    size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) files += entry.is_regular_file() ? 1 : 0;
    return files;
  }

  fs::path dir_;
  std::unique_ptr<store::LocalDirStore> base_;
  std::unique_ptr<store::ParquetDatasetEncoder> encoder_;
};

TEST_F(DryRunTest, PlansObjectsBytesAndTimeWithoutWritingAnything) {
  DryRunOptions options;
  options.threads = 2;
  Result<DryRunResult> result = PlanDryRun(kRequest, base_.get(), *encoder_, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->response.status_code, 202) << result->response.body;
  ASSERT_TRUE(result->plan.has_value());
  const DryRunPlan& plan = *result->plan;
  EXPECT_EQ(plan.run_id, "dry-1");
  EXPECT_EQ(plan.points, 6u);
  EXPECT_EQ(plan.shards, 2u);
  EXPECT_EQ(plan.largest_shard_points, 3u);
  EXPECT_EQ(plan.per_point.objects, 4u * 6u + 2u + 2u);  // four per point, an outcome per shard, context, manifest
  EXPECT_EQ(plan.per_shard.objects, 4u * 2u + 2u + 2u);  // four per shard, the same others
  EXPECT_GT(plan.per_point.bytes, plan.per_shard.bytes);  // fewer files, fewer footers
  EXPECT_GT(plan.per_shard.bytes, 0u);
  EXPECT_EQ(plan.calibration_points, 3u);
  ASSERT_TRUE(plan.point_seconds.has_value() && plan.estimated_wall_seconds.has_value());
  EXPECT_GT(*plan.point_seconds, 0);
  EXPECT_GE(*plan.estimated_wall_seconds, *plan.point_seconds / 2);
  EXPECT_EQ(FilesUnderResults(), 0u);
}

TEST_F(DryRunTest, WithoutCalibrationThereIsNoTimeAndNoBytes) {
  DryRunOptions options;
  options.calibration_points = 0;
  Result<DryRunResult> result = PlanDryRun(kRequest, nullptr, *encoder_, options);
  ASSERT_TRUE(result.ok() && result->plan.has_value());
  EXPECT_EQ(result->plan->per_point.objects, 28u);
  EXPECT_FALSE(result->plan->point_seconds.has_value());
  EXPECT_EQ(result->plan->calibration_points, 0u);
}

TEST_F(DryRunTest, AnInvalidRequestGetsTheRealAcceptPathsAnswer) {
  const std::string invalid = R"({"run_id":"bad id","dimensions":{"num_riders":[10]},"shard_count":1})";
  Result<DryRunResult> dry = PlanDryRun(invalid, base_.get(), *encoder_, {});
  ASSERT_TRUE(dry.ok());
  EXPECT_FALSE(dry->plan.has_value());

  // The same request through the real accept path.
  store::MemoryStore memory;
  class NoDispatch final : public sweep::ShardDispatcher {
   public:
    std::string_view target() const override { return "none"; }
    sweep::DispatchReport Dispatch(std::span<const sweep::ShardMessage>) override { return {}; }
  } dispatcher;
  const sweep::SystemClock clock;
  sweep::SubmitContext ctx;
  ctx.store = &memory;
  ctx.encoder = encoder_.get();
  ctx.dispatcher = &dispatcher;
  ctx.clock = &clock;
  ctx.config.ingress.max_shards_ceiling = 1000;
  const sweep::SubmitResponse real = sweep::SubmitRequestBytes(invalid, sweep::RequestSource::kLocalCli, ctx);
  EXPECT_EQ(dry->response.status_code, real.status_code);
  EXPECT_EQ(dry->response.status_code, 400);
  EXPECT_EQ(dry->response.body, real.body);
  EXPECT_EQ(FilesUnderResults(), 0u);
}

TEST(RunFootprintTest, ParquetFixedBytesReadsTheFooterLength) {
  std::string file = "PAR1";
  file += std::string(100, 'd');      // data pages
  file += std::string(30, 'f');       // footer
  file += std::string("\x1e\0\0\0", 4);  // footer length 30, little endian
  file += "PAR1";
  EXPECT_EQ(ParquetFixedBytes(file), 42u);
  EXPECT_EQ(ParquetFixedBytes("not parquet"), 0u);
}

TEST(RunFootprintTest, PerShardStoresOneFixedPartPerShard) {
  PointObjectSizes sizes;
  sizes.bytes = {100, 300, 200, 150};
  sizes.fixed_bytes = {80, 60, 70, 90};
  const RunFootprint per_point = PerPointFootprint(200'000, 1000, sizes, 5000);
  const RunFootprint per_shard = PerShardFootprint(200'000, 1000, sizes, 5000);
  EXPECT_EQ(per_point.objects, 801'002u);
  EXPECT_EQ(per_shard.objects, 5002u);
  EXPECT_EQ(per_point.bytes, 200'000u * 750u + 5000u);
  EXPECT_EQ(per_shard.bytes, 200'000u * (20u + 240u + 130u + 60u) + 1000u * 300u + 5000u);
}

}  // namespace
}  // namespace ridesweep::local
