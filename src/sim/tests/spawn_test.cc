// U4 (gaps) and H1-H3 (building and spawning) of spec/simulation.md §16, plus the §5 spawner chain, the §2.2
// draw order of the spawn streams, §3.6 destination sampling and §5.4 driver attributes.
#include <gtest/gtest.h>

#include <optional>

#include <algorithm>

#include <cmath>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "model/calendar.h"
#include "random/rng.h"
#include "tests/world_test_support.h"

namespace ridesweep::sim {
namespace {

using fixtures::CellTouchesBox;
using fixtures::kC0;
using fixtures::kHour;
using fixtures::PendingOf;
using fixtures::PendingTimes;
using fixtures::StepOne;

constexpr int64_t kFriday18h = 86'400'000 + 18 * 3'600'000;  // 1970-01-02 was a Friday.

// --- U4: gaps ------------------------------------------------------------------------------------------

TEST(GapTest, PositiveAndFiniteAtRateOne) {
  Xoshiro256 rng = StreamKeys(42).Stream(StreamPurpose::kRiderArrival, 0);
  double sum = 0;
  constexpr int kN = 20'000;
  for (int i = 0; i < kN; ++i) {
    const double gap = ExponentialGapSecs(rng, 1.0);
    ASSERT_TRUE(std::isfinite(gap));
    ASSERT_GT(gap, 0.0);
    sum += gap;
  }
  EXPECT_NEAR(sum / kN, 1.0, 0.03);
}

TEST(GapTest, RateZeroNeverComes) {
  Xoshiro256 rng = StreamKeys(42).Stream(StreamPurpose::kRiderArrival, 0);
  const double gap = ExponentialGapSecs(rng, 0.0);
  EXPECT_FALSE(std::isfinite(gap));
  EXPECT_GT(gap, 0.0);
}

// --- H1-H3 ---------------------------------------------------------------------------------------------

SimParams SpawnParams(uint64_t riders, uint64_t drivers) {
  SimParams p;
  p.num_riders = riders;
  p.num_drivers = drivers;
  p.batch_matching_enabled = false;
  p.seed = 7;
  return p;
}

// Runs to the end, checking the invariants after every event.
void RunToEnd(Engine& engine) {
  const Status status = engine.Run(nullptr, /*check_invariants_each_event=*/true);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_TRUE(engine.CheckInvariants().ok());
}

TEST(SpawnTest, BuildWithNominalTenAndThreeH1) {
  Engine engine(SpawnParams(10, 3), nullptr);
  engine.ScheduleStart();
  StepOne(engine);
  EXPECT_EQ(engine.riders().size(), 0u);
  EXPECT_EQ(engine.drivers().size(), 0u);
  EXPECT_EQ(PendingTimes(engine, EventKind::kSpawnRider), std::vector<uint64_t>{0});
  EXPECT_EQ(PendingTimes(engine, EventKind::kSpawnDriver), std::vector<uint64_t>{0});
  EXPECT_TRUE(PendingOf(engine, EventKind::kBatchMatchRun).empty()) << "batching is off";
}

TEST(SpawnTest, CapsAreExactlyTheNominalCountsH1) {
  // Spawn windows of 1 ms at a Friday 18:00 epoch make the rate so high that the chains run to their caps.
  SimParams p = SpawnParams(10, 3);
  p.request_window_ms = 1;
  p.driver_spread_ms = 1;
  p.epoch_ms = kFriday18h;
  p.simulation_end_time_ms = 60'000;
  Engine engine(p, nullptr);
  engine.ScheduleStart();
  RunToEnd(engine);
  EXPECT_EQ(engine.counters().riders_spawned, 10u);
  EXPECT_EQ(engine.counters().drivers_spawned, 3u);
  EXPECT_EQ(engine.stats().events_by_kind[static_cast<size_t>(EventKind::kSpawnRider)], 10u);
  EXPECT_EQ(engine.stats().events_by_kind[static_cast<size_t>(EventKind::kSpawnDriver)], 3u);
  for (const Rider& r : engine.riders()) EXPECT_LE(r.requested_at, 1u);
  for (const Driver& d : engine.drivers()) EXPECT_LE(d.shift_start_ms, 1u);
}

TEST(SpawnTest, ZeroCapsScheduleNoSpawnsH1) {
  SimParams p = SpawnParams(0, 0);
  p.simulation_end_time_ms = 1'000'000;
  Engine engine(p, nullptr);
  engine.ScheduleStart();
  StepOne(engine);
  EXPECT_TRUE(PendingOf(engine, EventKind::kSpawnRider).empty());
  EXPECT_TRUE(PendingOf(engine, EventKind::kSpawnDriver).empty());
  RunToEnd(engine);
  EXPECT_EQ(engine.counters().riders_spawned, 0u);
  EXPECT_EQ(engine.counters().drivers_spawned, 0u);
  EXPECT_EQ(engine.stats().events_by_kind[static_cast<size_t>(EventKind::kSpawnRider)], 0u);
}

TEST(SpawnTest, InitialAgentsExistAtZeroAndCountAgainstTheNominalH2) {
  SimParams p = SpawnParams(10, 5);
  p.initial_rider_count = 3;
  p.initial_driver_count = 2;
  Engine engine(p, nullptr);
  engine.ScheduleStart();
  StepOne(engine);
  ASSERT_EQ(engine.riders().size(), 3u);
  ASSERT_EQ(engine.drivers().size(), 2u);
  for (const Rider& r : engine.riders()) {
    EXPECT_EQ(r.requested_at, 0u);
    EXPECT_EQ(r.state, RiderState::kBrowsing);
  }
  for (const Driver& d : engine.drivers()) {
    EXPECT_EQ(d.shift_start_ms, 0u);
    EXPECT_EQ(d.state, DriverState::kIdle);
  }
  EXPECT_EQ(PendingTimes(engine, EventKind::kShowQuote), (std::vector<uint64_t>{1'000, 1'000, 1'000}));
  EXPECT_EQ(PendingTimes(engine, EventKind::kSpawnRider), std::vector<uint64_t>{0});
  RunToEnd(engine);
  EXPECT_LE(engine.counters().riders_spawned, 10u);
  EXPECT_LE(engine.counters().drivers_spawned, 5u);
  EXPECT_GE(engine.counters().riders_spawned, 3u);
}

TEST(SpawnTest, ScheduledCapsAreNominalMinusInitialH2) {
  SimParams p = SpawnParams(10, 5);
  p.initial_rider_count = 3;
  p.initial_driver_count = 2;
  p.request_window_ms = 1;
  p.driver_spread_ms = 1;
  p.epoch_ms = kFriday18h;
  p.simulation_end_time_ms = 60'000;
  Engine engine(p, nullptr);
  engine.ScheduleStart();
  RunToEnd(engine);
  EXPECT_EQ(engine.stats().events_by_kind[static_cast<size_t>(EventKind::kSpawnRider)], 7u);
  EXPECT_EQ(engine.stats().events_by_kind[static_cast<size_t>(EventKind::kSpawnDriver)], 3u);
  EXPECT_EQ(engine.counters().riders_spawned, 10u);
  EXPECT_EQ(engine.counters().drivers_spawned, 5u);
}

TEST(SpawnTest, SmallBoxShortWindowsH3) {
  const GeoBounds small{52.50, 52.53, 13.38, 13.42};
  SimParams p = SpawnParams(500, 100);
  p.lat_min = small.lat_min;
  p.lat_max = small.lat_max;
  p.lng_min = small.lng_min;
  p.lng_max = small.lng_max;
  p.request_window_ms = 10'000;
  p.driver_spread_ms = 10'000;
  p.simulation_end_time_ms = 20'000;
  ASSERT_TRUE(ValidateSimParams(p).ok());
  Engine engine(p, nullptr);
  engine.ScheduleStart();
  RunToEnd(engine);
  EXPECT_EQ(engine.stats().stop_reason, StopReason::kEndTime);
  EXPECT_GT(engine.counters().riders_spawned, 0u);
  EXPECT_LE(engine.counters().riders_spawned, 500u);
  EXPECT_GT(engine.counters().drivers_spawned, 0u);
  EXPECT_LE(engine.counters().drivers_spawned, 100u);
  EXPECT_LT(engine.now(), 20'000u);
  for (const Rider& r : engine.riders()) {
    EXPECT_TRUE(CellTouchesBox(engine.grid(), r.cell, small));
    EXPECT_LE(r.requested_at, 10'000u);
  }
  for (const Driver& d : engine.drivers()) {
    EXPECT_TRUE(CellTouchesBox(engine.grid(), d.cell, small));
    EXPECT_LE(d.shift_start_ms, 10'000u);
  }
}

// --- §5.1-§5.2: the spawner chain, recomputed independently from stream 2 -----------------------------------

TEST(SpawnTest, RiderArrivalTimesFollowTheChain) {
  SimParams p = SpawnParams(400, 0);
  p.epoch_ms = 6 * 3'600'000 + 40 * 60'000;  // Thursday 06:40: the multiplier changes at 07:00.
  p.request_window_ms = 3'600'000;
  p.simulation_end_time_ms = 3'700'000;
  p.behaviour.accept_probability = 0.0;  // Riders abandon quickly; only arrivals matter here.
  Engine engine(p, nullptr);
  engine.ScheduleStart();
  RunToEnd(engine);

  Xoshiro256 arrival = StreamKeys(p.seed).Stream(StreamPurpose::kRiderArrival, 0);
  const double base = 400.0 / 3'600.0 / 1.3;
  std::vector<uint64_t> expected;
  uint64_t t = 0;
  while (expected.size() < 400 && t <= p.request_window_ms) {
    expected.push_back(t);
    const int64_t real = p.epoch_ms + static_cast<int64_t>(t);
    const double rate = base * RiderDemandMultiplier(DayOfWeek(real), HourOfDay(real));
    t += static_cast<uint64_t>(std::trunc(-std::log(1.0 - U01(arrival)) / rate * 1000.0));
  }
  std::vector<uint64_t> actual;
  for (const Rider& r : engine.riders()) actual.push_back(r.requested_at);
  EXPECT_EQ(actual, expected);
  EXPECT_GT(actual.size(), 50u);
}

// --- §2.2 draw order of the spawn streams, §5.4 attributes ------------------------------------------------

// The destination draw, restated: route length median * exp(sigma * Z) km (Box-Muller from two draws), as hops
// clamped to [min, max], then a uniform position on that ring (start at c + j*D4, j steps along each direction);
// redrawn when the centre is out of bounds. nullopt if 16 draws all leave the box (the fallback is not restated).
std::optional<Cell> ExpectedDestination(Xoshiro256& rs, Cell pickup, const SimParams& p, HexGrid& grid) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    const double u1 = 1.0 - U01(rs);
    const double u2 = U01(rs);
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.141592653589793 * u2);
    const double km = p.trip_median_km * std::exp(p.trip_length_sigma * z);
    const uint32_t j = static_cast<uint32_t>(std::clamp(std::round(km / kCellSpacingKm),
                                                        static_cast<double>(p.min_trip_cells),
                                                        static_cast<double>(std::max(p.max_trip_cells, p.min_trip_cells))));
    const uint64_t position = UniformInt(rs, 0, j == 0 ? 0 : 6 * uint64_t{j} - 1);
    std::vector<Cell> ring;
    grid.AppendDisk(pickup, j, &ring);
    std::vector<Cell> on_ring;
    for (const Cell& c : ring) {
      if (HexDistance(pickup, c) == j) on_ring.push_back(c);
    }
    const Cell c = j == 0 ? pickup : on_ring[position];
    if (grid.CentreInBounds(c)) return c;
  }
  return std::nullopt;
}

TEST(SpawnTest, SpawnStreamsDrawPositionThenDestinationThenAttributes) {
  for (const auto& [mn, mx] : {std::pair<uint32_t, uint32_t>{0, 60}, std::pair<uint32_t, uint32_t>{2, 3}}) {
    SCOPED_TRACE(::testing::Message() << mn << ".." << mx);
    SimParams p = SpawnParams(20, 20);
    p.initial_rider_count = 20;
    p.initial_driver_count = 20;
    p.min_trip_cells = mn;
    p.max_trip_cells = mx;
    Engine engine(p, nullptr);
    engine.ScheduleStart();
    StepOne(engine);
    const StreamKeys keys(p.seed);
    HexGrid grid({p.lat_min, p.lat_max, p.lng_min, p.lng_max});
    for (uint32_t i = 0; i < 20; ++i) {
      Xoshiro256 rs = keys.Stream(StreamPurpose::kRiderSpawn, i);
      const double lat = UniformReal(rs, p.lat_min, p.lat_max);
      const double lng = UniformReal(rs, p.lng_min, p.lng_max);
      const Cell cell = engine.grid().CellAt({lat, lng});
      EXPECT_EQ(engine.riders()[i].cell, cell);
      const std::optional<Cell> expected = ExpectedDestination(rs, cell, p, grid);
      if (expected) {
        EXPECT_EQ(engine.riders()[i].destination, *expected);
      }
      const uint32_t d = HexDistance(cell, engine.riders()[i].destination);
      EXPECT_GE(d, mn);
      EXPECT_LE(d, mx);

      Xoshiro256 ds = keys.Stream(StreamPurpose::kDriverSpawn, i);
      const double dlat = UniformReal(ds, p.lat_min, p.lat_max);
      const double dlng = UniformReal(ds, p.lng_min, p.lng_max);
      const Driver& driver = engine.drivers()[i];
      EXPECT_EQ(driver.cell, engine.grid().CellAt({dlat, dlng}));
      EXPECT_EQ(driver.earnings_target, UniformReal(ds, 100.0, 300.0));
      EXPECT_EQ(driver.fatigue_threshold_ms,
                static_cast<uint64_t>(std::trunc(UniformReal(ds, 8.0, 12.0) * 3'600'000.0)));
    }
  }
}

TEST(SpawnTest, DriverAttributesAtSpawn) {
  Engine engine(fixtures::HandlerParams(), nullptr);
  engine.SetNowForTesting(5'000);
  double target_sum = 0;
  for (int i = 0; i < 500; ++i) {
    const uint32_t id = engine.AddDriver(kC0);
    const Driver& d = engine.drivers()[id];
    EXPECT_EQ(d.state, DriverState::kIdle);
    EXPECT_EQ(d.shift_start_ms, 5'000u);
    EXPECT_FALSE(d.shift_end_ms.has_value());
    EXPECT_EQ(d.daily_earnings, 0.0);
    EXPECT_EQ(d.matched_rider, kNone);
    EXPECT_EQ(d.assigned_trip, kNone);
    EXPECT_GE(d.earnings_target, 100.0);
    EXPECT_LE(d.earnings_target, 300.0);
    EXPECT_GE(d.fatigue_threshold_ms, 8 * kHour);
    EXPECT_LE(d.fatigue_threshold_ms, 12 * kHour);
    target_sum += d.earnings_target;
  }
  EXPECT_NEAR(target_sum / 500, 200.0, 10.0);
}

TEST(SpawnTest, SpawnedRiderGetsAQuoteOneSecondLater) {
  SimParams p = SpawnParams(5, 0);
  Engine engine(p, nullptr);
  engine.ScheduleStart();
  StepOne(engine);  // SimulationStarted.
  const Event spawn = StepOne(engine);
  ASSERT_EQ(spawn.kind(), EventKind::kSpawnRider);
  ASSERT_EQ(engine.riders().size(), 1u);
  EXPECT_EQ(engine.riders()[0].state, RiderState::kBrowsing);
  EXPECT_EQ(engine.riders()[0].requested_at, 0u);
  EXPECT_EQ(PendingTimes(engine, EventKind::kShowQuote, 0), std::vector<uint64_t>{1'000});
}

// --- §3.6 destinations -------------------------------------------------------------------------------------

struct DestinationCase {
  uint32_t min_cells;
  uint32_t max_cells;
  uint32_t expect_lo;  // Expected distance range; {0, 0} = the pickup itself.
  uint32_t expect_hi;
};

TEST(DestinationTest, DistanceRanges) {
  const DestinationCase kCases[] = {
      {5, 60, 5, 60},        // Defaults: rejection sampling.
      {2, 4, 2, 4},          // Disk step.
      {10, 3, 10, 10},       // max is raised to min.
      {0, 0, 0, 0},          // Zero-length trips.
      {0, 20, 0, 20},        // Largest disk-step radius.
      {5'000, 6'000, 0, 0},  // Unreachable: the pickup itself (step 4).
  };
  for (const DestinationCase& c : kCases) {
    SCOPED_TRACE(::testing::Message() << c.min_cells << ".." << c.max_cells);
    SimParams p = SpawnParams(60, 0);
    p.initial_rider_count = 60;
    p.min_trip_cells = c.min_cells;
    p.max_trip_cells = c.max_cells;
    Engine engine(p, nullptr);
    engine.ScheduleStart();
    StepOne(engine);
    for (const Rider& r : engine.riders()) {
      const uint32_t d = HexDistance(r.cell, r.destination);
      EXPECT_GE(d, c.expect_lo);
      EXPECT_LE(d, c.expect_hi);
      if (c.max_cells <= 20 && c.expect_hi > 0) {
        EXPECT_TRUE(engine.grid().CentreInBounds(r.destination));
      }
    }
  }
}

}  // namespace
}  // namespace ridesweep::sim
