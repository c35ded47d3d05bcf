// Key and prefix rules shared by all ObjectStore implementations.
#include "ridesweep/store/object_key.h"

#include <gtest/gtest.h>

#include <string>

namespace ridesweep::store {
namespace {

TEST(ObjectKeyTest, AcceptsStorageLayoutKeys) {
  const char* kValid[] = {
      "a",
      "part-0.parquet",
      "serverless-sweeps/outcomes/dataset=shard_metrics/run_date=2026-02-14/run_id=r/status=success/shard_id=0/"
      "point_index=3/part-0.parquet",
      "runs/run_id=demo.run_1/manifest.json",
      "a/..b/c..",  // Dots inside a segment are fine; only whole "." and ".." segments are not.
      "a/.hidden",
  };
  for (const char* key : kValid) EXPECT_TRUE(ValidateObjectKey(key).ok()) << key;
}

TEST(ObjectKeyTest, RejectsKeysThatCouldEscapeOrAreMalformed) {
  struct Case {
    std::string key;
    std::string message_part;
  } kCases[] = {
      {"", "empty"},
      {"/etc/passwd", "absolute"},
      {"a/../../etc/passwd", "'..'"},
      {"..", "'..'"},
      {"a/./b", "'.'"},
      {"a//b", "empty path segment"},
      {"a/b/", "ends with '/'"},
      {"a\\b", "backslash"},
      {std::string("a\0b", 3), "NUL"},
      {"a/.rs-tmp-12-3", "reserved"},
      {std::string(1025, 'k'), "longer than 1024"},
  };
  for (const Case& c : kCases) {
    const Status status = ValidateObjectKey(c.key);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.key;
    EXPECT_NE(status.message().find(c.message_part), std::string::npos) << status.message();
  }
}

TEST(ObjectKeyTest, ListPrefixMayBeEmptyPartialOrEndWithSlash) {
  for (const char* prefix : {"", "dataset=", "dataset=trip_data/", "a/b", "a/.", "a/.."}) {
    EXPECT_TRUE(ValidateListPrefix(prefix).ok()) << prefix;
  }
  for (const char* prefix : {"/a", "../a", "a/../b", "a//b", "a\\b"}) {
    EXPECT_EQ(ValidateListPrefix(prefix).code(), StatusCode::kInvalidArgument) << prefix;
  }
}

}  // namespace
}  // namespace ridesweep::store
