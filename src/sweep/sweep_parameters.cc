// The sweepable-parameter table (one row per dimension name) and the kind and range checks it drives.
#include "ridesweep/sweep/sweep_parameters.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "ridesweep/base/json_number_format.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/errors.h"

namespace ridesweep::sweep {
namespace {

Status Invalid(std::string message) { return InvalidArgumentError(std::move(message)); }

// Accessors: where a row's value lives in SimParams.
template <auto Member>
auto& Top(sim::SimParams& p) {
  return p.*Member;
}
template <auto Member>
auto& Pricing(sim::SimParams& p) {
  return p.pricing_config.*Member;
}
template <auto Member>
auto& Behaviour(sim::SimParams& p) {
  return p.behaviour.*Member;
}

template <typename T>
constexpr ValueKind KindOf() {
  if constexpr (std::is_same_v<T, bool>) return ValueKind::kBoolean;
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, std::optional<double>>) return ValueKind::kNumber;
  if constexpr (std::is_same_v<T, uint32_t>) return ValueKind::kUnsigned32;
  if constexpr (std::is_same_v<T, uint64_t>) return ValueKind::kUnsigned;
  if constexpr (std::is_same_v<T, int64_t>) return ValueKind::kSigned;
}

template <auto Get>
using FieldType = std::remove_reference_t<decltype(Get(std::declval<sim::SimParams&>()))>;

// Plain fields: the kind and nullability follow from the C++ type; the value is already checked.
template <auto Get>
Status AssignField(std::string_view, const JsonValue& v, sim::SimParams* p) {
  auto& field = Get(*p);
  using T = FieldType<Get>;
  if constexpr (std::is_same_v<T, bool>) {
    field = v.as_bool();
  } else if constexpr (std::is_same_v<T, double>) {
    field = v.NumberAsDouble();
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    field = v.is_null() ? std::optional<double>() : std::optional<double>(v.NumberAsDouble());
  } else if constexpr (std::is_same_v<T, int64_t>) {
    field = v.is_signed() ? v.as_signed() : static_cast<int64_t>(v.as_unsigned());
  } else {
    field = static_cast<T>(v.as_unsigned());
  }
  return Status::Ok();
}

template <auto Get>
JsonValue FieldDefault(const sim::SimParams& base) {
  sim::SimParams p = base;
  const auto& field = Get(p);
  using T = FieldType<Get>;
  if constexpr (std::is_same_v<T, bool>) {
    return JsonValue::Bool(field);
  } else if constexpr (std::is_same_v<T, double>) {
    return JsonValue::Double(field);
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    return field.has_value() ? JsonValue::Double(*field) : JsonValue::Null();
  } else if constexpr (std::is_same_v<T, int64_t>) {
    return JsonValue::Signed(field);
  } else {
    return JsonValue::Unsigned(field);
  }
}

// A row for a plain field. Adding a sweepable parameter whose SimParams field is a plain value is one such line.
template <auto Get>
SweepParameter Field(std::string_view name, std::string_view unit, ValueRange range, std::string_view meaning) {
  using T = FieldType<Get>;
  return SweepParameter{name,  KindOf<T>(), std::is_same_v<T, std::optional<double>>, unit, range, {}, meaning,
                        &AssignField<Get>, &FieldDefault<Get>, {}};
}

// ---- Rows that need their own mapping ----------------------------------------------------------------------

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

constexpr std::array<std::string_view, 3> kMatchingLevels = {"simple", "cost_based", "hungarian"};
constexpr std::array<std::string_view, 2> kTrafficLevels = {"none", "berlin"};

Status AssignMatching(std::string_view, const JsonValue& v, sim::SimParams* p) {
  const std::string& raw = v.as_string();
  if (EqualsIgnoreAsciiCase(raw, "simple")) {
    p->matching_algorithm_type = sim::MatchingAlgorithm::kSimple;
    return Status::Ok();
  }
  for (std::string_view spelling : {"costbased", "cost_based", "cost-based"}) {
    if (EqualsIgnoreAsciiCase(raw, spelling)) {
      p->matching_algorithm_type = sim::MatchingAlgorithm::kCostBased;
      return Status::Ok();
    }
  }
  if (EqualsIgnoreAsciiCase(raw, "hungarian")) {
    p->matching_algorithm_type = sim::MatchingAlgorithm::kHungarian;
    return Status::Ok();
  }
  return Invalid(errors::UnsupportedMatchingAlgorithm(raw));
}
JsonValue DefaultMatching(const sim::SimParams& base) {
  return JsonValue::String(std::string(sim::MatchingAlgorithmName(base.matching_algorithm_type)));
}

Status AssignTraffic(std::string_view, const JsonValue& v, sim::SimParams* p) {
  const std::string& raw = v.as_string();
  sim::TrafficProfileKind kind;
  if (EqualsIgnoreAsciiCase(raw, "none")) {
    kind = sim::TrafficProfileKind::kNone;
  } else if (EqualsIgnoreAsciiCase(raw, "berlin")) {
    kind = sim::TrafficProfileKind::kBerlin;
  } else {
    return Invalid(errors::UnsupportedTrafficProfile(raw));
  }
  p->traffic_profile = sim::TrafficProfile{};
  p->traffic_profile.kind = kind;
  return Status::Ok();
}
JsonValue DefaultTraffic(const sim::SimParams& base) {
  switch (base.traffic_profile.kind) {
    case sim::TrafficProfileKind::kNone: return JsonValue::String("none");
    case sim::TrafficProfileKind::kBerlin: return JsonValue::String("berlin");
    case sim::TrafficProfileKind::kCustom: return JsonValue::String("custom");
  }
  return JsonValue::String("none");
}

// epoch_ms: null means the model's default start time.
Status AssignEpoch(std::string_view name, const JsonValue& v, sim::SimParams* p) {
  if (v.is_null()) {
    p->epoch_ms = sim::SimParams{}.epoch_ms;
    return Status::Ok();
  }
  return AssignField<Top<&sim::SimParams::epoch_ms>>(name, v, p);
}
JsonValue DefaultEpoch(const sim::SimParams& base) { return JsonValue::Signed(base.epoch_ms); }

uint64_t SaturatingAdd(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max() : a + b;
}
uint64_t SaturatingMul(uint64_t a, uint64_t b) {
  if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a) return std::numeric_limits<uint64_t>::max();
  return a * b;
}

