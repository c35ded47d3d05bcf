// Point resolution and effective-parameters JSON (spec/sweep.md §3.3–§3.4).
#include "ridesweep/sweep/point_resolution.h"

#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/dimension_mapping.h"
#include "ridesweep/sweep/fingerprint.h"
#include "ridesweep/sweep/grid.h"

namespace ridesweep::sweep {
namespace {

// DO NOT CHANGE: spellings stored in effective_parameters_json (spec/simulation.md §14.5).
constexpr std::string_view kRouteProviderKind = "HexGrid";

void WriteTrafficProfile(JsonWriter& w, const sim::TrafficProfile& profile) {
  switch (profile.kind) {
    case sim::TrafficProfileKind::kNone: w.String("None"); return;
    case sim::TrafficProfileKind::kBerlin: w.String("Berlin"); return;
    case sim::TrafficProfileKind::kCustom:
      w.BeginObject().Key("Custom").BeginArray();
      for (double factor : profile.custom_factors) w.Double(factor);
      w.EndArray().EndObject();
      return;
  }
}

std::string_view SpawnWeightingName(sim::SpawnWeighting weighting) {
  switch (weighting) {
    case sim::SpawnWeighting::kUniform: return "Uniform";
    case sim::SpawnWeighting::kBerlinHotspots: return "BerlinHotspots";
  }
  return "Uniform";
}

}  // namespace

void AppendResolvedScenarioParameters(std::string* out, const sim::SimParams& p) {
  JsonWriter w(out);
  const sim::PricingConfig& pricing = p.pricing_config;
  // clang-format off
  w.BeginObject()
      .Key("num_riders").Unsigned(p.num_riders)
      .Key("num_drivers").Unsigned(p.num_drivers)
      .Key("initial_rider_count").Unsigned(p.initial_rider_count)
      .Key("initial_driver_count").Unsigned(p.initial_driver_count)
      .Key("seed").Unsigned(p.seed)
      .Key("lat_min").Double(p.lat_min)
      .Key("lat_max").Double(p.lat_max)
      .Key("lng_min").Double(p.lng_min)
      .Key("lng_max").Double(p.lng_max)
      .Key("request_window_ms").Unsigned(p.request_window_ms)
      .Key("driver_spread_ms").Unsigned(p.driver_spread_ms)
      .Key("match_radius").Unsigned(p.match_radius)
      .Key("min_trip_cells").Unsigned(p.min_trip_cells)
      .Key("max_trip_cells").Unsigned(p.max_trip_cells)
      .Key("trip_median_km").Double(p.trip_median_km)
      .Key("trip_length_sigma").Double(p.trip_length_sigma)
      .Key("epoch_ms").Signed(p.epoch_ms)
      .Key("pricing_config").BeginObject()
          .Key("base_fare").Double(pricing.base_fare)
          .Key("per_km_rate").Double(pricing.per_km_rate)
          .Key("commission_rate").Double(pricing.commission_rate)
          .Key("surge_enabled").Bool(pricing.surge_enabled)
          .Key("surge_radius_k").Unsigned(pricing.surge_radius_k)
          .Key("surge_max_multiplier").Double(pricing.surge_max_multiplier)
          .Key("surge_sensitivity").Double(pricing.surge_sensitivity)
      .EndObject()
      .Key("simulation_end_time_ms").Unsigned(sim::ResolvedEndTimeMs(p))
      .Key("matching_algorithm_type").String(sim::MatchingAlgorithmName(p.matching_algorithm_type))
      .Key("batch_matching_enabled").Bool(p.batch_matching_enabled)
      .Key("batch_interval_secs").Unsigned(p.batch_interval_secs)
      .Key("eta_weight").Double(p.eta_weight)
      .Key("route_provider_kind").String(kRouteProviderKind)
      .Key("traffic_profile");
  WriteTrafficProfile(w, p.traffic_profile);
  w.Key("congestion_zones_enabled").Bool(p.congestion_zones_enabled)
      .Key("dynamic_congestion_enabled").Bool(p.dynamic_congestion_enabled)
      .Key("base_speed_kmh");
  if (p.base_speed_kmh.has_value()) {
    w.Double(*p.base_speed_kmh);
  } else {
    w.Null();
  }
  w.Key("spawn_weighting").String(SpawnWeightingName(p.spawn_weighting))
      .Key("price_tolerance_mean").Double(p.behaviour.price_tolerance_mean).EndObject();
  // clang-format on
}

namespace {

template <typename ValueAt>
std::string EffectiveParametersJsonOf(const Dimensions& dimensions, const ValueAt& value_at,
                                      const sim::SimParams& params) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("selected_dimensions").BeginObject();
  for (size_t i = 0; i < dimensions.size(); ++i) w.Key(dimensions[i].name).Value(value_at(i));
  w.EndObject().Key("resolved_scenario_parameters");
  std::string resolved;
  AppendResolvedScenarioParameters(&resolved, params);
  w.Raw(resolved).EndObject();
  return out;
}

}  // namespace

