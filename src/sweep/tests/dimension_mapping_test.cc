// One mapping from dimension values to parameters, with the §1.5 kinds and texts; the duration rule is
// request_window_ms + hours × 3 600 000 everywhere (T5).
#include "ridesweep/sweep/dimension_mapping.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>

#include "ridesweep/base/json_parser.h"
#include "json_literal.h"

namespace ridesweep::sweep {
namespace {

sim::SimParams Apply(std::string_view name, std::string_view value) {
  sim::SimParams p;
  const Status s = ApplyDimensionValue(name, J(value), &p);
  EXPECT_TRUE(s.ok()) << name << "=" << value << ": " << s.message();
  return p;
}

TEST(DimensionMappingTest, SupportedNamesAreTheTableRows) {
  EXPECT_GE(SweepParameters().size(), 18u);  // grows as the model gains parameters
  for (const SweepParameter& row : SweepParameters()) EXPECT_TRUE(IsSupportedDimension(row.name)) << row.name;
  EXPECT_FALSE(IsSupportedDimension("NUM_RIDERS"));
  EXPECT_FALSE(IsSupportedDimension("seed"));
  EXPECT_FALSE(IsSupportedDimension("initial_rider_count"));
}

TEST(DimensionMappingTest, EachDimensionSetsItsParameter) {
  EXPECT_EQ(Apply("num_riders", "7").num_riders, 7u);
  EXPECT_EQ(Apply("num_drivers", "9").num_drivers, 9u);
  EXPECT_EQ(Apply("match_radius", "4294967295").match_radius, 4294967295u);
  EXPECT_EQ(Apply("commission_rate", "0.25").pricing_config.commission_rate, 0.25);
  EXPECT_EQ(Apply("commission_rate", "1").pricing_config.commission_rate, 1.0);
  EXPECT_EQ(Apply("base_fare", "3").pricing_config.base_fare, 3.0);
  EXPECT_EQ(Apply("per_km_rate", "2.5").pricing_config.per_km_rate, 2.5);
  EXPECT_EQ(Apply("surge_max_multiplier", "3.5").pricing_config.surge_max_multiplier, 3.5);
  EXPECT_TRUE(Apply("surge_enabled", "true").pricing_config.surge_enabled);
  EXPECT_EQ(Apply("surge_radius_k", "0").pricing_config.surge_radius_k, 0u);
  EXPECT_EQ(Apply("epoch_ms", "-5").epoch_ms, -5);
  EXPECT_EQ(Apply("epoch_ms", "1700000000000").epoch_ms, 1700000000000);
  EXPECT_EQ(Apply("epoch_ms", "null").epoch_ms, sim::kDefaultEpochMs);  // null: the model's default start.
  EXPECT_FALSE(Apply("batch_matching_enabled", "false").batch_matching_enabled);
  EXPECT_EQ(Apply("batch_interval_secs", "30").batch_interval_secs, 30u);
  EXPECT_EQ(Apply("eta_weight", "0").eta_weight, 0.0);
  EXPECT_TRUE(Apply("dynamic_congestion_enabled", "true").dynamic_congestion_enabled);
  EXPECT_EQ(Apply("base_speed_kmh", "35").base_speed_kmh, 35.0);
  EXPECT_FALSE(Apply("base_speed_kmh", "null").base_speed_kmh.has_value());
}

TEST(DimensionMappingTest, EnumsAreAsciiCaseInsensitiveWithoutTrimming) {
  EXPECT_EQ(Apply("matching_algorithm_type", "\"SIMPLE\"").matching_algorithm_type, sim::MatchingAlgorithm::kSimple);
  for (const char* spelling : {"\"costbased\"", "\"cost_based\"", "\"Cost-Based\"", "\"COSTBASED\""}) {
    EXPECT_EQ(Apply("matching_algorithm_type", spelling).matching_algorithm_type, sim::MatchingAlgorithm::kCostBased);
  }
  EXPECT_EQ(Apply("matching_algorithm_type", "\"hungarian\"").matching_algorithm_type,
            sim::MatchingAlgorithm::kHungarian);
  EXPECT_EQ(Apply("traffic_profile", "\"Berlin\"").traffic_profile.kind, sim::TrafficProfileKind::kBerlin);
  EXPECT_EQ(Apply("traffic_profile", "\"NONE\"").traffic_profile.kind, sim::TrafficProfileKind::kNone);
  EXPECT_EQ(CheckDimensionValue("traffic_profile", J("\"berlin \"")).message(),
            "Unsupported traffic_profile 'berlin ' (expected none or berlin)");
  EXPECT_EQ(CheckDimensionValue("matching_algorithm_type", J("\"cost based\"")).message(),
            "Unsupported matching_algorithm_type 'cost based' (expected simple, cost_based, or hungarian)");
}

TEST(DimensionMappingTest, DurationIsWindowPlusHours) {
  sim::SimParams one = Apply("simulation_duration_hours", "1");
  EXPECT_EQ(sim::ResolvedEndTimeMs(one), 7'200'000u);
  sim::SimParams zero = Apply("simulation_duration_hours", "0");
  EXPECT_EQ(sim::ResolvedEndTimeMs(zero), 3'600'000u);
  sim::SimParams unset = Apply("simulation_duration_hours", "null");
  EXPECT_FALSE(unset.simulation_end_time_ms.has_value());
  EXPECT_EQ(sim::ResolvedEndTimeMs(unset), 10'800'000u);
  sim::SimParams huge = Apply("simulation_duration_hours", "18446744073709551615");
  EXPECT_EQ(sim::ResolvedEndTimeMs(huge), std::numeric_limits<uint64_t>::max());
  // null after a value restores the default end.
  sim::SimParams p;
  ASSERT_TRUE(ApplyDimensionValue("simulation_duration_hours", J("3"), &p).ok());
  ASSERT_TRUE(ApplyDimensionValue("simulation_duration_hours", J("null"), &p).ok());
  EXPECT_EQ(sim::ResolvedEndTimeMs(p), 10'800'000u);
}

TEST(DimensionMappingTest, FailuresLeaveParametersUnchanged) {
  sim::SimParams p;
  p.num_riders = 3;
  EXPECT_EQ(ApplyDimensionValue("num_riders", J("1.0"), &p).message(),
            "Dimension 'num_riders' must be an unsigned integer");
  EXPECT_EQ(p.num_riders, 3u);
  EXPECT_EQ(ApplyDimensionValue("batch_interval_secs", J("0"), &p).message(),
            "Dimension 'batch_interval_secs' must be at least 1");
  EXPECT_EQ(p.batch_interval_secs, 5u);
  EXPECT_EQ(ApplyDimensionValue("nope", J("1"), &p).message(), "Unsupported dimension 'nope'");
  EXPECT_EQ(ApplyDimensionValue("nope", J("1"), &p).code(), StatusCode::kInvalidArgument);
}

TEST(DimensionMappingTest, KindMessages) {
  struct Case {
    const char* name;
    const char* value;
    const char* message;
  } kCases[] = {
      {"num_riders", "true", "Dimension 'num_riders' must be an unsigned integer"},
      {"match_radius", "4294967296", "Dimension 'match_radius' is too large"},
      {"match_radius", "-1", "Dimension 'match_radius' must be an unsigned integer"},
      {"epoch_ms", "\"0\"", "Dimension 'epoch_ms' must be a signed integer"},
      {"epoch_ms", "-9223372036854775809", "Dimension 'epoch_ms' must be a signed integer"},
      {"simulation_duration_hours", "1.5", "Dimension 'simulation_duration_hours' must be an unsigned integer"},
      {"base_fare", "null", "Dimension 'base_fare' must be numeric"},
      {"base_speed_kmh", "\"fast\"", "Dimension 'base_speed_kmh' must be numeric"},
      {"surge_enabled", "0", "Dimension 'surge_enabled' must be boolean"},
      {"traffic_profile", "null", "Dimension 'traffic_profile' must be a string"},
  };
  for (const Case& c : kCases) EXPECT_EQ(CheckDimensionValue(c.name, J(c.value)).message(), c.message) << c.name;
}

TEST(DimensionMappingTest, ModelV2ParametersAndTheirRanges) {
  EXPECT_EQ(Apply("surge_sensitivity", "0.5").pricing_config.surge_sensitivity, 0.5);
  EXPECT_EQ(Apply("price_tolerance_mean", "0.3").behaviour.price_tolerance_mean, 0.3);
  EXPECT_EQ(Apply("trip_median_km", "7").trip_median_km, 7.0);
  EXPECT_EQ(Apply("trip_length_sigma", "0").trip_length_sigma, 0.0);
  // Out-of-range values are rejected before any point runs, with the parameter table's message (its ranges are the
  // simulator's).
  EXPECT_EQ(CheckDimensionValue("surge_sensitivity", J("11")).message(),
            "Dimension 'surge_sensitivity' value 11 is outside the allowed range [0, 10]");
  EXPECT_EQ(CheckDimensionValue("price_tolerance_mean", J("0")).message(),
            "Dimension 'price_tolerance_mean' value 0 is outside the allowed range [0.01, 100]");
  EXPECT_EQ(CheckDimensionValue("trip_median_km", J("0.1")).message(),
            "Dimension 'trip_median_km' value 0.1 is outside the allowed range [0.5, 50]");
  EXPECT_EQ(CheckDimensionValue("trip_length_sigma", J("-1")).message(),
            "Dimension 'trip_length_sigma' value -1 is outside the allowed range [0, 2]");
  EXPECT_EQ(CheckDimensionValue("trip_median_km", J("\"far\"")).message(), "Dimension 'trip_median_km' must be numeric");
  const Dimensions dims = {{"trip_median_km", {J("5"), J("60")}}};
  EXPECT_EQ(CheckDimensions(dims).message(), "Dimension 'trip_median_km' value 60 is outside the allowed range [0.5, 50]");
}

TEST(DimensionMappingTest, CheckDimensionsOrder) {
  Dimensions dims = {{"base_fare", {J("1")}}, {"num_riders", {J("1"), J("\"x\""), J("-1")}}};
  EXPECT_EQ(CheckDimensions(dims).message(), "Dimension 'num_riders' must be an unsigned integer");
  dims = {{"aaa", {}}, {"num_riders", {J("\"x\"")}}};
  EXPECT_EQ(CheckDimensions(dims).message(), "Unsupported dimension 'aaa'");
  dims = {{"num_riders", {}}};
  EXPECT_EQ(CheckDimensions(dims).message(), "Dimension 'num_riders' cannot be empty");
  dims = {{"num_riders", {J("1"), J("2")}}, {"surge_enabled", {J("true")}}};
  EXPECT_TRUE(CheckDimensions(dims).ok());
}

}  // namespace
}  // namespace ridesweep::sweep
