// The one mapping from dimension values to simulation parameters, shared by ingress validation (step 12), the
// worker's pre-checks and point resolution, so all paths accept and reject the same values with the same texts.
// Names, kinds and ranges come from the sweepable-parameter table (sweep_parameters.h). Pure functions;
// thread-safe.
#ifndef RIDESWEEP_SWEEP_DIMENSION_MAPPING_H_
#define RIDESWEEP_SWEEP_DIMENSION_MAPPING_H_

#include <string_view>

#include "ridesweep/base/json_value.h"
#include "ridesweep/base/status.h"
#include "ridesweep/sim/params.h"
#include "ridesweep/sweep/dimensions.h"
#include "ridesweep/sweep/sweep_parameters.h"

namespace ridesweep::sweep {

// True when the table has a row for `name`.
bool IsSupportedDimension(std::string_view name);

// Applies one selected value to `params` after its kind and range checks. Returns InvalidArgument with the
// documented text (e.g. `Unsupported dimension 'foo'`, `Dimension 'num_riders' must be an unsigned integer`,
// `Dimension 'commission_rate' value 1.5 is outside the allowed range [0, 1]`); `params` is left unchanged on
// error. `simulation_duration_hours` sets the end to request_window_ms + hours × 3 600 000 (saturating) using the
// request_window_ms already in `params`; null restores the default end.
Status ApplyDimensionValue(std::string_view name, const JsonValue& value, sim::SimParams* params);

// ApplyDimensionValue against scratch parameters: only the verdict.
Status CheckDimensionValue(std::string_view name, const JsonValue& value);

// Ingress step 12 and the worker's up-front check: names in sorted order, each name then its values in list
// order; the first failure wins. An empty value list gives `Dimension '<name>' cannot be empty`.
Status CheckDimensions(const Dimensions& dimensions);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_DIMENSION_MAPPING_H_
