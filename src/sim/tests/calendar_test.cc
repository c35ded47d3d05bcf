// U11 (traffic), U12 (density), U14 (calendar) of spec/simulation.md §16.1, the sim/real time conversions of
// U13, and the §5.3 demand/supply multipliers.
#include "model/calendar.h"

#include <gtest/gtest.h>

#include <array>

#include "engine/engine.h"
#include "tests/world_test_support.h"

namespace ridesweep::sim {
namespace {

using fixtures::HandlerParams;
using fixtures::kC0;
using fixtures::kHour;

constexpr int64_t kDay = 86'400'000;
constexpr int kMonday = 0, kWednesday = 2, kThursday = 3, kFriday = 4, kSaturday = 5, kSunday = 6;

TEST(CalendarTest, EpochZeroIsThursdayMidnight) {
  EXPECT_EQ(DayOfWeek(0), kThursday);
  EXPECT_EQ(HourOfDay(0), 0);
}

TEST(CalendarTest, NegativeAndLaterTimes) {
  EXPECT_EQ(DayOfWeek(-86'400'000), kWednesday);
  EXPECT_EQ(HourOfDay(-86'400'000), 0);
  EXPECT_EQ(DayOfWeek(345'600'000), kMonday);
  // One ms before the epoch is Wednesday 23:00 (floor division, non-negative mod).
  EXPECT_EQ(DayOfWeek(-1), kWednesday);
  EXPECT_EQ(HourOfDay(-1), 23);
  EXPECT_EQ(HourOfDay(7 * kHour), 7);
  EXPECT_EQ(HourOfDay(25 * kHour), 1);
  EXPECT_EQ(DayOfWeek(kDay), kFriday);
  EXPECT_EQ(DayOfWeek(2 * kDay), kSaturday);
  EXPECT_EQ(DayOfWeek(3 * kDay), kSunday);
  EXPECT_EQ(DayOfWeek(-7 * kDay), kThursday);
  EXPECT_EQ(DayOfWeek(-3 * kDay - 1), kSunday);
}

TEST(CalendarTest, ExtremeTimesStayInRange) {
  for (int64_t t : {INT64_MIN, INT64_MIN + 1, INT64_MAX, INT64_MAX - 1, int64_t{-1}, int64_t{0}}) {
    EXPECT_GE(DayOfWeek(t), 0);
    EXPECT_LT(DayOfWeek(t), 7);
    EXPECT_GE(HourOfDay(t), 0);
    EXPECT_LT(HourOfDay(t), 24);
  }
}

TEST(CalendarTest, SimAndRealTime) {
  // sim → real adds the epoch; real → sim before the epoch is none.
  EXPECT_EQ(RealTimeMs(0, 5'000), 5'000);
  EXPECT_EQ(RealTimeMs(1'700'000'000'000, 5'000), 1'700'000'005'000);
  EXPECT_EQ(RealTimeMs(-10'000, 4'000), -6'000);
  EXPECT_EQ(SimTimeMs(1'000, 1'500), std::optional<uint64_t>(500));
  EXPECT_EQ(SimTimeMs(1'000, 1'000), std::optional<uint64_t>(0));
  EXPECT_EQ(SimTimeMs(1'000, 999), std::nullopt);
  EXPECT_EQ(SimTimeMs(-5'000, -6'000), std::nullopt);
  EXPECT_EQ(SimTimeMs(-5'000, 5'000), std::optional<uint64_t>(10'000));
  EXPECT_EQ(SimTimeMs(INT64_MIN, INT64_MAX), std::optional<uint64_t>(UINT64_MAX));
}

TEST(CalendarTest, MultiplierTablesAndMeans) {
  double sums[4] = {0, 0, 0, 0};
  for (int h = 0; h < 24; ++h) {
    sums[0] += RiderDemandMultiplier(kThursday, h);
    sums[1] += RiderDemandMultiplier(kFriday, h);
    sums[2] += DriverSupplyMultiplier(kThursday, h);
    sums[3] += DriverSupplyMultiplier(kSaturday, h);
    // Weekday rows apply Mon-Thu and Sun; Fri/Sat rows apply Fri and Sat.
    for (int day : {kMonday, 1, kWednesday, kSunday}) {
      EXPECT_EQ(RiderDemandMultiplier(day, h), RiderDemandMultiplier(kThursday, h));
      EXPECT_EQ(DriverSupplyMultiplier(day, h), DriverSupplyMultiplier(kThursday, h));
    }
    EXPECT_EQ(RiderDemandMultiplier(kSaturday, h), RiderDemandMultiplier(kFriday, h));
    EXPECT_EQ(DriverSupplyMultiplier(kFriday, h), DriverSupplyMultiplier(kSaturday, h));
  }
  EXPECT_NEAR(sums[0] / 24, 1.383, 0.001);
  EXPECT_NEAR(sums[1] / 24, 1.629, 0.001);
  EXPECT_NEAR(sums[2] / 24, 1.192, 0.001);
  EXPECT_NEAR(sums[3] / 24, 1.229, 0.001);
  EXPECT_EQ(RiderDemandMultiplier(kThursday, 8), 3.0);
  EXPECT_EQ(RiderDemandMultiplier(kThursday, 3), 0.4);
  EXPECT_EQ(RiderDemandMultiplier(kFriday, 18), 3.5);
  EXPECT_EQ(DriverSupplyMultiplier(kThursday, 18), 2.0);
  EXPECT_EQ(DriverSupplyMultiplier(kSaturday, 18), 2.2);
}

// --- U11: traffic --------------------------------------------------------------------------------------

TEST(TrafficTest, BerlinProfileU11) {
  TrafficProfile berlin;
  berlin.kind = TrafficProfileKind::kBerlin;
  EXPECT_EQ(TrafficFactor(berlin, 3), 1.0);
  EXPECT_LT(TrafficFactor(berlin, 7), 0.5);
  EXPECT_LT(TrafficFactor(berlin, 17), 0.5);
  EXPECT_GT(TrafficFactor(berlin, 12), 0.5);
  EXPECT_LT(TrafficFactor(berlin, 12), 1.0);
  const double expected[24] = {1.0,  1.0,  1.0,  1.0,  1.0,  1.0,  1.0,  0.45, 0.45, 0.65, 0.65, 0.65,
                               0.65, 0.65, 0.65, 0.65, 0.40, 0.40, 0.40, 0.75, 0.75, 0.75, 0.75, 0.75};
  for (int h = 0; h < 24; ++h) EXPECT_EQ(TrafficFactor(berlin, h), expected[h]) << "hour " << h;
}

TEST(TrafficTest, NoneIsOne) {
  const TrafficProfile none;
  for (int h = 0; h < 24; ++h) EXPECT_EQ(TrafficFactor(none, h), 1.0);
}

TEST(TrafficTest, SevenAmAtEpochZeroIs045) {
  SimParams p = HandlerParams();
  p.traffic_profile.kind = TrafficProfileKind::kBerlin;
  Engine engine(p, nullptr);
  engine.SetNowForTesting(7 * kHour);
  EXPECT_EQ(engine.TrafficFactorAt(kC0), 0.45);
  engine.SetNowForTesting(7 * kHour - 1);
  EXPECT_EQ(engine.TrafficFactorAt(kC0), 1.0);
  // The epoch shifts the hour: sim 0 at real 17:00.
  SimParams shifted = p;
  shifted.epoch_ms = 17 * kHour;
  Engine evening(shifted, nullptr);
  EXPECT_EQ(evening.TrafficFactorAt(kC0), 0.40);
}

TEST(TrafficTest, CustomFactorsRoundTrip) {
  SimParams p = HandlerParams();
  p.traffic_profile.kind = TrafficProfileKind::kCustom;
  p.traffic_profile.custom_factors.fill(0.5);
  ASSERT_TRUE(ValidateSimParams(p).ok());
  Engine half(p, nullptr);
  for (uint64_t h = 0; h < 48; ++h) {
    half.SetNowForTesting(h * kHour + 1'234);
    EXPECT_EQ(half.TrafficFactorAt(kC0), 0.5);
  }
  // Distinct factors per hour land on their own hour.
  for (size_t h = 0; h < 24; ++h) p.traffic_profile.custom_factors[h] = 0.1 * static_cast<double>(h + 1);
  Engine hourly(p, nullptr);
  for (uint64_t h = 0; h < 24; ++h) {
    hourly.SetNowForTesting(h * kHour);
    EXPECT_EQ(hourly.TrafficFactorAt(kC0), 0.1 * static_cast<double>(h + 1));
  }
}

// --- U12: density --------------------------------------------------------------------------------------

TEST(DensityTest, FactorsU12) {
  EXPECT_EQ(DensityFactor(0), 1.0);
  EXPECT_EQ(DensityFactor(2), 1.0);
  EXPECT_EQ(DensityFactor(3), 0.85);
  EXPECT_EQ(DensityFactor(4), 0.85);
  EXPECT_EQ(DensityFactor(5), 0.85);
  EXPECT_EQ(DensityFactor(6), 0.70);
  EXPECT_EQ(DensityFactor(8), 0.70);
  EXPECT_EQ(DensityFactor(10), 0.70);
  EXPECT_EQ(DensityFactor(11), 0.55);
  EXPECT_EQ(DensityFactor(15), 0.55);
}

TEST(DensityTest, BerlinSevenAmWithFourDrivers) {
  SimParams p = HandlerParams();
  p.traffic_profile.kind = TrafficProfileKind::kBerlin;
  p.dynamic_congestion_enabled = true;
  Engine engine(p, nullptr);
  for (int i = 0; i < 4; ++i) engine.AddDriver(kC0);
  engine.AddDriver(fixtures::E(1));  // Another cell does not count.
  engine.SetNowForTesting(7 * kHour);
  EXPECT_NEAR(engine.TrafficFactorAt(kC0), 0.3825, 1e-12);
  EXPECT_EQ(engine.TrafficFactorAt(fixtures::E(1)), 0.45);
  // Without dynamic congestion the density is ignored.
  p.dynamic_congestion_enabled = false;
  Engine off(p, nullptr);
  for (int i = 0; i < 4; ++i) off.AddDriver(kC0);
  off.SetNowForTesting(7 * kHour);
  EXPECT_EQ(off.TrafficFactorAt(kC0), 0.45);
}

TEST(DensityTest, OffDutyDriversDoNotCount) {
  SimParams p = HandlerParams();
  p.dynamic_congestion_enabled = true;
  Engine engine(p, nullptr);
  for (int i = 0; i < 3; ++i) engine.AddDriver(kC0);
  EXPECT_EQ(engine.TrafficFactorAt(kC0), 0.85);
  // Driver 0 reaches its target and goes off duty at a targeted check.
  engine.mutable_drivers()[0].earnings_target = 0.0;
  engine.Schedule(0, EventKind::kCheckDriverOffDuty, 0);
  fixtures::StepOne(engine);
  ASSERT_EQ(engine.drivers()[0].state, DriverState::kOffDuty);
  EXPECT_EQ(engine.TrafficFactorAt(kC0), 1.0);
  EXPECT_TRUE(engine.CheckInvariants().ok());
}

}  // namespace
}  // namespace ridesweep::sim
