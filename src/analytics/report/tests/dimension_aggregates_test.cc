// Aggregation of point metrics per dimension value and per pair of values, and how the aggregation is named.
#include "report/dimension_aggregates.h"

#include <gtest/gtest.h>

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
