// Per-configuration moments through SQL.
#include "ridesweep/analytics/configuration_means.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "ridesweep/analytics/fixed_scale_health.h"
#include "ridesweep/analytics/metric_columns.h"
#include "ridesweep/analytics/sql_placeholders.h"

namespace ridesweep::analytics {
namespace {

constexpr std::string_view kMetricNames[] = {
    "health_score",          "conversion_rate",       "platform_revenue", "driver_payouts", "avg_time_to_match_ms",
    "avg_time_to_pickup_ms", "completed_trips",  "match_rate",
};

// Committed points joined like run_summary.cc's, each with its configuration and its fixed-scale health score
// (${health_score}). The parameters JSON stays out (a few KB a point: aggregated by configuration, 200,000 of them
// held theirs in the hash table, ~400 MB); kFirstParametersSql fetches it for the configurations returned.
constexpr std::string_view kPointsCteSql = R"sql(
WITH metrics AS (
  SELECT *, ${health_score} AS health_score
  FROM ${database}.sweep_shard_metrics
  WHERE run_id = '${run_id}'
    AND status = 'success'
),
parameters AS (
  SELECT
    run_date,
    run_id_partition,
    shard_id_partition,
    point_index_partition,
    config_index
  FROM ${database}.sweep_effective_parameters
  WHERE run_id_partition = '${run_id}'
    AND status_partition = 'success'
),
points AS (
  SELECT
    COALESCE(p.config_index, CAST(m.point_index AS BIGINT)) AS configuration,
    CAST(m.point_index AS BIGINT) AS point_index_value,
    m.*
  FROM metrics m
  JOIN parameters p
    ON p.run_date = m.run_date
    AND p.run_id_partition = m.run_id
    AND p.shard_id_partition = m.shard_id
    AND p.point_index_partition = m.point_index
)
)sql";

// Grouped by configuration; the aggregates of the requested (checked) metrics are appended to the SELECT.
constexpr std::string_view kMeansSql = R"sql(
SELECT
  configuration,
  MIN(point_index_value) AS first_point_index,
  COUNT(*) AS points)sql";

// How many committed points and configurations the run has.
constexpr std::string_view kCountsSql = R"sql(
SELECT
  COUNT(DISTINCT point_index_value) AS points,
  COUNT(DISTINCT configuration) AS configurations
FROM points
)sql";

constexpr std::string_view kMeansGroupSql = R"sql(
FROM points
GROUP BY configuration
)sql";

// The committed parameters JSON of points (${point_filter}: an IN list of point_index partition values, or
// nothing for every point); a point stored under two run_dates gives one row.
constexpr std::string_view kFirstParametersSql = R"sql(
SELECT
  CAST(point_index_partition AS BIGINT) AS point_index_value,
  MIN(effective_parameters_json) AS parameters_json
FROM ${database}.sweep_effective_parameters
WHERE run_id_partition = '${run_id}'
  AND status_partition = 'success'
  ${point_filter}
GROUP BY CAST(point_index_partition AS BIGINT)
)sql";

// A ranked read of up to this many configurations reads their parameters with an IN list (partition pruning in the
// per-point layout); larger and unranked reads read every point's.
constexpr size_t kMaxListedPoints = 1000;


uint64_t NonNegative(int64_t value) { return value < 0 ? 0 : static_cast<uint64_t>(value); }

std::string PointsCte(const sim::HealthWeights& weights) {
  std::string sql(kPointsCteSql);
  ReplaceSqlFragment(sql, "${health_score}", FixedScaleHealthSql(weights));
  return sql;
}

}  // namespace

std::span<const std::string_view> ConfigurationMetricNames() { return kMetricNames; }

Status CheckConfigurationMetrics(std::span<const std::string> metrics) {
  for (const std::string& metric : metrics) {
    if (std::find(std::begin(kMetricNames), std::end(kMetricNames), metric) != std::end(kMetricNames)) continue;
    std::string known;
    for (std::string_view name : kMetricNames) known += (known.empty() ? "" : ", ") + std::string(name);
    return InvalidArgumentError("unknown metric '" + metric + "'; known metrics: " + known);
  }
  return Status::Ok();
}

