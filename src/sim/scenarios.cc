// The named scenarios: the defaults, the examples and the benchmark rows (docs/model.md, docs/BENCHMARKS.md).
#include "ridesweep/sim/scenarios.h"

namespace ridesweep::sim {
namespace {

constexpr uint64_t kHourMs = 3'600'000;

SimParams Scenario(uint64_t riders, uint64_t drivers, uint64_t rider_window_h, uint64_t driver_window_h,
                   uint64_t end_h, uint32_t radius, uint64_t seed, uint64_t max_steps) {
  SimParams p;
  p.num_riders = riders;
  p.num_drivers = drivers;
  p.request_window_ms = rider_window_h * kHourMs;
  p.driver_spread_ms = driver_window_h * kHourMs;
  p.simulation_end_time_ms = end_h * kHourMs;
  p.match_radius = radius;
  p.seed = seed;
  p.max_steps = max_steps;
  return p;
}

std::vector<NamedScenario> Build() {
  std::vector<NamedScenario> out;
  // The model's defaults, unchanged: what `simulate` runs with no flags and what a sweep point with no
  // dimensions runs (with its own seed).
  out.push_back({"default", SimParams{}, 500, 250});
  SimParams large = Scenario(10'000, 7'000, 4, 1, 4, 5, 42, 20'000'000);
  // The benchmark workloads keep the wide Berlin box (about 1,740 km2) they were measured on.
  large.lat_min = 52.34;
  large.lat_max = 52.68;
  large.lng_min = 13.08;
  large.lng_max = 13.76;
  large.pricing_config.commission_rate = 0.15;
  large.pricing_config.surge_enabled = true;
  large.pricing_config.surge_radius_k = 2;
  large.pricing_config.surge_max_multiplier = 1.3;
  out.push_back({"example-large", large, 10'000, 7'000});
  // The same workload started at Thursday 00:00 (the earlier default epoch): the quiet-night shape the earlier
  // benchmarks measured, for like-for-like CPU-per-event comparisons.
  SimParams night = large;
  night.epoch_ms = 0;
  out.push_back({"example-large-night", night, 3'077, 3'500});
  out.push_back({"example-standard", Scenario(500, 100, 4, 1, 6, 5, 123, 2'000'000), 500, 100});
  out.push_back({"bench-small", Scenario(100, 50, 1, 1, 1, 0, 42, 1'000'000), 100, 50});
  out.push_back({"bench-medium", Scenario(500, 200, 1, 1, 1, 0, 42, 1'000'000), 500, 200});
  out.push_back({"bench-large", Scenario(1'000, 500, 1, 1, 1, 0, 42, 1'000'000), 1'000, 500});
  out.push_back({"bench-small-r5", Scenario(100, 50, 1, 1, 1, 5, 42, 1'000'000), 100, 50});
  out.push_back({"bench-medium-r5", Scenario(500, 200, 1, 1, 1, 5, 42, 1'000'000), 500, 200});
  out.push_back({"bench-large-r5", Scenario(1'000, 500, 1, 1, 1, 5, 42, 1'000'000), 1'000, 500});
  out.push_back({"load-sustained", Scenario(1'000, 500, 1, 1, 1, 0, 42, 2'000'000), 1'000, 500});
  out.push_back({"load-peak", Scenario(1'000, 200, 1, 1, 1, 0, 42, 2'000'000), 1'000, 200});
  out.push_back({"load-long", Scenario(500, 200, 24, 24, 24, 0, 42, 2'000'000), 500, 199});
  return out;
}

}  // namespace

const std::vector<NamedScenario>& NamedScenarios() {
  static const std::vector<NamedScenario> kScenarios = Build();
  return kScenarios;
}

std::optional<SimParams> FindScenario(std::string_view name) {
  for (const NamedScenario& s : NamedScenarios()) {
    if (s.name == name) return s.params;
  }
  return std::nullopt;
}

}  // namespace ridesweep::sim
