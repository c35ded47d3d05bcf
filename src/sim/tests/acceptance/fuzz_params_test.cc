// Fuzz-style robustness tests of the simulation engine over spec/simulation.md §14: hundreds of random VALID
// parameter sets (fixed seed, so every failure replays; extremes included: radius 0..u32 max, tiny and huge boxes,
// 1 ms windows and end times, negative and extreme epochs, custom traffic, trip ranges with min > max, extreme
// behaviour weights) run under a small step cap: no crash, no hang, the §16.4 invariants hold at the end (and after
// every event for a subset), and spawned <= caps. Random INVALID sets must be rejected with the §14.3 message.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "acceptance_support.h"
#include "engine/engine.h"
#include "random/rng.h"
#include "ridesweep/sim/params.h"
#include "ridesweep/sim/simulation.h"

namespace ridesweep::sim::acceptance {
namespace {

constexpr uint64_t kFuzzSeed = 0x5EED'F022'0000'0001ULL;
constexpr int kValidSets = 1'500;
constexpr uint64_t kStepCap = 20'000;

// Replayable random choices for parameter generation.
class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(Xoshiro256::FromKey(seed)) {}
  uint64_t Bits() { return rng_.Next(); }
  uint64_t Int(uint64_t lo, uint64_t hi) { return UniformInt(rng_, lo, hi); }
  double Real(double lo, double hi) { return UniformReal(rng_, lo, hi); }
  bool Chance(double p) { return U01(rng_) < p; }
  template <typename T>
  T Pick(std::initializer_list<T> values) {
    return values.begin()[Int(0, values.size() - 1)];
  }

 private:
  Xoshiro256 rng_;
};

// A random box that satisfies §3.1.
void RandomBounds(Gen& g, SimParams* p) {
  switch (g.Int(0, 7)) {
    case 0:
      return;  // The default Berlin box.
    case 1: {  // A tiny box around Berlin.
      const double dlat = g.Real(0, 0.01), dlng = g.Real(0, 0.01);
      p->lat_min = 52.51 - dlat, p->lat_max = 52.51 + dlat, p->lng_min = 13.42 - dlng, p->lng_max = 13.42 + dlng;
      return;
    }
    case 2: {  // A single point (zero spans).
      const double lat = g.Real(-85, 85), lng = g.Real(-180, 180);
      p->lat_min = p->lat_max = lat;
      p->lng_min = p->lng_max = lng;
      return;
    }
    case 3: {  // Near a pole, touching the ±85 and ±180 limits.
      const bool north = g.Chance(0.5);
      p->lat_min = north ? 85 - g.Real(0, 5) : -85;
      p->lat_max = north ? 85 : -85 + g.Real(0, 5);
      p->lng_min = g.Chance(0.5) ? -180 : 175 + g.Real(0, 5) - 5;
      p->lng_max = std::min(180.0, p->lng_min + g.Real(0, 5));
      return;
    }
    case 4: {  // The full 5 x 5 degrees (a large grid).
      p->lat_min = g.Real(-85, 80);
      p->lat_max = p->lat_min + 5;
      p->lng_min = g.Real(-180, 175);
      p->lng_max = p->lng_min + 5;
      return;
    }
    case 5: {  // Across the equator and the prime meridian.
      p->lat_min = -g.Real(0, 2.5), p->lat_max = g.Real(0, 2.5), p->lng_min = -g.Real(0, 2.5);
      p->lng_max = g.Real(0, 2.5);
      return;
    }
    default: {  // Anywhere, any span up to 5 degrees.
      p->lat_min = g.Real(-85, 85);
      p->lat_max = std::min(85.0, p->lat_min + g.Real(0, 5));
      p->lng_min = g.Real(-180, 180);
      p->lng_max = std::min(180.0, p->lng_min + g.Real(0, 5));
      return;
    }
  }
}

uint64_t RandomWindow(Gen& g) {
  return g.Chance(0.7) ? g.Int(60'000, 2 * kHourMs) : g.Pick<uint64_t>({1, 1'000, g.Int(1, 10 * kHourMs), kHourMs});
}

double RandomWeight(Gen& g, double typical) {
  if (g.Chance(0.6)) return typical;
  return g.Chance(0.2) ? g.Pick({-1e6, 1e6, 0.0}) : g.Real(-10, 10);
}

