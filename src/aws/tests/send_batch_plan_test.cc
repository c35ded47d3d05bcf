// SendMessageBatch grouping: ≤ 10 entries and ≤ 262 144 body bytes per call (spec/sweep.md §5.4).
#include "send_batch_plan.h"

#include <gtest/gtest.h>

#include "ridesweep/sweep/limits.h"

namespace ridesweep::aws {
namespace {

using sweep::kSendBatchMaxBytes;
using sweep::kSendBatchMaxEntries;
using sweep::ShardMessage;

std::vector<ShardMessage> Messages(const std::vector<size_t>& sizes) {
  std::vector<ShardMessage> out;
  for (size_t i = 0; i < sizes.size(); ++i) out.push_back({i, std::string(sizes[i], 'x')});
  return out;
}

TEST(SendBatchPlanTest, TenEntriesPerCallInOrder) {
  const std::vector<ShardMessage> messages = Messages(std::vector<size_t>(25, 100));
  const SendBatchPlan plan = PlanSendBatches(messages, kSendBatchMaxEntries, kSendBatchMaxBytes);
  ASSERT_EQ(plan.batches.size(), 3u);
  EXPECT_EQ(plan.batches[0].size(), 10u);
  EXPECT_EQ(plan.batches[1].size(), 10u);
  EXPECT_EQ(plan.batches[2].size(), 5u);
  size_t expected = 0;
  for (const auto& batch : plan.batches) {
    for (const size_t i : batch) EXPECT_EQ(i, expected++);
  }
  EXPECT_TRUE(plan.oversized.empty());
}

TEST(SendBatchPlanTest, ByteLimitSplitsBeforeTheEntryLimit) {
  // 65 536-byte bodies (the inline maximum): four fill a call exactly, the fifth starts a new one.
  const std::vector<ShardMessage> messages = Messages(std::vector<size_t>(9, 65'536));
  const SendBatchPlan plan = PlanSendBatches(messages, kSendBatchMaxEntries, kSendBatchMaxBytes);
  ASSERT_EQ(plan.batches.size(), 3u);
  EXPECT_EQ(plan.batches[0].size(), 4u);
  EXPECT_EQ(plan.batches[1].size(), 4u);
  EXPECT_EQ(plan.batches[2].size(), 1u);
  for (const auto& batch : plan.batches) {
    size_t bytes = 0;
    for (const size_t i : batch) bytes += messages[i].body.size();
    EXPECT_LE(bytes, kSendBatchMaxBytes);
    EXPECT_LE(batch.size(), kSendBatchMaxEntries);
  }
}

TEST(SendBatchPlanTest, AMessageAtTheLimitTravelsAloneAndOneAboveIsSetAside) {
  const std::vector<ShardMessage> messages = Messages({10, 262'144, 262'145, 10});
  const SendBatchPlan plan = PlanSendBatches(messages, kSendBatchMaxEntries, kSendBatchMaxBytes);
  EXPECT_EQ(plan.batches, (std::vector<std::vector<size_t>>{{0}, {1}, {3}}));
  EXPECT_EQ(plan.oversized, (std::vector<size_t>{2}));
}

TEST(SendBatchPlanTest, RepeatedShardIdsNeverShareACall) {
  std::vector<ShardMessage> messages = {{7, "a"}, {8, "b"}, {7, "c"}};
  const SendBatchPlan plan = PlanSendBatches(messages, kSendBatchMaxEntries, kSendBatchMaxBytes);
  EXPECT_EQ(plan.batches, (std::vector<std::vector<size_t>>{{0, 1}, {2}}));
  EXPECT_EQ(SendBatchEntryId(7), "s7");
}

TEST(SendBatchPlanTest, ThousandShardsNeedAHundredCalls) {
  const std::vector<ShardMessage> messages = Messages(std::vector<size_t>(1'000, 300));
  EXPECT_EQ(PlanSendBatches(messages, kSendBatchMaxEntries, kSendBatchMaxBytes).batches.size(), 100u);
  EXPECT_TRUE(PlanSendBatches({}, kSendBatchMaxEntries, kSendBatchMaxBytes).batches.empty());
}

}  // namespace
}  // namespace ridesweep::aws
