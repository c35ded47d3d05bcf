// Welch's interval for a difference of means.
#include "ridesweep/analytics/welch_interval.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "ridesweep/analytics/configuration_summary.h"

namespace ridesweep::analytics {

WelchDifference WelchInterval(const SampleMoments& a, const SampleMoments& b) {
  WelchDifference out;
  out.difference = b.mean - a.mean;
  if (a.n < 2 || b.n < 2 || !a.sd || !b.sd) return out;
  const double va = *a.sd * *a.sd / static_cast<double>(a.n);
  const double vb = *b.sd * *b.sd / static_cast<double>(b.n);
  const double se2 = va + vb;
  if (se2 <= 0) {
    out.half_width = 0.0;
    out.excludes_zero = out.difference != 0;
    return out;
  }
  // Welch–Satterthwaite.
  const double df = se2 * se2 /
                    (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
  out.df = df;
  const auto whole_df = static_cast<uint64_t>(std::max(1.0, std::floor(df)));
  out.half_width = StudentT975(whole_df) * std::sqrt(se2);
  out.excludes_zero = std::fabs(out.difference) > *out.half_width;
  return out;
}

}  // namespace ridesweep::analytics
