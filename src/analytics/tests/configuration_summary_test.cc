// Per-configuration means and 95% Student-t intervals: the t table, the interval of a known sample, the coverage
// of the interval over many simulated samples, and grouping/ranking of replicates.
#include "ridesweep/analytics/configuration_summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/analytics/fixed_scale_health.h"
#include "ridesweep/analytics/metric_columns.h"
#include "ridesweep/analytics/run_summary.h"

namespace ridesweep::analytics {
namespace {

TEST(ConfigurationSummaryTest, StudentTQuantiles) {
  EXPECT_DOUBLE_EQ(StudentT975(1), 12.7062);
  EXPECT_DOUBLE_EQ(StudentT975(4), 2.7764);
  EXPECT_DOUBLE_EQ(StudentT975(30), 2.0423);
  EXPECT_NEAR(StudentT975(50), 2.0086, 2e-4);   // published 2.0086
  EXPECT_NEAR(StudentT975(100), 1.9840, 2e-4);  // published 1.9840
  EXPECT_NEAR(StudentT975(1'000'000), 1.9600, 1e-4);
}

TEST(ConfigurationSummaryTest, IntervalOfAKnownSample) {
  const std::vector<double> values = {1, 2, 3, 4, 5};  // mean 3, s = sqrt(2.5)
  const MeanInterval m = MeanWithInterval(values);
  EXPECT_DOUBLE_EQ(m.mean, 3);
  ASSERT_TRUE(m.half_width.has_value());
  EXPECT_NEAR(*m.half_width, 2.7764 * std::sqrt(2.5) / std::sqrt(5.0), 1e-12);
  const std::vector<double> one = {7};
  EXPECT_FALSE(MeanWithInterval(one).half_width.has_value());
}

// Coverage: 4000 samples of n = 5 from N(10, 2²) with a fixed seed. The true coverage is 0.95; the estimate's
// standard error is sqrt(0.95 · 0.05 / 4000) = 0.0034, and the tolerance is 4 of them (0.0138).
TEST(ConfigurationSummaryTest, IntervalFromMomentsEqualsIntervalFromValues) {
  const std::vector<double> values = {0.41, 0.47, 0.39, 0.52};
  const MeanInterval from_values = MeanWithInterval(values);
  const MeanInterval from_moments = MeanWithInterval(values.size(), from_values.mean, from_values.sd);
  EXPECT_EQ(from_moments.n, 4u);
  EXPECT_EQ(from_moments.mean, from_values.mean);
  EXPECT_EQ(from_moments.sd, from_values.sd);
  EXPECT_EQ(from_moments.half_width, from_values.half_width);
  EXPECT_FALSE(MeanWithInterval(1, 0.5, std::nullopt).half_width.has_value());
  EXPECT_EQ(MeanWithInterval(0, 0.0, std::nullopt).n, 0u);
}

TEST(ConfigurationSummaryTest, IntervalsCoverTheMeanNinetyFivePercentOfTheTime) {
  std::mt19937_64 rng(1207);
  std::normal_distribution<double> normal(10.0, 2.0);
  constexpr int kTrials = 4000;
  int covered = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    std::vector<double> sample(5);
    for (double& v : sample) v = normal(rng);
    const MeanInterval m = MeanWithInterval(sample);
    if (std::fabs(m.mean - 10.0) <= *m.half_width) ++covered;
  }
  EXPECT_NEAR(static_cast<double>(covered) / kTrials, 0.95, 4 * std::sqrt(0.95 * 0.05 / kTrials));
}

// A replicate whose fixed-scale score is exactly `score`: conversion alone (weight 0.30) carries it.
ScoredConfiguration Point(uint64_t index, std::string rate, double score, double revenue) {
  ScoredConfiguration p;
  p.point_index = index;
  p.dimensions = {{"commission_rate", std::move(rate)}};
  p.metrics.total_riders = 1'000'000'000;  // revenue per rider ≈ 0: the revenue term vanishes
  p.metrics.conversion_rate = score / 0.30;
  p.metrics.platform_revenue = revenue;
  p.metrics.avg_time_to_match_ms = sim::kReferenceWaitMs;  // match and pickup components 0
  p.metrics.avg_time_to_pickup_ms = sim::kReferenceWaitMs;
  return p;
}

TEST(ConfigurationSummaryTest, GroupsReplicatesAndRanksByMeanScore) {
  const std::vector<ScoredConfiguration> points = {
      Point(0, "0.1", 0.2, 100), Point(1, "0.1", 0.4, 120), Point(2, "0.1", 0.3, 110),
      Point(3, "0.2", 0.9, 300), Point(4, "0.2", 0.1, 200), Point(5, "0.2", 0.2, 250),
      Point(6, "0.3", 0.5, 50)};
  const std::vector<ConfigurationStats> stats = SummarizeConfigurations(points);
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats[0].dimensions[0].value_json, "0.3");  // mean 0.5 (one replicate)
  EXPECT_EQ(stats[0].n, 1u);
  EXPECT_EQ(stats[1].dimensions[0].value_json, "0.2");  // mean 0.4
  EXPECT_NEAR(stats[1].health_score.mean, 0.4, 1e-6);
  EXPECT_EQ(stats[1].first_point_index, 3u);
  EXPECT_EQ(stats[1].n, 3u);
  EXPECT_DOUBLE_EQ(stats[1].platform_revenue.mean, 250);
  EXPECT_EQ(stats[2].dimensions[0].value_json, "0.1");  // mean 0.3
  EXPECT_DOUBLE_EQ(stats[2].platform_revenue.mean, 110);
  ASSERT_TRUE(stats[2].platform_revenue.half_width.has_value());
  ASSERT_TRUE(stats[2].platform_revenue.sd.has_value());
  EXPECT_NEAR(*stats[2].platform_revenue.sd, 10, 1e-9);
  EXPECT_NEAR(*stats[2].platform_revenue.half_width, StudentT975(2) * 10 / std::sqrt(3.0), 1e-9);
  // Every metric of the table is summarised, in its order.
  ASSERT_EQ(stats[2].metrics.size(), MetricColumns().size());
  EXPECT_EQ(stats[2].metrics.front().name, "total_riders");
  EXPECT_EQ(stats[2].Metric("platform_revenue")->mean, stats[2].platform_revenue.mean);
  EXPECT_EQ(stats[2].Metric("no_such_metric"), nullptr);
}

