// A dimension given as a range instead of a list: {"min": a, "max": b} with optional "log": true and "steps": n.
// In a grid (today's only design) a range stands for n evenly spaced levels, both ends included, spaced
// geometrically with "log"; integer parameters round each level to the nearest integer and drop repeats. The
// levels replace the range during normalization, so the canonical request, fingerprints, payloads and workers see
// an ordinary list. Pure functions; thread-safe.
#ifndef RIDESWEEP_SWEEP_DIMENSION_RANGE_H_
#define RIDESWEEP_SWEEP_DIMENSION_RANGE_H_

#include <string_view>
#include <vector>

#include "ridesweep/base/json_value.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sweep/dimensions.h"

namespace ridesweep::sweep {

// The grid levels of `range` for dimension `name`, or InvalidArgument with the documented message (see
// docs/formats/request_json.md, "Ranges"), e.g. `Dimension 'base_fare' range has min > max`.
Result<std::vector<JsonValue>> ExpandGridRange(std::string_view name, const JsonValue& range);

// The same checks for a sampling design (design.h), where a range has no "steps" and stays a range: the
// dimension carries {min, max} and its log flag. `design_name` names the design in the "steps" message.
Result<Dimension> SamplingRange(std::string_view name, const JsonValue& range, std::string_view design_name);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_DIMENSION_RANGE_H_
