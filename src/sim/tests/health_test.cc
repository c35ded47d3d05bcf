// Health score and ranking: normalisation, directions, weights, ties, and the rules for points that served no one
// (missing time metrics count as the worst; such a point ranks below every point that served someone).
#include "ridesweep/sim/health.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace ridesweep::sim {
namespace {

PointMetrics Point(double conversion, double revenue, double payouts, double match_ms, double pickup_ms,
                   int64_t abandoned) {
  PointMetrics m;
  m.conversion_rate = conversion;
  m.platform_revenue = revenue;
  m.driver_payouts = payouts;
  m.avg_time_to_match_ms = match_ms;
  m.avg_time_to_pickup_ms = pickup_ms;
  m.abandoned_quote_riders = abandoned;
  m.completed_trips = 1;  // Served someone; the unserved rule has tests of its own below.
  return m;
}

TEST(HealthTest, IdenticalPointsScore04U16) {
  const std::vector<PointMetrics> points(3, Point(0.7, 100, 500, 9'000, 60'000, 4));
  const auto scores = HealthScores(points);
  ASSERT_EQ(scores.size(), 3u);
  for (const HealthComponents& c : scores) {
    EXPECT_NEAR(c.score, 0.4, 1e-12);
    EXPECT_EQ(c.conversion, 0.5);
    EXPECT_EQ(c.abandoned, 0.5);
  }
  // Ties go to the lowest index.
  EXPECT_EQ(BestPointIndex(scores), std::optional<size_t>(0));
  EXPECT_EQ(RankPoints(scores), (std::vector<size_t>{0, 1, 2}));
}

TEST(HealthTest, FewerAbandonmentsScore02HigherU16) {
  const std::vector<PointMetrics> points = {Point(0.7, 100, 500, 9'000, 60'000, 10),
                                            Point(0.7, 100, 500, 9'000, 60'000, 2)};
  const auto scores = HealthScores(points);
  EXPECT_NEAR(scores[1].score - scores[0].score, 0.2, 1e-12);
  EXPECT_EQ(scores[0].abandoned, 1.0);
  EXPECT_EQ(scores[1].abandoned, 0.0);
  EXPECT_NEAR(scores[0].score, 0.3 * 0.5 + 0.25 * 0.5 + 0.15 * 0.5 + 0.15 * 0.5 + 0.15 * 0.5 - 0.2, 1e-12);
  EXPECT_EQ(BestPointIndex(scores), std::optional<size_t>(1));
}

TEST(HealthTest, ComponentsAndDirections) {
  // Point 0 is best on everything; point 1 worst; point 2 in the middle.
  const std::vector<PointMetrics> points = {Point(0.9, 300, 900, 5'000, 30'000, 0),
                                            Point(0.1, 100, 100, 25'000, 90'000, 20),
                                            Point(0.5, 200, 500, 15'000, 60'000, 10)};
  const auto scores = HealthScores(points);
  EXPECT_NEAR(scores[0].score, 1.0, 1e-12);
  EXPECT_NEAR(scores[1].score, -0.2, 1e-12);
  EXPECT_NEAR(scores[2].score, 0.4, 1e-12);
  EXPECT_EQ(scores[2].match_time, 0.5);
  EXPECT_EQ(RankPoints(scores), (std::vector<size_t>{0, 2, 1}));
}

TEST(HealthTest, CustomWeightsAndTies) {
  const std::vector<PointMetrics> points = {Point(0.2, 0, 0, 0, 0, 0), Point(0.8, 0, 0, 0, 0, 0),
                                            Point(0.8, 0, 0, 0, 0, 0)};
  HealthWeights w;
  w.conversion = 1.0;
  w.revenue = w.payouts = w.match_time = w.pickup_time = w.abandoned = 0.0;
  const auto scores = HealthScores(points, w);
  EXPECT_EQ(scores[0].score, 0.0);
  EXPECT_EQ(scores[1].score, 1.0);
  EXPECT_EQ(BestPointIndex(scores), std::optional<size_t>(1));  // Tie between 1 and 2: the lowest index.
  EXPECT_EQ(RankPoints(scores), (std::vector<size_t>{1, 2, 0}));
}

TEST(HealthTest, EmptySet) {
  const auto scores = HealthScores({});
  EXPECT_TRUE(scores.empty());
  EXPECT_EQ(BestPointIndex(scores), std::nullopt);
  EXPECT_TRUE(RankPoints(scores).empty());
}

TEST(HealthTest, APointThatServedNoOneRanksBelowEveryPointThatServedSomeone) {
  // The unserved point has no time metrics and the fewest abandonments; the served ones are poor on everything.
  PointMetrics none;
  none.abandoned_quote_riders = 0;
  std::vector<PointMetrics> points = {Point(0.01, 1, 1, 900'000, 900'000, 500), none,
                                      Point(0.02, 2, 2, 800'000, 800'000, 400)};
  const auto scores = HealthScores(points);
  const std::vector<size_t> order = RankPoints(scores);
  EXPECT_EQ(order.back(), 1u);
  EXPECT_LT(scores[1].score, std::min(scores[0].score, scores[2].score));
  EXPECT_EQ(scores[1].match_time, 1.0);  // Missing: normalised to the worst value.
  EXPECT_EQ(scores[1].pickup_time, 1.0);
  // The same holds under any weights: zero everything but the abandonment penalty.
  HealthWeights only_abandoned{0, 0, 0, 0, 0, -1.0};
  EXPECT_EQ(RankPoints(HealthScores(points, only_abandoned)).back(), 1u);
}

}  // namespace
}  // namespace ridesweep::sim
