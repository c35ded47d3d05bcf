// Invariants I1-I10 of spec/simulation.md §16.4 over a spread of scenarios: the engine checks its live world after
// every event (RunControl::check_invariants_each_event), and the exported rows are checked at the end (trip funnel,
// money identities, completion counts, snapshot and event timestamps, phase minimums, distances).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "acceptance_support.h"
#include "ridesweep/sim/scenarios.h"
#include "ridesweep/sim/simulation.h"

namespace ridesweep::sim::acceptance {
namespace {

struct NamedParams {
  std::string name;
  SimParams params;
  bool expect_completions = true;  // Radius-0 bench rows match almost nothing (§17.2).
};

SimParams Named(std::string_view name) {
  const std::optional<SimParams> p = FindScenario(name);
  EXPECT_TRUE(p.has_value()) << name;
  return p.value_or(SimParams{});
}

std::vector<NamedParams> InvariantScenarios() {
  std::vector<NamedParams> out;
  out.push_back({"bench-small", Named("bench-small"), false});
  out.push_back({"bench-small-r5", Named("bench-small-r5"), false});
  out.push_back({"bench-large-r5", Named("bench-large-r5")});
  {
    SimParams p = Named("example-standard");
    p.simulation_end_time_ms = 2 * kHourMs;
    out.push_back({"example-standard-2h", p});
  }
  for (MatchingAlgorithm a :
       {MatchingAlgorithm::kSimple, MatchingAlgorithm::kCostBased, MatchingAlgorithm::kHungarian}) {
    SimParams p = Named("bench-large-r5");
    p.batch_matching_enabled = false;
    p.matching_algorithm_type = a;
    p.seed = 11;
    out.push_back({"per-rider-" + std::string(MatchingAlgorithmName(a)), p});
  }
  for (MatchingAlgorithm a : {MatchingAlgorithm::kSimple, MatchingAlgorithm::kCostBased}) {
    SimParams p = Named("bench-large-r5");
    p.matching_algorithm_type = a;
    p.seed = 12;
    out.push_back({"batch-" + std::string(MatchingAlgorithmName(a)), p});
  }
  {
    // Many riders per batch so the optimal assignment (not the greedy shortcut) runs.
    SimParams p = Named("bench-large-r5");
    p.num_riders = 2'000;
    p.num_drivers = 300;
    p.driver_spread_ms = kHourMs / 2;
    p.batch_interval_secs = 60;
    p.match_radius = 8;
    p.seed = 13;
    p.simulation_end_time_ms = kHourMs / 2;
    out.push_back({"hungarian-large-batches", p});
  }
  {
    SimParams p = Named("bench-large-r5");
    p.pricing_config.surge_enabled = true;
    p.pricing_config.surge_radius_k = 2;
    p.pricing_config.surge_max_multiplier = 1.8;
    p.pricing_config.commission_rate = 0.25;
    p.seed = 14;
    out.push_back({"surge", p});
  }
  {
    SimParams p = Named("bench-large-r5");
    p.traffic_profile.kind = TrafficProfileKind::kBerlin;
    p.epoch_ms = 7 * kHourMs;  // Thursday 07:00, rush hour.
    p.seed = 15;
    out.push_back({"berlin-traffic", p});
  }
  {
    SimParams p = Named("bench-large-r5");
    p.dynamic_congestion_enabled = true;
    p.spawn_weighting = SpawnWeighting::kBerlinHotspots;  // Stacks drivers on a few cells.
    p.seed = 16;
    out.push_back({"dynamic-congestion-hotspots", p});
  }
  {
    SimParams p = Named("bench-large-r5");
    p.initial_rider_count = 30;
    p.initial_driver_count = 20;
    p.seed = 17;
    out.push_back({"initial-agents", p});
  }
  {
    SimParams p = Named("bench-large-r5");
    p.behaviour.min_wait_secs = 60;
    p.behaviour.max_wait_secs = 200;  // Impatient riders: many cancellations, including en route.
    p.base_speed_kmh = 12.0;
    p.epoch_ms = -3 * 86'400'000 + 17 * static_cast<int64_t>(kHourMs);  // Before 1970, a Monday 17:00.
    p.seed = 18;
    out.push_back({"impatient-slow-negative-epoch", p});
  }
  {
    SimParams p = Named("bench-large-r5");
    p.behaviour.snapshot_interval_ms = 7'777;
    p.behaviour.fixed_acceptance_draw = true;
    p.eta_weight = 0.0;
    p.min_trip_cells = 2;
    p.max_trip_cells = 9;  // The disk destination sampler.
    p.seed = 19;
    out.push_back({"disk-destinations-fixed-draw", p});
  }
  return out;
}

TEST(InvariantsTest, HoldAfterEveryEventAndOnExportedRows) {
  for (const NamedParams& s : InvariantScenarios()) {
    SCOPED_TRACE(s.name);
    RunCapture capture(/*trace_events=*/true, false);
    RunControl control;
    control.check_invariants_each_event = true;
    Result<SimOutput> out = RunSimulation(s.params, &capture, control);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_TRUE(CheckExportedRun(s.params, *out, capture));
    EXPECT_EQ(out->stats.stop_reason, StopReason::kEndTime);
    if (s.expect_completions) {
      EXPECT_GT(out->metrics.completed_trips, 10) << "the scenario should exercise complete trips";
    }
  }
}

// Broken exported rows are caught by the checker (so the checks above can fail).
TEST(InvariantsTest, ExportedRowCheckerRejectsBrokenRows) {
  const SimParams p = Named("bench-large-r5");
  RunCapture capture(/*trace_events=*/true, false);
  Result<SimOutput> out = RunSimulation(p, &capture);
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(CheckExportedRun(p, *out, capture));
  ASSERT_FALSE(capture.trips().empty());

  {
    SimOutput broken = *out;
    broken.metrics.driver_payouts += 0.01;
    EXPECT_FALSE(CheckExportedRun(p, broken, capture)) << "I2";
  }
  {
    SimOutput broken = *out;
    broken.metrics.completed_trips += 1;
    EXPECT_FALSE(CheckExportedRun(p, broken, capture)) << "I5";
  }
  {
    SimOutput broken = *out;
    broken.metrics.riders_unresolved += 1;
    EXPECT_FALSE(CheckExportedRun(p, broken, capture)) << "I3";
  }
  {
    RunCapture broken = capture;
    std::vector<TripRow> rows = capture.trips();
    for (TripRow& row : rows) {
      if (row.state == static_cast<int8_t>(TripState::kCompleted)) {
        row.pickup_at = *row.dropoff_at + 1;
        break;
      }
    }
    broken.OnTripTable(rows);
    EXPECT_FALSE(CheckExportedRun(p, *out, broken)) << "I1";
  }
  {
    SimParams tighter = p;
    tighter.behaviour.snapshot_interval_ms = 5'000;
    EXPECT_FALSE(CheckExportedRun(tighter, *out, capture)) << "I8";
  }
  {
    SimParams narrower = p;
    narrower.match_radius = 0;
    bool any_far = false;
    for (const TripRow& row : capture.trips()) any_far |= row.pickup_distance_km_at_accept > 1e-9;
    ASSERT_TRUE(any_far);
    EXPECT_FALSE(CheckExportedRun(narrower, *out, capture)) << "I10";
  }
  {
    SimParams per_rider = p;
    per_rider.batch_matching_enabled = false;  // Per-rider needs >= 5,000 ms to match; batch only > 4,000.
    bool any_fast = false;
    for (const CompletedTripRecord& r : capture.completed()) any_fast |= r.TimeToMatchMs() < 5'000;
    ASSERT_TRUE(any_fast);
    EXPECT_FALSE(CheckExportedRun(per_rider, *out, capture)) << "I9";
  }
}

}  // namespace
}  // namespace ridesweep::sim::acceptance