// simulation_duration_hours: end = request_window_ms + hours × 3 600 000 (saturating); null restores the default.
Status AssignDuration(std::string_view, const JsonValue& v, sim::SimParams* p) {
  if (v.is_null()) {
    p->simulation_end_time_ms.reset();
  } else {
    p->simulation_end_time_ms =
        SaturatingAdd(p->request_window_ms, SaturatingMul(v.as_unsigned(), kMillisecondsPerHour));
  }
  return Status::Ok();
}
JsonValue DefaultDuration(const sim::SimParams& base) {
  if (!base.simulation_end_time_ms.has_value() || *base.simulation_end_time_ms < base.request_window_ms) {
    return JsonValue::Null();
  }
  return JsonValue::Unsigned((*base.simulation_end_time_ms - base.request_window_ms) / kMillisecondsPerHour);
}

SweepParameter Custom(std::string_view name, ValueKind kind, bool nullable, std::string_view unit, ValueRange range,
                      std::span<const std::string_view> levels, std::string_view meaning,
                      Status (*assign)(std::string_view, const JsonValue&, sim::SimParams*),
                      JsonValue (*default_value)(const sim::SimParams&)) {
  return SweepParameter{name, kind, nullable, unit, range, levels, meaning, assign, default_value, {}};
}

SweepParameter WithOutOfRangeMessage(SweepParameter row, std::string_view message) {
  row.out_of_range_message = message;
  return row;
}

// Range shorthands for the table.
ValueRange Any() { return ValueRange{std::nullopt, std::nullopt, false}; }
ValueRange AtLeast(double min) { return ValueRange{min, std::nullopt, false}; }
ValueRange Above(double min) { return ValueRange{min, std::nullopt, true}; }
ValueRange AtMost(double max) { return ValueRange{std::nullopt, max, false}; }
ValueRange Between(double min, double max) { return ValueRange{min, max, false}; }

