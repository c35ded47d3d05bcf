// Parameter defaults resolution and validation (docs/model.md lists every range and message).
#include "ridesweep/sim/params.h"

#include <cmath>
#include <limits>
#include <string>

namespace ridesweep::sim {

std::string_view MatchingAlgorithmName(MatchingAlgorithm a) {
  switch (a) {
    case MatchingAlgorithm::kSimple: return "simple";
    case MatchingAlgorithm::kCostBased: return "cost_based";
    case MatchingAlgorithm::kHungarian: return "hungarian";
  }
  return "hungarian";
}

uint64_t ResolvedEndTimeMs(const SimParams& params) {
  if (params.simulation_end_time_ms.has_value()) return *params.simulation_end_time_ms;
  constexpr uint64_t kDefaultTail = 7'200'000;
  const uint64_t window = params.request_window_ms;
  return window > std::numeric_limits<uint64_t>::max() - kDefaultTail ? std::numeric_limits<uint64_t>::max()
                                                                       : window + kDefaultTail;
}

namespace {

bool InRange(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }

Status RangeError(std::string_view name, std::string_view range) {
  std::string message(name);
  message += " must be ";
  message += range;
  return InvalidArgumentError(std::move(message));
}

}  // namespace

Status ValidateSimParams(const SimParams& p) {
  // §14.3 rules first, with their exact messages.
  const bool bounds_ok = InRange(p.lat_min, -85, 85) && InRange(p.lat_max, -85, 85) && p.lat_min <= p.lat_max &&
                         InRange(p.lng_min, -180, 180) && InRange(p.lng_max, -180, 180) &&
                         p.lng_min <= p.lng_max && p.lat_max - p.lat_min <= 5.0 && p.lng_max - p.lng_min <= 5.0;
  if (!bounds_ok) return InvalidArgumentError("invalid bounds");
  if (p.batch_matching_enabled && p.batch_interval_secs == 0) {
    return InvalidArgumentError("batch_interval_secs must be at least 1");
  }
  if (p.base_speed_kmh.has_value() && !(*p.base_speed_kmh > 0)) {
    return InvalidArgumentError("base_speed_kmh must be greater than 0");
  }
  if (p.initial_rider_count > p.num_riders) return InvalidArgumentError("initial_rider_count exceeds num_riders");
  if (p.initial_driver_count > p.num_drivers) {
    return InvalidArgumentError("initial_driver_count exceeds num_drivers");
  }
  if (p.request_window_ms == 0) return InvalidArgumentError("request_window_ms must be at least 1");
  if (p.driver_spread_ms == 0) return InvalidArgumentError("driver_spread_ms must be at least 1");
  if (p.traffic_profile.kind == TrafficProfileKind::kCustom) {
    for (double f : p.traffic_profile.custom_factors) {
      if (!(f > 0) || !std::isfinite(f)) {
        return InvalidArgumentError("traffic_profile custom factors must be 24 positive numbers");
      }
    }
  }
  // Other documented ranges: the message names the parameter and the allowed range.
  constexpr uint64_t kMaxAgents = 10'000'000;
  if (p.num_riders > kMaxAgents) return RangeError("num_riders", "in [0, 10000000]");
  if (p.num_drivers > kMaxAgents) return RangeError("num_drivers", "in [0, 10000000]");
  const PricingConfig& pc = p.pricing_config;
  if (!InRange(pc.commission_rate, 0, 1)) return RangeError("commission_rate", "in [0, 1]");
  if (!(pc.base_fare >= 0) || !std::isfinite(pc.base_fare)) return RangeError("base_fare", ">= 0");
  if (!(pc.per_km_rate >= 0) || !std::isfinite(pc.per_km_rate)) return RangeError("per_km_rate", ">= 0");
  if (!(pc.surge_max_multiplier >= 1) || !std::isfinite(pc.surge_max_multiplier)) {
    return RangeError("surge_max_multiplier", ">= 1");
  }
  if (!InRange(pc.surge_sensitivity, 0, 10)) return RangeError("surge_sensitivity", "in [0, 10]");
  if (!InRange(p.trip_median_km, 0.5, 50)) return RangeError("trip_median_km", "in [0.5, 50]");
  if (!InRange(p.trip_length_sigma, 0, 2)) return RangeError("trip_length_sigma", "in [0, 2]");
  if (!InRange(p.behaviour.price_tolerance_mean, 0.01, 100)) {
    return RangeError("price_tolerance_mean", "in [0.01, 100]");
  }
  if (!(p.eta_weight >= 0) || !std::isfinite(p.eta_weight)) return RangeError("eta_weight", ">= 0");
  if (p.base_speed_kmh.has_value() && !std::isfinite(*p.base_speed_kmh)) {
    return RangeError("base_speed_kmh", "a finite number greater than 0");
  }
  if (p.max_steps == 0) return RangeError("max_steps", "at least 1");
  if (p.simulation_end_time_ms.has_value() && *p.simulation_end_time_ms == 0) {
    return RangeError("simulation_end_time_ms", "at least 1");
  }
  const BehaviourParams& b = p.behaviour;
  if (!InRange(b.accept_probability, 0, 1)) return RangeError("accept_probability", "in [0, 1]");
  if (b.snapshot_interval_ms == 0) return RangeError("snapshot_interval_ms", "at least 1");
  for (double w : {b.max_willingness_to_pay, b.base_acceptance_score, b.fare_weight, b.pickup_distance_penalty,
                   b.trip_distance_bonus, b.earnings_progress_weight, b.fatigue_penalty}) {
    if (!std::isfinite(w)) return InvalidArgumentError("behaviour parameters must be finite numbers");
  }
  if (p.speed_range_override_kmh.has_value()) {
    const auto& r = *p.speed_range_override_kmh;
    if (!(r[0] > 0) || !(r[1] >= r[0]) || !std::isfinite(r[1])) {
      return RangeError("speed_range_override_kmh", "0 < lo <= hi");
    }
  }
  return Status::Ok();
}

}  // namespace ridesweep::sim
