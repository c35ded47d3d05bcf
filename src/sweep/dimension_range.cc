// Grid levels of a {"min","max","log","steps"} dimension range.
#include "ridesweep/sweep/dimension_range.h"

#include <cmath>
#include <limits>
#include <string>

#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/limits.h"
#include "ridesweep/sweep/sweep_parameters.h"

namespace ridesweep::sweep {
namespace {

Status Invalid(std::string message) { return InvalidArgumentError(std::move(message)); }

// The checks shared by grid and sampling designs, in the documented order.
struct CheckedRange {
  const SweepParameter* parameter = nullptr;
  const JsonValue* min = nullptr;
  const JsonValue* max = nullptr;
  const JsonValue* steps = nullptr;
  double lo = 0;
  double hi = 0;
  bool logarithmic = false;
};

Result<CheckedRange> CheckRange(std::string_view name, const JsonValue& range) {
  CheckedRange r;
  r.parameter = FindSweepParameter(name);
  if (r.parameter == nullptr) return Invalid(errors::UnsupportedDimension(name));
  if (r.parameter->kind == ValueKind::kBoolean || r.parameter->kind == ValueKind::kEnum) {
    return Invalid(errors::RangeOnListOnlyDimension(name));
  }
  const JsonObject& object = range.as_object();
  r.min = object.Find("min");
  r.max = object.Find("max");
  const JsonValue* log = object.Find("log");
  r.steps = object.Find("steps");
  bool shape_ok = r.min != nullptr && r.max != nullptr && r.min->is_number() && r.max->is_number() &&
                  (log == nullptr || log->is_bool()) && (r.steps == nullptr || r.steps->is_unsigned());
  for (const JsonMember& member : object.members()) {
    shape_ok &= member.key == "min" || member.key == "max" || member.key == "log" || member.key == "steps";
  }
  if (!shape_ok) return Invalid(errors::RangeShape(name));
  r.lo = r.min->NumberAsDouble();
  r.hi = r.max->NumberAsDouble();
  r.logarithmic = log != nullptr && log->as_bool();
  if (r.lo > r.hi) return Invalid(errors::RangeMinAboveMax(name));
  if (r.logarithmic && !(r.lo > 0)) return Invalid(errors::RangeLogNeedsPositiveMin(name));
  return r;
}

}  // namespace

Result<Dimension> SamplingRange(std::string_view name, const JsonValue& range, std::string_view design_name) {
  RIDESWEEP_ASSIGN_OR_RETURN(const CheckedRange r, CheckRange(name, range));
  if (r.steps != nullptr) return Invalid(errors::RangeStepsInSamplingDesign(name, design_name));
  Dimension dimension{std::string(name), {*r.min, *r.max}};
  dimension.is_range = true;
  dimension.log = r.logarithmic;
  return dimension;
}

Result<std::vector<JsonValue>> ExpandGridRange(std::string_view name, const JsonValue& range) {
  RIDESWEEP_ASSIGN_OR_RETURN(const CheckedRange r, CheckRange(name, range));
  const SweepParameter* parameter = r.parameter;
  const JsonValue* steps = r.steps;
  const double lo = r.lo;
  const double hi = r.hi;
  const bool logarithmic = r.logarithmic;
  if (steps == nullptr) return Invalid(errors::RangeNeedsSteps(name));
  const uint64_t n = steps->as_unsigned();
  if (n == 0 || (n == 1 && lo != hi)) return Invalid(errors::RangeStepsTooFew(name));
  if (n > kMaxDimensionValues) return Invalid(errors::DimensionTooManyValues(name));

  const bool integral = parameter->kind != ValueKind::kNumber;
  std::vector<JsonValue> levels;
  levels.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    double v;
    if (i == 0) {
      v = lo;
    } else if (i + 1 == n) {
      v = hi;
    } else {
      const double t = static_cast<double>(i) / static_cast<double>(n - 1);
      v = logarithmic ? std::exp(std::log(lo) + t * (std::log(hi) - std::log(lo))) : lo + t * (hi - lo);
    }
    JsonValue level;
    if (integral) {
      const double rounded = std::nearbyint(v);
      // Out-of-kind values stay numbers so the kind check names them (e.g. a negative unsigned level).
      if (rounded >= 0 && rounded < 18446744073709551616.0) {
        level = JsonValue::Unsigned(static_cast<uint64_t>(rounded));
      } else if (rounded < 0 && rounded >= -9223372036854775808.0) {
        level = JsonValue::Signed(static_cast<int64_t>(rounded));
      } else {
        level = JsonValue::Double(rounded);
      }
      if (!levels.empty() && levels.back() == level) continue;  // levels ascend, so repeats are adjacent
    } else {
      level = JsonValue::Double(v);
    }
    levels.push_back(std::move(level));
  }
  return levels;
}

}  // namespace ridesweep::sweep
