// Parameter validation (spec/simulation.md §14.3: every message, in rule order, plus the engine's messages for
// the other documented ranges) and robustness: the engine runs to a normal stop on valid edge values.
#include "ridesweep/sim/params.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "ridesweep/sim/simulation.h"

namespace ridesweep::sim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(ParamsTest, DefaultsAreValid) {
  const SimParams p;
  EXPECT_TRUE(ValidateSimParams(p).ok());
  EXPECT_EQ(ResolvedEndTimeMs(p), 3'600'000u + 7'200'000u);
  SimParams explicit_end;
  explicit_end.simulation_end_time_ms = 42;
  EXPECT_EQ(ResolvedEndTimeMs(explicit_end), 42u);
  SimParams huge_window;
  huge_window.request_window_ms = UINT64_MAX - 5;
  EXPECT_EQ(ResolvedEndTimeMs(huge_window), UINT64_MAX);  // Saturating.
  EXPECT_EQ(MatchingAlgorithmName(MatchingAlgorithm::kSimple), "simple");
  EXPECT_EQ(MatchingAlgorithmName(MatchingAlgorithm::kCostBased), "cost_based");
  EXPECT_EQ(MatchingAlgorithmName(MatchingAlgorithm::kHungarian), "hungarian");
}

struct ValidationCase {
  const char* name;
  void (*mutate)(SimParams&);
  const char* message;  // nullptr = valid.
};

