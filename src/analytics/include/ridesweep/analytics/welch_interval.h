// The difference of two sample means with its two-sided 95% Welch interval: the comparison of one configuration's
// replicates in two runs (`ridesweep compare`). Unequal variances are allowed; the degrees of freedom are
// Welch–Satterthwaite's, rounded down to a whole number before the Student-t quantile (StudentT975 of
// configuration_summary.h), which widens the interval slightly rather than narrowing it. Pure functions.
#ifndef RIDESWEEP_ANALYTICS_WELCH_INTERVAL_H_
#define RIDESWEEP_ANALYTICS_WELCH_INTERVAL_H_

#include <cstddef>
#include <optional>

namespace ridesweep::analytics {

// n values summarised by their mean and sample standard deviation (n − 1 in the denominator).
struct SampleMoments {
  size_t n = 0;
  double mean = 0;                 // meaningful only when n > 0
  std::optional<double> sd;        // absent for n < 2
};

struct WelchDifference {
  double difference = 0;             // mean of b − mean of a
  std::optional<double> half_width;  // t · √(s_a²/n_a + s_b²/n_b); absent when a side has fewer than 2 values
  std::optional<double> df;          // Welch–Satterthwaite degrees of freedom (unrounded); absent with the
                                     // half-width, and when both sides have no spread at all
  // True when the interval [difference ± half_width] leaves out 0. With no spread on either side the
  // half-width is 0 and any non-zero difference excludes 0. False without an interval.
  bool excludes_zero = false;
};

// REQUIRES: a.n > 0 and b.n > 0.
WelchDifference WelchInterval(const SampleMoments& a, const SampleMoments& b);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_WELCH_INTERVAL_H_
