// The comparison of two runs (`ridesweep compare RUN_A RUN_B`): configurations are matched by the values of the
// dimensions that vary (take two or more values) in either run, compared as canonical JSON; dimensions with a
// single value in both runs are the fixed settings of each run and are listed when they differ (the change under
// test, e.g. num_riders 300 → 600), not matched. Then per matched configuration and metric the two means,
// the difference B − A and its 95% Welch interval (welch_interval.h) are reported; per metric, how many of the
// differences exclude 0. Configurations of only one run are counted, not compared. Renderings: a plain-text table,
// canonical JSON and CSV (one row per configuration and metric). Pure functions.
#ifndef RIDESWEEP_ANALYTICS_RUN_COMPARISON_H_
#define RIDESWEEP_ANALYTICS_RUN_COMPARISON_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ridesweep/analytics/configuration_means.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/base/status.h"
#include "ridesweep/analytics/welch_interval.h"

namespace ridesweep::analytics {

struct MetricComparison {
  MetricMoments a;
  MetricMoments b;
  std::optional<WelchDifference> welch;  // absent when either side has no value of the metric
};

struct ConfigurationComparison {
  std::vector<DimensionValue> dimensions;  // sorted by name
  uint64_t configuration_a = 0;
  uint64_t configuration_b = 0;
  size_t points_a = 0;
  size_t points_b = 0;
  std::vector<MetricComparison> metrics;  // parallel to RunComparison::metrics
};

// A dimension fixed in both runs (one value each, or absent from one) whose values differ.
struct FixedDifference {
  std::string name;
  std::optional<std::string> value_a;  // canonical JSON; absent when run A does not have the dimension
  std::optional<std::string> value_b;
};

struct RunComparison {
  std::string run_a;
  std::string run_b;
  std::vector<std::string> metrics;
  size_t configurations_a = 0;
  size_t configurations_b = 0;
  std::vector<std::string> matched_on;           // the varying dimensions, sorted
  std::vector<FixedDifference> fixed_differences;  // sorted by name
  std::vector<ConfigurationComparison> matched;  // in run A's configuration order; dimensions = matched_on
  // Per metric (parallel to `metrics`): matched configurations whose interval excludes 0, and those with an
  // interval at all (both sides with at least two values).
  std::vector<size_t> excluding_zero;
  std::vector<size_t> with_interval;
};

// REQUIRES: every ConfigurationMeans holds one MetricMoments per entry of `metrics`.
RunComparison CompareConfigurations(std::string run_a, std::string run_b, std::span<const std::string> metrics,
                                    std::span<const ConfigurationMeans> a, std::span<const ConfigurationMeans> b);

// InvalidArgument `runs A and B have different designs (grid, latin_hypercube with 50 samples): their
// configurations are not comparable` when both manifests are found and their designs (type and sample count)
// differ; OK otherwise (a run without a readable manifest is not checked).
Status CheckComparableDesigns(const ResolvedRun& a, const ResolvedRun& b);

// `runs A and B share no configuration (A has dimensions x, y; B has x, z); configurations match when the
// dimensions that vary in either run (x, y) have equal values`.
std::string NoSharedConfigurationMessage(const RunComparison& comparison, std::span<const ConfigurationMeans> a,
                                         std::span<const ConfigurationMeans> b);

// `num_drivers=50 commission_rate=0.05` (names sorted; strings unquoted); `(no dimensions)` for none.
std::string ConfigurationLabel(const std::vector<DimensionValue>& dimensions);

// A header naming the runs and counts, a per-metric line of differences that exclude 0, then one line per
// configuration and metric (`*` marks an interval that excludes 0).
std::string ComparisonTable(const RunComparison& comparison);

// {"configurations":{…},"difference":"B - A",…,"metrics":[…],"rows":[…]} (canonical JSON, one line).
std::string ComparisonJson(const RunComparison& comparison);

// Header `<dimension columns…>,metric,n_a,mean_a,sd_a,missing_a,n_b,mean_b,sd_b,missing_b,difference,ci_low,
// ci_high,df,excludes_zero`, one row per configuration and metric; empty cells where a value is undefined.
std::string ComparisonCsv(const RunComparison& comparison);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_RUN_COMPARISON_H_
