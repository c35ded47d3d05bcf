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
  EXPECT_EQ(pc.commission_rate, 0.25);
  EXPECT_EQ(pc.surge_sensitivity, 0.25);
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
  p.pricing_config.surge_sensitivity = 1.0;  // m = 1 + (demand - supply) / (supply + 1), capped.
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

TEST(SurgeTest, SmoothInExcessDemandAndCapped) {
  Engine uncapped(SurgeParams(3.0), nullptr);
  BuildSurgeWorld(uncapped);
  EXPECT_DOUBLE_EQ(uncapped.SurgeMultiplier(kC0), 2.0);  // 1 + (5 - 2) / (2 + 1)
  Engine capped(SurgeParams(1.5), nullptr);
  BuildSurgeWorld(capped);
  EXPECT_DOUBLE_EQ(capped.SurgeMultiplier(kC0), 1.5);
  SimParams gentle = SurgeParams(3.0);
  gentle.pricing_config.surge_sensitivity = 0.25;
  Engine g(gentle, nullptr);
  BuildSurgeWorld(g);
  EXPECT_DOUBLE_EQ(g.SurgeMultiplier(kC0), 1.25);  // 1 + 0.25 * 3 / 3: strictly between 1 and the cap.
}

TEST(SurgeTest, TheQuotingRiderIsNotItsOwnDemand) {
  Engine engine(SurgeParams(3.0), nullptr);
  BuildSurgeWorld(engine);
  EXPECT_DOUBLE_EQ(engine.SurgeMultiplier(kC0, 0), 1.0 + 2.0 / 3.0);  // demand 4 others, supply 2.
  Engine alone(SurgeParams(3.0), nullptr);
  const uint32_t r = alone.AddRider(kC0, E(5));
  EXPECT_DOUBLE_EQ(alone.SurgeMultiplier(kC0, r), 1.0);  // Nobody else asks: no surge, even with no driver.
}

TEST(SurgeTest, NoIdleDriverIsFinite) {
  Engine engine(SurgeParams(3.0), nullptr);
  engine.AddRider(kC0, E(5));
  engine.AddDriver(E(4));  // Outside the disk.
  EXPECT_DOUBLE_EQ(engine.SurgeMultiplier(kC0), 2.0);  // 1 + 1 / 1
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
  EXPECT_DOUBLE_EQ(engine.SurgeMultiplier(kC0), 1.5);  // demand 2, supply 1: 1 + 1 / 2.
}

TEST(SurgeTest, QuoteAppliesTheMultiplier) {
  Engine engine(SurgeParams(3.0), nullptr);
  BuildSurgeWorld(engine);
  const uint32_t rider = 0;
  engine.Schedule(engine.now(), EventKind::kShowQuote, rider);
  ASSERT_TRUE(StepUntil(engine, EventKind::kShowQuote, rider).has_value());
  EXPECT_NEAR(engine.riders()[rider].quote_fare, (1.0 + 2.0 / 3.0) * engine.BaseFare(kC0, E(5)), 1e-12);
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
      const double expected =
          demand > supply ? 1.0 + static_cast<double>(demand - supply) / static_cast<double>(supply + 1) : 1.0;
      EXPECT_EQ(engine.SurgeMultiplier(pickup), expected) << "k " << k << " pickup " << pickup.q << "," << pickup.r;
    }
  }
}

// --- Quote ETA: drivers matching could assign, at the realised speed ------------------------------------

// Speed pinned at 40 km/h in the handler world: one second to start, then 29.7 s per hop.
uint64_t EtaOfHops(uint32_t hops) { return hops == 0 ? 1'000 : 1'000 + hops * 29'700u; }

TEST(QuoteEtaTest, FixedValues) {
  SimParams p = HandlerParams();
  p.match_radius = 5;
  Engine engine(p, nullptr);
  EXPECT_FALSE(engine.QuoteEtaMs(kC0).has_value());  // No Idle driver: no quote ETA.
  engine.AddDriver(E(1));
  EXPECT_EQ(engine.QuoteEtaMs(kC0), EtaOfHops(1));
  EXPECT_EQ(engine.QuoteEtaMs(E(1)), EtaOfHops(0));  // Same cell: 1 s.
  engine.AddDriver(E(-3));
  EXPECT_EQ(engine.QuoteEtaMs(E(-2)), EtaOfHops(1));
  // A driver beyond match_radius cannot be assigned, so it does not make a quote.
  Engine far(p, nullptr);
  far.AddDriver(E(6));
  EXPECT_FALSE(far.QuoteEtaMs(kC0).has_value());
  EXPECT_EQ(far.QuoteEtaMs(E(1)), EtaOfHops(5));
}

TEST(QuoteEtaTest, OnlyIdleDriversCount) {
  SimParams p = HandlerParams();
  p.match_radius = 5;
  p.behaviour.base_acceptance_score = 100;
  Engine engine(p, nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddDriver(kC0);
  engine.AddDriver(E(2));
  EXPECT_EQ(engine.QuoteEtaMs(kC0), EtaOfHops(0));
  MatchAndAccept(engine, rider, 10.0);  // Driver 0 is EnRoute now.
  ASSERT_EQ(engine.drivers()[0].state, DriverState::kEnRoute);
  EXPECT_EQ(engine.QuoteEtaMs(kC0), EtaOfHops(2));
}

TEST(QuoteEtaTest, RingSearchMatchesBruteForce) {
  // Both search paths (rings for small radii, a scan otherwise) give the nearest driver within the radius.
  Xoshiro256 rng = StreamKeys(6).Stream(StreamPurpose::kSpeed, 2);
  for (uint32_t radius : {0u, 3u, 8u, 30u, 200u}) {
    for (int world = 0; world < 3; ++world) {
      SimParams p = HandlerParams();
      p.match_radius = radius;
      Engine engine(p, nullptr);
      std::vector<Cell> drivers;
      const int n = 5 + world * 200;
      const int32_t spread = 20 + world * 10;
      for (int i = 0; i < n; ++i) {
        const Cell c{static_cast<int32_t>(UniformInt(rng, 0, 2 * static_cast<uint64_t>(spread))) - spread,
                     static_cast<int32_t>(UniformInt(rng, 0, 2 * static_cast<uint64_t>(spread))) - spread};
        drivers.push_back(c);
        engine.AddDriver(c);
      }
      for (int i = 0; i < 100; ++i) {
        const Cell pickup{static_cast<int32_t>(UniformInt(rng, 0, 2 * static_cast<uint64_t>(spread))) - spread,
                          static_cast<int32_t>(UniformInt(rng, 0, 2 * static_cast<uint64_t>(spread))) - spread};
        uint32_t best = UINT32_MAX;
        for (const Cell& d : drivers) best = std::min(best, HexDistance(d, pickup));
        const std::optional<uint64_t> expected =
            best <= radius ? std::optional<uint64_t>(EtaOfHops(best)) : std::nullopt;
        ASSERT_EQ(engine.QuoteEtaMs(pickup), expected) << "radius " << radius << " pickup " << pickup.q << ","
                                                       << pickup.r;
      }
    }
  }
}

}  // namespace
}  // namespace ridesweep::sim
