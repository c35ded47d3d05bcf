// Replicates grouped by configuration: the points of a run that share their dimension values (the replicates of
// one configuration) reduced to n, and per metric the mean with a two-sided 95% Student-t interval
// (mean ± t(0.975, n − 1) · s / √n, s the sample standard deviation). Configurations are ranked by mean health
// score. The analysis built on top of this (comparisons, more statistics) lives elsewhere. Pure functions.
#ifndef RIDESWEEP_ANALYTICS_CONFIGURATION_SUMMARY_H_
#define RIDESWEEP_ANALYTICS_CONFIGURATION_SUMMARY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ridesweep::analytics {

// One selected dimension value of a point, as stored in effective_parameters_json.selected_dimensions.
struct DimensionValue {
  std::string name;
  std::string value_json;  // canonical JSON text of the value, e.g. `0.1`, `"hungarian"`, `true`

  friend bool operator==(const DimensionValue&, const DimensionValue&) = default;
};

struct ScoredConfiguration;  // run_summary.h

struct MeanInterval {
  double mean = 0;                   // meaningful only when n > 0
  std::optional<double> half_width;  // absent for n < 2 (no spread to estimate)
  size_t n = 0;                      // values averaged
  size_t missing = 0;                // replicates where the metric is missing (a time metric of a point that
                                     // served no one): excluded from the mean, counted here
};

struct ConfigurationStats {
  std::vector<DimensionValue> dimensions;  // the configuration, sorted by name
  uint64_t first_point_index = 0;          // lowest point index of its replicates
  size_t n = 0;                            // replicates found
  MeanInterval health_score;
  MeanInterval conversion_rate;
  MeanInterval platform_revenue;
  MeanInterval driver_payouts;
  MeanInterval avg_time_to_match_ms;
  MeanInterval avg_time_to_pickup_ms;
  MeanInterval completed_trips;
};

// t quantile 0.975 with `df` ≥ 1 degrees of freedom (exact table to 30, then interpolation in 1/df; error
// below 2e-4).
double StudentT975(uint64_t df);

// Mean and interval of `values` (n ≥ 1).
MeanInterval MeanWithInterval(std::span<const double> values);

// Groups `points` (health already scored) by dimension values; best mean health score first, ties to the lowest
// first_point_index.
std::vector<ConfigurationStats> SummarizeConfigurations(std::span<const ScoredConfiguration> points);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_CONFIGURATION_SUMMARY_H_
