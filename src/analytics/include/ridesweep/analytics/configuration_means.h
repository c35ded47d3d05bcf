// Per-configuration sample moments of a run, computed by SQL: the committed points (success shard_metrics rows
// joined with their effective_parameters rows) grouped by config_index — the replicates of one configuration —
// with COUNT, AVG and STDDEV_SAMP of each chosen metric, so the numbers equal what `ridesweep query` returns for
// the same GROUP BY. A run written before replications (no config_index) has one configuration per point. The
// dimension values of a configuration come from its points' effective_parameters_json. Used by
// `ridesweep compare` and the report's intervals. Works on any QueryEngine whose tables show the run (portable
// SQL, like the query files).
#ifndef RIDESWEEP_ANALYTICS_CONFIGURATION_MEANS_H_
#define RIDESWEEP_ANALYTICS_CONFIGURATION_MEANS_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/configuration_summary.h"
#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/analytics/welch_interval.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sim/health.h"

namespace ridesweep::analytics {

// The metrics that have per-configuration statistics, in display order: health_score (the fixed-scale score of
// sim/health.h, computed per point, so it compares across runs), then the shard_metrics columns
// conversion_rate, platform_revenue, driver_payouts, avg_time_to_match_ms, avg_time_to_pickup_ms, completed_trips,
// match_rate.
std::span<const std::string_view> ConfigurationMetricNames();

struct MetricMoments {
  SampleMoments moments;  // over the replicates where the metric is present
  size_t missing = 0;     // replicates where it is NULL (a time metric of a point that served no one)
};

struct ConfigurationMeans {
  uint64_t configuration = 0;              // config_index (the point index for runs without one)
  uint64_t first_point_index = 0;          // lowest point index of its replicates
  size_t points = 0;                       // committed replicates
  std::vector<DimensionValue> dimensions;  // sorted by name
  std::vector<MetricMoments> metrics;      // one per requested metric, in request order
};

// InvalidArgument `unknown metric '<m>'; known metrics: <list>` when a name is not in ConfigurationMetricNames().
Status CheckConfigurationMetrics(std::span<const std::string> metrics);

// Configurations of `run_id` in ascending configuration order. Errors: CheckConfigurationMetrics'; the engine's;
// FailedPrecondition when a row cannot be read back (e.g. malformed effective_parameters_json). A run with no
// committed point gives an empty vector.
Result<std::vector<ConfigurationMeans>> LoadConfigurationMeans(QueryEngine& engine, std::string_view database,
                                                               std::string_view run_id,
                                                               std::span<const std::string> metrics);

// At most `limit` configurations of `run_id` (std::numeric_limits<size_t>::max() for all), best first by mean
// health score, ties to the lowest first point index: the ranking runs in the engine, so only the rows asked for
// travel. `metrics` starts with health_score, then any MetricColumns() names. InvalidArgument otherwise.
Result<std::vector<ConfigurationMeans>> LoadBestConfigurationMeans(QueryEngine& engine, std::string_view database,
                                                                   std::string_view run_id,
                                                                   std::span<const std::string> metrics,
                                                                   size_t limit,
                                                                   const sim::HealthWeights& weights = {});

// The statistics of one configuration loaded with `metrics` (health_score first, then MetricColumns() names):
// each metric's moments as MeanWithInterval's interval; metrics that are not MetricColumns() names are left out.
ConfigurationStats StatsOf(const ConfigurationMeans& means, std::span<const std::string> metrics);

struct CommittedCounts {
  uint64_t points = 0;          // committed points (distinct point indices)
  uint64_t configurations = 0;  // distinct configurations among them
};

// Counted in the engine.
Result<CommittedCounts> CountCommitted(QueryEngine& engine, std::string_view database, std::string_view run_id);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_CONFIGURATION_MEANS_H_