using sim::PricingConfig;
using sim::SimParams;
constexpr double kMaxAgents = 10'000'000;  // sim::ValidateSimParams' bound on num_riders and num_drivers

// The table, sorted by name. Ranges are at least as strict as sim::ValidateSimParams, so an accepted value never
// fails it (tests/…/sweep_parameters_test.cc proves it over random requests).
const auto kParameters = std::to_array<SweepParameter>({
    Field<Pricing<&PricingConfig::base_fare>>("base_fare", "currency", AtLeast(0), "Fixed part of every fare"),
    Field<Top<&SimParams::base_speed_kmh>>("base_speed_kmh", "km/h", Above(0),
                                           "Driver speeds drawn from [max(5, b-10), b+10]; null: [20, 60]"),
    WithOutOfRangeMessage(
        Field<Top<&SimParams::batch_interval_secs>>("batch_interval_secs", "s", AtLeast(1),
                                                    "Seconds between two batch-matching rounds"),
        errors::kBatchIntervalAtLeastOne),
    Field<Top<&SimParams::batch_matching_enabled>>("batch_matching_enabled", "", Any(),
                                                   "Match in periodic batches instead of on every request"),
    Field<Pricing<&PricingConfig::commission_rate>>("commission_rate", "fraction", Between(0, 1),
                                                    "Platform share of each fare"),
    Field<Top<&SimParams::dynamic_congestion_enabled>>("dynamic_congestion_enabled", "", Any(),
                                                       "Slow drivers down where vehicle density is high"),
    Custom("epoch_ms", ValueKind::kSigned, true, "ms (UTC Unix)", Any(), {},
           "Wall-clock time of simulation start (traffic hours, weekdays); null: the default", &AssignEpoch, &DefaultEpoch),
    Field<Top<&SimParams::eta_weight>>("eta_weight", "km/s", AtLeast(0),
                                       "Km of pickup distance worth one second of rider waiting in matching"),
    Field<Top<&SimParams::match_radius>>("match_radius", "cells", Any(),
                                         "Largest grid distance between a matched rider and driver"),
    Custom("matching_algorithm_type", ValueKind::kEnum, false, "", Any(), kMatchingLevels,
           "Matching algorithm (case-insensitive; costbased and cost-based also accepted)", &AssignMatching,
           &DefaultMatching),
    Field<Top<&SimParams::num_drivers>>("num_drivers", "drivers", AtMost(kMaxAgents), "Drivers spawned"),
    Field<Top<&SimParams::num_riders>>("num_riders", "riders", AtMost(kMaxAgents),
                                       "Upper bound on riders spawned"),
    Field<Pricing<&PricingConfig::per_km_rate>>("per_km_rate", "currency/km", AtLeast(0),
                                                "Fare per km of trip distance"),
    Field<Behaviour<&sim::BehaviourParams::price_tolerance_mean>>(
        "price_tolerance_mean", "x", Between(0.01, 100), "Mean surge markup riders accept (exponential tolerance)"),
    Custom("simulation_duration_hours", ValueKind::kUnsigned, true, "h", Any(), {},
           "Simulated time after the request window; null: 2 h", &AssignDuration, &DefaultDuration),
    Field<Pricing<&PricingConfig::surge_enabled>>("surge_enabled", "", Any(), "Raise fares where demand exceeds supply"),
    Field<Pricing<&PricingConfig::surge_max_multiplier>>("surge_max_multiplier", "x", AtLeast(1),
                                                         "Cap on the surge multiplier"),
    Field<Pricing<&PricingConfig::surge_radius_k>>("surge_radius_k", "cells", Any(),
                                                   "Radius of the surge neighbourhood; 0 disables surge"),
    Field<Pricing<&PricingConfig::surge_sensitivity>>("surge_sensitivity", "x per unit excess demand",
                                                      Between(0, 10), "Slope of the surge multiplier"),
    Custom("traffic_profile", ValueKind::kEnum, false, "", Any(), kTrafficLevels,
           "Hourly speed profile (case-insensitive)", &AssignTraffic, &DefaultTraffic),
    Field<Top<&SimParams::trip_length_sigma>>("trip_length_sigma", "", Between(0, 2),
                                              "Log-space spread of trip lengths"),
    Field<Top<&SimParams::trip_median_km>>("trip_median_km", "km", Between(0.5, 50), "Median trip length"),
});

