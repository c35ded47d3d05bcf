// Statistics by configuration: the points of a run that share their dimension values (the replicates of one
// configuration) reduced to n, and per metric n, mean, sample standard deviation and a two-sided 95% Student-t
// interval (mean ± t(0.975, n − 1) · s / √n; student_t.h). A missing value (NULL in shard_metrics) is left out
// of that metric's statistics and counted. The health score is the fixed-scale score of sim/health.h, so
// a configuration scores the same in any run. Configurations are ranked by mean health score; one whose score
// interval overlaps the best configuration's is marked "not distinguishable from the best" (docs/analysis.md).
// Used by the run summary, `status --json`, the report and comparisons. Pure functions.
#ifndef RIDESWEEP_ANALYTICS_CONFIGURATION_SUMMARY_H_
#define RIDESWEEP_ANALYTICS_CONFIGURATION_SUMMARY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/student_t.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sim/health.h"

namespace ridesweep::analytics {

// One selected dimension value of a point, as stored in effective_parameters_json.selected_dimensions.
struct DimensionValue {
  std::string name;
  std::string value_json;  // canonical JSON text of the value, e.g. `0.1`, `"hungarian"`, `true`

  friend bool operator==(const DimensionValue&, const DimensionValue&) = default;
};

// The selected_dimensions of an effective_parameters_json text, sorted by name. `owner` names the row in errors
// ("point 3", "configuration 2"): kFailedPrecondition "effective_parameters_json of <owner> is not JSON: …".
Result<std::vector<DimensionValue>> SelectedDimensionsOf(std::string_view effective_parameters_json,
                                                         std::string_view owner);

struct ScoredConfiguration;  // run_summary.h

struct MeanInterval {
  double mean = 0;                   // meaningful only when n > 0
  std::optional<double> sd;          // sample standard deviation (n − 1 in the denominator); absent for n < 2
  std::optional<double> half_width;  // absent for n < 2 (no spread to estimate)
  size_t n = 0;                      // values averaged
  size_t missing = 0;                // replicates where the metric is missing: excluded, counted here

  std::optional<double> low() const { return half_width ? std::optional<double>(mean - *half_width) : std::nullopt; }
  std::optional<double> high() const { return half_width ? std::optional<double>(mean + *half_width) : std::nullopt; }
};

struct MetricStats {
  std::string_view name;  // a MetricColumns() name
  MeanInterval stats;
};

struct ConfigurationStats {
  std::vector<DimensionValue> dimensions;  // the configuration, sorted by name
  uint64_t first_point_index = 0;          // lowest point index of its replicates
  size_t n = 0;                            // replicates found
  MeanInterval health_score;               // over the replicates' fixed-scale scores
  // True for the best configuration and every one whose health interval overlaps the best one's; false when the
  // intervals are apart; absent when this configuration or the best has no interval (n < 2).
  std::optional<bool> not_distinguishable_from_best;
  std::vector<MetricStats> metrics;  // every MetricColumns() metric, in that order
  // Shortcuts into `metrics` for the summaries that print them.
  MeanInterval conversion_rate;
  MeanInterval platform_revenue;
  MeanInterval driver_payouts;
  MeanInterval avg_time_to_match_ms;
  MeanInterval avg_time_to_pickup_ms;
  MeanInterval completed_trips;

  // The statistics of metric `name`; nullptr when it is not a MetricColumns() name.
  const MeanInterval* Metric(std::string_view name) const;
  // Fills the shortcuts from `metrics` (n = 0 for a metric it does not have).
  void SetShortcuts();
};

// Mean, sd and interval of `values` (n ≥ 1).
MeanInterval MeanWithInterval(std::span<const double> values);
// The same from n values' mean and sample standard deviation (no interval for n < 2 or without sd).
MeanInterval MeanWithInterval(size_t n, double mean, std::optional<double> sd);

// Sets not_distinguishable_from_best on configurations ranked best first (docs/analysis.md).
void MarkNotDistinguishableFromBest(std::span<ConfigurationStats> ranked);

// Groups `points` by dimension values, scores each replicate with sim::PointHealth(metrics, weights) and ranks
// the configurations: best mean health score first, ties to the lowest first_point_index.
std::vector<ConfigurationStats> SummarizeConfigurations(std::span<const ScoredConfiguration> points,
                                                        const sim::HealthWeights& weights = {});

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_CONFIGURATION_SUMMARY_H_
