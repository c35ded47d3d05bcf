// t(0.975, df): table plus interpolation in 1/df.
#include "ridesweep/analytics/student_t.h"

#include <array>
#include <cmath>
#include <utility>

namespace ridesweep::analytics {
namespace {

// t(0.975, df) for df = 1..30.
constexpr std::array<double, 30> kT975 = {
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
// Beyond 30: linear in 1/df between these anchors (df, t).
constexpr std::array<std::pair<double, double>, 5> kT975Tail = {
    {{30, 2.0423}, {40, 2.0211}, {60, 2.0003}, {120, 1.9799}, {1e300, 1.9600}}};

}  // namespace

double StudentT975(uint64_t df) {
  if (df == 0) return std::nan("");
  if (df <= kT975.size()) return kT975[df - 1];
  const double x = 1.0 / static_cast<double>(df);
  for (size_t i = 1; i < kT975Tail.size(); ++i) {
    const auto [df_hi, t_hi] = kT975Tail[i - 1];
    const auto [df_lo, t_lo] = kT975Tail[i];
    if (static_cast<double>(df) <= df_lo) {
      const double a = 1.0 / df_hi;
      const double b = 1.0 / df_lo;
      return t_lo + (t_hi - t_lo) * (x - b) / (a - b);
    }
  }
  return 1.96;
}

}  // namespace ridesweep::analytics
