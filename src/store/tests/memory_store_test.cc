// MemoryStore specifics beyond the shared conformance suite.
#include "ridesweep/store/memory_store.h"

#include <gtest/gtest.h>

namespace ridesweep::store {
namespace {

TEST(MemoryStoreTest, KeepsTheContentTypeOfTheLastWrite) {
  MemoryStore store;
  ASSERT_TRUE(store.Put("k", "{}", "application/json").ok());
  EXPECT_EQ(store.ContentType("k").value(), "application/json");
  ASSERT_TRUE(store.Put("k", "PAR1", "application/vnd.apache.parquet").ok());
  EXPECT_EQ(store.ContentType("k").value(), "application/vnd.apache.parquet");
  EXPECT_EQ(store.ContentType("absent").status().code(), StatusCode::kNotFound);
}

TEST(MemoryStoreTest, FailedPutIfAbsentKeepsTheOriginalContentType) {
  MemoryStore store;
  ASSERT_TRUE(store.PutIfAbsent("m", "1", "application/json").ok());
  ASSERT_EQ(store.PutIfAbsent("m", "2", "text/plain").code(), StatusCode::kConflict);
  EXPECT_EQ(store.ContentType("m").value(), "application/json");
}

TEST(MemoryStoreTest, SizeCountsObjects) {
  MemoryStore store;
  EXPECT_EQ(store.size(), 0u);
  ASSERT_TRUE(store.Put("a", "", "t").ok());
  ASSERT_TRUE(store.Put("b", "", "t").ok());
  ASSERT_TRUE(store.Put("a", "x", "t").ok());
  EXPECT_EQ(store.size(), 2u);
  ASSERT_TRUE(store.Delete("a").ok());
  EXPECT_EQ(store.size(), 1u);
}

}  // namespace
}  // namespace ridesweep::store
