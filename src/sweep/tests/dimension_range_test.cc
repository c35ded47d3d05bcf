// Range dimensions in a grid: evenly spaced levels with both ends, log spacing, integer rounding without repeats,
// the exact 400 messages, and normalization to an ordinary list (so everything downstream is unchanged).
#include "ridesweep/sweep/dimension_range.h"

#include <gtest/gtest.h>

#include <string>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/request_validation.h"

namespace ridesweep::sweep {
namespace {

std::string Levels(std::string_view name, std::string_view range_json) {
  Result<JsonValue> range = ParseJson(range_json);
  EXPECT_TRUE(range.ok());
  Result<std::vector<JsonValue>> levels = ExpandGridRange(name, *range);
  if (!levels.ok()) return std::string(levels.status().message());
  std::string out;
  for (const JsonValue& v : *levels) out += (out.empty() ? "" : ",") + ToCanonicalJson(v);
  return out;
}

TEST(DimensionRangeTest, LinearLogAndIntegerLevels) {
  EXPECT_EQ(Levels("commission_rate", R"({"min":0.1,"max":0.5,"steps":5})"),
            "0.1,0.2,0.30000000000000004,0.4,0.5");
  EXPECT_EQ(Levels("base_fare", R"({"min":1,"max":100,"log":true,"steps":3})"), "1.0,10.000000000000002,100.0");
  EXPECT_EQ(Levels("num_drivers", R"({"min":50,"max":400,"steps":8})"), "50,100,150,200,250,300,350,400");
  // Rounded to integers, repeats dropped: 1, 1.5→2, 2, 2.5→2 (to even), 3 → 1,2,3.
  EXPECT_EQ(Levels("num_riders", R"({"min":1,"max":3,"steps":5})"), "1,2,3");
  EXPECT_EQ(Levels("num_riders", R"({"min":10,"max":10,"steps":1})"), "10");
  EXPECT_EQ(Levels("epoch_ms", R"({"min":-10,"max":10,"steps":3})"), "-10,0,10");
}

TEST(DimensionRangeTest, Messages) {
  EXPECT_EQ(Levels("base_fare", R"({"min":3,"max":1,"steps":2})"), "Dimension 'base_fare' range has min > max");
  EXPECT_EQ(Levels("base_fare", R"({"min":0,"max":1,"log":true,"steps":2})"),
            "Dimension 'base_fare' log range needs min > 0");
  EXPECT_EQ(Levels("base_fare", R"({"min":0,"max":1})"), "Dimension 'base_fare' range needs \"steps\" in a grid design");
  for (const char* steps : {"0", "1"}) {
    EXPECT_EQ(Levels("base_fare", std::string(R"({"min":0,"max":1,"steps":)") + steps + "}"),
              "Dimension 'base_fare' steps must be at least 2 when min and max differ (at least 1 when equal)");
  }
  const std::string shape =
      R"(Dimension 'base_fare' range must be {"min": number, "max": number} with optional "log": boolean and )"
      R"("steps": unsigned)";
  EXPECT_EQ(Levels("base_fare", R"({"min":"0","max":1,"steps":2})"), shape);
  EXPECT_EQ(Levels("base_fare", R"({"max":1,"steps":2})"), shape);
  EXPECT_EQ(Levels("base_fare", R"({"min":0,"max":1,"steps":2.0})"), shape);
  EXPECT_EQ(Levels("base_fare", R"({"min":0,"max":1,"steps":2,"log":"yes"})"), shape);
  EXPECT_EQ(Levels("base_fare", R"({"min":0,"max":1,"steps":2,"step":2})"), shape);
  EXPECT_EQ(Levels("surge_enabled", R"({"min":0,"max":1,"steps":2})"),
            "Dimension 'surge_enabled' takes a list of values, not a range");
  EXPECT_EQ(Levels("traffic_profile", R"({"min":0,"max":1,"steps":2})"),
            "Dimension 'traffic_profile' takes a list of values, not a range");
  EXPECT_EQ(Levels("nope", R"({"min":0,"max":1,"steps":2})"), "Unsupported dimension 'nope'");
  EXPECT_EQ(Levels("base_fare", R"({"min":0,"max":1,"steps":10001})"),
            "Dimension 'base_fare' exceeds MAX_DIMENSION_VALUES=10000");
}

TEST(DimensionRangeTest, RequestsNormalizeRangesToLists) {
  ApiResult<ValidatedRequest> ranged = ParseAndValidateRequestBytes(
      R"({"run_id":"r","dimensions":{"num_drivers":{"min":100,"max":300,"steps":3},"num_riders":[500]},)"
      R"("shard_count":1})",
      {});
  ApiResult<ValidatedRequest> listed = ParseAndValidateRequestBytes(
      R"({"run_id":"r","dimensions":{"num_drivers":[100,200,300],"num_riders":[500]},"shard_count":1})", {});
  ASSERT_TRUE(ranged.ok()) << ranged.error().message;
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(ranged->normalized_json, listed->normalized_json);
  EXPECT_EQ(ranged->request_fingerprint, listed->request_fingerprint);
  // Levels are range-checked like listed values; a range error is a 400 naming the dimension.
  ApiResult<ValidatedRequest> out = ParseAndValidateRequestBytes(
      R"({"run_id":"r","dimensions":{"commission_rate":{"min":0.5,"max":1.5,"steps":3}},"shard_count":1})", {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().message, "Dimension 'commission_rate' value 1.5 is outside the allowed range [0, 1]");
  ApiResult<ValidatedRequest> bad = ParseAndValidateRequestBytes(
      R"({"run_id":"r","dimensions":{"base_fare":{"min":2,"max":1,"steps":3}},"shard_count":1})", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().status_code, 400);
  EXPECT_EQ(bad.error().message, "Dimension 'base_fare' range has min > max");
}

}  // namespace
}  // namespace ridesweep::sweep
