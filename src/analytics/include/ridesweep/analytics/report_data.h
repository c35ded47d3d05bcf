// ReportData is everything the HTML report of one run shows, read from the stored datasets through a QueryEngine
// (the six Athena tables, locally DuckDB's views): the run header (run_context and query_run_level_profile.sql),
// one row per shard outcome record plus the planned shards that have none, the dimensions and their values, every
// committed point with its dimension values, metrics and health score (SummarizeRun), and the snapshot counts of
// one chosen point. The report's own SQL is portable like the query files (Athena engine v3 and DuckDB), so the
// report shows exactly what Athena would. Plain values; LoadReportData is as thread-safe as the engine.
#ifndef RIDESWEEP_ANALYTICS_REPORT_DATA_H_
#define RIDESWEEP_ANALYTICS_REPORT_DATA_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/analytics/run_summary.h"
#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

// DO NOT CHANGE: status words shown in the shard table and read by tests (the first two are stored values).
inline constexpr std::string_view kShardStatusSuccess = "success";
inline constexpr std::string_view kShardStatusFailure = "failure";
inline constexpr std::string_view kShardStatusMissing = "no record";

struct ReportHeader {
  std::string run_id;
  std::optional<std::string> run_date;             // run_context, else the manifest, else the outcome records
  std::optional<std::string> request_fingerprint;  // run_context, else the manifest
  std::optional<std::string> config_fingerprint;
  std::optional<std::string> request_source;
  std::optional<std::string> build;         // the manifest's build: "0.1.0 (git <revision>)"; none for older runs
  std::optional<uint64_t> expected_points;  // run_context total_points, else the manifest
  std::optional<uint64_t> expected_shards;  // run_context shard_count, else the manifest plan
  // From the manifest's normalized request (none without a readable manifest): the request seed, the replicates
  // per configuration and the design ("grid", or e.g. "latin_hypercube, 60 samples").
  std::optional<int64_t> seed;
  std::optional<uint64_t> replications;
  std::optional<std::string> design;
  RunTotals totals;                         // SummarizeRun's outcome totals
  uint64_t points_committed = 0;            // committed points found (success metrics + parameters)
  // Wall time: first success event_time to last success completed_time, in milliseconds (none without successes).
  std::optional<int64_t> wall_time_ms;
  // Σ points_processed of the success records / wall time; none without successes or with a zero window.
  std::optional<double> points_per_second;
  // query_run_level_profile.sql, verbatim (the figures `ridesweep query query_run_level_profile` prints).
  int64_t shard_attempts = 0;
  std::optional<int64_t> max_attempt;
  std::optional<int64_t> run_window_seconds;
  std::optional<double> profile_points_per_second;
};

// One shard outcome record, or a planned shard without any (status kShardStatusMissing).
struct ReportShardRow {
  uint64_t shard_id = 0;
  std::string status;
  uint64_t start_index = 0;
  uint64_t end_index_exclusive = 0;
  std::optional<int64_t> points_processed;
  std::optional<int64_t> attempt;
  std::optional<std::string> event_time;
  std::optional<std::string> completed_time;
  std::optional<int64_t> duration_ms;  // completed_time - event_time
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  std::string run_date;  // the record's partition; empty for kShardStatusMissing
};

// A dimension of the sweep: its name and its values as canonical JSON text, in request order (from the manifest),
// or - without a manifest - in the order of the values found (numbers ascending, other values by their text).
struct ReportDimension {
  std::string name;
  std::vector<std::string> values_json;

  bool varies() const { return values_json.size() >= 2; }
};

// Snapshot counts of one point over simulated time (snapshot_counts rows ascending by timestamp_ms). Long series
// are thinned to at most max_snapshot_samples evenly spaced rows, first and last included; values are never
// averaged, so every sample is a stored row.
struct SnapshotSeries {
  uint64_t point_index = 0;
  uint64_t stored_rows = 0;          // rows of the point before thinning
  std::vector<std::string> columns;  // the 14 count columns, in table order
  std::vector<int64_t> timestamp_ms;
  std::vector<std::vector<int64_t>> values;  // values[column][sample]
};

struct ReportData {
  ReportHeader header;
  std::vector<ReportShardRow> shards;       // ascending shard id; per shard success before failure
  std::vector<ReportDimension> dimensions;  // sorted by name
  std::vector<ScoredConfiguration> points;  // every committed point, ascending point index; scored over all
  std::vector<size_t> ranking;              // positions in `points`, best health score first
  std::optional<SnapshotSeries> snapshots;  // the chosen point's; none without committed points
};

struct ReportOptions {
  size_t top_n = 10;                    // rows of the top-configurations table
  std::optional<uint64_t> point_index;  // point of the time series; default: the best-ranked point
  size_t max_snapshot_samples = 720;
  sim::HealthWeights weights;
};

// Reads the report's data for `run_id` through `engine` (tables in schema `database`). `sql_dir` holds the query
// files (query_run_level_profile.sql is run as is); `resolved` (may be null) is the run's manifest resolution and
// supplies the dimension order, the planned shards and header fields that run_context lacks.
// Errors: the engine's; FailedPrecondition when a row cannot be read back; InvalidArgument
// `point <I> has no committed results in run <R>` when options.point_index names a point that is not committed.
Result<ReportData> LoadReportData(QueryEngine& engine, const std::filesystem::path& sql_dir, std::string_view database,
                                  std::string_view run_id, const ResolvedRun* resolved,
                                  const ReportOptions& options = {});

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_REPORT_DATA_H_
