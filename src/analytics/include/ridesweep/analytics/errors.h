// Every message text of the analytics layer that the specification fixes (spec/sweep.md §11.1, §11.2, §12, §13):
// placeholder and plan errors shared by `ridesweep athena apply`, `ridesweep query` and `ridesweep ingest`, and
// the readiness check's summary, failure and verdict lines. Named constants, or small formatting functions when
// a value is interpolated. DO NOT CHANGE any text: operators and scripts match on them; tests pin each one.
#ifndef RIDESWEEP_ANALYTICS_ERRORS_H_
#define RIDESWEEP_ANALYTICS_ERRORS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace ridesweep::analytics::errors {

// §11.2 placeholders.
std::string UnknownPlaceholder(std::string_view name, std::string_view file);  // Unknown placeholder ${<n>} in <f>
std::string MissingPlaceholderValue(std::string_view name, std::string_view file);  // Missing value for ${<n>} in <f>
// Invalid value for ${<name>}: <value>   (the wording of tests/sql/sql_files.py, the reference procedure)
std::string InvalidPlaceholderValue(std::string_view name, std::string_view value);

// §11.1 / §12 plan files (`ridesweep athena apply` prints them after `Plan error: `).
inline constexpr std::string_view kPlanErrorPrefix = "Plan error: ";
std::string PlanFileNotFound(std::string_view path);     // Plan file not found: <path>
std::string PlanEntryNotSql(std::string_view entry);     // Plan entries must point to .sql files, got: <entry>
std::string PlanSqlFileMissing(std::string_view path);   // SQL file in plan does not exist: <path>
inline constexpr std::string_view kPlanEmpty = "Plan file contains no SQL entries";

// §13 readiness check: one line per failed check, in this order.
inline constexpr std::string_view kNoRunContextRows = "no run_context rows for run_id";
inline constexpr std::string_view kNoShardOutcomesRows = "no shard_outcomes rows for run_id";
inline constexpr std::string_view kNoShardMetricsRows = "no shard_metrics rows for run_id";
inline constexpr std::string_view kNoTripDataRows = "no trip_data rows for run_id";
inline constexpr std::string_view kNoSnapshotCountsRows = "no snapshot_counts rows for run_id";
inline constexpr std::string_view kNoEffectiveParametersRows = "no effective_parameters rows for run_id";
// shard coverage mismatch: observed X, expected Y
std::string ShardCoverageMismatch(uint64_t observed, uint64_t expected);
std::string PointCoverageMismatch(uint64_t observed, uint64_t expected);  // point coverage mismatch: …
// effective_parameters coverage mismatch: observed X, expected Y
std::string EffectiveParametersCoverageMismatch(uint64_t observed, uint64_t expected);
// missing data: N committed point(s) lack shard_metrics, trip_data or snapshot_counts objects
std::string CommittedPointsMissingData(uint64_t points);

// §13 summary and verdict.
inline constexpr std::string_view kSummaryHeader = "Post-run ingestion summary:";
inline constexpr std::string_view kReadinessPassed = "Readiness check passed.";
inline constexpr std::string_view kReadinessFailed = "Readiness check failed:";
// The `Next steps:` line of a failed readiness check, by what failed (readiness_check.h, ReadinessNextSteps).
std::string NextStepsCancelled(std::string_view run_id);
std::string NextStepsPermanent(std::string_view run_id, std::string_view shard_ids, std::string_view error_codes);
std::string NextStepsRerun(std::string_view run_id);
inline constexpr std::string_view kArgumentErrorPrefix = "Argument error: ";
inline constexpr std::string_view kIngestErrorPrefix = "Ingest error: ";
inline constexpr std::string_view kRunDateUnknown =
    "run_date unknown; pass --run-date or make the run manifest readable";

// Argument texts of `ridesweep ingest` beyond the spec's example (kept stable like the others).
inline constexpr std::string_view kRunIdRequired = "--run-id is required";
inline constexpr std::string_view kRunDateInvalid = "--run-date must be a calendar date YYYY-MM-DD";
inline constexpr std::string_view kExpectedShardsInvalid = "--expected-shards must be >= 1";
inline constexpr std::string_view kDatabaseInvalid = "database name must match [a-z0-9_]{1,255}";
std::string ResultsDirNotFound(std::string_view dir);  // results directory not found: <dir>
// no run '<run_id>' in <location>: the run is unknown (no manifest, outcome or run_context record).
std::string UnknownRun(std::string_view run_id, std::string_view location);

}  // namespace ridesweep::analytics::errors

#endif  // RIDESWEEP_ANALYTICS_ERRORS_H_
