// U5 (fare), U6 (commission and settlement), U7 (surge) of spec/simulation.md §16.1, and the §6.2 quote ETA
// (nearest Idle driver at 40 km/h, checked against a brute-force scan).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/engine.h"
#include "random/rng.h"
#include "tests/world_test_support.h"

namespace ridesweep::sim {
namespace {

using fixtures::AcceptQuoteNow;
using fixtures::E;
using fixtures::HandlerParams;
using fixtures::kC0;
using fixtures::MatchAndAccept;
using fixtures::StepUntil;

TEST(FareTest, DefaultsU5) {
  const PricingConfig pc;
  EXPECT_EQ(pc.base_fare, 2.50);
  EXPECT_EQ(pc.per_km_rate, 1.50);
  EXPECT_EQ(pc.commission_rate, 0.0);
  EXPECT_FALSE(pc.surge_enabled);
  EXPECT_EQ(pc.surge_radius_k, 1u);
  EXPECT_EQ(pc.surge_max_multiplier, 2.0);
}

TEST(FareTest, BaseFareFollowsTheFormula) {
  Engine engine(HandlerParams(), nullptr);
  EXPECT_NEAR(engine.BaseFare(kC0, E(1)), 2.995, 1e-9);
  EXPECT_GE(engine.BaseFare(kC0, E(1)), 2.50);
  EXPECT_EQ(engine.BaseFare(kC0, kC0), 2.50);
  SimParams custom = HandlerParams();
  custom.pricing_config.base_fare = 3.0;
  custom.pricing_config.per_km_rate = 2.0;
  Engine other(custom, nullptr);
  EXPECT_NEAR(other.BaseFare(kC0, E(1)), 3.0 + 0.330 * 2.0, 1e-9);
  EXPECT_NEAR(other.BaseFare(kC0, E(10)), 3.0 + 3.30 * 2.0, 1e-9);
  const Cell far{-23, -1};
  EXPECT_NEAR(other.BaseFare(kC0, far), 3.0 + DistKm(kC0, far) * 2.0, 1e-12);
}

// U6 through the real settlement handler: a per-rider trip C0 → E1 with an agreed fare of 100.
struct Settlement {
  double commission;
  double fares;
  double driver_net;
  double surge_impact;
  size_t records;
};

Settlement SettleTrip(double commission_rate, double fare) {
  SimParams p = HandlerParams();
  p.pricing_config.commission_rate = commission_rate;
  p.behaviour.base_acceptance_score = 100;
  Engine engine(p, nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(1));
  const uint32_t driver = engine.AddDriver(kC0);
  const uint32_t trip = MatchAndAccept(engine, rider, fare);
  EXPECT_EQ(engine.trips()[trip].agreed_fare, fare);
  EXPECT_TRUE(StepUntil(engine, EventKind::kTripCompleted, trip).has_value());
  EXPECT_EQ(engine.trips()[trip].state, TripState::kCompleted);
  Settlement s{engine.counters().platform_revenue_total, engine.counters().total_fares_collected,
               engine.drivers()[driver].daily_earnings, 0.0, engine.completed_records().size()};
  if (!engine.completed_records().empty()) s.surge_impact = engine.completed_records()[0].surge_impact;
  EXPECT_TRUE(engine.CheckInvariants().ok());
  return s;
}

TEST(CommissionTest, FifteenPercentU6) {
  const Settlement s = SettleTrip(0.15, 100.0);
  EXPECT_NEAR(s.commission, 15.0, 1e-9);
  EXPECT_NEAR(s.driver_net, 85.0, 1e-9);
  EXPECT_NEAR(s.commission + s.driver_net, 100.0, 1e-9);
  EXPECT_EQ(s.fares, 100.0);
  EXPECT_EQ(s.records, 1u);
  // surge_impact = max(0, fare − base(pickup, dropoff)).
  EXPECT_NEAR(s.surge_impact, 100.0 - 2.995, 1e-9);
}

TEST(CommissionTest, ZeroPercentU6) {
  const Settlement s = SettleTrip(0.0, 100.0);
  EXPECT_EQ(s.commission, 0.0);
  EXPECT_EQ(s.driver_net, 100.0);
  EXPECT_EQ(s.fares, 100.0);
}

TEST(CommissionTest, SurgeImpactIsNeverNegative) {
  const Settlement s = SettleTrip(0.0, 1.0);  // Below the base fare.
  EXPECT_EQ(s.surge_impact, 0.0);
  EXPECT_EQ(s.driver_net, 1.0);
}

// --- U7: surge -----------------------------------------------------------------------------------------

SimParams SurgeParams(double cap, uint32_t k = 1) {
  SimParams p = HandlerParams();
  p.pricing_config.surge_enabled = true;
  p.pricing_config.surge_radius_k = k;
  p.pricing_config.surge_max_multiplier = cap;
  return p;
}

// 5 Browsing/Waiting riders and 2 Idle drivers inside disk(C0, 1); others outside it.
void BuildSurgeWorld(Engine& engine) {
  engine.AddRider(kC0, E(5));
  engine.AddRider(kC0, E(5));
  engine.AddRider(E(1), E(5));
  engine.AddRider({0, -1}, E(5));
  const uint32_t waiting = engine.AddRider({-1, 1}, E(5));
  AcceptQuoteNow(engine, waiting, 10.0);  // Waiting riders count as demand too.
  engine.AddRider(E(3), E(5));            // Outside the disk.
  engine.AddDriver(kC0);
  engine.AddDriver({-1, 0});
  engine.AddDriver(E(2));  // Outside the disk.
}

TEST(SurgeTest, DemandOverSupplyU7) {
  Engine capped(SurgeParams(2.0), nullptr);
  BuildSurgeWorld(capped);
  EXPECT_EQ(capped.SurgeMultiplier(kC0), 2.0);  // min(1 + 3/2, 2.0)
  Engine uncapped(SurgeParams(3.0), nullptr);
  BuildSurgeWorld(uncapped);
  EXPECT_EQ(uncapped.SurgeMultiplier(kC0), 2.5);
}

TEST(SurgeTest, NoIdleDriverGivesTheCap) {
  Engine engine(SurgeParams(3.0), nullptr);
  engine.AddRider(kC0, E(5));
  engine.AddDriver(E(4));  // Outside the disk.
  EXPECT_EQ(engine.SurgeMultiplier(kC0), 3.0);
}

TEST(SurgeTest, KZeroOrSurgeOffIsOne) {
  Engine k0(SurgeParams(3.0, 0), nullptr);
  BuildSurgeWorld(k0);
  EXPECT_EQ(k0.SurgeMultiplier(kC0), 1.0);
  SimParams off = SurgeParams(3.0);
  off.pricing_config.surge_enabled = false;
  Engine disabled(off, nullptr);
  BuildSurgeWorld(disabled);
  EXPECT_EQ(disabled.SurgeMultiplier(kC0), 1.0);
}

TEST(SurgeTest, SupplyAtLeastDemandIsOne) {
  Engine engine(SurgeParams(3.0), nullptr);
  engine.AddRider(kC0, E(5));
  engine.AddDriver(kC0);
  EXPECT_EQ(engine.SurgeMultiplier(kC0), 1.0);
  Engine empty(SurgeParams(3.0), nullptr);
  EXPECT_EQ(empty.SurgeMultiplier(kC0), 1.0);
}

TEST(SurgeTest, OnlyIdleDriversAreSupply) {
  SimParams p = SurgeParams(3.0);
  Engine engine(p, nullptr);
  const uint32_t r0 = engine.AddRider(kC0, E(5));
  engine.AddRider(kC0, E(5));
  engine.AddDriver(kC0);
  engine.AddDriver(kC0);
  EXPECT_EQ(engine.SurgeMultiplier(kC0), 1.0);
  // r0 is matched: its driver is Evaluating (no longer supply) and r0 still counts as demand.
  AcceptQuoteNow(engine, r0, 5.0);
  ASSERT_TRUE(StepUntil(engine, EventKind::kTryMatch, r0).has_value());
  ASSERT_NE(engine.riders()[r0].matched_driver, kNone);
  EXPECT_EQ(engine.SurgeMultiplier(kC0), 2.0);  // demand 2, supply 1.
}

TEST(SurgeTest, QuoteAppliesTheMultiplier) {
  Engine engine(SurgeParams(2.0), nullptr);
  BuildSurgeWorld(engine);
  const uint32_t rider = 0;
  engine.Schedule(engine.now(), EventKind::kShowQuote, rider);
  ASSERT_TRUE(StepUntil(engine, EventKind::kShowQuote, rider).has_value());
  EXPECT_NEAR(engine.riders()[rider].quote_fare, 2.0 * engine.BaseFare(kC0, E(5)), 1e-12);
}

TEST(SurgeTest, IndexedAndScannedCountsAgree) {
  // Many agents spread over a small area; every radius (indexed rings and the scan fallback) must see exactly
  // the agents a brute-force count sees.
  Xoshiro256 rng = StreamKeys(5).Stream(StreamPurpose::kSpeed, 1);
  std::vector<Cell> rider_cells, driver_cells;
  for (int i = 0; i < 300; ++i) {
    rider_cells.push_back({static_cast<int32_t>(UniformInt(rng, 0, 30)) - 15,
                           static_cast<int32_t>(UniformInt(rng, 0, 30)) - 15});
  }
  for (int i = 0; i < 120; ++i) {
    driver_cells.push_back({static_cast<int32_t>(UniformInt(rng, 0, 30)) - 15,
                            static_cast<int32_t>(UniformInt(rng, 0, 30)) - 15});
  }
  for (uint32_t k : {1u, 2u, 3u, 5u, 10u, 20u, 64u, 65u, 1000u, UINT32_MAX}) {
    Engine engine(SurgeParams(1e9, k), nullptr);
    for (const Cell& c : rider_cells) engine.AddRider(c, c);
    for (const Cell& c : driver_cells) engine.AddDriver(c);
    for (const Cell& pickup : {kC0, Cell{10, -3}, Cell{-15, 15}, Cell{40, 40}}) {
      uint64_t demand = 0, supply = 0;
      for (const Cell& c : rider_cells) demand += HexDistance(c, pickup) <= k ? 1 : 0;
      for (const Cell& c : driver_cells) supply += HexDistance(c, pickup) <= k ? 1 : 0;
      double expected = 1.0;
      if (demand > supply && supply > 0) {
        expected = 1.0 + static_cast<double>(demand - supply) / static_cast<double>(supply);
      } else if (demand > supply) {
        expected = 1e9;
      }
      EXPECT_EQ(engine.SurgeMultiplier(pickup), expected) << "k " << k << " pickup " << pickup.q << "," << pickup.r;
    }
  }
}

// --- §6.2: quote ETA -----------------------------------------------------------------------------------

TEST(QuoteEtaTest, FixedValues) {
  Engine engine(HandlerParams(), nullptr);
  EXPECT_EQ(engine.QuoteEtaMs(kC0), 300'000u);  // No Idle driver.
  engine.AddDriver(E(1));
  EXPECT_EQ(engine.QuoteEtaMs(kC0), 29'700u);  // trunc(0.330 / 40 × 3,600,000).
  EXPECT_EQ(engine.QuoteEtaMs(E(1)), 1'000u);  // Same cell: raised to 1 s.
  engine.AddDriver(E(-3));
  EXPECT_EQ(engine.QuoteEtaMs(E(-2)), 29'700u);
  // No radius: a driver 100 cells away still counts.
  Engine far(HandlerParams(), nullptr);
  far.AddDriver(E(100));
  EXPECT_EQ(far.QuoteEtaMs(kC0), static_cast<uint64_t>(std::trunc(33.0 / 40.0 * 3'600'000.0)));
}

TEST(QuoteEtaTest, OnlyIdleDriversCount) {
  SimParams p = HandlerParams();
  p.behaviour.base_acceptance_score = 100;
  Engine engine(p, nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddDriver(kC0);
  engine.AddDriver(E(2));
  EXPECT_EQ(engine.QuoteEtaMs(kC0), 1'000u);
  MatchAndAccept(engine, rider, 10.0);  // Driver 0 is EnRoute now.
  ASSERT_EQ(engine.drivers()[0].state, DriverState::kEnRoute);
  EXPECT_EQ(engine.QuoteEtaMs(kC0), static_cast<uint64_t>(std::trunc(0.660 / 40.0 * 3'600'000.0)));
}

TEST(QuoteEtaTest, RingSearchMatchesBruteForce) {
  // More than a few dozen Idle drivers switch the engine to its expanding-ring search.
  Xoshiro256 rng = StreamKeys(6).Stream(StreamPurpose::kSpeed, 2);
  for (int world = 0; world < 4; ++world) {
    Engine engine(HandlerParams(), nullptr);
    std::vector<Cell> drivers;
    const int n = 60 + world * 200;
    const int32_t spread = std::min(20 + world * 10, 40);  // Inside the default box's axial range.
    for (int i = 0; i < n; ++i) {
      const Cell c{static_cast<int32_t>(UniformInt(rng, 0, 2 * static_cast<uint64_t>(spread))) - spread,
                   static_cast<int32_t>(UniformInt(rng, 0, 2 * static_cast<uint64_t>(spread))) - spread};
      drivers.push_back(c);
      engine.AddDriver(c);
    }
    for (int i = 0; i < 200; ++i) {
      const int32_t reach = spread * 3;
      const Cell pickup{static_cast<int32_t>(UniformInt(rng, 0, 2 * static_cast<uint64_t>(reach))) - reach,
                        static_cast<int32_t>(UniformInt(rng, 0, 2 * static_cast<uint64_t>(reach))) - reach};
      double best = std::numeric_limits<double>::infinity();
      for (const Cell& d : drivers) best = std::min(best, DistKm(d, pickup));
      const uint64_t expected = std::max<uint64_t>(1'000, static_cast<uint64_t>(std::trunc(best / 40.0 * 3'600'000.0)));
      ASSERT_EQ(engine.QuoteEtaMs(pickup), expected) << "world " << world << " pickup " << pickup.q << "," << pickup.r;
    }
  }
}

}  // namespace
}  // namespace ridesweep::sim
