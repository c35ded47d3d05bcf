// The per-point metrics of spec/simulation.md §13.1 and the exported rows of §12.3-§12.5, built by Engine::Finish
// from a hand-built world with one completed, one cancelled, one abandoned and one unresolved rider.
#include <gtest/gtest.h>

#include <vector>

#include "engine/engine.h"
#include "ridesweep/sim/point_collector.h"
#include "ridesweep/sim/trip_funnel.h"
#include "tests/world_test_support.h"

namespace ridesweep::sim {
namespace {

using fixtures::E;
using fixtures::HandlerParams;
using fixtures::kC0;
using fixtures::MatchAndAccept;
using fixtures::StepOne;
using fixtures::StepUntil;

TEST(MetricsTest, FinishReportsEveryOutcome) {
  SimParams p = HandlerParams();
  p.match_radius = 5;
  p.pricing_config.commission_rate = 0.2;
  p.behaviour.base_acceptance_score = 100;
  PointCollector collector;
  Engine engine(p, &collector);
  const uint32_t completes = engine.AddRider(kC0, E(1));
  const uint32_t cancels = engine.AddRider(kC0, E(4));
  const uint32_t abandons = engine.AddRider(kC0, E(4));
  engine.AddRider(kC0, E(4));  // Stays Browsing: unresolved.
  const uint32_t near = engine.AddDriver(kC0);
  const uint32_t far = engine.AddDriver(E(-3));

  const uint32_t trip_a = MatchAndAccept(engine, completes, 10.0);  // Matched at 3 s with the same-cell driver.
  ASSERT_EQ(engine.trips()[trip_a].driver, near);
  const uint32_t trip_b = MatchAndAccept(engine, cancels, 7.0);  // Matched with the remaining driver.
  ASSERT_EQ(engine.trips()[trip_b].driver, far);
  engine.Schedule(engine.now(), EventKind::kRiderCancel, cancels);
  StepUntil(engine, EventKind::kRiderCancel, cancels);
  ASSERT_EQ(engine.trips()[trip_b].state, TripState::kCancelled);
  ASSERT_TRUE(StepUntil(engine, EventKind::kTripCompleted, trip_a).has_value());
  engine.mutable_riders()[abandons].quote_rejections = p.behaviour.max_quote_rejections;
  engine.mutable_riders()[abandons].last_rejection_reason = RejectionReason::kEtaTooLong;
  engine.Schedule(engine.now(), EventKind::kQuoteRejected, abandons);
  StepUntil(engine, EventKind::kQuoteRejected, abandons);
  ASSERT_TRUE(engine.CheckInvariants().ok());

  const uint64_t steps = engine.stats().steps;
  const uint64_t now = engine.now();
  const PointMetrics m = engine.Finish();
  EXPECT_EQ(m.total_riders, 3);  // Resolved riders, not spawned.
  EXPECT_EQ(m.total_drivers, 2);
  EXPECT_EQ(m.completed_riders, 1);
  EXPECT_EQ(m.abandoned_quote_riders, 1);
  EXPECT_EQ(m.cancelled_riders, 1);
  EXPECT_DOUBLE_EQ(m.conversion_rate, 1.0 / 3.0);
  EXPECT_NEAR(m.platform_revenue, 2.0, 1e-12);
  EXPECT_NEAR(m.driver_payouts, 8.0, 1e-12);
  EXPECT_EQ(m.total_fares_collected, 10.0);
  const CompletedTripRecord& rec = engine.completed_records().at(0);
  EXPECT_EQ(m.avg_time_to_match_ms, static_cast<double>(rec.TimeToMatchMs()));
  EXPECT_EQ(m.median_time_to_match_ms, static_cast<double>(rec.TimeToMatchMs()));
  EXPECT_EQ(m.p90_time_to_match_ms, 3'000.0);
  EXPECT_EQ(m.avg_time_to_pickup_ms, static_cast<double>(rec.TimeToPickupMs()));
  EXPECT_EQ(m.p90_time_to_pickup_ms, 2'000.0);  // MoveStep at 4 s finds the driver there; TripStarted at 5 s.
  EXPECT_EQ(m.completed_trips, 1);
  EXPECT_EQ(m.riders_abandoned_price, 0);
  EXPECT_EQ(m.riders_abandoned_eta, 1);
  EXPECT_EQ(m.riders_abandoned_stochastic, 0);
  EXPECT_EQ(m.riders_spawned, 4);
  EXPECT_EQ(m.riders_unresolved, 1);
  EXPECT_EQ(m.trips_cancelled, 1);
  EXPECT_EQ(m.events_processed, static_cast<int64_t>(steps));
  EXPECT_EQ(m.final_sim_time_ms, static_cast<int64_t>(now));
  EXPECT_FALSE(m.truncated);

  // Exported rows: one completed record; the trip table has every trip in its final state, ascending ids.
  ASSERT_EQ(collector.completed().size(), 1u);
  EXPECT_EQ(collector.completed()[0].trip, Handle(trip_a));
  ASSERT_EQ(collector.trips().size(), 2u);
  const TripRow& a = collector.trips()[0];
  const TripRow& b = collector.trips()[1];
  EXPECT_EQ(a.trip_entity, int64_t{4'294'967'296});
  EXPECT_EQ(b.trip_entity, int64_t{4'294'967'297});
  EXPECT_EQ(a.rider_entity, static_cast<int64_t>(Handle(completes)));
  EXPECT_EQ(a.driver_entity, static_cast<int64_t>(Handle(near)));
  EXPECT_EQ(a.state, 2);
  EXPECT_EQ(b.state, 3);
  EXPECT_EQ(a.pickup_cell, 0x0980000008000000);
  EXPECT_EQ(a.dropoff_cell, 0x0980000018000000);
  EXPECT_EQ(a.pickup_distance_km_at_accept, 0.0);
  EXPECT_NEAR(b.pickup_distance_km_at_accept, 0.990, 1e-12);
  EXPECT_EQ(a.matched_at, 3'000);
  EXPECT_EQ(a.pickup_at, std::optional<int64_t>(5'000));
  EXPECT_TRUE(a.dropoff_at.has_value());
  EXPECT_FALSE(a.cancelled_at.has_value());
  EXPECT_FALSE(b.pickup_at.has_value());
  EXPECT_TRUE(b.cancelled_at.has_value());
  for (const TripRow& row : collector.trips()) EXPECT_TRUE(ValidateTripFunnel(row).ok());
  EXPECT_FALSE(collector.snapshots().empty());
}

TEST(MetricsTest, EmptyRunIsAllZero) {
  Engine engine(HandlerParams(), nullptr);
  const PointMetrics m = engine.Finish();
  EXPECT_EQ(m, PointMetrics{});
}

}  // namespace
}  // namespace ridesweep::sim
