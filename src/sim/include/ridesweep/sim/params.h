// SimParams is the full parameter record of one simulation run (a point): scenario parameters, behaviour
// parameters and the run's seed. Field names equal the JSON keys and carry their unit. The defaults below are
// the model's one source of defaults: `simulate` with no flags and a sweep point with no dimensions both start
// from them (docs/model.md lists every parameter with its unit, default and range). ValidateSimParams() checks
// the ranges and returns the documented message. Plain value type; copy freely.
#ifndef RIDESWEEP_SIM_PARAMS_H_
#define RIDESWEEP_SIM_PARAMS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ridesweep/base/status.h"

namespace ridesweep::sim {

// DO NOT CHANGE the spelling returned by the Name functions below: it is part of the effective-parameters
// JSON that sweeps fingerprint and store.
enum class MatchingAlgorithm : uint8_t { kSimple, kCostBased, kHungarian };
enum class TrafficProfileKind : uint8_t { kNone, kBerlin, kCustom };
enum class SpawnWeighting : uint8_t { kUniform, kBerlinHotspots };

std::string_view MatchingAlgorithmName(MatchingAlgorithm a);  // "simple" | "cost_based" | "hungarian"

// Default start of a run: Tuesday 2024-01-09 07:00 (profile time), the weekday morning peak, so the demand,
// supply and traffic profiles change during a default run.
inline constexpr int64_t kDefaultEpochMs = 1'704'783'600'000;

struct TrafficProfile {
  TrafficProfileKind kind = TrafficProfileKind::kNone;
  // Hourly factors (UTC hour 0..23); used only when kind == kCustom. Each must be > 0.
  std::array<double, 24> custom_factors{};
};

struct PricingConfig {
  double base_fare = 2.50;             // Currency units per trip. >= 0.
  double per_km_rate = 1.50;           // Currency units per km. >= 0.
  double commission_rate = 0.25;       // Platform share of the fare, in [0, 1].
  bool surge_enabled = false;
  uint32_t surge_radius_k = 1;         // Surge disk radius in cells; 0 disables surge.
  double surge_max_multiplier = 2.0;   // Surge cap, >= 1.
  // Multiplier slope: m = min(cap, 1 + sensitivity * max(0, demand - supply) / (supply + 1)), demand = other
  // open riders in the surge disk, supply = Idle drivers there. In [0, 10]; 0 keeps every fare at 1x.
  double surge_sensitivity = 0.25;
};

// Behaviour parameters. Sweeps use the defaults unless a dimension below names one.
struct BehaviourParams {
  uint32_t max_quote_rejections = 3;        // The rider abandons on rejection number max + 1.
  uint64_t re_quote_delay_secs = 10;
  double accept_probability = 0.8;          // Stochastic quote acceptance, [0, 1].
  double max_willingness_to_pay = 100.0;    // Fare above it: PriceTooHigh (absolute cap).
  // Each rider accepts surge multipliers up to 1 + w, w ~ Exponential(mean = this); a larger multiplier is a
  // PriceTooHigh rejection. Unitless, in [0.01, 100].
  double price_tolerance_mean = 0.5;
  uint64_t max_acceptable_eta_ms = 600'000; // ETA above it: EtaTooLong.
  uint64_t min_wait_secs = 120;             // Pickup-timeout window (§10); max is raised to >= min.
  uint64_t max_wait_secs = 2'400;
  double base_acceptance_score = -3.0;      // Driver logit intercept.
  double fare_weight = 0.7;                 // Per currency unit of the driver's net pay (fare - commission).
  double pickup_distance_penalty = -1.0;    // Per km.
  double trip_distance_bonus = 0.0;         // Per km (distance is already paid through the fare).
  double earnings_progress_weight = -0.5;
  double fatigue_penalty = -1.0;
  uint64_t snapshot_interval_ms = 1'000;    // Minimum sim time between two snapshot rows. >= 1.
  bool fixed_acceptance_draw = false;       // One acceptance draw per agent for life (earlier behaviour).
};

struct SimParams {
  uint64_t seed = 0;                    // Master seed (§2); absent = 0.
  uint64_t num_riders = 500;            // Upper bound on riders spawned (initial included).
  uint64_t num_drivers = 250;
  uint64_t initial_rider_count = 0;     // Created at t = 0; <= num_riders.
  uint64_t initial_driver_count = 0;    // <= num_drivers.
  // Spawn box in degrees: central Berlin by default (about 14.5 km x 15 km). At most 5 degrees a side.
  double lat_min = 52.45;
  double lat_max = 52.58;
  double lng_min = 13.28;
  double lng_max = 13.50;
  uint64_t request_window_ms = 3'600'000;  // Riders spawn in [0, window]. >= 1.
  uint64_t driver_spread_ms = 3'600'000;   // Drivers spawn in [0, spread]. >= 1.
  uint32_t match_radius = 8;            // Max grid distance rider-driver in cells (8 = 2.64 km; 0 = same cell).
  uint32_t min_trip_cells = 5;          // Route-length clamp of destinations, in cells.
  uint32_t max_trip_cells = 60;
  // Trip route lengths are log-normal: median trip_median_km, log-space sd trip_length_sigma, then clamped to
  // [min_trip_cells, max_trip_cells]. trip_median_km in [0.5, 50] km, trip_length_sigma in [0, 2].
  double trip_median_km = 5.5;
  double trip_length_sigma = 0.6;
  int64_t epoch_ms = kDefaultEpochMs;   // UTC Unix ms of t = 0; the profiles read it as local time.
  // Stop before the first event at or after it. Absent: request_window_ms + 7,200,000.
  std::optional<uint64_t> simulation_end_time_ms;
  uint64_t max_steps = 2'000'000;       // Step cap; reaching it sets `truncated`. >= 1.
  MatchingAlgorithm matching_algorithm_type = MatchingAlgorithm::kHungarian;
  bool batch_matching_enabled = true;
  uint64_t batch_interval_secs = 5;     // >= 1 when batching.
  double eta_weight = 0.1;              // Km of pickup distance per second of rider time (§7.2). >= 0.
  TrafficProfile traffic_profile;
  bool congestion_zones_enabled = false;    // Accepted and recorded; no effect (zone table is empty).
  bool dynamic_congestion_enabled = false;  // Density factor (§11.1).
  std::optional<double> base_speed_kmh;     // Speed range [max(5, b-10), b+10]; absent: [20, 60]. > 0.
  SpawnWeighting spawn_weighting = SpawnWeighting::kUniform;
  PricingConfig pricing_config;
  BehaviourParams behaviour;
  // Test hook (not a scenario parameter): pins the speed range, e.g. {40, 40}; overrides base_speed_kmh.
  std::optional<std::array<double, 2>> speed_range_override_kmh;
};

// The resolved end time: simulation_end_time_ms or request_window_ms + 7,200,000 (saturating).
uint64_t ResolvedEndTimeMs(const SimParams& params);

// Returns OK or InvalidArgument with the §14.3 message of the first violated rule, or a message naming the
// parameter and its allowed range for the other documented ranges.
Status ValidateSimParams(const SimParams& params);

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_PARAMS_H_
