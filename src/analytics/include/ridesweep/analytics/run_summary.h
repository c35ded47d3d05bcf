// The run summary: which points and configurations of a sweep did best. Committed points (a success shard_metrics
// row joined with its effective_parameters row) are scored with the fixed-scale health score of sim/health.h and
// ranked like sim::RankPoints; configurations (the replicates sharing dimension values) by mean score with 95%
// intervals (configuration_summary.h). Counting, scoring and ranking run in the engine, so only the rows asked for
// (the top N of each) reach this process and its memory does not grow with the run. Plus totals from
// shard_outcomes. Used by the local `ridesweep run` summary, `status --json` and the HTML report. Works on any
// QueryEngine whose six tables show the run (the SQL is portable like the query files).
#ifndef RIDESWEEP_ANALYTICS_RUN_SUMMARY_H_
#define RIDESWEEP_ANALYTICS_RUN_SUMMARY_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/configuration_summary.h"
#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/analytics/local_views.h"
#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sim/health.h"
#include "ridesweep/sim/records.h"

namespace ridesweep::analytics {

struct ScoredConfiguration {
  uint64_t point_index = 0;
  uint64_t shard_id = 0;
  std::string run_date;
  std::string parameter_fingerprint;
  std::vector<DimensionValue> dimensions;  // sorted by name
  sim::HealthComponents health;            // score and its components on their reference scales
  sim::PointMetrics metrics;               // all 25 metrics of the point
};

// Totals over the run's shard_outcomes rows.
struct RunTotals {
  uint64_t shards_succeeded = 0;  // shards with a success record
  uint64_t shards_failed = 0;     // shards with a failure record and no success record
  uint64_t points_succeeded = 0;  // Σ points_processed of the success records
  uint64_t points_failed = 0;     // Σ shard sizes (end − start) of the failed shards

  friend bool operator==(const RunTotals&, const RunTotals&) = default;
};

struct RunSummary {
  std::string run_id;
  RunTotals totals;
  uint64_t points_scored = 0;              // committed points found
  std::vector<ScoredConfiguration> top;    // at most top_n, best first
  // Replicates grouped by configuration (configuration_summary.h): how many there are, and the
  // top_configurations best by mean health score with n and 95% intervals.
  uint64_t configurations = 0;
  std::vector<ConfigurationStats> top_configurations;
};

struct RunSummaryOptions {
  size_t top_n = 5;               // points; std::numeric_limits<size_t>::max() for every point, 0 for none
  size_t top_configurations = 5;  // configurations, likewise
  sim::HealthWeights weights;
  // SummarizeLocalRun only: a run whose manifest plans at most this many points has its outcomes, metrics and
  // parameters read into memory once before the summary's queries (ReadViewsIntoMemory), instead of every query
  // reading the files again; larger runs, and runs without a manifest, are read file by file, so memory stays
  // bounded by the limit. 0 = never.
  uint64_t read_once_max_points = 20'000;
};

// Reads the run's outcome totals and counts through `engine` (tables in schema `database`) and its best points
// and configurations. Errors: the engine's, or FailedPrecondition when a row cannot be read back (e.g. malformed
// effective_parameters_json). A run with no committed point gives an empty `top`.
Result<RunSummary> SummarizeRun(QueryEngine& engine, std::string_view database, std::string_view run_id,
                                const RunSummaryOptions& options = {});

// SummarizeRun over a local results directory (DuckDbQueryEngine::OpenOverResults first).
Result<RunSummary> SummarizeLocalRun(const LocalResultsLocation& location, const std::filesystem::path& sql_dir,
                                     std::string_view run_id, const RunSummaryOptions& options = {},
                                     std::string_view database = kDefaultDatabase,
                                     const DuckDbEngineOptions& engine_options = {});

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_RUN_SUMMARY_H_
