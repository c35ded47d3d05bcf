// FaultInjectingStore fails exactly the calls its rules select, with the chosen status, and logs them.
#include "ridesweep/store/fault_injecting_store.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "ridesweep/store/memory_store.h"

namespace ridesweep::store {
namespace {

constexpr std::string_view kType = "application/vnd.apache.parquet";

TEST(FaultInjectingStoreTest, FailsOnlyTheNthPutAndWritesNothingForIt) {
  MemoryStore target;
  FaultInjectingStore store(&target);
  store.FailNthPut(3, UnavailableError("injected: S3 503"));
  std::vector<StatusCode> codes;
  for (int i = 1; i <= 5; ++i) codes.push_back(store.Put("k" + std::to_string(i), "v", kType).code());
  EXPECT_EQ(codes, (std::vector<StatusCode>{StatusCode::kOk, StatusCode::kOk, StatusCode::kUnavailable,
                                            StatusCode::kOk, StatusCode::kOk}));
  EXPECT_FALSE(target.Head("k3").value().exists);
  EXPECT_TRUE(target.Head("k4").value().exists);
  EXPECT_EQ(store.injected_count(), 1);
  const std::vector<StoreCall> calls = store.Calls();
  ASSERT_EQ(calls.size(), 5u);
  EXPECT_EQ(calls[2], (StoreCall{StoreOp::kPut, "k3", StatusCode::kUnavailable, true}));
  EXPECT_EQ(store.SucceededKeys(StoreOp::kPut), (std::vector<std::string>{"k1", "k2", "k4", "k5"}));
}

TEST(FaultInjectingStoreTest, NthPutCountsPutsOnly) {
  MemoryStore target;
  FaultInjectingStore store(&target);
  store.FailNthPut(2, InvalidArgumentError("bad"));
  ASSERT_TRUE(store.Put("a", "v", kType).ok());
  ASSERT_TRUE(store.Get("a").ok());
  ASSERT_TRUE(store.PutIfAbsent("b", "v", kType).ok());
  EXPECT_EQ(store.Put("c", "v", kType).code(), StatusCode::kInvalidArgument);
}

TEST(FaultInjectingStoreTest, FailsEveryPutUnderAPrefixWithTheGivenStatus) {
  MemoryStore target;
  FaultInjectingStore store(&target);
  store.FailPutsUnderPrefix("out/dataset=shard_outcomes/", InvalidArgumentError("permanent: access denied"));
  const Status outcome = store.Put("out/dataset=shard_outcomes/run_date=d/part-0.parquet", "v", kType);
  EXPECT_EQ(outcome.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(outcome.message(), "permanent: access denied");
  EXPECT_EQ(store.PutIfAbsent("out/dataset=shard_outcomes/x", "v", kType).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(store.Put("out/dataset=trip_data/x", "v", kType).ok());
  EXPECT_TRUE(store.Get("out/dataset=trip_data/x").ok());
  EXPECT_EQ(target.List("").value(), std::vector<std::string>{"out/dataset=trip_data/x"});
}

TEST(FaultInjectingStoreTest, FailsGetsAndDeletesContainingASubstring) {
  MemoryStore target;
  ASSERT_TRUE(target.Put("runs/run_id=r/manifest.json", "{}", "application/json").ok());
  ASSERT_TRUE(target.Put("status_partition=failure/part-0.parquet", "x", kType).ok());
  FaultInjectingStore store(&target);
  store.FailCallsContaining({StoreOp::kGet, StoreOp::kDelete}, "manifest", UnavailableError("timeout"));
  store.FailCallsContaining({StoreOp::kDelete}, "status_partition=failure", UnavailableError("delete failed"));
  EXPECT_EQ(store.Get("runs/run_id=r/manifest.json").status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(store.Head("runs/run_id=r/manifest.json").value().exists);  // Head not selected.
  EXPECT_EQ(store.Delete("status_partition=failure/part-0.parquet").code(), StatusCode::kUnavailable);
  EXPECT_TRUE(target.Head("status_partition=failure/part-0.parquet").value().exists);
  EXPECT_TRUE(store.Get("status_partition=failure/part-0.parquet").ok());
}

TEST(FaultInjectingStoreTest, EmptyOpListSelectsEveryOperation) {
  MemoryStore target;
  FaultInjectingStore store(&target);
  store.FailCallsContaining({}, "bad", UnavailableError("x"));
  EXPECT_FALSE(store.Put("bad", "v", kType).ok());
  EXPECT_FALSE(store.PutIfAbsent("bad", "v", kType).ok());
  EXPECT_FALSE(store.Get("bad").ok());
  EXPECT_FALSE(store.Head("bad").ok());
  EXPECT_FALSE(store.Delete("bad").ok());
  EXPECT_FALSE(store.List("bad").ok());
  EXPECT_TRUE(store.Put("good", "v", kType).ok());
  EXPECT_EQ(store.injected_count(), 6);
}

TEST(FaultInjectingStoreTest, AfterForwardingWritesButReportsFailure) {
  MemoryStore target;
  FaultInjectingStore store(&target);
  store.AddRule(FaultRule{.ops = {StoreOp::kPut}, .error = UnavailableError("ack lost"), .after_forwarding = true});
  EXPECT_EQ(store.Put("k", "v", kType).code(), StatusCode::kUnavailable);
  EXPECT_EQ(target.Get("k").value(), "v");
  EXPECT_EQ(store.Calls().back(), (StoreCall{StoreOp::kPut, "k", StatusCode::kUnavailable, true}));
}

TEST(FaultInjectingStoreTest, FirstFiringRuleWinsAndClearRulesRestoresForwarding) {
  MemoryStore target;
  FaultInjectingStore store(&target);
  store.FailPutsUnderPrefix("a/", UnavailableError("first"));
  store.FailPutsUnderPrefix("a/b", InvalidArgumentError("second"));
  EXPECT_EQ(store.Put("a/b", "v", kType).message(), "first");
  store.ClearRules();
  EXPECT_TRUE(store.Put("a/b", "v", kType).ok());
  EXPECT_EQ(target.Get("a/b").value(), "v");
}

TEST(FaultInjectingStoreTest, NthRuleFiresOnceAcrossThreads) {
  MemoryStore target;
  FaultInjectingStore store(&target);
  store.FailNthPut(50, UnavailableError("once"));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 25; ++i) (void)store.Put("t" + std::to_string(t) + "/" + std::to_string(i), "v", kType);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(store.injected_count(), 1);
  EXPECT_EQ(target.size(), 99u);
  EXPECT_EQ(store.Calls().size(), 100u);
}

}  // namespace
}  // namespace ridesweep::store