std::string EffectiveParametersJson(const Dimensions& dimensions, std::span<const size_t> value_indices,
                                    const sim::SimParams& params) {
  return EffectiveParametersJsonOf(
      dimensions, [&](size_t i) -> const JsonValue& { return dimensions[i].values[value_indices[i]]; }, params);
}

std::string EffectiveParametersJson(const Dimensions& dimensions, std::span<const JsonValue> values,
                                    const sim::SimParams& params) {
  return EffectiveParametersJsonOf(dimensions, [&](size_t i) -> const JsonValue& { return values[i]; }, params);
}

Result<std::vector<JsonValue>> ConfigurationValues(const Dimensions& dimensions, int64_t request_seed,
                                                   uint64_t config_index, const Design& design) {
  if (!design.is_grid()) return DesignConfigurationValues(design, dimensions, request_seed, config_index);
  RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<size_t> indices, PointValueIndices(dimensions, config_index));
  std::vector<JsonValue> values;
  values.reserve(dimensions.size());
  for (size_t i = 0; i < dimensions.size(); ++i) values.push_back(dimensions[i].values[indices[i]]);
  return values;
}

Result<ResolvedPoint> ResolvePoint(const Dimensions& dimensions, int64_t request_seed, uint64_t point_index,
                                   uint64_t replications, const Design& design) {
  const PointCoordinates coordinates = SplitPointIndex(point_index, replications);
  ResolvedPoint point;
  point.point_index = point_index;
  point.config_index = coordinates.config_index;
  point.replicate = coordinates.replicate;
  if (design.is_grid()) {
    RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<size_t> indices,
                               PointValueIndices(dimensions, coordinates.config_index));
    for (size_t i = 0; i < dimensions.size(); ++i) {
      RIDESWEEP_RETURN_IF_ERROR(
          ApplyDimensionValue(dimensions[i].name, dimensions[i].values[indices[i]], &point.params));
    }
    point.params.seed = PointSeed(request_seed, point_index);
    point.effective_parameters_json = EffectiveParametersJson(dimensions, indices, point.params);
  } else {
    RIDESWEEP_ASSIGN_OR_RETURN(
        const std::vector<JsonValue> values,
        DesignConfigurationValues(design, dimensions, request_seed, coordinates.config_index));
    for (size_t i = 0; i < dimensions.size(); ++i) {
      RIDESWEEP_RETURN_IF_ERROR(ApplyDimensionValue(dimensions[i].name, values[i], &point.params));
    }
    point.params.seed = PointSeed(request_seed, point_index);
    point.effective_parameters_json = EffectiveParametersJson(dimensions, std::span<const JsonValue>(values),
                                                              point.params);
  }
  point.parameter_fingerprint = ParameterFingerprint(point.effective_parameters_json);
  return point;
}

}  // namespace ridesweep::sweep
