// Health score and ranking: each component on its fixed reference scale, directions, weights, ties, a score that
// does not depend on the other points, and the rule for points that served no one (they rank last).
#include "ridesweep/sim/health.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace ridesweep::sim {
namespace {

PointMetrics Point(double conversion, double revenue, double payouts, double match_ms, double pickup_ms,
                   int64_t abandoned) {
  PointMetrics m;
  m.total_riders = 100;
  m.conversion_rate = conversion;
  m.platform_revenue = revenue;
  m.driver_payouts = payouts;
  m.avg_time_to_match_ms = match_ms;
  m.avg_time_to_pickup_ms = pickup_ms;
  m.abandoned_quote_riders = abandoned;
  m.completed_trips = 1;  // Served someone; the unserved rule has a test of its own below.
  return m;
}

TEST(HealthTest, ComponentsAreTheMetricsOnTheirReferenceScales) {
  // 100 riders: revenue 500 is 5 per rider, half the 10-unit reference; match 3 min is 0.3 of the 10-minute one.
  const HealthComponents c = PointHealth(Point(0.7, 500, 1'000, 180'000, 60'000, 4));
  EXPECT_DOUBLE_EQ(c.conversion, 0.7);
  EXPECT_DOUBLE_EQ(c.revenue, 0.5);
  EXPECT_DOUBLE_EQ(c.payouts, 1.0);
  EXPECT_DOUBLE_EQ(c.match_time, 0.7);
  EXPECT_DOUBLE_EQ(c.pickup_time, 0.9);
  EXPECT_DOUBLE_EQ(c.abandoned, 0.04);
  EXPECT_NEAR(c.score, 0.3 * 0.7 + 0.25 * 0.5 + 0.15 * 1.0 + 0.15 * 0.7 + 0.15 * 0.9 - 0.2 * 0.04, 1e-12);
  EXPECT_TRUE(c.served);
}

TEST(HealthTest, AScoreDoesNotDependOnTheOtherPoints) {
  // The failure of a min-max score: the same point scored differently next to different points.
  const PointMetrics same = Point(0.6, 400, 900, 120'000, 90'000, 10);
  const auto alone = HealthScores(std::vector<PointMetrics>{same});
  const auto crowded = HealthScores(std::vector<PointMetrics>{Point(0.9, 900, 100, 5'000, 5'000, 0), same,
                                                              Point(0.1, 10, 10, 500'000, 500'000, 90)});
  EXPECT_EQ(alone[0].score, crowded[1].score);
  EXPECT_EQ(alone[0].score, PointHealth(same).score);
}

TEST(HealthTest, DirectionsAndRanking) {
  // Point 0 is best on everything; point 1 worst; point 2 in the middle.
  const std::vector<PointMetrics> points = {Point(0.9, 300, 900, 5'000, 30'000, 0),
                                            Point(0.1, 100, 100, 25'000, 90'000, 20),
                                            Point(0.5, 200, 500, 15'000, 60'000, 10)};
  const auto scores = HealthScores(points);
  EXPECT_GT(scores[0].score, scores[2].score);
  EXPECT_GT(scores[2].score, scores[1].score);
  EXPECT_GT(scores[0].match_time, scores[2].match_time);  // shorter waits score higher
  EXPECT_LT(scores[0].abandoned, scores[1].abandoned);    // and abandonment counts against
  EXPECT_EQ(RankPoints(scores), (std::vector<size_t>{0, 2, 1}));
  EXPECT_EQ(BestPointIndex(scores), std::optional<size_t>(0));
}

TEST(HealthTest, CustomWeightsAndTies) {
  const std::vector<PointMetrics> points = {Point(0.2, 0, 0, 0, 0, 0), Point(0.8, 0, 0, 0, 0, 0),
                                            Point(0.8, 0, 0, 0, 0, 0)};
  HealthWeights w;
  w.conversion = 1.0;
  w.revenue = w.payouts = w.match_time = w.pickup_time = w.abandoned = 0.0;
  const auto scores = HealthScores(points, w);
  EXPECT_DOUBLE_EQ(scores[0].score, 0.2);
  EXPECT_DOUBLE_EQ(scores[1].score, 0.8);
  EXPECT_EQ(BestPointIndex(scores), std::optional<size_t>(1));  // Tie between 1 and 2: the lowest index.
  EXPECT_EQ(RankPoints(scores), (std::vector<size_t>{1, 2, 0}));
}

TEST(HealthTest, MissingTimesEarnNothingAndNoRidersCountAsOne) {
  PointMetrics none;  // no rider, nothing served, no time metric
  const HealthComponents c = PointHealth(none);
  EXPECT_EQ(c.match_time, 0.0);
  EXPECT_EQ(c.pickup_time, 0.0);
  EXPECT_EQ(c.score, 0.0);
  EXPECT_FALSE(c.served);
}

TEST(HealthTest, EmptySet) {
  const auto scores = HealthScores({});
  EXPECT_TRUE(scores.empty());
  EXPECT_EQ(BestPointIndex(scores), std::nullopt);
  EXPECT_TRUE(RankPoints(scores).empty());
}

TEST(HealthTest, APointThatServedNoOneRanksBelowEveryPointThatServedSomeone) {
  // The unserved point abandons no one; the served ones are poor on everything, with waits over the 10-minute
  // reference, so their scores are below the unserved point's: ranking still puts it last.
  PointMetrics none;
  none.total_riders = 100;
  std::vector<PointMetrics> points = {Point(0.01, 1, 1, 900'000, 900'000, 90), none,
                                      Point(0.02, 2, 2, 800'000, 800'000, 80)};
  const auto scores = HealthScores(points);
  ASSERT_GT(scores[1].score, std::max(scores[0].score, scores[2].score));
  EXPECT_EQ(RankPoints(scores), (std::vector<size_t>{2, 0, 1}));
  // The same holds under any weights: zero everything but the abandonment penalty.
  HealthWeights only_abandoned{0, 0, 0, 0, 0, -1.0};
  EXPECT_EQ(RankPoints(HealthScores(points, only_abandoned)).back(), 1u);
}

}  // namespace
}  // namespace ridesweep::sim
