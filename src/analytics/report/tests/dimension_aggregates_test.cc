// Aggregation of point metrics per dimension value and per pair of values, and how the aggregation is named.
#include "report/dimension_aggregates.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ridesweep::analytics::report {
namespace {

const ReportMetric& Conversion() { return ReportMetrics()[0]; }

ScoredConfiguration Point(uint64_t index, const std::string& a, const std::string& b, const std::string& c,
                          double conversion) {
  ScoredConfiguration p;
  p.point_index = index;
  p.dimensions = {{"a", a}, {"b", b}, {"c", c}};
  p.metrics.conversion_rate = conversion;
  return p;
}

class DimensionAggregatesTest : public ::testing::Test {
 protected:
  // a: 2 values, b: 2 values (strings), c: fixed. Point (a=2, b="y") is missing (failed shard).
  std::vector<ReportDimension> dims_ = {{"a", {"1", "2"}}, {"b", {R"("x")", R"("y")"}}, {"c", {"true"}}};
  std::vector<ScoredConfiguration> points_ = {
      Point(0, "1", R"("x")", "true", 0.10),
      Point(1, "1", R"("y")", "true", 0.30),
      Point(2, "2", R"("x")", "true", 0.50),
  };
};

TEST_F(DimensionAggregatesTest, LocatesEachPointOnEachDimension) {
  const PointCoordinates c = LocatePoints(dims_, points_);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[1][0], 0u);
  EXPECT_EQ(c[1][1], 1u);
  EXPECT_EQ(c[2][0], 1u);
  EXPECT_EQ(c[2][2], 0u);
}

TEST_F(DimensionAggregatesTest, ValueNotOnTheAxisIsLeftOut) {
  points_.push_back(Point(3, "9", R"("x")", "true", 0.9));
  const PointCoordinates c = LocatePoints(dims_, points_);
  EXPECT_FALSE(c[3][0].has_value());
  const auto cells = AggregateByValue(c, points_, dims_, 0, Conversion());
  EXPECT_EQ(cells[0]->count + cells[1]->count, 3u);
}

TEST_F(DimensionAggregatesTest, ByValueGivesMeanMinMaxAndCount) {
  const auto cells = AggregateByValue(LocatePoints(dims_, points_), points_, dims_, 0, Conversion());
  ASSERT_EQ(cells.size(), 2u);
  ASSERT_TRUE(cells[0].has_value());
  EXPECT_EQ(cells[0]->count, 2u);
  EXPECT_DOUBLE_EQ(cells[0]->mean, 0.2);
  EXPECT_DOUBLE_EQ(cells[0]->min, 0.1);
  EXPECT_DOUBLE_EQ(cells[0]->max, 0.3);
  EXPECT_EQ(cells[1]->count, 1u);
  EXPECT_DOUBLE_EQ(cells[1]->mean, 0.5);
}

TEST_F(DimensionAggregatesTest, ByPairLeavesCellsWithoutPointsEmpty) {
  const auto cells = AggregateByPair(LocatePoints(dims_, points_), points_, dims_, 0, 1, Conversion());
  ASSERT_EQ(cells.size(), 2u);                // y = b
  ASSERT_EQ(cells[0].size(), 2u);             // x = a
  EXPECT_DOUBLE_EQ(cells[0][0]->mean, 0.10);  // a=1, b=x
  EXPECT_DOUBLE_EQ(cells[1][0]->mean, 0.30);  // a=1, b=y
  EXPECT_DOUBLE_EQ(cells[0][1]->mean, 0.50);  // a=2, b=x
  EXPECT_FALSE(cells[1][1].has_value());      // a=2, b=y: no committed point
}

TEST_F(DimensionAggregatesTest, AggregationLabelNamesTheOtherVaryingDimensions) {
  EXPECT_EQ(AggregationLabel(dims_, {0}), "mean over b (2 values)");
  EXPECT_EQ(AggregationLabel(dims_, {0, 1}), "one point per cell");  // c is fixed
  dims_.push_back({"d", {"1", "2", "3"}});
  EXPECT_EQ(AggregationLabel(dims_, {0}), "mean over b \u00d7 d (6 combinations)");
}

TEST(ReportMetricsTest, DisplayedValuesCarryScaleAndUnit) {
  const auto metrics = ReportMetrics();
  ASSERT_EQ(metrics.size(), 5u);
  EXPECT_EQ(metrics[0].column, "conversion_rate");
  EXPECT_EQ(FormatDisplayed(metrics[0], 0.2213), "22.1 %");
  EXPECT_EQ(metrics[3].column, "avg_time_to_match_ms");
  EXPECT_EQ(FormatDisplayed(metrics[3], 318'000), "318 s");
  EXPECT_EQ(FormatDisplayed(metrics[1], 207.88), "208");
  sim::PointMetrics m;
  m.avg_time_to_pickup_ms = 93.5;
  EXPECT_EQ(StoredValue(metrics[4], m), std::optional<double>(93.5));
  m.avg_time_to_pickup_ms.reset();  // A point that served no one: missing, not 0.
  EXPECT_FALSE(StoredValue(metrics[4], m).has_value());
}

}  // namespace
}  // namespace ridesweep::analytics::report

