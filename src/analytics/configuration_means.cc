// Per-configuration moments through SQL.
#include "ridesweep/analytics/configuration_means.h"

#include <algorithm>

#include "ridesweep/analytics/fixed_scale_health.h"
#include "ridesweep/analytics/sql_placeholders.h"

namespace ridesweep::analytics {
namespace {

constexpr std::string_view kMetricNames[] = {
    "health_score",          "conversion_rate",       "platform_revenue", "driver_payouts", "avg_time_to_match_ms",
    "avg_time_to_pickup_ms", "completed_trips",  "match_rate",
};

// Committed points joined like run_summary.cc's, each with its fixed-scale health score (${health_score}),
// grouped by configuration; the aggregates of the requested (checked) metrics are appended to the SELECT.
constexpr std::string_view kMeansSql = R"sql(
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
    effective_parameters_json
  FROM ${database}.sweep_effective_parameters
  WHERE run_id_partition = '${run_id}'
    AND status_partition = 'success'
),
points AS (
  SELECT
    COALESCE(m.config_index, CAST(m.point_index AS BIGINT)) AS configuration,
    CAST(m.point_index AS BIGINT) AS point_index_value,
    p.effective_parameters_json,
    m.*
  FROM metrics m
  JOIN parameters p
    ON p.run_date = m.run_date
    AND p.run_id_partition = m.run_id
    AND p.shard_id_partition = m.shard_id
    AND p.point_index_partition = m.point_index
)
SELECT
  configuration,
  MIN(point_index_value) AS first_point_index,
  COUNT(*) AS points,
  MIN(effective_parameters_json) AS parameters_json)sql";

constexpr std::string_view kMeansTailSql = R"sql(
FROM points
GROUP BY configuration
ORDER BY configuration
)sql";

uint64_t NonNegative(int64_t value) { return value < 0 ? 0 : static_cast<uint64_t>(value); }


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

Result<std::vector<ConfigurationMeans>> LoadConfigurationMeans(QueryEngine& engine, std::string_view database,
                                                               std::string_view run_id,
                                                               std::span<const std::string> metrics) {
  RIDESWEEP_RETURN_IF_ERROR(CheckConfigurationMetrics(metrics));
  std::string sql(kMeansSql);
  const std::string health_placeholder = "${health_score}";
  sql.replace(sql.find(health_placeholder), health_placeholder.size(), FixedScaleHealthSql());
  for (size_t i = 0; i < metrics.size(); ++i) {
    const std::string& m = metrics[i];
    const std::string alias = "m" + std::to_string(i);
    sql += ",\n  COUNT(" + m + ") AS " + alias + "_n";
    sql += ",\n  COUNT(*) - COUNT(" + m + ") AS " + alias + "_missing";
    sql += ",\n  CAST(AVG(CAST(" + m + " AS DOUBLE)) AS DOUBLE) AS " + alias + "_mean";
    sql += ",\n  CAST(STDDEV_SAMP(CAST(" + m + " AS DOUBLE)) AS DOUBLE) AS " + alias + "_sd";
  }
  sql += kMeansTailSql;
  PlaceholderValues values;
  values.database = std::string(database);
  values.run_id = std::string(run_id);
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string statement,
                             SubstitutePlaceholders(sql, values, "configuration means"));
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult r, engine.Run(statement));
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
    RIDESWEEP_ASSIGN_OR_RETURN(const std::string json, r.Text(row, "parameters_json"));
    RIDESWEEP_ASSIGN_OR_RETURN(c.dimensions, SelectedDimensionsOf(json, "configuration " + std::to_string(c.configuration)));
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

}  // namespace ridesweep::analytics
