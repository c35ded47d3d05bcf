// Loading the HTML report's data: portable SQL over the six tables, query_run_level_profile.sql as is, and the
// run summary's scored points.
#include "ridesweep/analytics/report_data.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "ridesweep/analytics/run_query.h"
#include "ridesweep/analytics/sql_files.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/design.h"

namespace ridesweep::analytics {
namespace {

// One row: what the run's accepted submissions recorded (several rows after idempotent resubmissions; their
// fingerprints are equal, so MAX picks the value).
constexpr std::string_view kContextSql = R"sql(
SELECT
  COUNT(*) AS context_rows,
  MAX(run_date) AS run_date,
  MAX(request_fingerprint) AS request_fingerprint,
  MAX(config_fingerprint) AS config_fingerprint,
  MAX(request_source) AS request_source,
  MAX(total_points) AS total_points,
  MAX(shard_count) AS shard_count
FROM ${database}.sweep_run_context
WHERE run_id_partition = '${run_id}'
)sql";

// Every outcome record of the run, numeric shard order, success before failure.
constexpr std::string_view kShardsSql = R"sql(
SELECT
  CAST(shard_id_partition AS BIGINT) AS shard_id_value,
  status_partition AS status_value,
  start_index,
  end_index_exclusive,
  points_processed,
  attempt,
  event_time,
  completed_time,
  CAST(
    date_diff('millisecond', from_iso8601_timestamp(event_time), from_iso8601_timestamp(completed_time))
    AS BIGINT
  ) AS duration_ms,
  error_code,
  error_message,
  run_date
FROM ${database}.sweep_shard_outcomes
WHERE run_id_partition = '${run_id}'
ORDER BY CAST(shard_id_partition AS BIGINT), status_partition DESC, run_date
)sql";

// Wall time of the run from its success records: first batch start to last completion, like
// query_run_level_profile.sql's run window but in milliseconds.
constexpr std::string_view kWallTimeSql = R"sql(
SELECT
  CAST(
    date_diff(
      'millisecond',
      MIN(CASE WHEN status_partition = 'success' THEN from_iso8601_timestamp(event_time) END),
      MAX(CASE WHEN status_partition = 'success' THEN from_iso8601_timestamp(completed_time) END)
    ) AS BIGINT
  ) AS wall_time_ms,
  CAST(COALESCE(SUM(CASE WHEN status_partition = 'success' THEN points_processed ELSE 0 END), 0) AS BIGINT)
    AS successful_points
FROM ${database}.sweep_shard_outcomes
WHERE run_id_partition = '${run_id}'
)sql";

// DO NOT REORDER: snapshot_counts columns after timestamp_ms, in table order (spec/sweep.md §10.5).
constexpr std::string_view kSnapshotColumns[] = {
    "riders_browsing", "riders_waiting",     "riders_in_transit", "riders_completed", "riders_cancelled",
    "drivers_idle",    "drivers_evaluating", "drivers_en_route",  "drivers_on_trip",  "drivers_off_duty",
    "trips_en_route",  "trips_on_trip",      "trips_completed",   "trips_cancelled",
};

Result<std::string> Prepare(std::string_view sql, std::string_view database, std::string_view run_id,
                            std::string_view name) {
  PlaceholderValues values;
  values.database = std::string(database);
  values.run_id = std::string(run_id);
  return SubstitutePlaceholders(sql, values, name);
}

Result<QueryResult> RunPrepared(QueryEngine& engine, std::string_view sql, std::string_view database,
                                std::string_view run_id, std::string_view name) {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string statement, Prepare(sql, database, run_id, name));
  return engine.Run(statement);
}

// A SQL string literal of a stored value (quotes doubled).
std::string SqlLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

Result<std::optional<int64_t>> OptionalInt(const QueryResult& result, size_t row, std::string_view column) {
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryCell cell, result.Cell(row, column));
  if (!cell.has_value()) return std::optional<int64_t>();
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t value, result.Int64(row, column));
  return std::optional<int64_t>(value);
}

