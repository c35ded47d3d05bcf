// Run summary: counts, the best points and the best configurations, ranked in the engine (run_summary.h).
#include "ridesweep/analytics/run_summary.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

#include "ridesweep/analytics/configuration_means.h"
#include "ridesweep/analytics/fixed_scale_health.h"
#include "ridesweep/analytics/metric_columns.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/analytics/views_in_memory.h"
#include "ridesweep/sweep/identifiers.h"

namespace ridesweep::analytics {
namespace {

// Committed points of one run: success metrics rows joined to their effective_parameters rows (the point commit
// marker) on run_date and the partition strings, like query_outcome_configuration_smoke.sql; a point stored under
// two run_dates (never written by one run; possible after manual copies) counts once. Ranked in the engine like
// sim::RankPoints (served first, then the fixed-scale score ${health_score}, ties to the lowest point index), so
// only the rows asked for (${limit}) travel. Portable SQL.
constexpr std::string_view kPointsSql = R"sql(
WITH metrics AS (
  SELECT *, ${health_score} AS health_score_value
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
),
joined AS (
  SELECT
    CAST(m.point_index AS BIGINT) AS point_index_value,
    CAST(m.shard_id AS BIGINT) AS shard_id_value,
    m.run_date AS run_date_value,
    m.*,
    p.parameter_fingerprint,
    p.effective_parameters_json,
    ROW_NUMBER() OVER (PARTITION BY m.point_index ORDER BY m.run_date) AS copy_number
  FROM metrics m
  JOIN parameters p
    ON p.run_date = m.run_date
    AND p.run_id_partition = m.run_id
    AND p.shard_id_partition = m.shard_id
    AND p.point_index_partition = m.point_index
)
SELECT *
FROM joined
WHERE copy_number = 1
ORDER BY completed_trips > 0 DESC, health_score_value DESC, point_index_value
${limit}
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

constexpr size_t kPointBatchRows = 4096;

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
  RIDESWEEP_ASSIGN_OR_RETURN(const CommittedCounts counts, CountCommitted(engine, database, run_id));
  summary.points_scored = counts.points;
  summary.configurations = counts.configurations;
  if (counts.points == 0) return summary;

  if (options.top_n > 0) {
    std::string sql(kPointsSql);
    ReplaceSqlFragment(sql, "${health_score}", FixedScaleHealthSql(options.weights));
    const bool every_point = options.top_n == std::numeric_limits<size_t>::max();
    ReplaceSqlFragment(sql, "${limit}", every_point ? "" : "LIMIT " + std::to_string(options.top_n));
    RIDESWEEP_ASSIGN_OR_RETURN(const std::string statement, Prepare(sql, database, run_id, "run summary points"));
    summary.top.reserve(std::min<uint64_t>(options.top_n, counts.points));
    // In batches: the report asks for every point, and a point's row as text is several times its struct.
    RIDESWEEP_RETURN_IF_ERROR(engine.RunInBatches(statement, kPointBatchRows, [&](QueryResult&& batch) -> Status {
      for (size_t row = 0; row < batch.rows.size(); ++row) {
        RIDESWEEP_ASSIGN_OR_RETURN(ScoredConfiguration point, ReadPoint(batch, row));
        point.health = sim::PointHealth(point.metrics, options.weights);
        summary.top.push_back(std::move(point));
      }
      return Status::Ok();
    }));
  }

  if (options.top_configurations > 0) {
    std::vector<std::string> metrics = {"health_score"};
    for (const MetricColumn& column : MetricColumns()) metrics.emplace_back(column.name);
    RIDESWEEP_ASSIGN_OR_RETURN(
        const std::vector<ConfigurationMeans> best,
        LoadBestConfigurationMeans(engine, database, run_id, metrics, options.top_configurations,
                                   options.weights));
    summary.top_configurations.reserve(best.size());
    for (const ConfigurationMeans& means : best) summary.top_configurations.push_back(StatsOf(means, metrics));
    MarkNotDistinguishableFromBest(summary.top_configurations);
  }
  return summary;
}

Result<RunSummary> SummarizeLocalRun(const LocalResultsLocation& location, const std::filesystem::path& sql_dir,
                                     std::string_view run_id, const RunSummaryOptions& options,
                                     std::string_view database, const DuckDbEngineOptions& engine_options) {
  // The run's manifest, read once: it scopes the views and sizes the run. A malformed run_id reads nothing of
  // the tree (SummarizeRun reports it).
  std::optional<ResolvedRun> run;
  if (sweep::MatchesRunIdPattern(run_id)) run = ResolveLocalRun(location.results_dir, location.results_prefix, run_id);
  RIDESWEEP_ASSIGN_OR_RETURN(
      std::unique_ptr<DuckDbQueryEngine> engine,
      DuckDbQueryEngine::OpenOverResults(run.has_value() ? ScopeToRun(location, *run) : location, sql_dir, database,
                                         engine_options));
  // The manifest's planned points bound what the run can hold on disk, finished, interrupted or still running
  // (the outcomes would not: an interrupted run has committed points without them). No manifest, no bound.
  if (options.read_once_max_points > 0 && run.has_value() && run->expected_points.has_value() &&
      *run->expected_points <= options.read_once_max_points) {
    constexpr std::string_view kSummaryViews[] = {"sweep_shard_outcomes", "sweep_shard_metrics",
                                                  "sweep_effective_parameters"};
    RIDESWEEP_RETURN_IF_ERROR(ReadViewsIntoMemory(*engine, database, kSummaryViews));
  }
  return SummarizeRun(*engine, database, run_id, options);
}

}  // namespace ridesweep::analytics
