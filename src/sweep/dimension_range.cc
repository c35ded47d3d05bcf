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

}  // namespace

Result<std::vector<JsonValue>> ExpandGridRange(std::string_view name, const JsonValue& range) {
  const SweepParameter* parameter = FindSweepParameter(name);
  if (parameter == nullptr) return Invalid(errors::UnsupportedDimension(name));
  if (parameter->kind == ValueKind::kBoolean || parameter->kind == ValueKind::kEnum) {
    return Invalid(errors::RangeOnListOnlyDimension(name));
  }
  const JsonObject& object = range.as_object();
  const JsonValue* min = object.Find("min");
  const JsonValue* max = object.Find("max");
  const JsonValue* log = object.Find("log");
  const JsonValue* steps = object.Find("steps");
  bool shape_ok = min != nullptr && max != nullptr && min->is_number() && max->is_number() &&
                  (log == nullptr || log->is_bool()) && (steps == nullptr || steps->is_unsigned());
  for (const JsonMember& member : object.members()) {
    shape_ok &= member.key == "min" || member.key == "max" || member.key == "log" || member.key == "steps";
  }
  if (!shape_ok) return Invalid(errors::RangeShape(name));
  const double lo = min->NumberAsDouble();
  const double hi = max->NumberAsDouble();
  const bool logarithmic = log != nullptr && log->as_bool();
  if (lo > hi) return Invalid(errors::RangeMinAboveMax(name));
  if (logarithmic && !(lo > 0)) return Invalid(errors::RangeLogNeedsPositiveMin(name));
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