namespace ridesweep::analytics::report {
namespace {

// Replicates: two configurations (a=1, a=2) of three replicates each, both at b="x".
TEST(ReplicateIntervalTest, CellIntervalPoolsTheConfigurationVariances) {
  const std::vector<ReportDimension> dims = {{"a", {"1", "2"}}, {"b", {R"("x")"}}};
  std::vector<ScoredConfiguration> points;
  const double values[2][3] = {{0.1, 0.2, 0.3}, {0.5, 0.5, 0.8}};
  for (int a = 0; a < 2; ++a) {
    for (int r = 0; r < 3; ++r) {
      ScoredConfiguration p;
      p.point_index = static_cast<uint64_t>(a * 3 + r);
      p.dimensions = {{"a", a == 0 ? "1" : "2"}, {"b", R"("x")"}};
      p.metrics.conversion_rate = values[a][r];
      points.push_back(p);
    }
  }
  const PointCoordinates c = LocatePoints(dims, points);
  // Per value of a: one configuration, s² = 0.01 (a=1) and 0.03 (a=2); t(0.975, 2) = 4.3027.
  const auto by_a = AggregateByValue(c, points, dims, 0, ReportMetrics()[0]);
  ASSERT_TRUE(by_a[0]->half_width && by_a[1]->half_width);
  EXPECT_NEAR(*by_a[0]->half_width, 4.3027 * std::sqrt(0.01 / 3), 1e-12);
  EXPECT_NEAR(*by_a[1]->half_width, 4.3027 * std::sqrt(0.03 / 3), 1e-12);
  EXPECT_EQ(by_a[0]->configurations, 1u);
  // Over b="x": both configurations, N = 6, variance (3·0.01 + 3·0.03) / 36, df 4 → t 2.7764.
  const auto by_b = AggregateByValue(c, points, dims, 1, ReportMetrics()[0]);
  EXPECT_EQ(by_b[0]->configurations, 2u);
  EXPECT_NEAR(by_b[0]->mean, 0.4, 1e-12);
  EXPECT_NEAR(*by_b[0]->half_width, 2.7764 * std::sqrt(0.12 / 36), 1e-12);
  // One replicate anywhere: no interval.
  points.pop_back();
  points.pop_back();
  const auto short_b = AggregateByValue(LocatePoints(dims, points), points, dims, 1, ReportMetrics()[0]);
  EXPECT_FALSE(short_b[0]->half_width.has_value());
}

}  // namespace
}  // namespace ridesweep::analytics::report

#include "report/pair_influence.h"
#include "report/replicate_noise.h"

namespace ridesweep::analytics::report {
namespace {

// a and b decide the metric (conversion = a + b), c is noise-free and irrelevant: pairs with a and b explain
// more of the spread than pairs without one of them, and (a, b) explains all of it.
TEST(PairInfluenceTest, ThePairThatDecidesTheMetricRanksFirst) {
  const std::vector<ReportDimension> dims = {{"a", {"0", "1"}}, {"b", {"0", "2"}}, {"c", {"0", "1"}}};
  std::vector<ScoredConfiguration> points;
  for (int a = 0; a < 2; ++a) {
    for (int b = 0; b < 2; ++b) {
      for (int c = 0; c < 2; ++c) {
        ScoredConfiguration p;
        p.dimensions = {{"a", std::to_string(a)}, {"b", std::to_string(2 * b)}, {"c", std::to_string(c)}};
        p.metrics.conversion_rate = a + 2 * b;
        points.push_back(p);
      }
    }
  }
  const std::vector<const ReportMetric*> metrics = {&ReportMetrics()[0]};
  const std::vector<PairInfluence> ranked =
      RankPairsByInfluence(LocatePoints(dims, points), points, dims, {0, 1, 2}, metrics);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(std::make_pair(ranked[0].x, ranked[0].y), std::make_pair(size_t{0}, size_t{1}));
  EXPECT_NEAR(ranked[0].influence, 1.0, 1e-12);
  // (b, c): variance of b alone, 4 · 0.25 = 1, over the total 1.25.
  EXPECT_EQ(std::make_pair(ranked[1].x, ranked[1].y), std::make_pair(size_t{1}, size_t{2}));
  EXPECT_NEAR(ranked[1].influence, 0.8, 1e-12);
  EXPECT_NEAR(ranked[2].influence, 0.2, 1e-12);
}

TEST(ReplicateNoiseTest, MedianOfTheRelativeHalfWidths) {
  // Three configurations of two replicates, each s/√2 = 0.1: half-width t(0.975, 1) · 0.1 = 1.27062 around means
  // 1, 2 and 4.
  std::vector<ScoredConfiguration> points;
  const double values[3][2] = {{0.9, 1.1}, {1.9, 2.1}, {3.9, 4.1}};
  for (int c = 0; c < 3; ++c) {
    for (double v : values[c]) {
      ScoredConfiguration p;
      p.dimensions = {{"a", std::to_string(c)}};
      p.metrics.conversion_rate = v;
      points.push_back(p);
    }
  }
  const std::vector<MetricNoise> noise = ReplicateNoise(points, {&ReportMetrics()[0]});
  ASSERT_EQ(noise.size(), 1u);
  EXPECT_EQ(noise[0].configurations, 3u);
  // Relative half-widths 1.27062 / 1, / 2 and / 4: the median is the middle one.
  ASSERT_TRUE(noise[0].median_relative.has_value());
  EXPECT_NEAR(*noise[0].median_relative, 12.7062 * 0.1 / 2, 1e-9);
}

}  // namespace
}  // namespace ridesweep::analytics::report
