// JSON -> SimParams for the simulate command.
#include "commands/sim_params_json.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include "ridesweep/base/json_parser.h"

namespace ridesweep::cli {
namespace {

using Json = JsonValue;

Status TypeError(const std::string& key, const char* wanted) {
  return InvalidArgumentError("parameter '" + key + "' must be " + wanted);
}

Status ReadU64(const Json& v, const std::string& key, uint64_t* out) {
  if (!v.is_unsigned()) return TypeError(key, "a non-negative integer");
  *out = v.as_unsigned();
  return Status::Ok();
}
Status ReadU32(const Json& v, const std::string& key, uint32_t* out) {
  uint64_t wide = 0;
  RIDESWEEP_RETURN_IF_ERROR(ReadU64(v, key, &wide));
  if (wide > std::numeric_limits<uint32_t>::max()) return TypeError(key, "an integer in [0, 4294967295]");
  *out = static_cast<uint32_t>(wide);
  return Status::Ok();
}
Status ReadI64(const Json& v, const std::string& key, int64_t* out) {
  if (!v.is_integer()) return TypeError(key, "an integer");
  if (v.is_signed()) {
    *out = v.as_signed();
    return Status::Ok();
  }
  if (v.as_unsigned() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return TypeError(key, "a signed 64-bit integer");
  }
  *out = static_cast<int64_t>(v.as_unsigned());
  return Status::Ok();
}
Status ReadF64(const Json& v, const std::string& key, double* out) {
  if (!v.is_number()) return TypeError(key, "a number");
  *out = v.NumberAsDouble();
  return Status::Ok();
}
Status ReadBool(const Json& v, const std::string& key, bool* out) {
  if (!v.is_bool()) return TypeError(key, "true or false");
  *out = v.as_bool();
  return Status::Ok();
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

using Setter = std::function<Status(const Json&, const std::string&, sim::SimParams&)>;

const std::map<std::string, Setter>& Setters() {
  static const std::map<std::string, Setter> kSetters = [] {
    std::map<std::string, Setter> m;
#define RS_U64(name, field) \
  m[name] = [](const Json& v, const std::string& k, sim::SimParams& p) { return ReadU64(v, k, &p.field); }
#define RS_U32(name, field) \
  m[name] = [](const Json& v, const std::string& k, sim::SimParams& p) { return ReadU32(v, k, &p.field); }
#define RS_F64(name, field) \
  m[name] = [](const Json& v, const std::string& k, sim::SimParams& p) { return ReadF64(v, k, &p.field); }
#define RS_BOOL(name, field) \
  m[name] = [](const Json& v, const std::string& k, sim::SimParams& p) { return ReadBool(v, k, &p.field); }
    RS_U64("seed", seed);
    RS_U64("num_riders", num_riders);
    RS_U64("num_drivers", num_drivers);
    RS_U64("initial_rider_count", initial_rider_count);
    RS_U64("initial_driver_count", initial_driver_count);
    RS_F64("lat_min", lat_min);
    RS_F64("lat_max", lat_max);
    RS_F64("lng_min", lng_min);
    RS_F64("lng_max", lng_max);
    RS_U64("request_window_ms", request_window_ms);
    RS_U64("driver_spread_ms", driver_spread_ms);
    RS_U32("match_radius", match_radius);
    RS_U32("min_trip_cells", min_trip_cells);
    RS_U32("max_trip_cells", max_trip_cells);
    RS_F64("trip_median_km", trip_median_km);
    RS_F64("trip_length_sigma", trip_length_sigma);
    RS_U64("max_steps", max_steps);
    RS_BOOL("batch_matching_enabled", batch_matching_enabled);
    RS_U64("batch_interval_secs", batch_interval_secs);
    RS_F64("eta_weight", eta_weight);
    RS_BOOL("congestion_zones_enabled", congestion_zones_enabled);
    RS_BOOL("dynamic_congestion_enabled", dynamic_congestion_enabled);
    RS_F64("base_fare", pricing_config.base_fare);
    RS_F64("per_km_rate", pricing_config.per_km_rate);
    RS_F64("commission_rate", pricing_config.commission_rate);
    RS_BOOL("surge_enabled", pricing_config.surge_enabled);
    RS_U32("surge_radius_k", pricing_config.surge_radius_k);
    RS_F64("surge_max_multiplier", pricing_config.surge_max_multiplier);
    RS_F64("surge_sensitivity", pricing_config.surge_sensitivity);
    RS_U32("max_quote_rejections", behaviour.max_quote_rejections);
    RS_U64("re_quote_delay_secs", behaviour.re_quote_delay_secs);
    RS_F64("accept_probability", behaviour.accept_probability);
    RS_F64("max_willingness_to_pay", behaviour.max_willingness_to_pay);
    RS_F64("price_tolerance_mean", behaviour.price_tolerance_mean);
    RS_U64("max_acceptable_eta_ms", behaviour.max_acceptable_eta_ms);
    RS_U64("min_wait_secs", behaviour.min_wait_secs);
    RS_U64("max_wait_secs", behaviour.max_wait_secs);
    RS_F64("base_acceptance_score", behaviour.base_acceptance_score);
    RS_F64("fare_weight", behaviour.fare_weight);
    RS_F64("pickup_distance_penalty", behaviour.pickup_distance_penalty);
    RS_F64("trip_distance_bonus", behaviour.trip_distance_bonus);
    RS_F64("earnings_progress_weight", behaviour.earnings_progress_weight);
    RS_F64("fatigue_penalty", behaviour.fatigue_penalty);
    RS_U64("snapshot_interval_ms", behaviour.snapshot_interval_ms);
    RS_BOOL("fixed_acceptance_draw", behaviour.fixed_acceptance_draw);
#undef RS_U64
#undef RS_U32
#undef RS_F64
#undef RS_BOOL
    m["epoch_ms"] = [](const Json& v, const std::string& k, sim::SimParams& p) {
      if (v.is_null()) {
        p.epoch_ms = sim::kDefaultEpochMs;
        return Status::Ok();
      }
      return ReadI64(v, k, &p.epoch_ms);
    };
    m["simulation_end_time_ms"] = [](const Json& v, const std::string& k, sim::SimParams& p) {
      if (v.is_null()) {
        p.simulation_end_time_ms.reset();
        return Status::Ok();
      }
      uint64_t end = 0;
      RIDESWEEP_RETURN_IF_ERROR(ReadU64(v, k, &end));
      p.simulation_end_time_ms = end;
      return Status::Ok();
    };
    m["simulation_duration_hours"] = [](const Json& v, const std::string& k, sim::SimParams& p) {
      if (v.is_null()) {
        p.simulation_end_time_ms.reset();
        return Status::Ok();
      }
      uint64_t hours = 0;
      RIDESWEEP_RETURN_IF_ERROR(ReadU64(v, k, &hours));
      constexpr uint64_t kHourMs = 3'600'000;
      const uint64_t max = std::numeric_limits<uint64_t>::max();
      const uint64_t span = hours > max / kHourMs ? max : hours * kHourMs;
      p.simulation_end_time_ms = p.request_window_ms > max - span ? max : p.request_window_ms + span;
      return Status::Ok();
    };
    m["base_speed_kmh"] = [](const Json& v, const std::string& k, sim::SimParams& p) {
      if (v.is_null()) {
        p.base_speed_kmh.reset();
        return Status::Ok();
      }
      double speed = 0;
      RIDESWEEP_RETURN_IF_ERROR(ReadF64(v, k, &speed));
      p.base_speed_kmh = speed;
      return Status::Ok();
    };
    m["matching_algorithm_type"] = [](const Json& v, const std::string& k, sim::SimParams& p) {
      if (!v.is_string()) return TypeError(k, "simple, cost_based or hungarian");
      const std::string s = Lower(v.as_string());
      if (s == "simple") {
        p.matching_algorithm_type = sim::MatchingAlgorithm::kSimple;
      } else if (s == "cost_based" || s == "costbased" || s == "cost-based") {
        p.matching_algorithm_type = sim::MatchingAlgorithm::kCostBased;
      } else if (s == "hungarian") {
        p.matching_algorithm_type = sim::MatchingAlgorithm::kHungarian;
      } else {
        return TypeError(k, "simple, cost_based or hungarian");
      }
      return Status::Ok();
    };
    m["spawn_weighting"] = [](const Json& v, const std::string& k, sim::SimParams& p) {
      const std::string s = v.is_string() ? Lower(v.as_string()) : "";
      if (s == "uniform") {
        p.spawn_weighting = sim::SpawnWeighting::kUniform;
      } else if (s == "berlin_hotspots" || s == "berlinhotspots") {
        p.spawn_weighting = sim::SpawnWeighting::kBerlinHotspots;
      } else {
        return TypeError(k, "uniform or berlin_hotspots");
      }
      return Status::Ok();
    };
    m["traffic_profile"] = [](const Json& v, const std::string& k, sim::SimParams& p) {
      if (v.is_string()) {
        const std::string s = Lower(v.as_string());
        if (s == "none") {
          p.traffic_profile.kind = sim::TrafficProfileKind::kNone;
          return Status::Ok();
        }
        if (s == "berlin") {
          p.traffic_profile.kind = sim::TrafficProfileKind::kBerlin;
          return Status::Ok();
        }
      }
      const Json* factors_value = nullptr;
      if (v.is_object() && v.as_object().size() == 1) {
        factors_value = v.as_object().Find("custom");
        if (factors_value == nullptr) factors_value = v.as_object().Find("Custom");
      }
      if (factors_value != nullptr) {
        const Json& factors = *factors_value;
        if (!factors.is_array() || factors.as_array().size() != 24) {
          return InvalidArgumentError("traffic_profile custom factors must be 24 positive numbers");
        }
        for (size_t h = 0; h < 24; ++h) {
          if (!factors.as_array()[h].is_number()) {
            return InvalidArgumentError("traffic_profile custom factors must be 24 positive numbers");
          }
          p.traffic_profile.custom_factors[h] = factors.as_array()[h].NumberAsDouble();
        }
        p.traffic_profile.kind = sim::TrafficProfileKind::kCustom;
        return Status::Ok();
      }
      return TypeError(k, "\"none\", \"berlin\" or {\"custom\": [24 factors]}");
    };
    return m;
  }();
  return kSetters;
}

Status Apply(const Json& object, sim::SimParams& params) {
  for (const JsonMember& member : object.as_object().members()) {
    const std::string& key = member.key;
    const Json& value = member.value;
    if ((key == "pricing_config" || key == "behaviour") && value.is_object()) {
      RIDESWEEP_RETURN_IF_ERROR(Apply(value, params));
      continue;
    }
    if (key == "route_provider_kind") continue;  // Recorded label of effective parameters; always HexGrid.
    const auto it = Setters().find(key);
    if (it == Setters().end()) return InvalidArgumentError("unknown parameter '" + key + "'");
    RIDESWEEP_RETURN_IF_ERROR(it->second(value, key, params));
  }
  return Status::Ok();
}

}  // namespace

Result<sim::SimParams> SimParamsFromJson(std::string_view text, const sim::SimParams& base) {
  // The error names the line and column.
  Result<JsonValue> parsed = ParseJson(text);
  if (!parsed.ok()) return InvalidArgumentError("parameters are not valid JSON: " + parsed.status().message());
  const Json& doc = *parsed;
  if (!doc.is_object()) return InvalidArgumentError("parameters must be a JSON object");
  sim::SimParams params = base;
  // Some parameters (the duration) depend on others: apply windows first.
  if (const Json* window = doc.as_object().Find("request_window_ms")) {
    JsonObject first;
    first.Set("request_window_ms", *window);
    RIDESWEEP_RETURN_IF_ERROR(Apply(JsonValue::Object(std::move(first)), params));
  }
  RIDESWEEP_RETURN_IF_ERROR(Apply(doc, params));
  return params;
}

}  // namespace ridesweep::cli