Result<std::optional<double>> OptionalDouble(const QueryResult& result, size_t row, std::string_view column) {
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryCell cell, result.Cell(row, column));
  if (!cell.has_value()) return std::optional<double>();
  RIDESWEEP_ASSIGN_OR_RETURN(const double value, result.Double(row, column));
  return std::optional<double>(value);
}

Result<std::optional<std::string>> OptionalText(const QueryResult& result, size_t row, std::string_view column) {
  RIDESWEEP_ASSIGN_OR_RETURN(QueryCell cell, result.Cell(row, column));
  return cell;
}

uint64_t NonNegative(int64_t value) { return value < 0 ? 0 : static_cast<uint64_t>(value); }

std::optional<uint64_t> NonNegative(const std::optional<int64_t>& value) {
  if (!value.has_value()) return std::nullopt;
  return NonNegative(*value);
}

Status ReadContext(QueryEngine& engine, std::string_view database, std::string_view run_id, ReportHeader& header) {
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult r, RunPrepared(engine, kContextSql, database, run_id, "report context"));
  if (r.rows.size() != 1) return FailedPreconditionError("report context returned no row");
  RIDESWEEP_ASSIGN_OR_RETURN(header.run_date, OptionalText(r, 0, "run_date"));
  RIDESWEEP_ASSIGN_OR_RETURN(header.request_fingerprint, OptionalText(r, 0, "request_fingerprint"));
  RIDESWEEP_ASSIGN_OR_RETURN(header.config_fingerprint, OptionalText(r, 0, "config_fingerprint"));
  RIDESWEEP_ASSIGN_OR_RETURN(header.request_source, OptionalText(r, 0, "request_source"));
  RIDESWEEP_ASSIGN_OR_RETURN(const std::optional<int64_t> total_points, OptionalInt(r, 0, "total_points"));
  RIDESWEEP_ASSIGN_OR_RETURN(const std::optional<int64_t> shard_count, OptionalInt(r, 0, "shard_count"));
  header.expected_points = NonNegative(total_points);
  header.expected_shards = NonNegative(shard_count);
  return Status::Ok();
}

// Fields that run_context lacks (a run written without the API path, or a store without that dataset).
void FillFromManifest(const ResolvedRun* resolved, ReportHeader& header) {
  if (resolved == nullptr) return;
  if (!header.run_date && resolved->run_date) header.run_date = resolved->run_date;
  if (!header.expected_shards && resolved->expected_shards) header.expected_shards = resolved->expected_shards;
  if (!header.expected_points && resolved->expected_points) header.expected_points = resolved->expected_points;
  if (!resolved->manifest) return;
  const sweep::RunManifest& m = *resolved->manifest;
  if (!header.request_fingerprint) header.request_fingerprint = m.request_fingerprint;
  if (!header.config_fingerprint) header.config_fingerprint = m.config_fingerprint;
  if (!header.request_source) header.request_source = m.request_source;
  header.seed = m.normalized_request.seed;
  header.replications = m.normalized_request.replications;
  const sweep::Design& design = m.normalized_request.design;
  header.design = std::string(sweep::DesignTypeName(design.type));
  if (!design.is_grid()) *header.design += ", " + std::to_string(design.samples) + " samples";
  if (!m.build_version.empty()) header.build = m.build_version + " (git " + m.build_git_revision + ")";
}