const ValidationCase kCases[] = {
    // §3.1 bounds.
    {"lat_min > lat_max", [](SimParams& p) { p.lat_min = 52.7; }, "invalid bounds"},
    {"lng_min > lng_max", [](SimParams& p) { p.lng_min = 13.9; }, "invalid bounds"},
    {"lat below -85", [](SimParams& p) { p.lat_min = -85.5; p.lat_max = -84; }, "invalid bounds"},
    {"lat above 85", [](SimParams& p) { p.lat_min = 84; p.lat_max = 85.01; }, "invalid bounds"},
    {"lng below -180", [](SimParams& p) { p.lng_min = -180.5; p.lng_max = -178; }, "invalid bounds"},
    {"lng above 180", [](SimParams& p) { p.lng_min = 178; p.lng_max = 180.5; }, "invalid bounds"},
    {"lat span above 5", [](SimParams& p) { p.lat_min = 50; p.lat_max = 55.01; }, "invalid bounds"},
    {"lng span above 5", [](SimParams& p) { p.lng_min = 10; p.lng_max = 15.01; }, "invalid bounds"},
    {"NaN bound", [](SimParams& p) { p.lat_max = kNaN; }, "invalid bounds"},
    {"infinite bound", [](SimParams& p) { p.lng_max = kInf; }, "invalid bounds"},
    {"lat span exactly 5", [](SimParams& p) { p.lat_min = 50; p.lat_max = 55; }, nullptr},
    {"edges ±85 / ±180", [](SimParams& p) { p.lat_min = 80; p.lat_max = 85; p.lng_min = 175; p.lng_max = 180; },
     nullptr},
    {"degenerate box", [](SimParams& p) { p.lat_min = p.lat_max = 52.5; p.lng_min = p.lng_max = 13.4; }, nullptr},
    // Batch interval.
    {"batch interval 0", [](SimParams& p) { p.batch_interval_secs = 0; }, "batch_interval_secs must be at least 1"},
    {"batch interval 0 without batching",
     [](SimParams& p) {
       p.batch_interval_secs = 0;
       p.batch_matching_enabled = false;
     },
     nullptr},
    // Base speed.
    {"base speed 0", [](SimParams& p) { p.base_speed_kmh = 0.0; }, "base_speed_kmh must be greater than 0"},
    {"base speed negative", [](SimParams& p) { p.base_speed_kmh = -3.0; }, "base_speed_kmh must be greater than 0"},
    {"base speed NaN", [](SimParams& p) { p.base_speed_kmh = kNaN; }, "base_speed_kmh must be greater than 0"},
    {"base speed tiny", [](SimParams& p) { p.base_speed_kmh = 1e-9; }, nullptr},
    // Initial counts.
    {"initial riders above cap",
     [](SimParams& p) {
       p.num_riders = 5;
       p.initial_rider_count = 6;
     },
     "initial_rider_count exceeds num_riders"},
    {"initial drivers above cap",
     [](SimParams& p) {
       p.num_drivers = 5;
       p.initial_driver_count = 6;
     },
     "initial_driver_count exceeds num_drivers"},
    {"initial equal to cap",
     [](SimParams& p) {
       p.num_riders = p.initial_rider_count = 5;
       p.num_drivers = p.initial_driver_count = 5;
     },
     nullptr},
    // Windows.
    {"request window 0", [](SimParams& p) { p.request_window_ms = 0; }, "request_window_ms must be at least 1"},
    {"driver spread 0", [](SimParams& p) { p.driver_spread_ms = 0; }, "driver_spread_ms must be at least 1"},
    // Custom traffic profile.
    {"custom factor 0",
     [](SimParams& p) {
       p.traffic_profile.kind = TrafficProfileKind::kCustom;
       p.traffic_profile.custom_factors.fill(1.0);
       p.traffic_profile.custom_factors[23] = 0.0;
     },
     "traffic_profile custom factors must be 24 positive numbers"},
    {"custom factor negative",
     [](SimParams& p) {
       p.traffic_profile.kind = TrafficProfileKind::kCustom;
       p.traffic_profile.custom_factors.fill(-1.0);
     },
     "traffic_profile custom factors must be 24 positive numbers"},
    {"custom factor NaN",
     [](SimParams& p) {
       p.traffic_profile.kind = TrafficProfileKind::kCustom;
       p.traffic_profile.custom_factors.fill(1.0);
       p.traffic_profile.custom_factors[0] = kNaN;
     },
     "traffic_profile custom factors must be 24 positive numbers"},
    {"custom factors unset", [](SimParams& p) { p.traffic_profile.kind = TrafficProfileKind::kCustom; },
     "traffic_profile custom factors must be 24 positive numbers"},
    {"custom factors ignored unless custom", [](SimParams& p) { p.traffic_profile.custom_factors.fill(-1.0); },
     nullptr},
    // The other documented ranges (§14.1, §14.2). NOTE: §14.3 says values outside a documented range that §14.3
    // does not list are "simulated as given"; the engine deliberately refuses them instead (and NaN/inf, which
    // would break the ordering of matching candidates). Kept pending the lead's decision; see the test report.
    {"num_riders above 10^7", [](SimParams& p) { p.num_riders = 10'000'001; }, "num_riders must be in [0, 10000000]"},
    {"num_drivers above 10^7", [](SimParams& p) { p.num_drivers = 10'000'001; },
     "num_drivers must be in [0, 10000000]"},
    {"num_riders at 10^7", [](SimParams& p) { p.num_riders = 10'000'000; }, nullptr},
    {"commission above 1", [](SimParams& p) { p.pricing_config.commission_rate = 1.5; },
     "commission_rate must be in [0, 1]"},
    {"negative commission", [](SimParams& p) { p.pricing_config.commission_rate = -0.1; },
     "commission_rate must be in [0, 1]"},
    {"commission exactly 1", [](SimParams& p) { p.pricing_config.commission_rate = 1.0; }, nullptr},
    {"infinite commission", [](SimParams& p) { p.pricing_config.commission_rate = kInf; },
     "commission_rate must be in [0, 1]"},
    {"negative base fare", [](SimParams& p) { p.pricing_config.base_fare = -1; }, "base_fare must be >= 0"},
    {"NaN base fare", [](SimParams& p) { p.pricing_config.base_fare = kNaN; }, "base_fare must be >= 0"},
    {"infinite base fare", [](SimParams& p) { p.pricing_config.base_fare = kInf; }, "base_fare must be >= 0"},
    {"zero fares", [](SimParams& p) { p.pricing_config.base_fare = p.pricing_config.per_km_rate = 0; }, nullptr},
    {"negative per-km rate", [](SimParams& p) { p.pricing_config.per_km_rate = -1; }, "per_km_rate must be >= 0"},
    {"surge cap below 1", [](SimParams& p) { p.pricing_config.surge_max_multiplier = 0.99; },
     "surge_max_multiplier must be >= 1"},
    {"infinite surge cap", [](SimParams& p) { p.pricing_config.surge_max_multiplier = kInf; },
     "surge_max_multiplier must be >= 1"},
    {"negative eta_weight", [](SimParams& p) { p.eta_weight = -0.1; }, "eta_weight must be >= 0"},
    {"NaN eta_weight", [](SimParams& p) { p.eta_weight = kNaN; }, "eta_weight must be >= 0"},
    {"infinite eta_weight", [](SimParams& p) { p.eta_weight = kInf; }, "eta_weight must be >= 0"},
    {"infinite base speed", [](SimParams& p) { p.base_speed_kmh = kInf; },
     "base_speed_kmh must be a finite number greater than 0"},
    {"max_steps 0", [](SimParams& p) { p.max_steps = 0; }, "max_steps must be at least 1"},
    {"end time 0", [](SimParams& p) { p.simulation_end_time_ms = 0; }, "simulation_end_time_ms must be at least 1"},
    {"accept probability above 1", [](SimParams& p) { p.behaviour.accept_probability = 1.5; },
     "accept_probability must be in [0, 1]"},
    {"negative accept probability", [](SimParams& p) { p.behaviour.accept_probability = -0.5; },
     "accept_probability must be in [0, 1]"},
    {"snapshot interval 0", [](SimParams& p) { p.behaviour.snapshot_interval_ms = 0; },
     "snapshot_interval_ms must be at least 1"},
    {"infinite willingness to pay", [](SimParams& p) { p.behaviour.max_willingness_to_pay = kInf; },
     "behaviour parameters must be finite numbers"},
    {"NaN logit weight", [](SimParams& p) { p.behaviour.fatigue_penalty = kNaN; },
     "behaviour parameters must be finite numbers"},
    {"negative logit weights are fine", [](SimParams& p) { p.behaviour.base_acceptance_score = -1e6; }, nullptr},
    // Model v2 parameters.
    {"surge sensitivity above 10", [](SimParams& p) { p.pricing_config.surge_sensitivity = 10.5; },
     "surge_sensitivity must be in [0, 10]"},
    {"negative surge sensitivity", [](SimParams& p) { p.pricing_config.surge_sensitivity = -0.1; },
     "surge_sensitivity must be in [0, 10]"},
    {"surge sensitivity 0 is fine", [](SimParams& p) { p.pricing_config.surge_sensitivity = 0; }, nullptr},
    {"trip median too short", [](SimParams& p) { p.trip_median_km = 0.4; }, "trip_median_km must be in [0.5, 50]"},
    {"NaN trip median", [](SimParams& p) { p.trip_median_km = kNaN; }, "trip_median_km must be in [0.5, 50]"},
    {"trip sigma above 2", [](SimParams& p) { p.trip_length_sigma = 2.5; }, "trip_length_sigma must be in [0, 2]"},
    {"price tolerance 0", [](SimParams& p) { p.behaviour.price_tolerance_mean = 0; },
     "price_tolerance_mean must be in [0.01, 100]"},
    {"infinite price tolerance", [](SimParams& p) { p.behaviour.price_tolerance_mean = kInf; },
     "price_tolerance_mean must be in [0.01, 100]"},
    // The speed-range test hook.
    {"speed override ok", [](SimParams& p) { p.speed_range_override_kmh = std::array<double, 2>{40, 40}; }, nullptr},
    {"speed override inverted", [](SimParams& p) { p.speed_range_override_kmh = std::array<double, 2>{50, 40}; },
     "speed_range_override_kmh must be 0 < lo <= hi"},
    {"speed override zero", [](SimParams& p) { p.speed_range_override_kmh = std::array<double, 2>{0, 40}; },
     "speed_range_override_kmh must be 0 < lo <= hi"},
};