// Each parameter takes its default or a typical value most of the time and an extreme value otherwise, so that
// runs still produce trips while every extreme is reached.
SimParams RandomValidParams(Gen& g) {
  SimParams p;
  p.seed = g.Bits();
  p.num_riders = g.Chance(0.1) ? 0 : g.Int(1, 60);
  p.num_drivers = g.Chance(0.1) ? 0 : g.Int(1, 40);
  p.initial_rider_count = g.Chance(0.3) ? g.Int(0, p.num_riders) : 0;
  p.initial_driver_count = g.Chance(0.3) ? g.Int(0, p.num_drivers) : 0;
  RandomBounds(g, &p);
  p.request_window_ms = RandomWindow(g);
  p.driver_spread_ms = RandomWindow(g);
  if (g.Chance(0.8)) {
    p.simulation_end_time_ms =
        g.Chance(0.6) ? g.Int(600'000, 4 * kHourMs) : g.Pick<uint64_t>({1, g.Int(1, 30 * kHourMs), UINT64_MAX});
  }
  p.max_steps = g.Chance(0.1) ? g.Pick<uint64_t>({1, 2, 100}) : g.Int(1'000, kStepCap);
  p.match_radius = g.Pick<uint32_t>({0, 1, static_cast<uint32_t>(g.Int(0, 10)), static_cast<uint32_t>(g.Int(0, 40)),
                                     64, 65, 200, 100'000, UINT32_MAX});
  p.min_trip_cells = g.Chance(0.6) ? static_cast<uint32_t>(g.Int(0, 10))
                                   : g.Pick<uint32_t>({0, 21, static_cast<uint32_t>(g.Int(0, 70)), 300, UINT32_MAX});
  p.max_trip_cells = g.Chance(0.6) ? static_cast<uint32_t>(g.Int(0, 60))
                                   : g.Pick<uint32_t>({0, 20, 21, static_cast<uint32_t>(g.Int(0, 70)), UINT32_MAX});
  p.epoch_ms = g.Pick<int64_t>({0, -1, static_cast<int64_t>(g.Bits() % 20'000'000'000'000ULL) - 10'000'000'000'000,
                                std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                                static_cast<int64_t>(g.Bits())});
  p.matching_algorithm_type = static_cast<MatchingAlgorithm>(g.Int(0, 2));
  p.batch_matching_enabled = g.Chance(0.7);
  p.batch_interval_secs = g.Chance(0.7) ? g.Int(1, 60) : g.Pick<uint64_t>({1, g.Int(1, 600), UINT64_MAX / 1000 + 1,
                                                                           UINT64_MAX});
  if (!p.batch_matching_enabled && g.Chance(0.3)) p.batch_interval_secs = 0;  // Only checked when batching.
  p.eta_weight = g.Pick({0.0, 0.1, g.Real(0, 10), 1e6});
  p.traffic_profile.kind = static_cast<TrafficProfileKind>(g.Int(0, 2));
  for (double& f : p.traffic_profile.custom_factors) f = g.Chance(0.05) ? g.Pick({1e-9, 1e9}) : g.Real(0.01, 3);
  p.congestion_zones_enabled = g.Chance(0.5);
  p.dynamic_congestion_enabled = g.Chance(0.5);
  if (g.Chance(0.5)) p.base_speed_kmh = g.Pick({1e-6, 0.5, 30.0, g.Real(0.1, 200), 1e6});
  p.spawn_weighting = static_cast<SpawnWeighting>(g.Int(0, 1));
  PricingConfig& pc = p.pricing_config;
  pc.base_fare = g.Pick({0.0, 2.5, g.Real(0, 50), 1e6});
  pc.per_km_rate = g.Pick({0.0, 1.5, g.Real(0, 20)});
  pc.commission_rate = g.Pick({0.0, 1.0, g.Real(0, 1)});
  pc.surge_enabled = g.Chance(0.5);
  pc.surge_radius_k = g.Pick<uint32_t>({0, 1, 2, static_cast<uint32_t>(g.Int(0, 10)), 64, 65, 1'000, UINT32_MAX});
  pc.surge_max_multiplier = g.Pick({1.0, 2.0, g.Real(1, 10), 1e9});
  BehaviourParams& b = p.behaviour;
  b.max_quote_rejections = g.Pick<uint32_t>({0, 3, static_cast<uint32_t>(g.Int(0, 5)), 1'000});
  b.re_quote_delay_secs = g.Pick<uint64_t>({0, 10, g.Int(0, 1'000), UINT64_MAX});
  b.accept_probability = g.Chance(0.6) ? g.Real(0.5, 1) : g.Pick({0.0, 1.0, g.Real(0, 1)});
  b.max_willingness_to_pay = g.Chance(0.6) ? 1e12 : g.Pick({100.0, 0.0, -1.0, g.Real(0, 200)});
  b.max_acceptable_eta_ms =
      g.Chance(0.6) ? UINT64_MAX : g.Pick<uint64_t>({0, 600'000, g.Int(0, 2'000'000), UINT64_MAX});
  b.min_wait_secs = g.Chance(0.6) ? 120 : g.Pick<uint64_t>({0, g.Int(0, 5'000), UINT64_MAX});
  b.max_wait_secs = g.Chance(0.6) ? 2'400 : g.Pick<uint64_t>({0, g.Int(0, 5'000), UINT64_MAX});
  b.base_acceptance_score = RandomWeight(g, 5.0);
  b.fare_weight = RandomWeight(g, 0.1);
  b.pickup_distance_penalty = RandomWeight(g, -2.0);
  b.trip_distance_bonus = RandomWeight(g, 0.5);
  b.earnings_progress_weight = RandomWeight(g, -0.5);
  b.fatigue_penalty = RandomWeight(g, -1.0);
  b.snapshot_interval_ms = g.Pick<uint64_t>({1, 1'000, g.Int(1, 10'000'000), UINT64_MAX});
  b.fixed_acceptance_draw = g.Chance(0.3);
  if (g.Chance(0.1)) {
    const double lo = g.Pick({1e-3, 1.0, g.Real(0.1, 100)});
    p.speed_range_override_kmh = std::array<double, 2>{lo, lo + g.Pick({0.0, g.Real(0, 100)})};
  }
  return p;
}

std::string Describe(const SimParams& p) {
  return "seed " + std::to_string(p.seed) + " riders " + std::to_string(p.num_riders) + "/" +
         std::to_string(p.initial_rider_count) + " drivers " + std::to_string(p.num_drivers) + "/" +
         std::to_string(p.initial_driver_count) + " box [" + std::to_string(p.lat_min) + "," +
         std::to_string(p.lat_max) + "]x[" + std::to_string(p.lng_min) + "," + std::to_string(p.lng_max) +
         "] radius " + std::to_string(p.match_radius) + " trip [" + std::to_string(p.min_trip_cells) + "," +
         std::to_string(p.max_trip_cells) + "] epoch " + std::to_string(p.epoch_ms) + " batch " +
         std::to_string(p.batch_matching_enabled) + " alg " +
         std::string(MatchingAlgorithmName(p.matching_algorithm_type)) +
         " steps " + std::to_string(p.max_steps);
}

TEST(FuzzParamsTest, RandomValidParameterSetsRunCleanly) {
  Gen g(kFuzzSeed);
  int truncated = 0, with_trips = 0, with_completions = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kValidSets; ++i) {
    const SimParams p = RandomValidParams(g);
    SCOPED_TRACE("set " + std::to_string(i) + ": " + Describe(p));
    const Status valid = ValidateSimParams(p);
    ASSERT_TRUE(valid.ok()) << valid.ToString();

    const auto set_start = std::chrono::steady_clock::now();
    RunCapture capture(/*trace_events=*/true, /*trace_decisions=*/true);
    Engine engine(p, &capture);
    engine.ScheduleStart();
    const bool each_event = i % 4 == 0;
    const Status run = engine.Run(nullptr, each_event);
    ASSERT_TRUE(run.ok()) << run.ToString();
    const Status end = engine.CheckInvariants();
    ASSERT_TRUE(end.ok()) << end.ToString();
    const PointMetrics m = engine.Finish();
    const SimOutput out{m, engine.stats()};
    EXPECT_TRUE(CheckExportedRun(p, out, capture));
    EXPECT_LE(engine.stats().riders_spawned, p.num_riders);
    EXPECT_LE(engine.stats().drivers_spawned, p.num_drivers);
    EXPECT_GE(engine.stats().riders_spawned, p.initial_rider_count);
    EXPECT_GE(engine.stats().drivers_spawned, p.initial_driver_count);
    for (const auto& [prob, accepted] : capture.decisions()) EXPECT_TRUE(prob >= 0 && prob <= 1) << prob;
    const double set_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - set_start).count();
    // A hang detector, not a benchmark: runs here take milliseconds; before the ring walk in FilterDisk, a huge
    // min_trip_cells in a 5-degree box took seconds and hundreds of MB per run.
    EXPECT_LT(set_secs, 10.0) << "one small run must not take seconds";

    truncated += m.truncated ? 1 : 0;
    with_trips += engine.stats().trips_created > 0 ? 1 : 0;
    with_completions += m.completed_trips > 0 ? 1 : 0;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ STAT     ] fuzz: %d sets in %.2f s, %d truncated, %d with trips, %d with completions\n", kValidSets,
              secs, truncated, with_trips, with_completions);
  // The generator reaches the interesting parts of the model.
  EXPECT_GT(truncated, kValidSets / 20);
  EXPECT_GT(with_trips, kValidSets / 10);
  EXPECT_GT(with_completions, kValidSets / 20);
}

// The same random sets through the public entry point give the same metrics as the engine path above.
TEST(FuzzParamsTest, RunSimulationAgreesWithTheEngineOnRandomSets) {
  Gen g(kFuzzSeed ^ 0xABCDEF);
  for (int i = 0; i < 40; ++i) {
    const SimParams p = RandomValidParams(g);
    SCOPED_TRACE("set " + std::to_string(i) + ": " + Describe(p));
    RunCapture a;
    Result<SimOutput> out = RunSimulation(p, &a);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    RunCapture b;
    Engine engine(p, &b);
    engine.ScheduleStart();
    ASSERT_TRUE(engine.Run(nullptr, false).ok());
    const PointMetrics m = engine.Finish();
    EXPECT_EQ(MetricsBytes(out->metrics), MetricsBytes(m));
    EXPECT_EQ(TripRowsBytes(a.trips()), TripRowsBytes(b.trips()));
    EXPECT_EQ(SnapshotRowsBytes(a.snapshots()), SnapshotRowsBytes(b.snapshots()));
  }
}

// Regression: a trip range no cell can satisfy (min_trip_cells = u32 max) in a 5 x 5 degree box used to make every
// rider spawn build and scan the whole disk out to the box's extent (tens of millions of cells, hundreds of MB,
// seconds per run). Destinations must still fall back to the pickup cell (§3.6 step 4), quickly.
TEST(FuzzParamsTest, UnreachableTripRangeInAHugeBoxFallsBackQuickly) {
  SimParams p;
  p.seed = 31;
  p.lat_min = -2.5, p.lat_max = 2.5, p.lng_min = 30, p.lng_max = 35;
  p.num_riders = 200;
  p.num_drivers = 50;
  p.initial_rider_count = 150;
  p.min_trip_cells = UINT32_MAX;
  p.max_trip_cells = 10;
  p.simulation_end_time_ms = 600'000;
  const auto start = std::chrono::steady_clock::now();
  Engine engine(p, nullptr);
  engine.ScheduleStart();
  ASSERT_TRUE(engine.Run(nullptr, false).ok());
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_GE(engine.riders().size(), 150u);
  for (const Rider& r : engine.riders()) {
    if (r.state == RiderState::kBrowsing || r.state == RiderState::kWaiting) {
      EXPECT_EQ(r.destination, r.cell);
    }
  }
  EXPECT_LT(secs, 10.0);
}

// One invalid mutation of a valid set and the message it must produce.
struct Mutation {
  const char* name;
  std::function<void(SimParams*)> apply;
  std::string message;     // The exact message (§14.3), or
  bool exact = true;       // a substring naming the parameter for the other documented ranges.
};

std::vector<Mutation> InvalidMutations() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::string kBounds = "invalid bounds";
  const std::string kCustom = "traffic_profile custom factors must be 24 positive numbers";
  std::vector<Mutation> m = {
      {"lat_min below -85", [](SimParams* p) { p->lat_min = -85.0001; }, kBounds},
      {"lat_max above 85", [](SimParams* p) { p->lat_max = 85.0001; }, kBounds},
      {"lat_min > lat_max", [](SimParams* p) { p->lat_min = p->lat_max + 0.001; }, kBounds},
      {"lng_min below -180", [](SimParams* p) { p->lng_min = -180.0001; }, kBounds},
      {"lng_max above 180", [](SimParams* p) { p->lng_max = 180.0001; }, kBounds},
      {"lng_min > lng_max", [](SimParams* p) { p->lng_max = p->lng_min - 0.001; }, kBounds},
      {"lat span > 5", [](SimParams* p) { p->lat_max = p->lat_min + 5.0001; }, kBounds},
      {"lng span > 5", [](SimParams* p) { p->lng_max = p->lng_min + 5.0001; }, kBounds},
      {"lat NaN", [nan](SimParams* p) { p->lat_min = nan; }, kBounds},
      {"lng infinite", [inf](SimParams* p) { p->lng_max = inf; }, kBounds},
      {"batch interval 0", [](SimParams* p) { p->batch_matching_enabled = true, p->batch_interval_secs = 0; },
       "batch_interval_secs must be at least 1"},
      {"base speed 0", [](SimParams* p) { p->base_speed_kmh = 0.0; }, "base_speed_kmh must be greater than 0"},
      {"base speed negative", [](SimParams* p) { p->base_speed_kmh = -30.0; },
       "base_speed_kmh must be greater than 0"},
      {"base speed NaN", [nan](SimParams* p) { p->base_speed_kmh = nan; }, "base_speed_kmh must be greater than 0"},
      {"initial riders above cap", [](SimParams* p) { p->initial_rider_count = p->num_riders + 1; },
       "initial_rider_count exceeds num_riders"},
      {"initial drivers above cap", [](SimParams* p) { p->initial_driver_count = p->num_drivers + 1; },
       "initial_driver_count exceeds num_drivers"},
      {"request window 0", [](SimParams* p) { p->request_window_ms = 0; }, "request_window_ms must be at least 1"},
      {"driver spread 0", [](SimParams* p) { p->driver_spread_ms = 0; }, "driver_spread_ms must be at least 1"},
      {"custom factor 0",
       [](SimParams* p) {
         p->traffic_profile.kind = TrafficProfileKind::kCustom;
         p->traffic_profile.custom_factors.fill(1.0);
         p->traffic_profile.custom_factors[13] = 0.0;
       },
       kCustom},
      {"custom factor negative",
       [](SimParams* p) {
         p->traffic_profile.kind = TrafficProfileKind::kCustom;
         p->traffic_profile.custom_factors.fill(0.5);
         p->traffic_profile.custom_factors[0] = -0.5;
       },
       kCustom},
      {"custom factor NaN",
       [nan](SimParams* p) {
         p->traffic_profile.kind = TrafficProfileKind::kCustom;
         p->traffic_profile.custom_factors.fill(0.5);
         p->traffic_profile.custom_factors[23] = nan;
       },
       kCustom},
      {"num_riders above 10^7", [](SimParams* p) { p->num_riders = 10'000'001; }, "num_riders", false},
      {"num_drivers above 10^7", [](SimParams* p) { p->num_drivers = 10'000'001; }, "num_drivers", false},
      {"commission above 1", [](SimParams* p) { p->pricing_config.commission_rate = 1.01; }, "commission_rate", false},
      {"commission negative", [](SimParams* p) { p->pricing_config.commission_rate = -0.01; }, "commission_rate",
       false},
      {"base fare negative", [](SimParams* p) { p->pricing_config.base_fare = -1; }, "base_fare", false},
      {"per km negative", [](SimParams* p) { p->pricing_config.per_km_rate = -1; }, "per_km_rate", false},
      {"surge cap below 1", [](SimParams* p) { p->pricing_config.surge_max_multiplier = 0.99; },
       "surge_max_multiplier", false},
      {"eta weight negative", [](SimParams* p) { p->eta_weight = -0.1; }, "eta_weight", false},
      {"max steps 0", [](SimParams* p) { p->max_steps = 0; }, "max_steps", false},
      {"end time 0", [](SimParams* p) { p->simulation_end_time_ms = 0; }, "simulation_end_time_ms", false},
      {"accept probability above 1", [](SimParams* p) { p->behaviour.accept_probability = 1.5; },
       "accept_probability", false},
      {"snapshot interval 0", [](SimParams* p) { p->behaviour.snapshot_interval_ms = 0; }, "snapshot_interval_ms",
       false},
  };
  return m;
}

Status ValidateWithoutCrash(const SimParams& p) { return ValidateSimParams(p); }

TEST(FuzzParamsTest, ValidationRejectsEachInvalidRuleWithItsMessage) {
  for (const Mutation& mutation : InvalidMutations()) {
    SimParams p;  // Defaults are valid.
    ASSERT_TRUE(ValidateSimParams(p).ok());
    mutation.apply(&p);
    const Status status = ValidateWithoutCrash(p);
    ASSERT_FALSE(status.ok()) << mutation.name;
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << mutation.name;
    if (mutation.exact) {
      EXPECT_EQ(status.message(), mutation.message) << mutation.name;
    } else {
      EXPECT_NE(status.message().find(mutation.message), std::string::npos)
          << mutation.name << ": " << status.message();
    }
    // RunSimulation refuses the point with the same error, before emitting anything.
    RunCapture capture(true, true);
    Result<SimOutput> out = RunSimulation(p, &capture);
    ASSERT_FALSE(out.ok()) << mutation.name;
    EXPECT_EQ(out.status().message(), status.message());
    EXPECT_TRUE(capture.snapshots().empty() && capture.trips().empty() && capture.events().empty());
  }
}

TEST(FuzzParamsTest, RandomInvalidSetsAreRejectedWithTheRightMessage) {
  const std::vector<Mutation> mutations = InvalidMutations();
  Gen g(kFuzzSeed ^ 0x1234);
  for (int i = 0; i < 600; ++i) {
    SimParams p = RandomValidParams(g);
    ASSERT_TRUE(ValidateSimParams(p).ok());
    const Mutation& mutation = mutations[g.Int(0, mutations.size() - 1)];
    mutation.apply(&p);
    SCOPED_TRACE("set " + std::to_string(i) + " with " + mutation.name);
    const Status status = ValidateWithoutCrash(p);
    ASSERT_FALSE(status.ok());
    if (mutation.exact) {
      EXPECT_EQ(status.message(), mutation.message);
    } else {
      EXPECT_NE(status.message().find(mutation.message), std::string::npos) << status.message();
    }
  }
}

TEST(FuzzParamsTest, BoundaryValuesAreValid) {
  const std::function<void(SimParams*)> kValid[] = {
      [](SimParams* p) { p->lat_min = -85, p->lat_max = -80, p->lng_min = -180, p->lng_max = -175; },
      [](SimParams* p) { p->lat_min = 80, p->lat_max = 85, p->lng_min = 175, p->lng_max = 180; },
      [](SimParams* p) { p->lat_min = p->lat_max = 10, p->lng_min = p->lng_max = 20; },
      [](SimParams* p) { p->batch_matching_enabled = false, p->batch_interval_secs = 0; },
      [](SimParams* p) { p->initial_rider_count = p->num_riders, p->initial_driver_count = p->num_drivers; },
      [](SimParams* p) { p->request_window_ms = 1, p->driver_spread_ms = 1, p->simulation_end_time_ms = 1; },
      [](SimParams* p) { p->num_riders = 10'000'000, p->num_drivers = 10'000'000, p->max_steps = 1; },
      [](SimParams* p) { p->base_speed_kmh = 1e-9; },
      [](SimParams* p) { p->min_trip_cells = 70, p->max_trip_cells = 3; },
      [](SimParams* p) { p->epoch_ms = std::numeric_limits<int64_t>::min(); },
      [](SimParams* p) { p->pricing_config.surge_max_multiplier = 1, p->pricing_config.commission_rate = 1; },
  };
  for (size_t i = 0; i < std::size(kValid); ++i) {
    SimParams p;
    kValid[i](&p);
    const Status status = ValidateSimParams(p);
    EXPECT_TRUE(status.ok()) << "case " << i << ": " << status.ToString();
    RunControl control;
    control.check_invariants_each_event = true;
    Result<SimOutput> out = RunSimulation(p, nullptr, control);
    EXPECT_TRUE(out.ok()) << "case " << i << ": " << out.status().ToString();
  }
}

}  // namespace
}  // namespace ridesweep::sim::acceptance
