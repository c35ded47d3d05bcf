// The Student-t quantile the 95% intervals need: t(0.975, df), two-sided 95%. Used by the per-configuration
// statistics (configuration_summary.h) and by comparisons of two configurations (Welch's test). Pure function.
#ifndef RIDESWEEP_ANALYTICS_STUDENT_T_H_
#define RIDESWEEP_ANALYTICS_STUDENT_T_H_

#include <cstdint>

namespace ridesweep::analytics {

// t quantile 0.975 with `df` ≥ 1 degrees of freedom: the published table to df = 30, then linear interpolation
// in 1/df between the table's anchors (30, 40, 60, 120, ∞); error below 2e-4. NaN for df = 0.
// query_configuration_summary.sql carries the same table and interpolation.
double StudentT975(uint64_t df);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_STUDENT_T_H_