TEST(ParamsTest, ValidationMessages) {
  for (const ValidationCase& c : kCases) {
    SimParams p;
    c.mutate(p);
    const Status status = ValidateSimParams(p);
    if (c.message == nullptr) {
      EXPECT_TRUE(status.ok()) << c.name << ": " << status.ToString();
    } else {
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.name;
      EXPECT_EQ(status.message(), c.message) << c.name;
    }
  }
}

TEST(ParamsTest, FirstViolatedRuleWins) {
  SimParams p;
  p.lat_min = 90;
  p.batch_interval_secs = 0;
  p.request_window_ms = 0;
  EXPECT_EQ(ValidateSimParams(p).message(), "invalid bounds");
  p.lat_min = 52.34;
  EXPECT_EQ(ValidateSimParams(p).message(), "batch_interval_secs must be at least 1");
  p.batch_interval_secs = 1;
  p.base_speed_kmh = -1.0;
  EXPECT_EQ(ValidateSimParams(p).message(), "base_speed_kmh must be greater than 0");
  p.base_speed_kmh.reset();
  p.initial_rider_count = 501;
  EXPECT_EQ(ValidateSimParams(p).message(), "initial_rider_count exceeds num_riders");
  p.initial_rider_count = 0;
  EXPECT_EQ(ValidateSimParams(p).message(), "request_window_ms must be at least 1");
}

TEST(ParamsTest, RunSimulationReportsTheValidationError) {
  SimParams p;
  p.driver_spread_ms = 0;
  const Result<SimOutput> out = RunSimulation(p);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out.status().message(), "driver_spread_ms must be at least 1");
}

