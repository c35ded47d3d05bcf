// Named scenarios (default = the model's defaults, example-large, example-standard, bench-*, load-*, and the
// -r5 variants of the bench rows), shared by the CLI, the benchmarks and the tests.
#ifndef RIDESWEEP_SIM_SCENARIOS_H_
#define RIDESWEEP_SIM_SCENARIOS_H_

#include <optional>
#include <string_view>
#include <vector>

#include "ridesweep/sim/params.h"

namespace ridesweep::sim {

struct NamedScenario {
  std::string_view name;
  SimParams params;
  uint64_t expected_riders;  // Expected spawned riders / drivers (§17.2).
  uint64_t expected_drivers;
};

const std::vector<NamedScenario>& NamedScenarios();
std::optional<SimParams> FindScenario(std::string_view name);

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_SCENARIOS_H_
