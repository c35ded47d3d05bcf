// U9 (hop time) and H14-H18 (MoveStep, TripStarted, TripCompleted, RiderCancel, patience) of spec/simulation.md
// §16, plus the §11 speed model (stream 8 draws, traffic, density, the 1 km/h floor) and leg timing.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/engine.h"
#include "random/rng.h"
#include "tests/world_test_support.h"

namespace ridesweep::sim {
namespace {

using fixtures::E;
using fixtures::HandlerParams;
using fixtures::kC0;
using fixtures::kHour;
using fixtures::MatchAndAccept;
using fixtures::PendingOf;
using fixtures::PendingTimes;
using fixtures::StepOne;
using fixtures::StepThrough;
using fixtures::StepUntil;

TEST(HopTimeTest, ValuesU9) {
  EXPECT_EQ(Engine::HopMs(0.0, 40), 1'000u);
  EXPECT_EQ(Engine::HopMs(-1.0, 40), 1'000u);
  EXPECT_EQ(Engine::HopMs(1.0, 40), 90'000u);
  EXPECT_EQ(Engine::HopMs(2.5, 40), 225'000u);
  EXPECT_EQ(Engine::HopMs(0.330, 40), 29'700u);
  EXPECT_EQ(Engine::HopMs(0.001, 40), 1'000u);         // At least 1 s.
  EXPECT_EQ(Engine::HopMs(1.0, 0.25), 3'600'000u);     // Speed floor of 1 km/h.
  EXPECT_EQ(Engine::HopMs(0.330, 34), 34'941u);        // round(34,941.18).
  EXPECT_EQ(Engine::HopMs(0.330, 36), 33'000u);
  EXPECT_EQ(Engine::HopMs(0.330, 35), 33'943u);       // round(33,942.86), not trunc.
  EXPECT_EQ(Engine::HopMs(1.0, 7), 514'286u);         // round(514,285.71).
}

// Per-rider world with the driver `driver_offset` cells west of a rider at C0 (destination E`dest`).
struct TripWorld {
  TripWorld(SimParams p, int32_t driver_offset, int32_t dest) : engine(p, nullptr) {
    rider = engine.AddRider(kC0, E(dest));
    driver = engine.AddDriver(E(-driver_offset));
    trip = MatchAndAccept(engine, rider, 10.0);  // Decision at 3 s: MoveStep at 4 s.
  }
  Engine engine;
  uint32_t rider = 0, driver = 0, trip = 0;
};

SimParams TripParams(uint32_t radius = 10) {
  SimParams p = HandlerParams();
  p.match_radius = radius;
  p.behaviour.base_acceptance_score = 100;
  return p;
}

TEST(MoveStepTest, EnRouteHopH14) {
  TripWorld w(TripParams(), 3, 5);
  ASSERT_EQ(PendingTimes(w.engine, EventKind::kMoveStep, w.trip), std::vector<uint64_t>{4'000});
  const Event move = StepOne(w.engine);
  ASSERT_EQ(move.kind(), EventKind::kMoveStep);
  EXPECT_EQ(w.engine.drivers()[w.driver].cell, E(-2));  // The driver jumped one cell.
  EXPECT_EQ(PendingTimes(w.engine, EventKind::kPickupEtaUpdated, w.trip), std::vector<uint64_t>{4'000});
  // The ETA is the hop being driven plus the route remainder (3 hops) at the drawn speed.
  EXPECT_EQ(w.engine.trips()[w.trip].pickup_eta_ms, 89'100u);
  const auto next = PendingOf(w.engine, EventKind::kMoveStep, w.trip);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].time_ms, 4'000u + 29'700u);
  EXPECT_TRUE(PendingOf(w.engine, EventKind::kTripStarted).empty());
  EXPECT_TRUE(w.engine.CheckInvariants().ok());
  // The idle index and congestion counts follow the driver.
  EXPECT_FALSE(w.engine.QuoteEtaMs(E(-3)).has_value()) << "the driver is EnRoute, not Idle";
}

TEST(MoveStepTest, LegTimingAndArrival) {
  TripWorld w(TripParams(), 3, 5);
  // 3 hops: jumps at 4 s, 33.7 s and 63.4 s; every hop, the last included, costs its 29.7 s, so TripStarted is
  // at 93.1 s.
  std::vector<uint64_t> move_times;
  std::vector<uint64_t> etas;
  while (true) {
    const auto e = StepUntil(w.engine, EventKind::kMoveStep, w.trip);
    ASSERT_TRUE(e.has_value());
    move_times.push_back(e->time_ms);
    etas.push_back(w.engine.trips()[w.trip].pickup_eta_ms);
    if (!PendingOf(w.engine, EventKind::kTripStarted, w.trip).empty()) break;
  }
  EXPECT_EQ(move_times, (std::vector<uint64_t>{4'000, 33'700, 63'400}));
  EXPECT_EQ(etas, (std::vector<uint64_t>{89'100, 59'400, 29'700}));
  EXPECT_EQ(PendingTimes(w.engine, EventKind::kTripStarted, w.trip), std::vector<uint64_t>{93'100});
  EXPECT_EQ(w.engine.drivers()[w.driver].cell, kC0);
}

TEST(MoveStepTest, TripStartedWithCoLocatedPartiesH15) {
  TripWorld w(TripParams(), 0, 2);
  // Already at the pickup: the first MoveStep only schedules TripStarted +1 s.
  const Event move = StepOne(w.engine);
  ASSERT_EQ(move.kind(), EventKind::kMoveStep);
  EXPECT_EQ(move.time_ms, 4'000u);
  EXPECT_TRUE(PendingOf(w.engine, EventKind::kPickupEtaUpdated).empty());
  EXPECT_EQ(PendingTimes(w.engine, EventKind::kTripStarted, w.trip), std::vector<uint64_t>{5'000});
  const auto started = StepUntil(w.engine, EventKind::kTripStarted, w.trip);
  ASSERT_TRUE(started.has_value());
  EXPECT_EQ(w.engine.riders()[w.rider].state, RiderState::kInTransit);
  EXPECT_EQ(w.engine.drivers()[w.driver].state, DriverState::kOnTrip);
  EXPECT_EQ(w.engine.trips()[w.trip].state, TripState::kOnTrip);
  EXPECT_EQ(w.engine.trips()[w.trip].pickup_at, std::optional<uint64_t>(5'000));
  EXPECT_EQ(PendingTimes(w.engine, EventKind::kMoveStep, w.trip), std::vector<uint64_t>{6'000});
  // On the dropoff leg the rider rides along and no ETA updates are sent.
  StepUntil(w.engine, EventKind::kMoveStep, w.trip);
  EXPECT_EQ(w.engine.drivers()[w.driver].cell, E(1));
  EXPECT_EQ(w.engine.riders()[w.rider].cell, E(1));
  EXPECT_TRUE(PendingOf(w.engine, EventKind::kPickupEtaUpdated).empty());
}

TEST(MoveStepTest, TripStartedRequiresCoLocation) {
  TripWorld w(TripParams(), 3, 5);
  const uint64_t stale = w.engine.stats().stale_events;
  w.engine.Schedule(w.engine.now(), EventKind::kTripStarted, w.trip);
  StepUntil(w.engine, EventKind::kTripStarted, w.trip);
  EXPECT_EQ(w.engine.stats().stale_events, stale + 1);
  EXPECT_EQ(w.engine.trips()[w.trip].state, TripState::kEnRoute);
  EXPECT_FALSE(w.engine.trips()[w.trip].pickup_at.has_value());
  EXPECT_EQ(w.engine.riders()[w.rider].state, RiderState::kWaiting);
}

TEST(MoveStepTest, TripCompletedH16) {
  TripWorld w(TripParams(), 0, 2);
  const auto completed = StepUntil(w.engine, EventKind::kTripCompleted, w.trip);
  ASSERT_TRUE(completed.has_value());
  // Pickup leg: MoveStep 4 s, TripStarted 5 s; dropoff: MoveSteps 6 s and 35.7 s, arrival after the last hop.
  EXPECT_EQ(completed->time_ms, 65'400u);
  const Rider& r = w.engine.riders()[w.rider];
  const Driver& d = w.engine.drivers()[w.driver];
  const Trip& t = w.engine.trips()[w.trip];
  EXPECT_EQ(r.state, RiderState::kCompleted);
  EXPECT_FALSE(r.alive());
  EXPECT_EQ(d.state, DriverState::kIdle);
  EXPECT_EQ(d.matched_rider, kNone);
  EXPECT_EQ(d.assigned_trip, kNone);
  EXPECT_EQ(d.cell, E(2));
  EXPECT_EQ(t.state, TripState::kCompleted);
  EXPECT_EQ(t.dropoff_at, std::optional<uint64_t>(65'400));
  ASSERT_EQ(w.engine.completed_records().size(), 1u);
  const CompletedTripRecord& rec = w.engine.completed_records()[0];
  EXPECT_EQ(rec.trip, uint64_t{4'294'967'296});
  EXPECT_EQ(rec.rider, Handle(w.rider));
  EXPECT_EQ(rec.driver, Handle(w.driver));
  EXPECT_EQ(rec.completed_at, 65'400u);
  EXPECT_EQ(rec.requested_at, 0u);
  EXPECT_EQ(rec.matched_at, 3'000u);
  EXPECT_EQ(rec.pickup_at, 5'000u);
  EXPECT_EQ(rec.fare, 10.0);
  EXPECT_NEAR(rec.surge_impact, 10.0 - (2.50 + 0.660 * 1.50), 1e-12);
  EXPECT_EQ(rec.TimeToMatchMs(), 3'000u);
  EXPECT_EQ(rec.TimeToPickupMs(), 2'000u);
  EXPECT_EQ(rec.TripDurationMs(), 60'400u);
  EXPECT_EQ(w.engine.counters().riders_completed_total, 1u);
  EXPECT_EQ(d.daily_earnings, 10.0);
  EXPECT_EQ(PendingTimes(w.engine, EventKind::kCheckDriverOffDuty, w.driver), std::vector<uint64_t>{65'400});
  // The rider's pickup timer, still queued, is now stale.
  const uint64_t stale = w.engine.stats().stale_events;
  StepUntil(w.engine, EventKind::kRiderCancel, w.rider);
  EXPECT_EQ(w.engine.stats().stale_events, stale + 1);
  EXPECT_EQ(w.engine.counters().riders_cancelled_total, 0u);
}

TEST(CancelTest, MatchedWithAnEnRouteTripH17) {
  TripWorld w(TripParams(), 3, 5);
  StepOne(w.engine);  // First hop.
  w.engine.Schedule(w.engine.now(), EventKind::kRiderCancel, w.rider);
  StepUntil(w.engine, EventKind::kRiderCancel, w.rider);
  const Rider& r = w.engine.riders()[w.rider];
  const Driver& d = w.engine.drivers()[w.driver];
  const Trip& t = w.engine.trips()[w.trip];
  EXPECT_EQ(r.state, RiderState::kCancelled);
  EXPECT_EQ(r.matched_driver, kNone);
  EXPECT_EQ(r.assigned_trip, kNone);
  EXPECT_EQ(d.state, DriverState::kIdle);
  EXPECT_EQ(d.matched_rider, kNone);
  EXPECT_EQ(d.assigned_trip, kNone);
  EXPECT_EQ(d.cell, E(-2));
  EXPECT_EQ(t.state, TripState::kCancelled);
  EXPECT_EQ(t.cancelled_at, std::optional<uint64_t>(4'000));
  EXPECT_EQ(w.engine.counters().riders_cancelled_total, 1u);
  EXPECT_EQ(w.engine.counters().riders_cancelled_pickup_timeout, 1u);
  // The driver is Idle where it stopped; the hop's PickupEtaUpdated (same ms, lower ordinal than RiderCancel)
  // and later MoveSteps of the trip are stale.
  EXPECT_EQ(w.engine.QuoteEtaMs(E(-2)), 1'000u);
  const uint64_t stale = w.engine.stats().stale_events;
  StepUntil(w.engine, EventKind::kMoveStep, w.trip);
  EXPECT_EQ(w.engine.stats().stale_events, stale + 2);
  EXPECT_EQ(w.engine.drivers()[w.driver].cell, E(-2));
}

TEST(CancelTest, UnmatchedWaitingRiderH17) {
  Engine engine(HandlerParams(), nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  fixtures::AcceptQuoteNow(engine, rider, 5.0);
  engine.Schedule(engine.now(), EventKind::kRiderCancel, rider);
  StepUntil(engine, EventKind::kRiderCancel, rider);
  EXPECT_EQ(engine.riders()[rider].state, RiderState::kCancelled);
  EXPECT_EQ(engine.counters().riders_cancelled_total, 1u);
  EXPECT_TRUE(engine.trips().empty());
  // Its TryMatch (per-rider) is stale afterwards.
  const uint64_t stale = engine.stats().stale_events;
  StepUntil(engine, EventKind::kTryMatch, rider);
  EXPECT_EQ(engine.stats().stale_events, stale + 1);
}

TEST(CancelTest, BrowsingAndInTransitRidersCannotCancel) {
  TripWorld w(TripParams(), 0, 3);
  StepUntil(w.engine, EventKind::kTripStarted, w.trip);
  ASSERT_EQ(w.engine.riders()[w.rider].state, RiderState::kInTransit);
  w.engine.Schedule(w.engine.now(), EventKind::kRiderCancel, w.rider);
  StepUntil(w.engine, EventKind::kRiderCancel, w.rider);
  EXPECT_EQ(w.engine.riders()[w.rider].state, RiderState::kInTransit);
  EXPECT_EQ(w.engine.trips()[w.trip].state, TripState::kOnTrip);
  EXPECT_EQ(w.engine.counters().riders_cancelled_total, 0u);
  const uint32_t browsing = w.engine.AddRider(kC0, E(5));
  w.engine.Schedule(w.engine.now(), EventKind::kRiderCancel, browsing);
  StepUntil(w.engine, EventKind::kRiderCancel, browsing);
  EXPECT_EQ(w.engine.riders()[browsing].state, RiderState::kBrowsing);
  EXPECT_EQ(w.engine.counters().riders_cancelled_total, 0u);
}

// The first seed whose rider-0 pickup timer W (stream 6, drawn in [lo, hi] s) is at least `min_secs`, so that
// within a test only the patience check can cancel.
uint64_t SeedWithPickupTimerAtLeast(uint64_t min_secs, uint64_t lo, uint64_t hi) {
  for (uint64_t seed = 0;; ++seed) {
    Xoshiro256 rng = StreamKeys(seed).Stream(StreamPurpose::kRiderCancel, 0);
    if (UniformInt(rng, lo, hi) >= min_secs) return seed;
  }
}

TEST(PatienceTest, EtaBeyondTheWindowCancelsH18) {
  SimParams p = TripParams(30);
  p.seed = SeedWithPickupTimerAtLeast(300, 120, 2'400);
  TripWorld w(p, 30, 5);  // A 30-hop pickup leg (~15 min): the trip stays EnRoute throughout.
  ASSERT_EQ(w.engine.trips()[w.trip].state, TripState::kEnRoute);
  w.engine.mutable_trips()[w.trip].matched_at = 0;

  StepThrough(w.engine, 99'999);
  w.engine.mutable_trips()[w.trip].pickup_eta_ms = 2'300'000;
  w.engine.Schedule(100'000, EventKind::kPickupEtaUpdated, w.trip);
  StepUntil(w.engine, EventKind::kPickupEtaUpdated, w.trip);
  EXPECT_EQ(w.engine.now(), 100'000u);
  EXPECT_EQ(PendingOf(w.engine, EventKind::kRiderCancel, w.rider).size(), 1u) << "only the pickup timer";
  EXPECT_EQ(w.engine.riders()[w.rider].state, RiderState::kWaiting);

  StepThrough(w.engine, 199'999);
  ASSERT_EQ(w.engine.trips()[w.trip].state, TripState::kEnRoute);
  w.engine.mutable_trips()[w.trip].pickup_eta_ms = 2'300'000;
  w.engine.Schedule(200'000, EventKind::kPickupEtaUpdated, w.trip);
  StepUntil(w.engine, EventKind::kPickupEtaUpdated, w.trip);
  const auto cancels = PendingTimes(w.engine, EventKind::kRiderCancel, w.rider);
  ASSERT_EQ(cancels.size(), 2u);
  EXPECT_EQ(cancels[0], 200'000u);  // +0.
  StepUntil(w.engine, EventKind::kRiderCancel, w.rider);
  EXPECT_EQ(w.engine.trips()[w.trip].state, TripState::kCancelled);
  EXPECT_EQ(w.engine.trips()[w.trip].cancelled_at, std::optional<uint64_t>(200'000));
  EXPECT_EQ(w.engine.riders()[w.rider].state, RiderState::kCancelled);
  EXPECT_EQ(w.engine.drivers()[w.driver].state, DriverState::kIdle);
}

TEST(PatienceTest, EtaWithinTheWindowDoesNothing) {
  SimParams p = TripParams(30);
  TripWorld w(p, 30, 5);
  w.engine.mutable_trips()[w.trip].matched_at = 0;
  StepThrough(w.engine, 199'999);
  w.engine.mutable_trips()[w.trip].pickup_eta_ms = 2'200'000;  // 200 s + 2,200 s = 2,400 s: not beyond.
  w.engine.Schedule(200'000, EventKind::kPickupEtaUpdated, w.trip);
  const size_t before = PendingOf(w.engine, EventKind::kRiderCancel, w.rider).size();
  StepUntil(w.engine, EventKind::kPickupEtaUpdated, w.trip);
  EXPECT_EQ(PendingOf(w.engine, EventKind::kRiderCancel, w.rider).size(), before);
}

TEST(PatienceTest, NaturalEtaUpdatesCancelSlowPickups) {
  // At 1 km/h a 4-hop pickup cannot finish within 2,400 s: the first ETA update past the minimum wait cancels.
  SimParams p = TripParams();
  p.speed_range_override_kmh = std::array<double, 2>{1.0, 1.0};
  p.behaviour.min_wait_secs = 0;
  p.seed = SeedWithPickupTimerAtLeast(10, 0, 2'400);
  TripWorld w(p, 4, 5);
  const auto cancel = StepUntil(w.engine, EventKind::kRiderCancel, w.rider);
  ASSERT_TRUE(cancel.has_value());
  EXPECT_EQ(cancel->time_ms, 4'000u);  // The first hop's update: 4 s + 3 × 1,188 s > 3 s + 2,400 s.
  EXPECT_EQ(w.engine.trips()[w.trip].state, TripState::kCancelled);
}

// --- §11.1 speed model ---------------------------------------------------------------------------------------

TEST(SpeedTest, OneDrawPerMoveStepFromTheTripStream) {
  SimParams p = TripParams();
  p.speed_range_override_kmh.reset();  // [20, 60].
  p.seed = 21;
  TripWorld w(p, 2, 2);
  Xoshiro256 speeds = StreamKeys(p.seed).Stream(StreamPurpose::kSpeed, w.trip);
  // Pickup leg: 2 hops. MoveStep at 4 s (hop, v1), then one hop later (last hop, v2), TripStarted after its time.
  const double v1 = UniformReal(speeds, 20, 60);
  const double v2 = UniformReal(speeds, 20, 60);
  const uint64_t t2 = 4'000 + Engine::HopMs(0.330, v1);
  StepUntil(w.engine, EventKind::kMoveStep, w.trip);
  EXPECT_EQ(w.engine.trips()[w.trip].pickup_eta_ms, Engine::HopMs(0.660, v1));
  EXPECT_EQ(PendingTimes(w.engine, EventKind::kMoveStep, w.trip), std::vector<uint64_t>{t2});
  StepUntil(w.engine, EventKind::kMoveStep, w.trip);
  const uint64_t t3 = t2 + Engine::HopMs(0.330, v2);
  EXPECT_EQ(PendingTimes(w.engine, EventKind::kTripStarted, w.trip), std::vector<uint64_t>{t3});
  // Dropoff leg: TripStarted → MoveStep +1 s (hop to E1, draw v3) → MoveStep +hop(v3) (arrival, draw v4).
  const double v3 = UniformReal(speeds, 20, 60);
  StepUntil(w.engine, EventKind::kMoveStep, w.trip);
  EXPECT_EQ(PendingTimes(w.engine, EventKind::kMoveStep, w.trip),
            std::vector<uint64_t>{t3 + 1'000 + Engine::HopMs(0.330, v3)});
}

TEST(SpeedTest, TrafficAndDensityScaleTheSpeed) {
  SimParams p = TripParams();
  p.traffic_profile.kind = TrafficProfileKind::kBerlin;
  p.epoch_ms = 7 * static_cast<int64_t>(kHour);  // 07:00: factor 0.45 → 18 km/h.
  TripWorld berlin(p, 3, 5);
  StepUntil(berlin.engine, EventKind::kMoveStep, berlin.trip);
  EXPECT_EQ(PendingTimes(berlin.engine, EventKind::kMoveStep, berlin.trip), std::vector<uint64_t>{4'000 + 66'000});

  SimParams dense = TripParams();
  dense.dynamic_congestion_enabled = true;
  Engine engine(dense, nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddDriver(E(-3));
  for (int i = 0; i < 3; ++i) engine.AddDriver(E(-3));  // n = 4 in the moving driver's cell: factor 0.85.
  const uint32_t trip = MatchAndAccept(engine, rider, 10.0);
  ASSERT_EQ(engine.trips()[trip].driver, 0u) << "the lowest-id driver among equals";
  StepUntil(engine, EventKind::kMoveStep, trip);
  EXPECT_EQ(PendingTimes(engine, EventKind::kMoveStep, trip), std::vector<uint64_t>{4'000 + 34'941});
  // From E-2 (alone) the factor is 1 again.
  StepUntil(engine, EventKind::kMoveStep, trip);
  EXPECT_EQ(PendingTimes(engine, EventKind::kMoveStep, trip), std::vector<uint64_t>{4'000 + 34'941 + 29'700});
}

TEST(SpeedTest, SpeedFloorOfOneKmh) {
  SimParams p = TripParams();
  p.traffic_profile.kind = TrafficProfileKind::kCustom;
  p.traffic_profile.custom_factors.fill(0.01);  // 40 × 0.01 = 0.4 km/h → 1 km/h.
  p.behaviour.min_wait_secs = 100'000;          // Keep the patience check quiet.
  p.behaviour.max_wait_secs = 100'000;
  TripWorld w(p, 3, 5);
  StepUntil(w.engine, EventKind::kMoveStep, w.trip);
  EXPECT_EQ(PendingTimes(w.engine, EventKind::kMoveStep, w.trip), std::vector<uint64_t>{4'000 + 1'188'000});
}

}  // namespace
}  // namespace ridesweep::sim