// --- Edge values run to a normal stop -------------------------------------------------------------------------

// A small, fast base scenario: 1 h of spawning, a few dozen agents, every invariant checked after every event.
SimParams Small() {
  SimParams p;
  p.num_riders = 40;
  p.num_drivers = 15;
  p.request_window_ms = 1'200'000;
  p.driver_spread_ms = 600'000;
  p.simulation_end_time_ms = 1'800'000;
  p.match_radius = 5;
  p.max_steps = 200'000;
  p.seed = 9;
  return p;
}

struct EdgeCase {
  const char* name;
  void (*mutate)(SimParams&);
};

const EdgeCase kEdgeCases[] = {
    {"defaults (small)", [](SimParams&) {}},
    {"match radius u32 max", [](SimParams& p) { p.match_radius = UINT32_MAX; }},
    {"match radius u32 max per rider",
     [](SimParams& p) {
       p.match_radius = UINT32_MAX;
       p.batch_matching_enabled = false;
       p.matching_algorithm_type = MatchingAlgorithm::kCostBased;
     }},
    {"surge k u32 max",
     [](SimParams& p) {
       p.pricing_config.surge_enabled = true;
       p.pricing_config.surge_radius_k = UINT32_MAX;
     }},
    {"surge k 64",
     [](SimParams& p) {
       p.pricing_config.surge_enabled = true;
       p.pricing_config.surge_radius_k = 64;
     }},
    {"surge k 65",
     [](SimParams& p) {
       p.pricing_config.surge_enabled = true;
       p.pricing_config.surge_radius_k = 65;
     }},
    {"min trip above max", [](SimParams& p) {
       p.min_trip_cells = 10;
       p.max_trip_cells = 3;
     }},
    {"min trip u32 max", [](SimParams& p) { p.min_trip_cells = UINT32_MAX; }},
    {"max trip u32 max", [](SimParams& p) { p.max_trip_cells = UINT32_MAX; }},
    {"zero-length trips", [](SimParams& p) { p.min_trip_cells = p.max_trip_cells = 0; }},
    {"tiny windows", [](SimParams& p) { p.request_window_ms = p.driver_spread_ms = 1; }},
    {"huge windows",
     [](SimParams& p) {
       p.request_window_ms = p.driver_spread_ms = UINT64_MAX;
       p.simulation_end_time_ms.reset();  // Saturates to u64 max: the step cap stops the run.
       p.max_steps = 5'000;
     }},
    {"step cap 1", [](SimParams& p) { p.max_steps = 1; }},
    {"end time 1", [](SimParams& p) { p.simulation_end_time_ms = 1; }},
    {"end time u64 max",
     [](SimParams& p) {
       p.simulation_end_time_ms = UINT64_MAX;
       p.max_steps = 5'000;
     }},
    {"epoch i64 min", [](SimParams& p) { p.epoch_ms = INT64_MIN; }},
    {"epoch i64 max", [](SimParams& p) { p.epoch_ms = INT64_MAX; }},
    {"negative epoch, berlin traffic",
     [](SimParams& p) {
       p.epoch_ms = -123'456'789;
       p.traffic_profile.kind = TrafficProfileKind::kBerlin;
       p.dynamic_congestion_enabled = true;
     }},
    {"batch interval 1", [](SimParams& p) { p.batch_interval_secs = 1; }},
    {"batch interval u64 max", [](SimParams& p) { p.batch_interval_secs = UINT64_MAX; }},
    {"wait window u64 max", [](SimParams& p) { p.behaviour.max_wait_secs = UINT64_MAX; }},
    {"min wait u64 max", [](SimParams& p) { p.behaviour.min_wait_secs = UINT64_MAX; }},
    {"re-quote delay u64 max",
     [](SimParams& p) {
       p.behaviour.re_quote_delay_secs = UINT64_MAX;
       p.behaviour.accept_probability = 0.0;
     }},
    {"endless re-quotes",
     [](SimParams& p) {
       p.behaviour.max_quote_rejections = UINT32_MAX;
       p.behaviour.accept_probability = 0.0;
     }},
    {"snapshot interval u64 max", [](SimParams& p) { p.behaviour.snapshot_interval_ms = UINT64_MAX; }},
    {"nominal 10^7",
     [](SimParams& p) {
       p.num_riders = 10'000'000;
       p.num_drivers = 10'000'000;
       p.max_steps = 3'000;
     }},
    {"initial agents only",
     [](SimParams& p) {
       p.initial_rider_count = p.num_riders;
       p.initial_driver_count = p.num_drivers;
     }},
    {"extreme money and probabilities",
     [](SimParams& p) {
       p.pricing_config.commission_rate = 1.0;
       p.pricing_config.base_fare = 0;
       p.pricing_config.per_km_rate = 1e6;
       p.pricing_config.surge_enabled = true;
       p.pricing_config.surge_max_multiplier = 1e9;
       p.eta_weight = 1e6;
       p.behaviour.accept_probability = 1;
       p.behaviour.max_willingness_to_pay = -1;
     }},
    {"extreme logit weights",
     [](SimParams& p) {
       p.behaviour.base_acceptance_score = 1e6;
       p.behaviour.fatigue_penalty = -1e6;
       p.behaviour.fare_weight = 1e300;
     }},
    {"tiny base speed", [](SimParams& p) { p.base_speed_kmh = 1e-9; }},
    {"huge base speed", [](SimParams& p) { p.base_speed_kmh = 1e6; }},
    {"degenerate box",
     [](SimParams& p) {
       p.lat_min = p.lat_max = 52.5;
       p.lng_min = p.lng_max = 13.4;
     }},
    {"polar box at the edges",
     [](SimParams& p) {
       p.lat_min = 80;
       p.lat_max = 85;
       p.lng_min = 175;
       p.lng_max = 180;
     }},
    {"5° box with unreachable trip lengths",
     [](SimParams& p) {
       p.lat_min = 0;
       p.lat_max = 5;
       p.lng_min = 0;
       p.lng_max = 5;
       p.min_trip_cells = 20'000;
       p.max_trip_cells = 30'000;
     }},
    {"hotspots in a small box",
     [](SimParams& p) {
       p.spawn_weighting = SpawnWeighting::kBerlinHotspots;
       p.lat_min = 52.50;
       p.lat_max = 52.53;
       p.lng_min = 13.38;
       p.lng_max = 13.42;
     }},
    {"fixed acceptance draw", [](SimParams& p) { p.behaviour.fixed_acceptance_draw = true; }},
    {"simple batch", [](SimParams& p) { p.matching_algorithm_type = MatchingAlgorithm::kSimple; }},
    {"cost-based batch", [](SimParams& p) { p.matching_algorithm_type = MatchingAlgorithm::kCostBased; }},
};

