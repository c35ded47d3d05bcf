// Reads a simulation parameter record (spec/simulation.md §14 names) from JSON for `ridesweep simulate --params`.
// Unknown keys and wrong types are errors that name the parameter; ranges are checked by ValidateSimParams().
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SIM_PARAMS_JSON_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SIM_PARAMS_JSON_H_

#include <string_view>

#include "ridesweep/base/result.h"
#include "ridesweep/sim/params.h"

namespace ridesweep::cli {

// Applies every key of the JSON object `text` on top of `base`. Keys: the §14.1/§14.2 names, `pricing_config`
// and `behaviour` as nested objects (their fields are also accepted at top level), `simulation_duration_hours`
// (end = request_window_ms + hours), `traffic_profile` as "none" | "berlin" | {"custom": [24 factors]}.
Result<sim::SimParams> SimParamsFromJson(std::string_view text, const sim::SimParams& base);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SIM_PARAMS_JSON_H_
