// U15 (statistics over ms values) of spec/simulation.md §16.1 and §13.2.
#include "telemetry/statistics.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace ridesweep::sim {
namespace {

Summary Of(std::vector<uint64_t> values) { return Summarize(values); }

TEST(StatisticsTest, TenToHundredU15) {
  const Summary s = Of({100, 10, 90, 20, 80, 30, 70, 40, 60, 50});
  EXPECT_EQ(s.avg, 55.0);
  EXPECT_EQ(s.median, 55.0);
  EXPECT_EQ(s.p90, 90.0);
}

TEST(StatisticsTest, EmptyIsZeroU15) {
  const Summary s = Of({});
  EXPECT_EQ(s.avg, 0.0);
  EXPECT_EQ(s.median, 0.0);
  EXPECT_EQ(s.p90, 0.0);
}

TEST(StatisticsTest, SingleValueU15) {
  for (uint64_t v : {uint64_t{0}, uint64_t{7}, uint64_t{123'456'789}}) {
    const Summary s = Of({v});
    EXPECT_EQ(s.avg, static_cast<double>(v));
    EXPECT_EQ(s.median, static_cast<double>(v));
    EXPECT_EQ(s.p90, static_cast<double>(v));
  }
}

TEST(StatisticsTest, OddCountMedianAndP90Index) {
  // n = 5: median v[2]; p90 = v[trunc(4 × 0.9)] = v[3].
  const Summary s = Of({5, 1, 4, 2, 3});
  EXPECT_EQ(s.median, 3.0);
  EXPECT_EQ(s.p90, 4.0);
  EXPECT_EQ(s.avg, 3.0);
  // n = 2: median (v0 + v1) / 2 with a half; p90 = v[0].
  const Summary two = Of({1, 2});
  EXPECT_EQ(two.median, 1.5);
  EXPECT_EQ(two.p90, 1.0);
  EXPECT_EQ(two.avg, 1.5);
  // n = 11: p90 = v[9]; n = 21: p90 = v[18].
  std::vector<uint64_t> eleven;
  for (uint64_t i = 0; i < 11; ++i) eleven.push_back(i * 10);
  EXPECT_EQ(Of(eleven).p90, 90.0);
  std::vector<uint64_t> twenty_one;
  for (uint64_t i = 0; i < 21; ++i) twenty_one.push_back(i);
  EXPECT_EQ(Of(twenty_one).p90, 18.0);
}

TEST(StatisticsTest, ExactIntegerSumsDoNotOverflow) {
  const uint64_t big = UINT64_MAX - 1;
  const Summary s = Of({big, big});
  EXPECT_EQ(s.avg, static_cast<double>(big));
  EXPECT_EQ(s.median, static_cast<double>(big));
  // Sums that lose precision as doubles stay exact: 2^53 + 1 and 2^53 + 3 average to 2^53 + 2.
  const uint64_t p53 = uint64_t{1} << 53;
  EXPECT_EQ(Of({p53 + 1, p53 + 3}).avg, static_cast<double>(p53 + 2));
  EXPECT_EQ(Of({p53 + 1, p53 + 3}).median, static_cast<double>(p53 + 2));
}

}  // namespace
}  // namespace ridesweep::sim
