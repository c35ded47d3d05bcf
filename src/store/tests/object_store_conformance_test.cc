// Behaviour every ObjectStore must share (spec/sweep.md §10.1), run against MemoryStore, OverlayStore (empty
// base) and LocalDirStore.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ridesweep/store/local_dir_store.h"
#include "ridesweep/store/memory_store.h"
#include "ridesweep/store/object_store.h"
#include "ridesweep/store/overlay_store.h"
#include "tests/temp_dir.h"

namespace ridesweep::store {
namespace {

using testing::TempDir;

constexpr std::string_view kType = "application/octet-stream";

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<ObjectStore>(const TempDir&)> make;
};

class ObjectStoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().make(dir_);
    ASSERT_NE(store_, nullptr);
  }
  TempDir dir_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_P(ObjectStoreConformanceTest, PutThenGetReturnsTheBytesIncludingNulAndEmpty) {
  const std::string binary("PAR1\0\x01\xff tail", 11);
  ASSERT_TRUE(store_->Put("a/b/data.bin", binary, kType).ok());
  ASSERT_TRUE(store_->Put("a/empty", "", kType).ok());
  EXPECT_EQ(store_->Get("a/b/data.bin").value(), binary);
  EXPECT_EQ(store_->Get("a/empty").value(), "");
}

TEST_P(ObjectStoreConformanceTest, PutReplacesAnExistingObject) {
  ASSERT_TRUE(store_->Put("k", "first version", kType).ok());
  ASSERT_TRUE(store_->Put("k", "second", kType).ok());
  EXPECT_EQ(store_->Get("k").value(), "second");
  EXPECT_EQ(store_->Head("k").value(), (ObjectInfo{.exists = true, .size = 6}));
}

TEST_P(ObjectStoreConformanceTest, GetOfAnAbsentKeyIsNotFound) {
  const Result<std::string> result = store_->Get("runs/run_id=x/manifest.json");
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_NE(result.status().message().find("runs/run_id=x/manifest.json"), std::string::npos);
}

TEST_P(ObjectStoreConformanceTest, HeadReportsExistenceAndSize) {
  EXPECT_EQ(store_->Head("x/y").value(), ObjectInfo{});
  ASSERT_TRUE(store_->Put("x/y", "12345", kType).ok());
  EXPECT_EQ(store_->Head("x/y").value(), (ObjectInfo{.exists = true, .size = 5}));
  // A "folder" is not an object.
  EXPECT_FALSE(store_->Head("x").value().exists);
  EXPECT_EQ(store_->Get("x").status().code(), StatusCode::kNotFound);
}

TEST_P(ObjectStoreConformanceTest, PutIfAbsentCreatesOnceThenConflicts) {
  ASSERT_TRUE(store_->PutIfAbsent("runs/run_id=r/manifest.json", "v1", kType).ok());
  const Status second = store_->PutIfAbsent("runs/run_id=r/manifest.json", "v2", kType);
  EXPECT_EQ(second.code(), StatusCode::kConflict);
  EXPECT_EQ(store_->Get("runs/run_id=r/manifest.json").value(), "v1");
}

TEST_P(ObjectStoreConformanceTest, DeleteRemovesAndAbsentIsOk) {
  ASSERT_TRUE(store_->Put("d/k", "v", kType).ok());
  EXPECT_TRUE(store_->Delete("d/k").ok());
  EXPECT_FALSE(store_->Head("d/k").value().exists);
  EXPECT_TRUE(store_->Delete("d/k").ok());
  EXPECT_TRUE(store_->Delete("never/existed").ok());
  EXPECT_TRUE(store_->Delete("d").ok());  // Names a former folder, not an object.
}

TEST_P(ObjectStoreConformanceTest, ListReturnsAllKeysWithThePrefixSorted) {
  for (const char* key : {"p/b/2", "p/a/1", "p/ab", "p/b/10", "q/1", "p2/x"}) {
    ASSERT_TRUE(store_->Put(key, "v", kType).ok()) << key;
  }
  EXPECT_EQ(store_->List("p/").value(), (std::vector<std::string>{"p/a/1", "p/ab", "p/b/10", "p/b/2"}));
  EXPECT_EQ(store_->List("p/a").value(), (std::vector<std::string>{"p/a/1", "p/ab"}));  // Plain string prefix.
  EXPECT_EQ(store_->List("p").value(),
            (std::vector<std::string>{"p/a/1", "p/ab", "p/b/10", "p/b/2", "p2/x"}));
  EXPECT_EQ(store_->List("").value().size(), 6u);
  EXPECT_EQ(store_->List("p/b/2").value(), (std::vector<std::string>{"p/b/2"}));
  EXPECT_TRUE(store_->List("zzz/").value().empty());
  EXPECT_TRUE(store_->List("p/zzz").value().empty());
}

TEST_P(ObjectStoreConformanceTest, RejectsInvalidKeysInEveryOperation) {
  for (const char* key : {"../escape", "/abs", "a/../b", ""}) {
    EXPECT_EQ(store_->Put(key, "v", kType).code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(store_->PutIfAbsent(key, "v", kType).code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(store_->Get(key).status().code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(store_->Head(key).status().code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(store_->Delete(key).code(), StatusCode::kInvalidArgument) << key;
  }
  EXPECT_EQ(store_->List("../").status().code(), StatusCode::kInvalidArgument);
}

TEST_P(ObjectStoreConformanceTest, ConcurrentPutIfAbsentHasExactlyOneWinner) {
  constexpr int kThreads = 8;
  for (int round = 0; round < 20; ++round) {
    const std::string key = "race/round=" + std::to_string(round) + "/manifest.json";
    std::atomic<int> winners{0};
    std::atomic<int> conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const Status status = store_->PutIfAbsent(key, "writer " + std::to_string(t), kType);
        if (status.ok()) ++winners;
        if (status.code() == StatusCode::kConflict) ++conflicts;
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(winners.load(), 1) << key;
    EXPECT_EQ(conflicts.load(), kThreads - 1) << key;
    EXPECT_TRUE(store_->Get(key).value().starts_with("writer "));
  }
}

TEST_P(ObjectStoreConformanceTest, ConcurrentPutsOfDistinctKeysAllLand) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Threads share folders, so concurrent folder creation is exercised too.
        const std::string key = "dataset=x/shard_id=" + std::to_string(i % 5) + "/t" + std::to_string(t) + "-" +
                                std::to_string(i);
        if (!store_->Put(key, key, kType).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const std::vector<std::string> keys = store_->List("dataset=x/").value();
  ASSERT_EQ(keys.size(), static_cast<size_t>(kThreads * kPerThread));
  for (const std::string& key : keys) EXPECT_EQ(store_->Get(key).value(), key);
}

const StoreFactory kFactories[] = {
    {"MemoryStore", [](const TempDir&) -> std::unique_ptr<ObjectStore> { return std::make_unique<MemoryStore>(); }},
    {"OverlayStore",
     [](const TempDir&) -> std::unique_ptr<ObjectStore> { return std::make_unique<OverlayStore>(nullptr); }},
    {"LocalDirStore",
     [](const TempDir& dir) -> std::unique_ptr<ObjectStore> {
       auto store = LocalDirStore::Open(dir.path() / "results");
       EXPECT_TRUE(store.ok()) << store.status().ToString();
       return store.ok() ? std::move(store).value() : nullptr;
     }},
};

std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& param_info) { return param_info.param.name; }

INSTANTIATE_TEST_SUITE_P(AllStores, ObjectStoreConformanceTest, ::testing::ValuesIn(kFactories), FactoryName);

}  // namespace
}  // namespace ridesweep::store