TEST(ConfigurationSummaryTest, MissingValuesAreExcludedAndCounted) {
  std::vector<ScoredConfiguration> points = {Point(0, "0.1", 0.2, 100), Point(1, "0.1", 0.4, 120),
                                             Point(2, "0.1", 0.3, 110)};
  points[1].metrics.match_rate.reset();
  points[0].metrics.match_rate = 0.5;
  points[2].metrics.match_rate = 0.7;
  const std::vector<ConfigurationStats> stats = SummarizeConfigurations(points);
  const MeanInterval* match_rate = stats[0].Metric("match_rate");
  ASSERT_NE(match_rate, nullptr);
  EXPECT_EQ(match_rate->n, 2u);
  EXPECT_EQ(match_rate->missing, 1u);
  EXPECT_DOUBLE_EQ(match_rate->mean, 0.6);
}

// The fixed-scale score depends on the configuration alone: adding very different points to the run (which moves
// every min–max normalised score) leaves it unchanged.
TEST(ConfigurationSummaryTest, HealthScoreDoesNotDependOnTheOtherPointsOfTheRun) {
  sim::PointMetrics m;
  m.total_riders = 500;
  m.conversion_rate = 0.7;
  m.platform_revenue = 1150;  // 2.3 per rider → 0.23
  m.driver_payouts = 2150;    // 4.3 per rider → 0.43
  m.avg_time_to_match_ms = 105'000;
  m.avg_time_to_pickup_ms = 97'800;
  m.abandoned_quote_riders = 110;  // 0.22
  const double expected = 0.30 * 0.7 + 0.25 * 0.23 + 0.15 * 0.43 + 0.15 * (1 - 105'000.0 / 600'000) +
                          0.15 * (1 - 97'800.0 / 600'000) - 0.20 * 0.22;
  EXPECT_NEAR(sim::PointHealth(m).score, expected, 1e-12);

  ScoredConfiguration a;
  a.dimensions = {{"x", "1"}};
  a.metrics = m;
  ScoredConfiguration other = a;
  other.point_index = 1;
  other.dimensions = {{"x", "2"}};
  other.metrics.conversion_rate = 0.1;
  other.metrics.avg_time_to_match_ms.reset();  // served no one: the match component is 0
  const std::vector<ScoredConfiguration> alone = {a};
  const std::vector<ScoredConfiguration> with_other = {a, other};
  const double score_alone = SummarizeConfigurations(alone)[0].health_score.mean;
  const std::vector<ConfigurationStats> both = SummarizeConfigurations(with_other);
  ASSERT_EQ(both[0].dimensions[0].value_json, "1");
  EXPECT_EQ(both[0].health_score.mean, score_alone);
  EXPECT_NEAR(both[1].health_score.mean, expected - 0.30 * 0.6 - 0.15 * (1 - 105'000.0 / 600'000), 1e-12);
}