TEST(ParamsTest, EdgeValuesRunToANormalStop) {
  for (const EdgeCase& c : kEdgeCases) {
    SCOPED_TRACE(c.name);
    SimParams p = Small();
    c.mutate(p);
    ASSERT_TRUE(ValidateSimParams(p).ok()) << ValidateSimParams(p).ToString();
    RunControl control;
    control.check_invariants_each_event = p.max_steps <= 200'000;
    const Result<SimOutput> out = RunSimulation(p, nullptr, control);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const RunStats& stats = out->stats;
    EXPECT_LE(stats.steps, p.max_steps);
    EXPECT_EQ(stats.truncated, stats.stop_reason == StopReason::kStepCap);
    EXPECT_EQ(out->metrics.events_processed, static_cast<int64_t>(stats.steps));
    EXPECT_LE(out->metrics.riders_spawned, static_cast<int64_t>(p.num_riders));
    EXPECT_LE(out->metrics.total_drivers, static_cast<int64_t>(p.num_drivers));
  }
}

TEST(ParamsTest, StepCapOneTruncates) {
  SimParams p = Small();
  p.max_steps = 1;
  const Result<SimOutput> out = RunSimulation(p);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->metrics.truncated);
  EXPECT_EQ(out->metrics.events_processed, 1);
  EXPECT_EQ(out->stats.stop_reason, StopReason::kStepCap);
  EXPECT_EQ(out->stats.events_by_kind[0], 1u);  // Only SimulationStarted ran.
}

TEST(ParamsTest, EndTimeOneProcessesOnlyTimeZero) {
  SimParams p = Small();
  p.simulation_end_time_ms = 1;
  const Result<SimOutput> out = RunSimulation(p);
  ASSERT_TRUE(out.ok());
  EXPECT_GT(out->metrics.events_processed, 0);
  EXPECT_EQ(out->metrics.final_sim_time_ms, 0);
  EXPECT_EQ(out->stats.stop_reason, StopReason::kEndTime);
  EXPECT_FALSE(out->metrics.truncated);
}

TEST(ParamsTest, UnreachableTripLengthsGiveZeroLengthTrips) {
  SimParams p = Small();
  p.min_trip_cells = UINT32_MAX;
  const Result<SimOutput> out = RunSimulation(p);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_GT(out->metrics.riders_spawned, 0);
}

}  // namespace
}  // namespace ridesweep::sim
