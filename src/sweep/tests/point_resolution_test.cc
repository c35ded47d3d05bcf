// Resolving points: defaults, selected values, the one duration rule, the XOR seed, and the §3.4 effective-parameters
// JSON with its fingerprint.
#include "ridesweep/sweep/point_resolution.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/sha256.h"
#include "ridesweep/sweep/grid.h"
#include "json_literal.h"

namespace ridesweep::sweep {
namespace {

// All defaults of the model (docs/model.md) with the given selection, seed and end.
std::string DefaultResolved(const std::string& num_riders, uint64_t seed) {
  return R"({"num_riders":)" + num_riders + R"(,"num_drivers":250,"initial_rider_count":0,"initial_driver_count":0,)" +
         R"("seed":)" + std::to_string(seed) +
         R"(,"lat_min":52.45,"lat_max":52.58,"lng_min":13.28,"lng_max":13.5,"request_window_ms":3600000,)"
         R"("driver_spread_ms":3600000,"match_radius":8,"min_trip_cells":5,"max_trip_cells":60,)"
         R"("trip_median_km":5.5,"trip_length_sigma":0.6,"epoch_ms":1704783600000,)"
         R"("pricing_config":{"base_fare":2.5,"per_km_rate":1.5,"commission_rate":0.25,"surge_enabled":false,)"
         R"("surge_radius_k":1,"surge_max_multiplier":2.0,"surge_sensitivity":0.25},"simulation_end_time_ms":10800000,)"
         R"("matching_algorithm_type":"hungarian","batch_matching_enabled":true,"batch_interval_secs":5,)"
         R"("eta_weight":0.1,"route_provider_kind":"HexGrid","traffic_profile":"None",)"
         R"("congestion_zones_enabled":false,"dynamic_congestion_enabled":false,"base_speed_kmh":null,)"
         R"("spawn_weighting":"Uniform","price_tolerance_mean":0.5})";
}

TEST(PointResolutionTest, DefaultsWithOneSelectedValue) {
  const Dimensions dims = {{"num_riders", {J("4")}}};
  Result<ResolvedPoint> point = ResolvePoint(dims, 7, 0);
  ASSERT_TRUE(point.ok()) << point.status().message();
  const std::string expected =
      R"({"selected_dimensions":{"num_riders":4},"resolved_scenario_parameters":)" + DefaultResolved("4", 7) + "}";
  EXPECT_EQ(point->effective_parameters_json, expected);
  EXPECT_EQ(point->parameter_fingerprint, Sha256Hex(expected));
  EXPECT_EQ(point->params.seed, 7u);
}

TEST(PointResolutionTest, APointWithNoDimensionsRunsTheModelDefaults) {
  // The same SimParams{} that `ridesweep simulate` runs with no flags; only the seed is the point's own.
  Result<ResolvedPoint> point = ResolvePoint({}, 7, 0);
  ASSERT_TRUE(point.ok()) << point.status().message();
  sim::SimParams expected;
  expected.seed = point->params.seed;
  std::string a, b;
  AppendResolvedScenarioParameters(&a, point->params);
  AppendResolvedScenarioParameters(&b, expected);
  EXPECT_EQ(a, b);
  EXPECT_EQ(point->params.match_radius, 8u);
  EXPECT_EQ(point->params.epoch_ms, sim::kDefaultEpochMs);
}

TEST(PointResolutionTest, EarlierImplementationPointZero) {
  // commission [0.1,0.2] × drivers [2] × riders [4], point 0.
  const Dimensions dims = {
      {"commission_rate", {J("0.1"), J("0.2")}}, {"num_drivers", {J("2")}}, {"num_riders", {J("4")}}};
  Result<ResolvedPoint> point = ResolvePoint(dims, 0, 0);
  ASSERT_TRUE(point.ok());
  EXPECT_EQ(point->params.num_riders, 4u);
  EXPECT_EQ(point->params.num_drivers, 2u);
  EXPECT_EQ(point->params.pricing_config.commission_rate, 0.1);
  EXPECT_EQ(sim::ResolvedEndTimeMs(point->params), 10'800'000u);
  EXPECT_EQ(point->params.matching_algorithm_type, sim::MatchingAlgorithm::kHungarian);
  EXPECT_TRUE(point->params.batch_matching_enabled);
  EXPECT_NE(point->effective_parameters_json.find(
                R"({"selected_dimensions":{"commission_rate":0.1,"num_drivers":2,"num_riders":4},)"),
            std::string::npos);
  EXPECT_FALSE(ResolvePoint(dims, 0, 2).ok());
  EXPECT_EQ(ResolvePoint(dims, 0, 2).status().message(), "Index exceeds dimension product");
}

TEST(PointResolutionTest, EpochsTimesDurationsUseOneEndRule) {
  const Dimensions dims = {{"epoch_ms", {J("0"), J("1700000000000")}},
                           {"simulation_duration_hours", {J("1"), J("null")}}};
  const uint64_t expected_end[] = {7'200'000, 10'800'000, 7'200'000, 10'800'000};
  const int64_t expected_epoch[] = {0, 0, 1'700'000'000'000, 1'700'000'000'000};
  for (uint64_t i = 0; i < 4; ++i) {
    Result<ResolvedPoint> point = ResolvePoint(dims, 0, i);
    ASSERT_TRUE(point.ok());
    EXPECT_EQ(sim::ResolvedEndTimeMs(point->params), expected_end[i]) << i;
    EXPECT_EQ(point->params.epoch_ms, expected_epoch[i]) << i;
    EXPECT_NE(point->effective_parameters_json.find("\"simulation_end_time_ms\":" + std::to_string(expected_end[i])),
              std::string::npos);
  }
}

TEST(PointResolutionTest, NoPointIsDropped) {
  const Dimensions dims = {{"batch_matching_enabled", {J("false"), J("true")}},
                           {"matching_algorithm_type", {J("\"simple\""), J("\"hungarian\"")}}};
  std::set<std::string> fingerprints;
  for (uint64_t i = 0; i < 4; ++i) {
    Result<ResolvedPoint> point = ResolvePoint(dims, 0, i);
    ASSERT_TRUE(point.ok()) << i;
    fingerprints.insert(point->parameter_fingerprint);
  }
  EXPECT_EQ(fingerprints.size(), 4u);
  Result<ResolvedPoint> hungarian_per_rider = ResolvePoint(dims, 0, 1);
  EXPECT_FALSE(hungarian_per_rider->params.batch_matching_enabled);
  EXPECT_EQ(hungarian_per_rider->params.matching_algorithm_type, sim::MatchingAlgorithm::kHungarian);
}

TEST(PointResolutionTest, SeedIsXorWithTwosComplement) {
  EXPECT_EQ(PointSeed(-1, 0), 18446744073709551615u);
  EXPECT_EQ(PointSeed(-1, 1), 18446744073709551614u);
  EXPECT_EQ(PointSeed(42, 2), 40u);
  EXPECT_EQ(PointSeed(-5, 0), 18446744073709551611u);
  const Dimensions dims = {{"num_riders", {J("1"), J("2")}}};
  EXPECT_EQ(ResolvePoint(dims, -1, 0)->params.seed, 18446744073709551615u);
}

TEST(PointResolutionTest, SelectedValuesKeepTheirRawCanonicalForm) {
  const Dimensions dims = {{"base_speed_kmh", {J("null")}},
                           {"eta_weight", {J("1e2")}},
                           {"surge_max_multiplier", {J("3")}},
                           {"traffic_profile", {J("\"BERLIN\"")}},
                           {"matching_algorithm_type", {J("\"Cost-Based\"")}}};
  Result<ResolvedPoint> point = ResolvePoint(dims, 0, 0);
  ASSERT_TRUE(point.ok());
  const std::string& json = point->effective_parameters_json;
  EXPECT_NE(json.find(R"("selected_dimensions":{"base_speed_kmh":null,"eta_weight":100.0,"surge_max_multiplier":3,)"
                      R"("traffic_profile":"BERLIN","matching_algorithm_type":"Cost-Based"})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("surge_max_multiplier":3.0,"surge_sensitivity":0.25})"), std::string::npos);
  EXPECT_NE(json.find(R"("matching_algorithm_type":"cost_based")"), std::string::npos);
  EXPECT_NE(json.find(R"("eta_weight":100.0,"route_provider_kind":"HexGrid","traffic_profile":"Berlin")"),
            std::string::npos);
}

TEST(PointResolutionTest, CustomTrafficAndSpawnWeightingSpellings) {
  sim::SimParams p;
  p.traffic_profile.kind = sim::TrafficProfileKind::kCustom;
  p.traffic_profile.custom_factors.fill(1.5);
  p.spawn_weighting = sim::SpawnWeighting::kBerlinHotspots;
  p.base_speed_kmh = 30;
  std::string out;
  AppendResolvedScenarioParameters(&out, p);
  EXPECT_NE(out.find(R"("traffic_profile":{"Custom":[1.5,1.5,)"), std::string::npos);
  EXPECT_NE(out.find(R"("base_speed_kmh":30.0,"spawn_weighting":"BerlinHotspots","price_tolerance_mean":0.5})"), std::string::npos);
}

TEST(PointResolutionTest, InvalidValuesAreReported) {
  const Dimensions dims = {{"num_riders", {J("1"), J("\"x\"")}}};
  EXPECT_TRUE(ResolvePoint(dims, 0, 0).ok());
  EXPECT_EQ(ResolvePoint(dims, 0, 1).status().message(), "Dimension 'num_riders' must be an unsigned integer");
  const Dimensions empty = {{"num_riders", {}}};
  EXPECT_EQ(ResolvePoint(empty, 0, 0).status().message(), "Dimension 'num_riders' cannot be empty");
}

}  // namespace
}  // namespace ridesweep::sweep
