// Per-configuration means and 95% Student-t intervals: the t table, the interval of a known sample, the coverage
// of the interval over many simulated samples, and grouping/ranking of replicates.
#include "ridesweep/analytics/configuration_summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

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

ScoredConfiguration Point(uint64_t index, std::string rate, double score, double revenue) {
  ScoredConfiguration p;
  p.point_index = index;
  p.dimensions = {{"commission_rate", std::move(rate)}};
  p.health.score = score;
  p.metrics.platform_revenue = revenue;
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
  EXPECT_EQ(stats[1].first_point_index, 3u);
  EXPECT_EQ(stats[1].n, 3u);
  EXPECT_DOUBLE_EQ(stats[1].platform_revenue.mean, 250);
  EXPECT_EQ(stats[2].dimensions[0].value_json, "0.1");  // mean 0.3
  EXPECT_DOUBLE_EQ(stats[2].platform_revenue.mean, 110);
  ASSERT_TRUE(stats[2].platform_revenue.half_width.has_value());
  EXPECT_NEAR(*stats[2].platform_revenue.half_width, StudentT975(2) * 10 / std::sqrt(3.0), 1e-9);
}

}  // namespace
}  // namespace ridesweep::analytics
