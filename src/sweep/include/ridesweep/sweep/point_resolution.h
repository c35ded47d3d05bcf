// Resolving a grid point into the parameters the engine runs (spec/sweep.md §3.3) and the effective-parameters
// JSON stored next to its results (§3.4): defaults → each selected value (dimension_mapping.h) → end time →
// seed. Local and cloud workers call the same function. Pure; thread-safe.
#ifndef RIDESWEEP_SWEEP_POINT_RESOLUTION_H_
#define RIDESWEEP_SWEEP_POINT_RESOLUTION_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ridesweep/base/result.h"
#include "ridesweep/sim/params.h"
#include "ridesweep/sweep/design.h"
#include "ridesweep/sweep/dimensions.h"

namespace ridesweep::sweep {

struct ResolvedPoint {
  uint64_t point_index = 0;
  uint64_t config_index = 0;  // SplitPointIndex(point_index, replications)
  uint64_t replicate = 0;
  sim::SimParams params;                  // seed = PointSeed(request seed, point_index)
  std::string effective_parameters_json;  // §3.4, canonical
  std::string parameter_fingerprint;      // SHA-256 of effective_parameters_json
};

// Errors (InvalidArgument): `Index exceeds dimension product`, empty dimension, or a §1.5 value message.
// The configuration is SplitPointIndex(point_index, replications).config_index; the seed uses the global
// point_index, so replicates never share a stream.
// With a sampling design, the configuration's values are DesignConfigurationValues (design.h) instead of a grid
// point; selected_dimensions then shows the sampled values.
Result<ResolvedPoint> ResolvePoint(const Dimensions& dimensions, int64_t request_seed, uint64_t point_index,
                                   uint64_t replications = 1, const Design& design = {});

// The selected value of each dimension for one configuration (grid point or design sample).
Result<std::vector<JsonValue>> ConfigurationValues(const Dimensions& dimensions, int64_t request_seed,
                                                   uint64_t config_index, const Design& design);

// {"selected_dimensions":{name:value,…},"resolved_scenario_parameters":{…}}.
// REQUIRES: value_indices.size() == dimensions.size(), each in range.
std::string EffectiveParametersJson(const Dimensions& dimensions, std::span<const size_t> value_indices,
                                    const sim::SimParams& params);
// The same with the selected values given directly. REQUIRES: values.size() == dimensions.size().
std::string EffectiveParametersJson(const Dimensions& dimensions, std::span<const JsonValue> values,
                                    const sim::SimParams& params);

// The resolved_scenario_parameters object alone (field order of §3.4 / spec/simulation.md §14.5).
void AppendResolvedScenarioParameters(std::string* out, const sim::SimParams& params);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_POINT_RESOLUTION_H_
