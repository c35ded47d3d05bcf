// Welch's interval of a difference of means: known cases (equal and unequal spreads), the degenerate ones, and the
// coverage of the interval over many simulated pairs of samples with unequal variances.
#include "ridesweep/analytics/welch_interval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "ridesweep/analytics/configuration_summary.h"

namespace ridesweep::analytics {
namespace {

SampleMoments Moments(const std::vector<double>& values) {
  SampleMoments m;
  m.n = values.size();
  for (double v : values) m.mean += v;
  m.mean /= static_cast<double>(m.n);
  if (m.n > 1) {
    double squares = 0;
    for (double v : values) squares += (v - m.mean) * (v - m.mean);
    m.sd = std::sqrt(squares / static_cast<double>(m.n - 1));
  }
  return m;
}

TEST(WelchIntervalTest, EqualSpreadsGiveThePooledDegreesOfFreedom) {
  // n = 5 each, s = 2 each: se² = 0.8 + 0.8, df = 1.6² / (0.64/4 + 0.64/4) = 8, t(0.975, 8) = 2.3060.
  const WelchDifference d = WelchInterval({5, 10.0, 2.0}, {5, 13.0, 2.0});
  EXPECT_DOUBLE_EQ(d.difference, 3.0);
  ASSERT_TRUE(d.df && d.half_width);
  EXPECT_NEAR(*d.df, 8.0, 1e-12);
  EXPECT_NEAR(*d.half_width, 2.3060 * std::sqrt(1.6), 1e-12);
  EXPECT_TRUE(d.excludes_zero);  // 3 > 2.917
}

TEST(WelchIntervalTest, UnequalSpreadsRoundTheDegreesOfFreedomDown) {
  // n 3, s 1 against n 10, s 3: se² = 1/3 + 9/10, df = 10.45 → t(0.975, 10) = 2.2281.
  const WelchDifference d = WelchInterval({3, 5.0, 1.0}, {10, 6.0, 3.0});
  ASSERT_TRUE(d.df && d.half_width);
  EXPECT_NEAR(*d.df, 10.450381679389315, 1e-9);
  EXPECT_NEAR(*d.half_width, 2.2281 * std::sqrt(1.0 / 3 + 0.9), 1e-12);
  EXPECT_FALSE(d.excludes_zero);  // 1 < 2.47
}

TEST(WelchIntervalTest, NoIntervalWithFewerThanTwoValuesAndZeroWidthWithoutSpread) {
  const WelchDifference single = WelchInterval({1, 4.0, std::nullopt}, {5, 6.0, 1.0});
  EXPECT_DOUBLE_EQ(single.difference, 2.0);
  EXPECT_FALSE(single.half_width.has_value());
  EXPECT_FALSE(single.excludes_zero);
  const WelchDifference flat = WelchInterval({3, 4.0, 0.0}, {3, 6.0, 0.0});
  ASSERT_TRUE(flat.half_width.has_value());
  EXPECT_DOUBLE_EQ(*flat.half_width, 0.0);
  EXPECT_FALSE(flat.df.has_value());
  EXPECT_TRUE(flat.excludes_zero);
  EXPECT_FALSE(WelchInterval({3, 4.0, 0.0}, {3, 4.0, 0.0}).excludes_zero);
}

// Coverage: 4000 pairs, n 4 from N(0, 1²) and n 8 from N(0.5, 3²), fixed seed. Welch's interval is close to exact
// here and rounding df down only widens it, so coverage is at least about 0.95; the estimate's standard error is
// sqrt(0.95 · 0.05 / 4000) = 0.0034 and the tolerance below 0.95 is 4 of them (0.0138), above it 0.03.
TEST(WelchIntervalTest, IntervalsCoverTheTrueDifferenceNinetyFivePercentOfTheTime) {
  std::mt19937_64 rng(4242);
  std::normal_distribution<double> a_dist(0.0, 1.0);
  std::normal_distribution<double> b_dist(0.5, 3.0);
  constexpr int kTrials = 4000;
  int covered = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    std::vector<double> a(4);
    std::vector<double> b(8);
    for (double& v : a) v = a_dist(rng);
    for (double& v : b) v = b_dist(rng);
    const WelchDifference d = WelchInterval(Moments(a), Moments(b));
    if (std::fabs(d.difference - 0.5) <= *d.half_width) ++covered;
  }
  const double coverage = static_cast<double>(covered) / kTrials;
  EXPECT_GT(coverage, 0.95 - 0.0138);
  EXPECT_LT(coverage, 0.95 + 0.03);
}

}  // namespace
}  // namespace ridesweep::analytics