std::string FormatBound(double value) {
  if (std::trunc(value) == value && std::fabs(value) < 9.0e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  return FormatJsonDouble(value);
}

}  // namespace

std::string_view ValueKindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kUnsigned:
    case ValueKind::kUnsigned32: return "unsigned";
    case ValueKind::kSigned: return "signed";
    case ValueKind::kNumber: return "number";
    case ValueKind::kBoolean: return "boolean";
    case ValueKind::kEnum: return "enum";
  }
  return "number";
}

std::span<const SweepParameter> SweepParameters() { return kParameters; }

const SweepParameter* FindSweepParameter(std::string_view name) {
  const auto it = std::lower_bound(kParameters.begin(), kParameters.end(), name,
                                   [](const SweepParameter& row, std::string_view n) { return row.name < n; });
  return it != kParameters.end() && it->name == name ? &*it : nullptr;
}

std::string RangeText(const SweepParameter& parameter) {
  const ValueRange& r = parameter.range;
  std::string lower;
  std::string upper;
  switch (parameter.kind) {
    case ValueKind::kBoolean:
    case ValueKind::kEnum: return "";
    case ValueKind::kUnsigned:
      lower = "0";
      upper = std::to_string(std::numeric_limits<uint64_t>::max());
      break;
    case ValueKind::kUnsigned32:
      lower = "0";
      upper = std::to_string(std::numeric_limits<uint32_t>::max());
      break;
    case ValueKind::kSigned:
      lower = std::to_string(std::numeric_limits<int64_t>::min());
      upper = std::to_string(std::numeric_limits<int64_t>::max());
      break;
    case ValueKind::kNumber:
      lower = "-inf";
      upper = "+inf";
      break;
  }
  if (r.min.has_value()) lower = FormatBound(*r.min);
  if (r.max.has_value()) upper = FormatBound(*r.max);
  const bool open_low = r.min_exclusive || lower == "-inf";
  const bool open_high = upper == "+inf";
  return (open_low ? "(" : "[") + lower + ", " + upper + (open_high ? ")" : "]");
}

Status CheckParameterValue(const SweepParameter& parameter, const JsonValue& value) {
  const std::string_view name = parameter.name;
  if (value.is_null() && parameter.nullable) return Status::Ok();
  switch (parameter.kind) {
    case ValueKind::kUnsigned:
      if (!value.is_unsigned()) return Invalid(errors::DimensionMustBeUnsigned(name));
      break;
    case ValueKind::kUnsigned32:
      if (!value.is_unsigned()) return Invalid(errors::DimensionMustBeUnsigned(name));
      if (value.as_unsigned() > std::numeric_limits<uint32_t>::max()) return Invalid(errors::DimensionTooLarge(name));
      break;
    case ValueKind::kSigned:
      if (!value.is_signed() &&
          !(value.is_unsigned() && value.as_unsigned() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
        return Invalid(errors::DimensionMustBeSigned(name));
      }
      break;
    case ValueKind::kNumber:
      if (!value.is_number()) return Invalid(errors::DimensionMustBeNumeric(name));
      break;
    case ValueKind::kBoolean:
      if (!value.is_bool()) return Invalid(errors::DimensionMustBeBoolean(name));
      return Status::Ok();
    case ValueKind::kEnum:
      if (!value.is_string()) return Invalid(errors::DimensionMustBeString(name));
      return Status::Ok();
  }
  const ValueRange& r = parameter.range;
  const double x = value.NumberAsDouble();
  const bool low_ok = !r.min.has_value() || (r.min_exclusive ? x > *r.min : x >= *r.min);
  const bool high_ok = !r.max.has_value() || x <= *r.max;
  if (low_ok && high_ok) return Status::Ok();
  if (!parameter.out_of_range_message.empty()) return Invalid(std::string(parameter.out_of_range_message));
  return Invalid(errors::DimensionOutOfRange(name, ToCanonicalJson(value), RangeText(parameter)));
}

}  // namespace ridesweep::sweep
