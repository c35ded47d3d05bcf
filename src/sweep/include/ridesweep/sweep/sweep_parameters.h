// The table of sweepable parameters: every name a request may use as a dimension, with its value kind, unit,
// default, valid range and a one-line meaning. It is the single source of truth for ingress validation
// (dimension_mapping.h), the `ridesweep params` listing, the request JSON schema and the docs table
// (parameter_listing.h). Defaults are never written here: each row reads its field from a sim::SimParams, so a
// change of the model's defaults shows up everywhere. Immutable; thread-safe.
#ifndef RIDESWEEP_SWEEP_SWEEP_PARAMETERS_H_
#define RIDESWEEP_SWEEP_SWEEP_PARAMETERS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ridesweep/base/json_value.h"
#include "ridesweep/base/status.h"
#include "ridesweep/sim/params.h"

namespace ridesweep::sweep {

inline constexpr uint64_t kMillisecondsPerHour = 3'600'000;

// The JSON kind a dimension value must have. kUnsigned32 is an unsigned integer that must fit 32 bits.
enum class ValueKind { kUnsigned, kUnsigned32, kSigned, kNumber, kBoolean, kEnum };

std::string_view ValueKindName(ValueKind kind);  // "unsigned", "unsigned", "signed", "number", "boolean", "enum"

// Allowed numeric values beyond what the kind already implies. An absent bound is the kind's own limit
// (0 and 2^64 − 1 for unsigned, 2^32 − 1 for unsigned32, the int64 limits for signed, unbounded for number).
struct ValueRange {
  std::optional<double> min;
  std::optional<double> max;
  bool min_exclusive = false;  // (min, …] instead of [min, …]
};

struct SweepParameter {
  std::string_view name;
  ValueKind kind;
  bool nullable;  // null is a value (it means "the model's default behaviour"; see `meaning`)
  std::string_view unit;
  ValueRange range;                          // numeric kinds only
  std::span<const std::string_view> levels;  // kEnum only: the canonical spellings
  std::string_view meaning;
  // Writes an already kind- and range-checked value into `params`. Enum rows parse the spelling and may still
  // fail (InvalidArgument, `params` unchanged).
  Status (*assign)(std::string_view name, const JsonValue& value, sim::SimParams* params);
  // The value this parameter has in `base` (the default when `base` is sim::SimParams{}), as a dimension value.
  JsonValue (*default_value)(const sim::SimParams& base);
  // A message replacing the generic out-of-range text, kept where an earlier release had its own wording.
  std::string_view out_of_range_message = {};
};

// Every row, sorted by name byte-wise.
std::span<const SweepParameter> SweepParameters();

// nullptr when `name` is not sweepable.
const SweepParameter* FindSweepParameter(std::string_view name);

// The allowed range in interval notation, e.g. `[0, 1]`, `(0, +inf)`, `[0, 4294967295]`; empty for boolean and enum.
std::string RangeText(const SweepParameter& parameter);

// Kind then range check of one value, with the texts of docs/formats/request_json.md; OK or InvalidArgument.
// Enum spellings are checked by `assign`.
Status CheckParameterValue(const SweepParameter& parameter, const JsonValue& value);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_SWEEP_PARAMETERS_H_
