// The local sharding default: added only when both shard_count and shard_size are missing or null.
#include "ridesweep/local/local_sharding_default.h"

#include <gtest/gtest.h>

#include "ridesweep/sweep/request_validation.h"

namespace ridesweep::local {
namespace {

TEST(LocalShardingDefaultTest, AddsShardCountOnlyWhenNeitherIsGiven) {
  const std::optional<std::string> added =
      WithLocalShardingDefault(R"({"run_id":"x","dimensions":{"num_riders":[1,2,3]},"shard_size":null})");
  ASSERT_TRUE(added.has_value());
  sweep::ApiResult<sweep::ValidatedRequest> v = sweep::ParseAndValidateRequestBytes(*added, {});
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->request.shard_count, kLocalDefaultShardCount);
  EXPECT_EQ(v->plan.shards.size(), 3u);  // capped at one shard per point
  EXPECT_FALSE(WithLocalShardingDefault(R"({"run_id":"x","dimensions":{},"shard_count":2})").has_value());
  EXPECT_FALSE(WithLocalShardingDefault(R"({"run_id":"x","dimensions":{},"shard_size":5})").has_value());
  EXPECT_FALSE(WithLocalShardingDefault(R"(["x",{"num_riders":[1]}])").has_value());  // array form: as is
  EXPECT_FALSE(WithLocalShardingDefault("{not json").has_value());
}

}  // namespace
}  // namespace ridesweep::local
