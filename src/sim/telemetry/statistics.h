// Summary statistics over a list of millisecond values (spec/simulation.md §13.2): mean from the exact integer
// sum, median (mean of the middle two for even counts) and p90 = v[trunc((n - 1) * 0.9)], no interpolation.
#ifndef RIDESWEEP_SIM_TELEMETRY_STATISTICS_H_
#define RIDESWEEP_SIM_TELEMETRY_STATISTICS_H_

#include <cstdint>
#include <vector>

namespace ridesweep::sim {

struct Summary {
  double avg = 0.0;
  double median = 0.0;
  double p90 = 0.0;
};

// Sorts `values` in place. Empty -> (0, 0, 0).
Summary Summarize(std::vector<uint64_t>& values);

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_TELEMETRY_STATISTICS_H_