Status ReadProfile(QueryEngine& engine, const std::filesystem::path& sql_dir, std::string_view database,
                   std::string_view run_id, ReportHeader& header) {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::filesystem::path file, ResolveQueryFile(sql_dir, "query_run_level_profile"));
  QueryFileRequest request;
  request.file = file;
  request.run_id = std::string(run_id);
  request.database = std::string(database);
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult r, RunQueryFile(engine, request));
  if (r.rows.size() != 1) return FailedPreconditionError("query_run_level_profile returned no row");
  RIDESWEEP_ASSIGN_OR_RETURN(header.shard_attempts, r.Int64(0, "shard_attempts"));
  RIDESWEEP_ASSIGN_OR_RETURN(header.max_attempt, OptionalInt(r, 0, "max_attempt"));
  RIDESWEEP_ASSIGN_OR_RETURN(header.run_window_seconds, OptionalInt(r, 0, "run_window_seconds"));
  RIDESWEEP_ASSIGN_OR_RETURN(header.profile_points_per_second, OptionalDouble(r, 0, "points_per_second"));
  return Status::Ok();
}

Status ReadWallTime(QueryEngine& engine, std::string_view database, std::string_view run_id, ReportHeader& header) {
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult r,
                             RunPrepared(engine, kWallTimeSql, database, run_id, "report wall time"));
  if (r.rows.size() != 1) return FailedPreconditionError("report wall time returned no row");
  RIDESWEEP_ASSIGN_OR_RETURN(header.wall_time_ms, OptionalInt(r, 0, "wall_time_ms"));
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t points, r.Int64(0, "successful_points"));
  if (header.wall_time_ms && *header.wall_time_ms > 0) {
    header.points_per_second = static_cast<double>(points) / (static_cast<double>(*header.wall_time_ms) / 1000.0);
  }
  return Status::Ok();
}

Result<std::vector<ReportShardRow>> ReadShards(QueryEngine& engine, std::string_view database,
                                               std::string_view run_id) {
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult r, RunPrepared(engine, kShardsSql, database, run_id, "report shards"));
  std::vector<ReportShardRow> rows;
  rows.reserve(r.rows.size());
  for (size_t i = 0; i < r.rows.size(); ++i) {
    ReportShardRow row;
    RIDESWEEP_ASSIGN_OR_RETURN(const int64_t shard_id, r.Int64(i, "shard_id_value"));
    row.shard_id = NonNegative(shard_id);
    RIDESWEEP_ASSIGN_OR_RETURN(row.status, r.Text(i, "status_value"));
    RIDESWEEP_ASSIGN_OR_RETURN(const int64_t start, r.Int64(i, "start_index"));
    RIDESWEEP_ASSIGN_OR_RETURN(const int64_t end, r.Int64(i, "end_index_exclusive"));
    row.start_index = NonNegative(start);
    row.end_index_exclusive = NonNegative(end);
    RIDESWEEP_ASSIGN_OR_RETURN(row.points_processed, OptionalInt(r, i, "points_processed"));
    RIDESWEEP_ASSIGN_OR_RETURN(row.attempt, OptionalInt(r, i, "attempt"));
    RIDESWEEP_ASSIGN_OR_RETURN(row.event_time, OptionalText(r, i, "event_time"));
    RIDESWEEP_ASSIGN_OR_RETURN(row.completed_time, OptionalText(r, i, "completed_time"));
    RIDESWEEP_ASSIGN_OR_RETURN(row.duration_ms, OptionalInt(r, i, "duration_ms"));
    RIDESWEEP_ASSIGN_OR_RETURN(row.error_code, OptionalText(r, i, "error_code"));
    RIDESWEEP_ASSIGN_OR_RETURN(row.error_message, OptionalText(r, i, "error_message"));
    RIDESWEEP_ASSIGN_OR_RETURN(row.run_date, r.Text(i, "run_date"));
    rows.push_back(std::move(row));
  }
  return rows;
}

// Planned shards (manifest) without any outcome record, merged in shard order.
void AddMissingShards(const ResolvedRun* resolved, std::vector<ReportShardRow>& rows) {
  if (resolved == nullptr || !resolved->manifest) return;
  std::set<uint64_t> recorded;
  for (const ReportShardRow& row : rows) recorded.insert(row.shard_id);
  bool added = false;
  for (const sweep::ShardRange& range : resolved->manifest->shard_ranges) {
    if (recorded.count(range.shard_id) != 0) continue;
    ReportShardRow row;
    row.shard_id = range.shard_id;
    row.status = std::string(kShardStatusMissing);
    row.start_index = range.start_index;
    row.end_index_exclusive = range.end_index_exclusive;
    rows.push_back(std::move(row));
    added = true;
  }
  if (added) {
    std::stable_sort(rows.begin(), rows.end(),
                     [](const ReportShardRow& a, const ReportShardRow& b) { return a.shard_id < b.shard_id; });
  }
}

