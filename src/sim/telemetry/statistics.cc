// Summary statistics (spec/simulation.md §13.2).
#include "telemetry/statistics.h"

#include <algorithm>
#include <cmath>

namespace ridesweep::sim {

Summary Summarize(std::vector<uint64_t>& values) {
  __extension__ using U128 = unsigned __int128;
  Summary s;
  const size_t n = values.size();
  if (n == 0) return s;
  std::sort(values.begin(), values.end());
  U128 sum = 0;
  for (uint64_t v : values) sum += v;
  s.avg = static_cast<double>(sum) / static_cast<double>(n);
  if (n % 2 == 1) {
    s.median = static_cast<double>(values[n / 2]);
  } else {
    s.median = static_cast<double>(static_cast<U128>(values[n / 2 - 1]) + values[n / 2]) / 2.0;
  }
  const size_t p90_index = static_cast<size_t>(std::trunc(static_cast<double>(n - 1) * 0.9));
  s.p90 = static_cast<double>(values[p90_index]);
  return s;
}

}  // namespace ridesweep::sim
