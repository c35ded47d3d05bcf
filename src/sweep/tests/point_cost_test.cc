// The scheduling estimate: riders × drivers plus both counts, saturating, computed from the resolved point (the
// same defaults and dimension mapping as ResolvePoint), 0 for a point that does not resolve.
#include "ridesweep/sweep/point_cost.h"

#include <gtest/gtest.h>

#include <limits>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/sweep/point_resolution.h"
#include "json_literal.h"

namespace ridesweep::sweep {
namespace {

TEST(PointCostTest, RidersTimesDriversPlusBoth) {
  sim::SimParams p;
  p.num_riders = 800;
  p.num_drivers = 200;
  EXPECT_EQ(EstimatePointCost(p), 800u * 200u + 800u + 200u);
  p.num_drivers = 0;
  EXPECT_EQ(EstimatePointCost(p), 800u);  // still ranks by riders when there is no driver
  p.num_riders = std::numeric_limits<uint64_t>::max();
  p.num_drivers = 3;
  EXPECT_EQ(EstimatePointCost(p), std::numeric_limits<uint64_t>::max());  // saturates, no wrap-around
}

TEST(PointCostTest, DefaultsFillWhatTheGridDoesNotSelect) {
  // Defaults: 500 riders, 250 drivers.
  const Dimensions dims = {{"commission_rate", {J("0.1"), J("0.2")}}};
  EXPECT_EQ(EstimatePointCost(dims, 0), 500u * 250u + 750u);
  EXPECT_EQ(EstimatePointCost(dims, 1), 500u * 250u + 750u);
}

TEST(PointCostTest, FollowsTheResolvedParametersOfEveryDemoPoint) {
  // The demo grid (examples/demo-request.json); names sorted, the last one the fastest digit.
  const Dimensions dims = {{"commission_rate", {J("0.1"), J("0.2")}},
                           {"match_radius", {J("5")}},
                           {"num_drivers", {J("100"), J("200")}},
                           {"num_riders", {J("500"), J("800")}}};
  for (uint64_t i = 0; i < 8; ++i) {
    Result<ResolvedPoint> point = ResolvePoint(dims, 42, i);
    ASSERT_TRUE(point.ok());
    EXPECT_EQ(EstimatePointCost(dims, i), EstimatePointCost(point->params)) << i;
  }
  // Point 3 (200 drivers, 800 riders) is the most expensive, point 0 (100, 500) the cheapest.
  EXPECT_EQ(EstimatePointCost(dims, 3), 200u * 800u + 1000u);
  EXPECT_EQ(EstimatePointCost(dims, 0), 100u * 500u + 600u);
  EXPECT_GT(EstimatePointCost(dims, 2), EstimatePointCost(dims, 1));  // 200 × 500 > 100 × 800
}

TEST(PointCostTest, UnresolvablePointsCostZero) {
  const Dimensions dims = {{"num_riders", {J("10"), J("20")}}};
  EXPECT_EQ(EstimatePointCost(dims, 2), 0u);  // index beyond the grid
  const Dimensions bad = {{"num_riders", {J("\"many\"")}}};
  EXPECT_EQ(EstimatePointCost(bad, 0), 0u);  // a value the mapping rejects
}

}  // namespace
}  // namespace ridesweep::sweep
