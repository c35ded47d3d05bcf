// Shard plans are contiguous, cover [0, total) and are balanced (sizes differ by at most one, larger first); the
// cap is min(request max_shards, server ceiling).
#include "ridesweep/sweep/shard_plan.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace ridesweep::sweep {
namespace {

std::vector<std::pair<uint64_t, uint64_t>> Ranges(const ShardPlan& plan) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  for (const ShardRange& s : plan.shards) out.emplace_back(s.start_index, s.end_index_exclusive);
  return out;
}

TEST(ShardPlanTest, ShardSizeOnlyFixesTheCount) {
  ApiResult<ShardPlan> plan = PlanShards(10, std::nullopt, 3, 1000);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Ranges(*plan), (std::vector<std::pair<uint64_t, uint64_t>>{{0, 3}, {3, 6}, {6, 8}, {8, 10}}));
  EXPECT_EQ(plan->strategy, ShardStrategy::kDerivedFromShardSize);
  EXPECT_EQ(ShardStrategyName(plan->strategy), "derived_from_shard_size");
}

TEST(ShardPlanTest, SixPointsFourShardsIsStable) {
  ApiResult<ShardPlan> a = PlanShards(6, 4, std::nullopt, 1000);
  ApiResult<ShardPlan> b = PlanShards(6, 4, std::nullopt, 1000);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Ranges(*a), Ranges(*b));
  EXPECT_EQ(a->shards.front().start_index, 0u);
  EXPECT_EQ(a->shards.back().end_index_exclusive, 6u);
  EXPECT_EQ(Ranges(*a), (std::vector<std::pair<uint64_t, uint64_t>>{{0, 2}, {2, 4}, {4, 5}, {5, 6}}));
  EXPECT_EQ(ShardStrategyName(a->strategy), "explicit_shard_count");
}

TEST(ShardPlanTest, CountIsCheckedAgainstTheCap) {
  ApiResult<ShardPlan> plan = PlanShards(5, std::nullopt, 1, 2);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().status_code, 400);
  EXPECT_EQ(plan.error().message, "Computed shard count 5 exceeds max_shards=2");
  EXPECT_TRUE(PlanShards(5, std::nullopt, 1, 5).ok());
  // shard_count is clamped to total_points before the cap applies.
  ApiResult<ShardPlan> clamped = PlanShards(2, 5, std::nullopt, 2);
  ASSERT_TRUE(clamped.ok());
  EXPECT_EQ(Ranges(*clamped), (std::vector<std::pair<uint64_t, uint64_t>>{{0, 1}, {1, 2}}));
  EXPECT_EQ(PlanShards(20, 11, std::nullopt, 10).error().message, "Computed shard count 11 exceeds max_shards=10");
}

TEST(ShardPlanTest, GuardsReportNoShards) {
  EXPECT_EQ(PlanShards(0, 3, std::nullopt, 10).error().message, "No shards to process");
  EXPECT_EQ(PlanShards(5, std::nullopt, std::nullopt, 10).error().message, "No shards to process");
}

TEST(ShardPlanTest, HugeShardSizeGivesOneShard) {
  ApiResult<ShardPlan> plan = PlanShards(7, std::nullopt, UINT64_MAX, 1);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Ranges(*plan), (std::vector<std::pair<uint64_t, uint64_t>>{{0, 7}}));
}

TEST(ShardPlanTest, PropertiesHoldForRandomInputs) {
  std::mt19937_64 rng(20260214);  // fixed: failures replay
  for (int iteration = 0; iteration < 3000; ++iteration) {
    const uint64_t total = 1 + rng() % 5000;
    const bool by_count = rng() % 2 == 0;
    const uint64_t control = 1 + rng() % (by_count ? 6000 : 600);
    const uint64_t cap = 1 + rng() % 6000;
    ApiResult<ShardPlan> plan = by_count ? PlanShards(total, control, std::nullopt, cap)
                                         : PlanShards(total, std::nullopt, control, cap);
    const uint64_t expected_count = by_count ? std::min(control, total) : (total + control - 1) / control;
    SCOPED_TRACE(testing::Message() << "total=" << total << " control=" << control << " cap=" << cap);
    if (expected_count > cap) {
      ASSERT_FALSE(plan.ok());
      EXPECT_EQ(plan.error().message,
                "Computed shard count " + std::to_string(expected_count) +
                    " exceeds max_shards=" + std::to_string(cap));
      continue;
    }
    ASSERT_TRUE(plan.ok());
    ASSERT_EQ(plan->shards.size(), expected_count);
    EXPECT_EQ(plan->total_points, total);
    uint64_t next = 0;
    uint64_t min_size = UINT64_MAX;
    uint64_t max_size = 0;
    uint64_t previous_size = UINT64_MAX;
    for (size_t i = 0; i < plan->shards.size(); ++i) {
      const ShardRange& s = plan->shards[i];
      ASSERT_EQ(s.shard_id, i);
      ASSERT_EQ(s.start_index, next);
      ASSERT_GT(s.end_index_exclusive, s.start_index);
      ASSERT_LE(s.size(), previous_size);  // larger shards first
      previous_size = s.size();
      min_size = std::min(min_size, s.size());
      max_size = std::max(max_size, s.size());
      next = s.end_index_exclusive;
    }
    EXPECT_EQ(next, total);
    EXPECT_LE(max_size - min_size, 1u);
    if (!by_count) {
      EXPECT_LE(max_size, control);
    }
  }
}

TEST(ShardPlanTest, RangesJson) {
  ApiResult<ShardPlan> plan = PlanShards(8, 4, std::nullopt, 1000);
  ASSERT_TRUE(plan.ok());
  std::string out;
  AppendShardRangesJson(&out, plan->shards);
  EXPECT_EQ(out, "[[0,2],[2,4],[4,6],[6,8]]");
}

}  // namespace
}  // namespace ridesweep::sweep
