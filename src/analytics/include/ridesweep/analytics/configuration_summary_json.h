// The statistics by configuration as JSON (the `configuration_summary` of `ridesweep status --json`): an array,
// best first, of {"rank", "first_point_index", "dimensions": {name: value}, "n", "health_score": S,
// "not_distinguishable_from_best": bool|null, "metrics": {name: S}} with S = {"n", "missing", "mean", "sd",
// "ci95_low", "ci95_high"} (null where undefined: no value, or n < 2). Pure.
#ifndef RIDESWEEP_ANALYTICS_CONFIGURATION_SUMMARY_JSON_H_
#define RIDESWEEP_ANALYTICS_CONFIGURATION_SUMMARY_JSON_H_

#include <span>

#include "ridesweep/analytics/configuration_summary.h"
#include "ridesweep/base/json_value.h"

namespace ridesweep::analytics {

JsonValue ConfigurationSummaryJson(std::span<const ConfigurationStats> configurations);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_CONFIGURATION_SUMMARY_JSON_H_