namespace {

// The parameters JSON of each configuration's first point, by point index (rows of kMeansSql's result); with
// `list_points`, only those points' rows are read.
Result<std::unordered_map<uint64_t, std::string>> LoadFirstParameters(QueryEngine& engine,
                                                                      const PlaceholderValues& values,
                                                                      const QueryResult& configurations,
                                                                      bool list_points) {
  std::unordered_map<uint64_t, std::string> out;
  if (configurations.rows.empty()) return out;
  std::string filter;
  if (list_points) {
    for (size_t row = 0; row < configurations.rows.size(); ++row) {
      RIDESWEEP_ASSIGN_OR_RETURN(const int64_t first, configurations.Int64(row, "first_point_index"));
      filter += (filter.empty() ? "AND point_index_partition IN ('" : ", '") + std::to_string(first) + "'";
    }
    filter += ")";
  }
  std::string sql(kFirstParametersSql);
  ReplaceSqlFragment(sql, "${point_filter}", filter);
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string statement,
                             SubstitutePlaceholders(sql, values, "configuration parameters"));
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult r, engine.Run(statement));
  for (size_t row = 0; row < r.rows.size(); ++row) {
    RIDESWEEP_ASSIGN_OR_RETURN(const int64_t point, r.Int64(row, "point_index_value"));
    RIDESWEEP_ASSIGN_OR_RETURN(std::string json, r.Text(row, "parameters_json"));
    out.emplace(NonNegative(point), std::move(json));
  }
  return out;
}

