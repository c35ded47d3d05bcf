// RecordingStore forwards every call unchanged and logs it in order.
#include "ridesweep/store/recording_store.h"

#include <gtest/gtest.h>

#include "ridesweep/store/memory_store.h"

namespace ridesweep::store {
namespace {

TEST(RecordingStoreTest, ForwardsAndLogsEveryCallInOrderWithItsResult) {
  MemoryStore target;
  RecordingStore store(&target);
  ASSERT_TRUE(store.Put("a/1", "x", "t").ok());
  ASSERT_TRUE(store.PutIfAbsent("a/2", "y", "t").ok());
  ASSERT_EQ(store.PutIfAbsent("a/2", "z", "t").code(), StatusCode::kConflict);
  ASSERT_EQ(store.Get("a/1").value(), "x");
  ASSERT_EQ(store.Get("missing").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store.Head("a/2").value().exists);
  ASSERT_TRUE(store.Delete("a/1").ok());
  ASSERT_EQ(store.List("a/").value(), std::vector<std::string>{"a/2"});

  const std::vector<StoreCall> expected = {
      {StoreOp::kPut, "a/1", StatusCode::kOk, false},
      {StoreOp::kPutIfAbsent, "a/2", StatusCode::kOk, false},
      {StoreOp::kPutIfAbsent, "a/2", StatusCode::kConflict, false},
      {StoreOp::kGet, "a/1", StatusCode::kOk, false},
      {StoreOp::kGet, "missing", StatusCode::kNotFound, false},
      {StoreOp::kHead, "a/2", StatusCode::kOk, false},
      {StoreOp::kDelete, "a/1", StatusCode::kOk, false},
      {StoreOp::kList, "a/", StatusCode::kOk, false},
  };
  EXPECT_EQ(store.Calls(), expected);
  EXPECT_EQ(store.SucceededKeys(StoreOp::kPutIfAbsent), std::vector<std::string>{"a/2"});
  EXPECT_FALSE(target.Head("a/1").value().exists);  // The delete reached the target.
  store.ClearCalls();
  EXPECT_TRUE(store.Calls().empty());
}

TEST(RecordingStoreTest, OpNamesAreStable) {
  EXPECT_EQ(StoreOpName(StoreOp::kPut), "put");
  EXPECT_EQ(StoreOpName(StoreOp::kPutIfAbsent), "put_if_absent");
  EXPECT_EQ(StoreOpName(StoreOp::kGet), "get");
  EXPECT_EQ(StoreOpName(StoreOp::kHead), "head");
  EXPECT_EQ(StoreOpName(StoreOp::kDelete), "delete");
  EXPECT_EQ(StoreOpName(StoreOp::kList), "list");
}

}  // namespace
}  // namespace ridesweep::store
