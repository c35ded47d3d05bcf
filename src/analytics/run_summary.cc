// Run summary: committed points read back through SQL, scored with sim::HealthScores (fixed reference scales), ranked.
#include "ridesweep/analytics/run_summary.h"

#include <memory>
#include <set>
#include <utility>

#include "ridesweep/analytics/sql_placeholders.h"

namespace ridesweep::analytics {
namespace {

// Committed points of one run: success metrics rows joined to their effective_parameters rows (the point commit
// marker) on run_date and the partition strings, like query_outcome_configuration_smoke.sql. Portable SQL.
constexpr std::string_view kPointsSql = R"sql(
WITH metrics AS (
  SELECT *
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
    parameter_fingerprint,
    -- Only the selected dimensions travel: the whole JSON (every resolved parameter, a few KB a point) held for
    -- every point of a 200,000-point run cost gigabytes.
    '{"selected_dimensions":' || CAST(json_extract(effective_parameters_json, '$.selected_dimensions') AS VARCHAR)
      || '}' AS effective_parameters_json
  FROM ${database}.sweep_effective_parameters
  WHERE run_id_partition = '${run_id}'
    AND status_partition = 'success'
)
SELECT
  CAST(m.point_index AS BIGINT) AS point_index_value,
  CAST(m.shard_id AS BIGINT) AS shard_id_value,
  m.run_date AS run_date_value,
  m.*,
  p.parameter_fingerprint,
  p.effective_parameters_json
FROM metrics m
JOIN parameters p
  ON p.run_date = m.run_date
  AND p.run_id_partition = m.run_id
  AND p.shard_id_partition = m.shard_id
  AND p.point_index_partition = m.point_index
ORDER BY CAST(m.point_index AS BIGINT), m.run_date
)sql";

// Outcome totals per shard: a shard counts as failed only without any success record.
constexpr std::string_view kTotalsSql = R"sql(
WITH per_shard AS (
  SELECT
    shard_id_partition AS shard_key,
    MAX(CASE WHEN status_partition = 'success' THEN 1 ELSE 0 END) AS has_success,
    MAX(CASE WHEN status_partition = 'success' THEN points_processed END) AS success_points,
    MAX(end_index_exclusive - start_index) AS shard_points
  FROM ${database}.sweep_shard_outcomes
  WHERE run_id_partition = '${run_id}'
  GROUP BY shard_id_partition
)
SELECT
  CAST(COALESCE(SUM(has_success), 0) AS BIGINT) AS shards_succeeded,
  CAST(COALESCE(SUM(1 - has_success), 0) AS BIGINT) AS shards_failed,
  CAST(COALESCE(SUM(CASE WHEN has_success = 1 THEN COALESCE(success_points, 0) ELSE 0 END), 0) AS BIGINT)
    AS points_succeeded,
  CAST(COALESCE(SUM(CASE WHEN has_success = 0 THEN shard_points ELSE 0 END), 0) AS BIGINT) AS points_failed
FROM per_shard
)sql";

struct IntColumn {
  std::string_view name;
  int64_t sim::PointMetrics::*field;
};
struct DoubleColumn {
  std::string_view name;
  double sim::PointMetrics::*field;
};

struct OptionalDoubleColumn {
  std::string_view name;
  std::optional<double> sim::PointMetrics::*field;
};

constexpr IntColumn kIntColumns[] = {
    {"total_riders", &sim::PointMetrics::total_riders},
    {"total_drivers", &sim::PointMetrics::total_drivers},
    {"completed_riders", &sim::PointMetrics::completed_riders},
    {"abandoned_quote_riders", &sim::PointMetrics::abandoned_quote_riders},
    {"cancelled_riders", &sim::PointMetrics::cancelled_riders},
    {"completed_trips", &sim::PointMetrics::completed_trips},
    {"riders_abandoned_price", &sim::PointMetrics::riders_abandoned_price},
    {"riders_abandoned_eta", &sim::PointMetrics::riders_abandoned_eta},
    {"riders_abandoned_stochastic", &sim::PointMetrics::riders_abandoned_stochastic},
    {"riders_spawned", &sim::PointMetrics::riders_spawned},
    {"riders_unresolved", &sim::PointMetrics::riders_unresolved},
    {"trips_cancelled", &sim::PointMetrics::trips_cancelled},
    {"events_processed", &sim::PointMetrics::events_processed},
    {"final_sim_time_ms", &sim::PointMetrics::final_sim_time_ms},
    {"riders_abandoned_no_driver", &sim::PointMetrics::riders_abandoned_no_driver},
};

constexpr DoubleColumn kDoubleColumns[] = {
    {"conversion_rate", &sim::PointMetrics::conversion_rate},
    {"platform_revenue", &sim::PointMetrics::platform_revenue},
    {"driver_payouts", &sim::PointMetrics::driver_payouts},
    {"total_fares_collected", &sim::PointMetrics::total_fares_collected},
};

// Missing when there is nothing to average (NULL in the table).
constexpr OptionalDoubleColumn kOptionalDoubleColumns[] = {
    {"avg_time_to_match_ms", &sim::PointMetrics::avg_time_to_match_ms},
    {"median_time_to_match_ms", &sim::PointMetrics::median_time_to_match_ms},
    {"p90_time_to_match_ms", &sim::PointMetrics::p90_time_to_match_ms},
    {"avg_time_to_pickup_ms", &sim::PointMetrics::avg_time_to_pickup_ms},
    {"median_time_to_pickup_ms", &sim::PointMetrics::median_time_to_pickup_ms},
    {"p90_time_to_pickup_ms", &sim::PointMetrics::p90_time_to_pickup_ms},
    {"match_rate", &sim::PointMetrics::match_rate},
    {"share_matched_within_60s", &sim::PointMetrics::share_matched_within_60s},
    {"share_matched_within_180s", &sim::PointMetrics::share_matched_within_180s},
};