// The SQL expression `ridesweep compare` aggregates gives the library's score, with and without the time metrics
// and with no rider at all (counted as one).
TEST(ConfigurationSummaryTest, HealthScoreSqlEqualsTheLibraryScore) {
  Result<std::unique_ptr<DuckDbQueryEngine>> engine = DuckDbQueryEngine::Open();
  ASSERT_TRUE(engine.ok()) << engine.status().message();
  sim::PointMetrics served;
  served.total_riders = 500;
  served.conversion_rate = 0.7;
  served.platform_revenue = 1150;
  served.driver_payouts = 2150;
  served.avg_time_to_match_ms = 105'000;
  served.avg_time_to_pickup_ms = 97'800;
  served.abandoned_quote_riders = 110;
  sim::PointMetrics none_matched = served;
  none_matched.avg_time_to_match_ms.reset();
  none_matched.avg_time_to_pickup_ms.reset();
  sim::PointMetrics no_riders;
  no_riders.platform_revenue = 3;
  for (const sim::PointMetrics& m : {served, none_matched, no_riders}) {
    const auto text = [](const std::optional<double>& v) { return v ? std::to_string(*v) : std::string("NULL"); };
    const std::string row = "SELECT CAST(" + std::to_string(m.total_riders) + " AS BIGINT) AS total_riders, " +
                            std::to_string(m.conversion_rate) + " AS conversion_rate, " +
                            std::to_string(m.platform_revenue) + " AS platform_revenue, " +
                            std::to_string(m.driver_payouts) + " AS driver_payouts, CAST(" +
                            text(m.avg_time_to_match_ms) + " AS DOUBLE) AS avg_time_to_match_ms, CAST(" +
                            text(m.avg_time_to_pickup_ms) + " AS DOUBLE) AS avg_time_to_pickup_ms, CAST(" +
                            std::to_string(m.abandoned_quote_riders) + " AS BIGINT) AS abandoned_quote_riders";
    Result<QueryResult> r =
        (*engine)->Run("SELECT " + FixedScaleHealthSql() + " AS health_score FROM (" + row + ")");
    ASSERT_TRUE(r.ok()) << r.status().message();
    Result<double> score = r->Double(0, "health_score");
    ASSERT_TRUE(score.ok()) << score.status().message();
    EXPECT_NEAR(*score, sim::PointHealth(m).score, 1e-12);
  }
  EXPECT_NE(sim::PointHealth(served).score, sim::PointHealth(none_matched).score);
}

// Marks: intervals of (0.50 ± h), (0.46 ± h) overlap; (0.20 ± h) lies apart; one replicate has no interval.
TEST(ConfigurationSummaryTest, MarksConfigurationsNotDistinguishableFromTheBest) {
  std::vector<ScoredConfiguration> points;
  uint64_t index = 0;
  for (auto [rate, centre] : {std::pair{"0.1", 0.50}, std::pair{"0.2", 0.46}, std::pair{"0.3", 0.20}}) {
    for (double offset : {-0.02, 0.0, 0.02}) points.push_back(Point(index++, rate, centre + offset, 0));
  }
  points.push_back(Point(index++, "0.4", 0.10, 0));
  const std::vector<ConfigurationStats> stats = SummarizeConfigurations(points);
  ASSERT_EQ(stats.size(), 4u);
  // h = t(0.975, 2) · 0.02 / √3 ≈ 0.0497: 0.46 + h > 0.50 − h, 0.20 + h < 0.50 − h.
  EXPECT_EQ(stats[0].dimensions[0].value_json, "0.1");
  EXPECT_EQ(stats[0].not_distinguishable_from_best, std::optional<bool>(true));
  EXPECT_EQ(stats[1].not_distinguishable_from_best, std::optional<bool>(true));
  EXPECT_EQ(stats[2].not_distinguishable_from_best, std::optional<bool>(false));
  EXPECT_EQ(stats[3].n, 1u);
  EXPECT_FALSE(stats[3].not_distinguishable_from_best.has_value());
}

}  // namespace
}  // namespace ridesweep::analytics
