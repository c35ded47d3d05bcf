// The post-run readiness check of `ridesweep ingest` (spec/sweep.md §13): after a run's tables are visible to an
// engine, query_run_readiness.sql and query_missing_shards.sql are run and the §13 checks evaluated into the
// summary lines, the failure lines and an exit code. The evaluation is pure (EvaluateReadiness); the queries run
// on any QueryEngine (RunReadinessCheck), so the Athena path reuses both after its own table and partition steps.
// RunLocalIngest is the whole local command. Nothing is printed: the caller writes the lines (a check's report on
// stdout, argument and ingest errors on stderr: IsResult) and exits with exit_code.
#ifndef RIDESWEEP_ANALYTICS_READINESS_CHECK_H_
#define RIDESWEEP_ANALYTICS_READINESS_CHECK_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

// DO NOT CHANGE: the exit codes of §13.
enum class IngestExitCode : int { kPassed = 0, kCheckFailed = 1, kArgumentError = 2, kIngestError = 3 };

// One row of query_run_readiness.sql. expected_* come from run_context (NULL without a row).
struct ReadinessCounts {
  int64_t run_context_rows = 0;
  int64_t outcome_rows = 0;
  int64_t success_outcomes = 0;
  int64_t failure_outcomes = 0;
  int64_t distinct_shards = 0;
  int64_t successful_shards = 0;
  int64_t shard_metrics_rows = 0;
  int64_t trip_data_rows = 0;
  int64_t snapshot_counts_rows = 0;
  int64_t effective_parameters_rows = 0;
  int64_t truncated_points = 0;
  int64_t completed_trips_total = 0;
  std::optional<int64_t> expected_points;
  std::optional<int64_t> expected_shards;
  // Committed points (with an effective_parameters row) lacking one of their other datasets.
  int64_t points_missing_data = 0;

  friend bool operator==(const ReadinessCounts&, const ReadinessCounts&) = default;
};

// One row of query_missing_shards.sql.
struct MissingShard {
  int64_t shard_id = 0;
  bool has_failure_record = false;
  std::optional<std::string> last_error_code;

  friend bool operator==(const MissingShard&, const MissingShard&) = default;
};

// Runs query_run_readiness.sql / query_missing_shards.sql from `sql_dir` for one run.
Result<ReadinessCounts> QueryReadinessCounts(QueryEngine& engine, const std::filesystem::path& sql_dir,
                                             std::string_view database, std::string_view run_id);
Result<std::vector<MissingShard>> QueryMissingShards(QueryEngine& engine, const std::filesystem::path& sql_dir,
                                                     std::string_view database, std::string_view run_id,
                                                     uint64_t expected_shards);

// Everything the checks and the summary look at.
struct ReadinessInputs {
  std::string run_id;
  std::string run_date;
  std::string engine;                        // `local` or `athena`, as printed
  ReadinessCounts counts;
  std::optional<uint64_t> expected_shards;   // resolved: override, manifest, else run_context; nullopt = unknown
  std::optional<uint64_t> expected_points;   // manifest, else run_context; nullopt = unknown
  std::vector<MissingShard> missing_shards;  // ascending shard_id
};

struct ReadinessReport {
  IngestExitCode exit_code = IngestExitCode::kPassed;
  // `Post-run ingestion summary:` then `- <label>: <value>` lines; empty for argument and ingest errors.
  std::vector<std::string> summary_lines;
  // The failed checks' texts (errors.h), in the §13 table order, without the "- " they are printed with.
  std::vector<std::string> failures;
  // `Readiness check passed.` | `Readiness check failed:`, `- <failure>`…, `Next steps: …` (ReadinessNextSteps) |
  // `Argument error: <text>` | `Ingest error: <text>`.
  std::vector<std::string> verdict_lines;

  int exit_code_value() const { return static_cast<int>(exit_code); }
  // Whether the lines are the command's result (the check ran: passed or failed, for stdout) rather than an
  // argument or ingest error (for stderr).
  bool IsResult() const { return exit_code == IngestExitCode::kPassed || exit_code == IngestExitCode::kCheckFailed; }
  // summary_lines followed by verdict_lines.
  std::vector<std::string> Lines() const;
};

// The `Next steps:` line of a failed check, by failure class: a permanent shard failure (rerunning cannot help:
// fix the request, resubmit under a new run_id or delete the run first), a cancelled run, or else (transient
// failures, shards or objects missing) rerun the run and ingest again.
std::string ReadinessNextSteps(std::string_view run_id, const std::vector<MissingShard>& missing_shards);

// The §13 checks, in table order. A check whose expected value is unknown is skipped (without run_context
// the `no run_context rows for run_id` check fails anyway).
std::vector<std::string> EvaluateReadinessChecks(const ReadinessInputs& inputs);
// Summary, checks and verdict (exit 0 or 1).
ReadinessReport EvaluateReadiness(const ReadinessInputs& inputs);
ReadinessReport ArgumentErrorReport(std::string_view text);  // exit 2, `Argument error: <text>`
ReadinessReport IngestErrorReport(std::string_view text);    // exit 3, `Ingest error: <text>`

// The argument rules shared by both engines: run_id required and matching RUN_ID_PATTERN, --run-date a
// calendar date, --expected-shards >= 1, database [a-z0-9_]{1,255}. The argument error text, or nullopt.
std::optional<std::string> CheckIngestArguments(std::string_view run_id, const RunOverrides& overrides,
                                                std::string_view database);

struct ReadinessCheckRequest {
  std::filesystem::path sql_dir;
  std::string database{kDefaultDatabase};
  std::string engine_name;  // printed in the summary
  ResolvedRun run;          // REQUIRES: run.run_date set (else the caller reports kRunDateUnknown)
};

// Step 5 on an engine whose tables already show the run: both queries, then EvaluateReadiness. Query failures
// become an ingest-error report (exit 3).
ReadinessReport RunReadinessCheck(QueryEngine& engine, const ReadinessCheckRequest& request);

struct LocalIngestOptions {
  std::string run_id;
  std::filesystem::path results_dir;  // LocalDirStore root (`--results-dir`)
  std::string results_prefix;         // `--results-prefix`
  std::filesystem::path sql_dir;
  std::string database{kDefaultDatabase};
  RunOverrides overrides;             // `--run-date`, `--expected-shards`
  DuckDbEngineOptions engine;
};

// `ridesweep ingest --engine local`: argument checks (exit 2, also for a missing results directory and an unknown
// run_date), run resolution (§13 step 1), DuckDB views (step 4), RunReadinessCheck (step 5). Store, SQL-file and
// engine failures give exit 3. Reads only; reruns give the same report.
ReadinessReport RunLocalIngest(const LocalIngestOptions& options);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_READINESS_CHECK_H_