Result<std::string> Prepare(std::string_view sql, std::string_view database, std::string_view run_id,
                            std::string_view name) {
  PlaceholderValues values;
  values.database = std::string(database);
  values.run_id = std::string(run_id);
  return SubstitutePlaceholders(sql, values, name);
}

uint64_t NonNegative(int64_t value) { return value < 0 ? 0 : static_cast<uint64_t>(value); }


Result<ScoredConfiguration> ReadPoint(const QueryResult& result, size_t row) {
  ScoredConfiguration point;
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t point_index, result.Int64(row, "point_index_value"));
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t shard_id, result.Int64(row, "shard_id_value"));
  point.point_index = NonNegative(point_index);
  point.shard_id = NonNegative(shard_id);
  RIDESWEEP_ASSIGN_OR_RETURN(point.run_date, result.Text(row, "run_date_value"));
  RIDESWEEP_ASSIGN_OR_RETURN(point.parameter_fingerprint, result.Text(row, "parameter_fingerprint"));
  for (const IntColumn& column : kIntColumns) {
    RIDESWEEP_ASSIGN_OR_RETURN(point.metrics.*column.field, result.Int64(row, column.name));
  }
  for (const DoubleColumn& column : kDoubleColumns) {
    RIDESWEEP_ASSIGN_OR_RETURN(point.metrics.*column.field, result.Double(row, column.name));
  }
  for (const OptionalDoubleColumn& column : kOptionalDoubleColumns) {
    RIDESWEEP_ASSIGN_OR_RETURN(const QueryCell cell, result.Cell(row, column.name));
    if (cell.has_value()) {
      RIDESWEEP_ASSIGN_OR_RETURN(point.metrics.*column.field, result.Double(row, column.name));
    } else {
      (point.metrics.*column.field).reset();
    }
  }
  RIDESWEEP_ASSIGN_OR_RETURN(point.metrics.truncated, result.Bool(row, "truncated"));
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string json, result.Text(row, "effective_parameters_json"));
  RIDESWEEP_ASSIGN_OR_RETURN(point.dimensions, SelectedDimensionsOf(json, "point " + std::to_string(point.point_index)));
  return point;
}

Result<RunTotals> ReadTotals(QueryEngine& engine, std::string_view database, std::string_view run_id) {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string sql, Prepare(kTotalsSql, database, run_id, "run summary totals"));
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult result, engine.Run(sql));
  if (result.rows.size() != 1) return FailedPreconditionError("run summary totals returned no row");
  RunTotals totals;
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t shards_succeeded, result.Int64(0, "shards_succeeded"));
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t shards_failed, result.Int64(0, "shards_failed"));
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t points_succeeded, result.Int64(0, "points_succeeded"));
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t points_failed, result.Int64(0, "points_failed"));
  totals.shards_succeeded = NonNegative(shards_succeeded);
  totals.shards_failed = NonNegative(shards_failed);
  totals.points_succeeded = NonNegative(points_succeeded);
  totals.points_failed = NonNegative(points_failed);
  return totals;
}

}  // namespace

Result<RunSummary> SummarizeRun(QueryEngine& engine, std::string_view database, std::string_view run_id,
                                const RunSummaryOptions& options) {
  RunSummary summary;
  summary.run_id = std::string(run_id);
  RIDESWEEP_ASSIGN_OR_RETURN(summary.totals, ReadTotals(engine, database, run_id));

  RIDESWEEP_ASSIGN_OR_RETURN(const std::string sql, Prepare(kPointsSql, database, run_id, "run summary points"));
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult result, engine.Run(sql));
  std::vector<ScoredConfiguration> points;
  points.reserve(result.rows.size());
  std::set<uint64_t> seen;
  for (size_t row = 0; row < result.rows.size(); ++row) {
    RIDESWEEP_ASSIGN_OR_RETURN(ScoredConfiguration point, ReadPoint(result, row));
    // A point stored under two run_dates (never written by one run; possible after manual copies) counts once.
    if (!seen.insert(point.point_index).second) continue;
    points.push_back(std::move(point));
  }
  summary.points_scored = points.size();

  std::vector<sim::PointMetrics> metrics;
  metrics.reserve(points.size());
  for (const ScoredConfiguration& point : points) metrics.push_back(point.metrics);
  const std::vector<sim::HealthComponents> scores = sim::HealthScores(metrics, options.weights);
  for (size_t i = 0; i < points.size(); ++i) points[i].health = scores[i];
  std::vector<ConfigurationStats> by_configuration = SummarizeConfigurations(points, options.weights);
  summary.configurations = by_configuration.size();
  if (by_configuration.size() > options.top_n) by_configuration.resize(options.top_n);
  summary.top_configurations = std::move(by_configuration);
  // RankPoints breaks ties by position, and positions follow point_index, so ties go to the lowest index.
  for (size_t position : sim::RankPoints(scores)) {
    if (summary.top.size() >= options.top_n) break;
    summary.top.push_back(points[position]);
  }
  return summary;
}

Result<RunSummary> SummarizeLocalRun(const LocalResultsLocation& location, const std::filesystem::path& sql_dir,
                                     std::string_view run_id, const RunSummaryOptions& options,
                                     std::string_view database, const DuckDbEngineOptions& engine_options) {
  RIDESWEEP_ASSIGN_OR_RETURN(std::unique_ptr<DuckDbQueryEngine> engine,
                             DuckDbQueryEngine::OpenOverResults(ScopeToRun(location, run_id), sql_dir, database,
                                                                engine_options));
  return SummarizeRun(*engine, database, run_id, options);
}

}  // namespace ridesweep::analytics