std::optional<double> NumberOf(std::string_view json) {
  Result<JsonValue> parsed = ParseJson(json);
  if (!parsed.ok() || !parsed->is_number()) return std::nullopt;
  return parsed->NumberAsDouble();
}

// Dimensions in request order from the manifest; values (or whole dimensions) only the points show are added
// after them, numbers ascending, other values by their text.
std::vector<ReportDimension> BuildDimensions(const ResolvedRun* resolved,
                                             const std::vector<ScoredConfiguration>& points) {
  std::map<std::string, ReportDimension> by_name;
  if (resolved != nullptr && resolved->manifest) {
    for (const sweep::Dimension& d : resolved->manifest->normalized_request.dimensions) {
      ReportDimension& dim = by_name[d.name];
      dim.name = d.name;
      for (const JsonValue& value : d.values) {
        std::string text = ToCanonicalJson(value);
        if (std::find(dim.values_json.begin(), dim.values_json.end(), text) == dim.values_json.end()) {
          dim.values_json.push_back(std::move(text));
        }
      }
    }
  }
  std::map<std::string, std::vector<std::string>> extra;
  for (const ScoredConfiguration& point : points) {
    for (const DimensionValue& value : point.dimensions) {
      ReportDimension& dim = by_name[value.name];
      dim.name = value.name;
      std::vector<std::string>& more = extra[value.name];
      if (std::find(dim.values_json.begin(), dim.values_json.end(), value.value_json) == dim.values_json.end() &&
          std::find(more.begin(), more.end(), value.value_json) == more.end()) {
        more.push_back(value.value_json);
      }
    }
  }
  for (auto& [name, values] : extra) {
    std::stable_sort(values.begin(), values.end(), [](const std::string& a, const std::string& b) {
      const std::optional<double> x = NumberOf(a);
      const std::optional<double> y = NumberOf(b);
      if (x && y) return *x < *y;
      if (x.has_value() != y.has_value()) return x.has_value();
      return a < b;
    });
    std::vector<std::string>& target = by_name[name].values_json;
    target.insert(target.end(), values.begin(), values.end());
  }
  std::vector<ReportDimension> dimensions;
  dimensions.reserve(by_name.size());
  for (auto& [name, dim] : by_name) dimensions.push_back(std::move(dim));
  return dimensions;
}

Result<SnapshotSeries> ReadSnapshots(QueryEngine& engine, std::string_view database, std::string_view run_id,
                                     const ScoredConfiguration& point, size_t max_samples) {
  std::string sql = "SELECT\n  timestamp_ms";
  for (std::string_view column : kSnapshotColumns) sql += ",\n  " + std::string(column);
  sql += "\nFROM ${database}.sweep_snapshot_counts\nWHERE run_id = '${run_id}'\n  AND status = 'success'\n";
  sql += "  AND run_date = " + SqlLiteral(point.run_date) + "\n";
  sql += "  AND point_index = '" + std::to_string(point.point_index) + "'\n";
  sql += "ORDER BY timestamp_ms\n";
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult r, RunPrepared(engine, sql, database, run_id, "report snapshots"));
  SnapshotSeries series;
  series.point_index = point.point_index;
  series.stored_rows = r.rows.size();
  for (std::string_view column : kSnapshotColumns) series.columns.emplace_back(column);
  series.values.assign(series.columns.size(), {});
  // Evenly spaced rows, first and last included.
  std::vector<size_t> picks;
  const size_t n = r.rows.size();
  if (n <= max_samples || max_samples < 2) {
    for (size_t i = 0; i < n; ++i) picks.push_back(i);
  } else {
    for (size_t k = 0; k < max_samples; ++k) {
      const size_t row = (k * (n - 1) + (max_samples - 1) / 2) / (max_samples - 1);
      if (picks.empty() || picks.back() != row) picks.push_back(row);
    }
  }
  for (size_t row : picks) {
    RIDESWEEP_ASSIGN_OR_RETURN(const int64_t t, r.Int64(row, "timestamp_ms"));
    series.timestamp_ms.push_back(t);
    for (size_t c = 0; c < series.columns.size(); ++c) {
      RIDESWEEP_ASSIGN_OR_RETURN(const int64_t v, r.Int64(row, series.columns[c]));
      series.values[c].push_back(v);
    }
  }
  return series;
}

}  // namespace

