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

namespace ridesweep::sweep {

// The grid levels of `range` for dimension `name`, or InvalidArgument with the documented message (see
// docs/formats/request_json.md, "Ranges"), e.g. `Dimension 'base_fare' range has min > max`.
Result<std::vector<JsonValue>> ExpandGridRange(std::string_view name, const JsonValue& range);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_DIMENSION_RANGE_H_