// The moments of `metrics` (checked by the caller) per configuration, the rows in the order of `order_by` (an ORDER
// BY clause over the select list, LIMIT included); `list_points` as LoadFirstParameters'.
Result<std::vector<ConfigurationMeans>> LoadMeans(QueryEngine& engine, std::string_view database,
                                                  std::string_view run_id, std::span<const std::string> metrics,
                                                  std::string_view order_by, bool list_points,
                                                  const sim::HealthWeights& weights) {
  std::string sql = PointsCte(weights) + std::string(kMeansSql);
  for (size_t i = 0; i < metrics.size(); ++i) {
    const std::string& m = metrics[i];
    const std::string alias = "m" + std::to_string(i);
    sql += ",\n  COUNT(" + m + ") AS " + alias + "_n";
    sql += ",\n  COUNT(*) - COUNT(" + m + ") AS " + alias + "_missing";
    sql += ",\n  CAST(AVG(CAST(" + m + " AS DOUBLE)) AS DOUBLE) AS " + alias + "_mean";
    sql += ",\n  CAST(STDDEV_SAMP(CAST(" + m + " AS DOUBLE)) AS DOUBLE) AS " + alias + "_sd";
  }
  sql += kMeansGroupSql;
  sql += order_by;
  PlaceholderValues values;
  values.database = std::string(database);
  values.run_id = std::string(run_id);
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string statement,
                             SubstitutePlaceholders(sql, values, "configuration means"));
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult r, engine.Run(statement));
  RIDESWEEP_ASSIGN_OR_RETURN(const auto parameters, LoadFirstParameters(engine, values, r, list_points));
  std::vector<ConfigurationMeans> out;
  out.reserve(r.rows.size());
  for (size_t row = 0; row < r.rows.size(); ++row) {
    ConfigurationMeans c;
    RIDESWEEP_ASSIGN_OR_RETURN(const int64_t configuration, r.Int64(row, "configuration"));
    RIDESWEEP_ASSIGN_OR_RETURN(const int64_t first, r.Int64(row, "first_point_index"));
    RIDESWEEP_ASSIGN_OR_RETURN(const int64_t points, r.Int64(row, "points"));
    c.configuration = NonNegative(configuration);
    c.first_point_index = NonNegative(first);
    c.points = static_cast<size_t>(NonNegative(points));
    const auto json = parameters.find(c.first_point_index);
    if (json == parameters.end()) {
      return FailedPreconditionError("configuration " + std::to_string(c.configuration) + ": no parameters of point " +
                                     std::to_string(c.first_point_index));
    }
    RIDESWEEP_ASSIGN_OR_RETURN(c.dimensions,
                               SelectedDimensionsOf(json->second, "configuration " + std::to_string(c.configuration)));
    for (size_t i = 0; i < metrics.size(); ++i) {
      const std::string alias = "m" + std::to_string(i);
      MetricMoments m;
      RIDESWEEP_ASSIGN_OR_RETURN(const int64_t n, r.Int64(row, alias + "_n"));
      RIDESWEEP_ASSIGN_OR_RETURN(const int64_t missing, r.Int64(row, alias + "_missing"));
      m.moments.n = static_cast<size_t>(NonNegative(n));
      m.missing = static_cast<size_t>(NonNegative(missing));
      if (m.moments.n > 0) {
        RIDESWEEP_ASSIGN_OR_RETURN(m.moments.mean, r.Double(row, alias + "_mean"));
      }
      if (m.moments.n > 1) {
        RIDESWEEP_ASSIGN_OR_RETURN(const QueryCell sd, r.Cell(row, alias + "_sd"));
        if (sd.has_value()) {
          RIDESWEEP_ASSIGN_OR_RETURN(const double value, r.Double(row, alias + "_sd"));
          m.moments.sd = value;
        }
      }
      c.metrics.push_back(m);
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<std::vector<ConfigurationMeans>> LoadConfigurationMeans(QueryEngine& engine, std::string_view database,
                                                               std::string_view run_id,
                                                               std::span<const std::string> metrics) {
  RIDESWEEP_RETURN_IF_ERROR(CheckConfigurationMetrics(metrics));
  return LoadMeans(engine, database, run_id, metrics, "ORDER BY configuration\n", /*list_points=*/false,
                   sim::HealthWeights{});
}

Result<std::vector<ConfigurationMeans>> LoadBestConfigurationMeans(QueryEngine& engine, std::string_view database,
                                                                   std::string_view run_id,
                                                                   std::span<const std::string> metrics,
                                                                   size_t limit, const sim::HealthWeights& weights) {
  if (metrics.empty() || metrics.front() != "health_score") {
    return InvalidArgumentError("LoadBestConfigurationMeans: the first metric must be health_score");
  }
  for (size_t i = 1; i < metrics.size(); ++i) {
    if (FindMetricColumn(metrics[i]) == nullptr) {
      return InvalidArgumentError("LoadBestConfigurationMeans: '" + metrics[i] + "' is not a metric column");
    }
  }
  // m0 is health_score: best mean first, ties to the configuration whose first point comes first.
  std::string order_by = "ORDER BY m0_mean DESC, first_point_index\n";
  if (limit != std::numeric_limits<size_t>::max()) order_by += "LIMIT " + std::to_string(limit) + "\n";
  return LoadMeans(engine, database, run_id, metrics, order_by, limit <= kMaxListedPoints, weights);
}

ConfigurationStats StatsOf(const ConfigurationMeans& means, std::span<const std::string> metrics) {
  ConfigurationStats stats;
  stats.dimensions = means.dimensions;
  stats.first_point_index = means.first_point_index;
  stats.n = means.points;
  for (size_t i = 0; i < metrics.size() && i < means.metrics.size(); ++i) {
    const MetricMoments& m = means.metrics[i];
    MeanInterval interval = MeanWithInterval(m.moments.n, m.moments.mean, m.moments.sd);
    interval.missing = m.missing;
    if (metrics[i] == "health_score") {
      stats.health_score = interval;
    } else if (const MetricColumn* column = FindMetricColumn(metrics[i])) {
      stats.metrics.push_back({column->name, interval});
    }
  }
  stats.SetShortcuts();
  return stats;
}

Result<CommittedCounts> CountCommitted(QueryEngine& engine, std::string_view database, std::string_view run_id) {
  PlaceholderValues values;
  values.database = std::string(database);
  values.run_id = std::string(run_id);
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string statement,
                             SubstitutePlaceholders(PointsCte({}) + std::string(kCountsSql), values,
                                                    "committed counts"));
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult r, engine.Run(statement));
  if (r.rows.size() != 1) return FailedPreconditionError("committed counts returned no row");
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t points, r.Int64(0, "points"));
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t configurations, r.Int64(0, "configurations"));
  return CommittedCounts{NonNegative(points), NonNegative(configurations)};
}

}  // namespace ridesweep::analytics