Result<ReportData> LoadReportData(QueryEngine& engine, const std::filesystem::path& sql_dir, std::string_view database,
                                  std::string_view run_id, const ResolvedRun* resolved, const ReportOptions& options) {
  ReportData data;
  ReportHeader& header = data.header;
  header.run_id = std::string(run_id);
  RIDESWEEP_RETURN_IF_ERROR(ReadContext(engine, database, run_id, header));
  FillFromManifest(resolved, header);
  RIDESWEEP_RETURN_IF_ERROR(ReadProfile(engine, sql_dir, database, run_id, header));
  RIDESWEEP_RETURN_IF_ERROR(ReadWallTime(engine, database, run_id, header));
  RIDESWEEP_ASSIGN_OR_RETURN(data.shards, ReadShards(engine, database, run_id));
  AddMissingShards(resolved, data.shards);
  for (const ReportShardRow& row : data.shards) {
    if (header.run_date) break;
    if (!row.run_date.empty()) header.run_date = row.run_date;
  }

  RunSummaryOptions summary_options;
  summary_options.top_n = std::numeric_limits<size_t>::max();
  summary_options.top_configurations = 0;  // the page groups its points itself
  summary_options.weights = options.weights;
  RIDESWEEP_ASSIGN_OR_RETURN(RunSummary summary, SummarizeRun(engine, database, run_id, summary_options));
  header.totals = summary.totals;
  header.points_committed = summary.points_scored;

  // The summary comes best first; the report keeps points by index and the ranking as positions.
  std::vector<ScoredConfiguration> ranked = std::move(summary.top);
  std::vector<size_t> order(ranked.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return ranked[a].point_index < ranked[b].point_index; });
  std::vector<size_t> position_of(ranked.size());
  data.points.reserve(ranked.size());
  for (size_t pos = 0; pos < order.size(); ++pos) {
    position_of[order[pos]] = pos;
    data.points.push_back(std::move(ranked[order[pos]]));
  }
  data.ranking.reserve(ranked.size());
  for (size_t rank = 0; rank < ranked.size(); ++rank) data.ranking.push_back(position_of[rank]);
  if (!header.run_date && !data.points.empty()) header.run_date = data.points.front().run_date;

  data.dimensions = BuildDimensions(resolved, data.points);

  if (options.point_index.has_value()) {
    const auto it = std::find_if(data.points.begin(), data.points.end(),
                                 [&](const ScoredConfiguration& p) { return p.point_index == *options.point_index; });
    if (it == data.points.end()) {
      return InvalidArgumentError("point " + std::to_string(*options.point_index) +
                                  " has no committed results in run " + std::string(run_id));
    }
    RIDESWEEP_ASSIGN_OR_RETURN(data.snapshots,
                               ReadSnapshots(engine, database, run_id, *it, options.max_snapshot_samples));
  } else if (!data.ranking.empty()) {
    RIDESWEEP_ASSIGN_OR_RETURN(
        data.snapshots,
        ReadSnapshots(engine, database, run_id, data.points[data.ranking.front()], options.max_snapshot_samples));
  }
  return data;
}

}  // namespace ridesweep::analytics
