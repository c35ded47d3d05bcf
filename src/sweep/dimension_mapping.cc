// Dimension kinds and the name → parameter table of spec/sweep.md §1.5.
#include "ridesweep/sweep/dimension_mapping.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>

#include "ridesweep/base/result.h"
#include "ridesweep/sweep/errors.h"

namespace ridesweep::sweep {
namespace {

constexpr std::array<std::string_view, 22> kSupportedNames = {
    "base_fare",
    "base_speed_kmh",
    "batch_interval_secs",
    "batch_matching_enabled",
    "commission_rate",
    "dynamic_congestion_enabled",
    "epoch_ms",
    "eta_weight",
    "match_radius",
    "matching_algorithm_type",
    "num_drivers",
    "num_riders",
    "per_km_rate",
    "price_tolerance_mean",
    "simulation_duration_hours",
    "surge_enabled",
    "surge_max_multiplier",
    "surge_radius_k",
    "surge_sensitivity",
    "traffic_profile",
    "trip_length_sigma",
    "trip_median_km",
};

Status Invalid(std::string message) { return InvalidArgumentError(std::move(message)); }

// Kind readers: each returns the value or the kind's message.
Result<uint64_t> ReadUint(std::string_view name, const JsonValue& v) {
  if (!v.is_unsigned()) return Invalid(errors::DimensionMustBeUnsigned(name));
  return v.as_unsigned();
}

Result<uint32_t> ReadU32(std::string_view name, const JsonValue& v) {
  if (!v.is_unsigned()) return Invalid(errors::DimensionMustBeUnsigned(name));
  if (v.as_unsigned() > std::numeric_limits<uint32_t>::max()) return Invalid(errors::DimensionTooLarge(name));
  return static_cast<uint32_t>(v.as_unsigned());
}

Result<std::optional<int64_t>> ReadOptionalInt(std::string_view name, const JsonValue& v) {
  if (v.is_null()) return std::optional<int64_t>();
  if (v.is_signed()) return std::optional<int64_t>(v.as_signed());
  if (v.is_unsigned() && v.as_unsigned() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return std::optional<int64_t>(static_cast<int64_t>(v.as_unsigned()));
  }
  return Invalid(errors::DimensionMustBeSigned(name));
}

Result<std::optional<uint64_t>> ReadOptionalUint(std::string_view name, const JsonValue& v) {
  if (v.is_null()) return std::optional<uint64_t>();
  if (!v.is_unsigned()) return Invalid(errors::DimensionMustBeUnsigned(name));
  return std::optional<uint64_t>(v.as_unsigned());
}

Result<double> ReadNum(std::string_view name, const JsonValue& v) {
  if (!v.is_number()) return Invalid(errors::DimensionMustBeNumeric(name));
  return v.NumberAsDouble();
}

Result<std::optional<double>> ReadOptionalNum(std::string_view name, const JsonValue& v) {
  if (v.is_null()) return std::optional<double>();
  if (!v.is_number()) return Invalid(errors::DimensionMustBeNumeric(name));
  return std::optional<double>(v.NumberAsDouble());
}

Result<bool> ReadBool(std::string_view name, const JsonValue& v) {
  if (!v.is_bool()) return Invalid(errors::DimensionMustBeBoolean(name));
  return v.as_bool();
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Result<sim::MatchingAlgorithm> ReadMatchingAlgorithm(std::string_view name, const JsonValue& v) {
  if (!v.is_string()) return Invalid(errors::DimensionMustBeString(name));
  const std::string& raw = v.as_string();
  if (EqualsIgnoreAsciiCase(raw, "simple")) return sim::MatchingAlgorithm::kSimple;
  for (std::string_view spelling : {"costbased", "cost_based", "cost-based"}) {
    if (EqualsIgnoreAsciiCase(raw, spelling)) return sim::MatchingAlgorithm::kCostBased;
  }
  if (EqualsIgnoreAsciiCase(raw, "hungarian")) return sim::MatchingAlgorithm::kHungarian;
  return Invalid(errors::UnsupportedMatchingAlgorithm(raw));
}

Result<sim::TrafficProfileKind> ReadTrafficProfile(std::string_view name, const JsonValue& v) {
  if (!v.is_string()) return Invalid(errors::DimensionMustBeString(name));
  const std::string& raw = v.as_string();
  if (EqualsIgnoreAsciiCase(raw, "none")) return sim::TrafficProfileKind::kNone;
  if (EqualsIgnoreAsciiCase(raw, "berlin")) return sim::TrafficProfileKind::kBerlin;
  return Invalid(errors::UnsupportedTrafficProfile(raw));
}

uint64_t SaturatingAdd(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max() : a + b;
}

uint64_t SaturatingMul(uint64_t a, uint64_t b) {
  if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a) return std::numeric_limits<uint64_t>::max();
  return a * b;
}

}  // namespace

std::span<const std::string_view> SupportedDimensionNames() { return kSupportedNames; }

bool IsSupportedDimension(std::string_view name) {
  return std::binary_search(kSupportedNames.begin(), kSupportedNames.end(), name);
}

Status ApplyDimensionValue(std::string_view name, const JsonValue& value, sim::SimParams* params) {
  sim::SimParams& p = *params;
  sim::PricingConfig& pricing = p.pricing_config;
  if (name == "num_riders" || name == "num_drivers") {
    RIDESWEEP_ASSIGN_OR_RETURN(const uint64_t v, ReadUint(name, value));
    (name == "num_riders" ? p.num_riders : p.num_drivers) = v;
  } else if (name == "match_radius") {
    RIDESWEEP_ASSIGN_OR_RETURN(p.match_radius, ReadU32(name, value));
  } else if (name == "commission_rate") {
    RIDESWEEP_ASSIGN_OR_RETURN(pricing.commission_rate, ReadNum(name, value));
  } else if (name == "base_fare") {
    RIDESWEEP_ASSIGN_OR_RETURN(pricing.base_fare, ReadNum(name, value));
  } else if (name == "per_km_rate") {
    RIDESWEEP_ASSIGN_OR_RETURN(pricing.per_km_rate, ReadNum(name, value));
  } else if (name == "surge_max_multiplier") {
    RIDESWEEP_ASSIGN_OR_RETURN(pricing.surge_max_multiplier, ReadNum(name, value));
  } else if (name == "surge_enabled") {
    RIDESWEEP_ASSIGN_OR_RETURN(pricing.surge_enabled, ReadBool(name, value));
  } else if (name == "surge_radius_k") {
    RIDESWEEP_ASSIGN_OR_RETURN(pricing.surge_radius_k, ReadU32(name, value));
  } else if (name == "epoch_ms") {
    RIDESWEEP_ASSIGN_OR_RETURN(const std::optional<int64_t> v, ReadOptionalInt(name, value));
    p.epoch_ms = v.value_or(sim::kDefaultEpochMs);
  } else if (name == "simulation_duration_hours") {
    RIDESWEEP_ASSIGN_OR_RETURN(const std::optional<uint64_t> hours, ReadOptionalUint(name, value));
    if (hours.has_value()) {
      p.simulation_end_time_ms = SaturatingAdd(p.request_window_ms, SaturatingMul(*hours, kMillisecondsPerHour));
    } else {
      p.simulation_end_time_ms.reset();
    }
  } else if (name == "matching_algorithm_type") {
    RIDESWEEP_ASSIGN_OR_RETURN(p.matching_algorithm_type, ReadMatchingAlgorithm(name, value));
  } else if (name == "batch_matching_enabled") {
    RIDESWEEP_ASSIGN_OR_RETURN(p.batch_matching_enabled, ReadBool(name, value));
  } else if (name == "batch_interval_secs") {
    RIDESWEEP_ASSIGN_OR_RETURN(const uint64_t v, ReadUint(name, value));
    if (v == 0) return Invalid(std::string(errors::kBatchIntervalAtLeastOne));
    p.batch_interval_secs = v;
  } else if (name == "eta_weight") {
    RIDESWEEP_ASSIGN_OR_RETURN(p.eta_weight, ReadNum(name, value));
  } else if (name == "traffic_profile") {
    RIDESWEEP_ASSIGN_OR_RETURN(const sim::TrafficProfileKind kind, ReadTrafficProfile(name, value));
    p.traffic_profile = sim::TrafficProfile{};
    p.traffic_profile.kind = kind;
  } else if (name == "dynamic_congestion_enabled") {
    RIDESWEEP_ASSIGN_OR_RETURN(p.dynamic_congestion_enabled, ReadBool(name, value));
  } else if (name == "surge_sensitivity") {
    RIDESWEEP_ASSIGN_OR_RETURN(pricing.surge_sensitivity, ReadNum(name, value));
  } else if (name == "price_tolerance_mean") {
    RIDESWEEP_ASSIGN_OR_RETURN(p.behaviour.price_tolerance_mean, ReadNum(name, value));
  } else if (name == "trip_median_km") {
    RIDESWEEP_ASSIGN_OR_RETURN(p.trip_median_km, ReadNum(name, value));
  } else if (name == "trip_length_sigma") {
    RIDESWEEP_ASSIGN_OR_RETURN(p.trip_length_sigma, ReadNum(name, value));
  } else if (name == "base_speed_kmh") {
    RIDESWEEP_ASSIGN_OR_RETURN(p.base_speed_kmh, ReadOptionalNum(name, value));
  } else {
    return Invalid(errors::UnsupportedDimension(name));
  }
  // The model parameters added with model v2 are range-checked here, before any point runs, by the simulator's
  // own validator (one source of ranges and messages).
  if (name == "surge_sensitivity" || name == "price_tolerance_mean" || name == "trip_median_km" ||
      name == "trip_length_sigma") {
    return sim::ValidateSimParams(p);
  }
  return Status::Ok();
}

Status CheckDimensionValue(std::string_view name, const JsonValue& value) {
  sim::SimParams scratch;
  return ApplyDimensionValue(name, value, &scratch);
}

Status CheckDimensions(const Dimensions& dimensions) {
  sim::SimParams scratch;
  for (const Dimension& dimension : dimensions) {
    if (!IsSupportedDimension(dimension.name)) return Invalid(errors::UnsupportedDimension(dimension.name));
    if (dimension.values.empty()) return Invalid(errors::DimensionCannotBeEmpty(dimension.name));
    for (const JsonValue& value : dimension.values) {
      RIDESWEEP_RETURN_IF_ERROR(ApplyDimensionValue(dimension.name, value, &scratch));
    }
  }
  return Status::Ok();
}

}  // namespace ridesweep::sweep
