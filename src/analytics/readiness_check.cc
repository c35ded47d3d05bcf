// The §13 readiness check: queries, checks, summary and verdict.
#include "ridesweep/analytics/readiness_check.h"

#include <memory>
#include <set>
#include <system_error>
#include <utility>

#include "ridesweep/analytics/errors.h"
#include "ridesweep/analytics/layout_tables.h"
#include "ridesweep/analytics/run_query.h"
#include "ridesweep/analytics/sql_files.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/identifiers.h"
#include "ridesweep/sweep/worker.h"

namespace ridesweep::analytics {
namespace {

std::string Line(std::string_view label, std::string_view value) {
  return "- " + std::string(label) + ": " + std::string(value);
}

std::string Line(std::string_view label, int64_t value) { return Line(label, std::to_string(value)); }

std::string OptionalText(const std::optional<uint64_t>& value) {
  return value.has_value() ? std::to_string(*value) : "unknown";
}

uint64_t AsCount(int64_t value) { return value < 0 ? 0 : static_cast<uint64_t>(value); }

std::optional<uint64_t> PositiveOrNone(const std::optional<int64_t>& value) {
  if (!value.has_value() || *value < 1) return std::nullopt;
  return static_cast<uint64_t>(*value);
}

// Reads a non-NULL BIGINT column of row 0 into *out.
Status ReadCount(const QueryResult& result, std::string_view column, int64_t* out) {
  RIDESWEEP_ASSIGN_OR_RETURN(*out, result.Int64(0, column));
  return Status::Ok();
}

Status ReadOptionalCount(const QueryResult& result, std::string_view column, std::optional<int64_t>* out) {
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryCell cell, result.Cell(0, column));
  if (!cell.has_value()) {
    *out = std::nullopt;
    return Status::Ok();
  }
  RIDESWEEP_ASSIGN_OR_RETURN(*out, result.Int64(0, column));
  return Status::Ok();
}

std::vector<std::string> SummaryLines(const ReadinessInputs& in) {
  const ReadinessCounts& c = in.counts;
  std::vector<std::string> lines = {
      std::string(errors::kSummaryHeader),
      Line("run_id", in.run_id),
      Line("run_date", in.run_date),
      Line("engine", in.engine),
      Line("run_context rows", c.run_context_rows),
      Line("shard_outcomes rows", c.outcome_rows),
      Line("successful shard outcomes", c.success_outcomes),
      Line("failed shard outcomes", c.failure_outcomes),
      Line("distinct shards observed", c.distinct_shards),
      Line("expected shards", OptionalText(in.expected_shards)),
      Line("shard_metrics rows", c.shard_metrics_rows),
      Line("expected points", OptionalText(in.expected_points)),
      Line("trip_data rows", c.trip_data_rows),
      Line("snapshot_counts rows", c.snapshot_counts_rows),
      Line("effective_parameters rows", c.effective_parameters_rows),
      Line("truncated points", c.truncated_points),
  };
  if (!in.missing_shards.empty()) {
    std::string ids;
    for (const MissingShard& shard : in.missing_shards) {
      if (!ids.empty()) ids += ", ";
      ids += std::to_string(shard.shard_id);
    }
    lines.push_back(Line("missing shard ids", ids));
  }
  return lines;
}

}  // namespace

std::vector<std::string> ReadinessReport::Lines() const {
  std::vector<std::string> lines = summary_lines;
  lines.insert(lines.end(), verdict_lines.begin(), verdict_lines.end());
  return lines;
}

Result<ReadinessCounts> QueryReadinessCounts(QueryEngine& engine, const std::filesystem::path& sql_dir,
                                             std::string_view database, std::string_view run_id) {
  QueryFileRequest request;
  request.file = sql_dir / std::string(kRunReadinessQuery);
  request.run_id = std::string(run_id);
  request.database = std::string(database);
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult result, RunQueryFile(engine, request));
  if (result.rows.size() != 1) {
    return FailedPreconditionError(std::string(kRunReadinessQuery) + " returned " +
                                   std::to_string(result.rows.size()) + " rows, expected 1");
  }
  ReadinessCounts counts;
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "run_context_rows", &counts.run_context_rows));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "outcome_rows", &counts.outcome_rows));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "success_outcomes", &counts.success_outcomes));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "failure_outcomes", &counts.failure_outcomes));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "distinct_shards", &counts.distinct_shards));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "successful_shards", &counts.successful_shards));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "shard_metrics_rows", &counts.shard_metrics_rows));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "trip_data_rows", &counts.trip_data_rows));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "snapshot_counts_rows", &counts.snapshot_counts_rows));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "effective_parameters_rows", &counts.effective_parameters_rows));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "truncated_points", &counts.truncated_points));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "completed_trips_total", &counts.completed_trips_total));
  RIDESWEEP_RETURN_IF_ERROR(ReadOptionalCount(result, "expected_points", &counts.expected_points));
  RIDESWEEP_RETURN_IF_ERROR(ReadOptionalCount(result, "expected_shards", &counts.expected_shards));
  RIDESWEEP_RETURN_IF_ERROR(ReadCount(result, "points_missing_data", &counts.points_missing_data));
  return counts;
}

Result<std::vector<MissingShard>> QueryMissingShards(QueryEngine& engine, const std::filesystem::path& sql_dir,
                                                     std::string_view database, std::string_view run_id,
                                                     uint64_t expected_shards) {
  QueryFileRequest request;
  request.file = sql_dir / std::string(kMissingShardsQuery);
  request.run_id = std::string(run_id);
  request.database = std::string(database);
  request.expected_shards = expected_shards;
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult result, RunQueryFile(engine, request));
  std::vector<MissingShard> shards;
  shards.reserve(result.rows.size());
  for (size_t row = 0; row < result.rows.size(); ++row) {
    MissingShard shard;
    RIDESWEEP_ASSIGN_OR_RETURN(shard.shard_id, result.Int64(row, "shard_id"));
    RIDESWEEP_ASSIGN_OR_RETURN(shard.has_failure_record, result.Bool(row, "has_failure_record"));
    RIDESWEEP_ASSIGN_OR_RETURN(shard.last_error_code, result.Cell(row, "last_error_code"));
    shards.push_back(std::move(shard));
  }
  return shards;
}

std::vector<std::string> EvaluateReadinessChecks(const ReadinessInputs& in) {
  const ReadinessCounts& c = in.counts;
  std::vector<std::string> failures;
  if (c.run_context_rows == 0) failures.emplace_back(errors::kNoRunContextRows);
  if (c.outcome_rows == 0) failures.emplace_back(errors::kNoShardOutcomesRows);
  if (c.shard_metrics_rows == 0) failures.emplace_back(errors::kNoShardMetricsRows);
  if (c.trip_data_rows == 0 && c.completed_trips_total > 0) failures.emplace_back(errors::kNoTripDataRows);
  if (c.snapshot_counts_rows == 0) failures.emplace_back(errors::kNoSnapshotCountsRows);
  if (c.effective_parameters_rows == 0) failures.emplace_back(errors::kNoEffectiveParametersRows);
  if (in.expected_shards.has_value() && AsCount(c.successful_shards) != *in.expected_shards) {
    failures.push_back(errors::ShardCoverageMismatch(AsCount(c.successful_shards), *in.expected_shards));
  }
  if (in.expected_points.has_value() && AsCount(c.shard_metrics_rows) != *in.expected_points) {
    failures.push_back(errors::PointCoverageMismatch(AsCount(c.shard_metrics_rows), *in.expected_points));
  }
  if (c.effective_parameters_rows != c.shard_metrics_rows) {
    failures.push_back(errors::EffectiveParametersCoverageMismatch(AsCount(c.effective_parameters_rows),
                                                                   AsCount(c.shard_metrics_rows)));
  }
  // Row totals can match while a point's object is gone (another point's rows, or a zero-row dataset): each
  // committed point must have every dataset (issue 13).
  if (c.points_missing_data > 0) failures.push_back(errors::CommittedPointsMissingData(AsCount(c.points_missing_data)));
  return failures;
}

std::string ReadinessNextSteps(std::string_view run_id, const std::vector<MissingShard>& missing_shards) {
  std::set<std::string> permanent_codes;
  std::string permanent_ids;
  bool cancelled = false;
  for (const MissingShard& shard : missing_shards) {
    if (!shard.last_error_code.has_value()) continue;
    std::optional<sweep::ShardErrorCode> code = sweep::ShardErrorCodeFromName(*shard.last_error_code);
    if (!code.has_value() || sweep::IsTransient(*code)) continue;
    if (*code == sweep::ShardErrorCode::kCancelled) {
      cancelled = true;
      continue;
    }
    permanent_codes.insert(*shard.last_error_code);
    permanent_ids += (permanent_ids.empty() ? "" : ", ") + std::to_string(shard.shard_id);
  }
  if (!permanent_ids.empty()) {
    std::string codes;
    for (const std::string& code : permanent_codes) codes += (codes.empty() ? "" : ", ") + code;
    return errors::NextStepsPermanent(run_id, permanent_ids, codes);
  }
  if (cancelled) return errors::NextStepsCancelled(run_id);
  return errors::NextStepsRerun(run_id);
}

ReadinessReport EvaluateReadiness(const ReadinessInputs& inputs) {
  ReadinessReport report;
  report.summary_lines = SummaryLines(inputs);
  report.failures = EvaluateReadinessChecks(inputs);
  if (report.failures.empty()) {
    report.exit_code = IngestExitCode::kPassed;
    report.verdict_lines.emplace_back(errors::kReadinessPassed);
  } else {
    report.exit_code = IngestExitCode::kCheckFailed;
    report.verdict_lines.emplace_back(errors::kReadinessFailed);
    for (const std::string& failure : report.failures) report.verdict_lines.push_back("- " + failure);
    report.verdict_lines.push_back(ReadinessNextSteps(inputs.run_id, inputs.missing_shards));
  }
  return report;
}

ReadinessReport ArgumentErrorReport(std::string_view text) {
  ReadinessReport report;
  report.exit_code = IngestExitCode::kArgumentError;
  report.verdict_lines.push_back(std::string(errors::kArgumentErrorPrefix) + std::string(text));
  return report;
}

ReadinessReport IngestErrorReport(std::string_view text) {
  ReadinessReport report;
  report.exit_code = IngestExitCode::kIngestError;
  report.verdict_lines.push_back(std::string(errors::kIngestErrorPrefix) + std::string(text));
  return report;
}

std::optional<std::string> CheckIngestArguments(std::string_view run_id, const RunOverrides& overrides,
                                                std::string_view database) {
  if (run_id.empty()) return std::string(errors::kRunIdRequired);
  if (!sweep::MatchesRunIdPattern(run_id)) return std::string(sweep::errors::kRunIdPattern);
  if (overrides.run_date.has_value() && !sweep::IsRunDate(*overrides.run_date)) {
    return std::string(errors::kRunDateInvalid);
  }
  if (overrides.expected_shards.has_value() && *overrides.expected_shards < 1) {
    return std::string(errors::kExpectedShardsInvalid);
  }
  if (!IsValidDatabaseName(database)) return std::string(errors::kDatabaseInvalid);
  return std::nullopt;
}

ReadinessReport RunReadinessCheck(QueryEngine& engine, const ReadinessCheckRequest& request) {
  if (!request.run.run_date.has_value()) return ArgumentErrorReport(errors::kRunDateUnknown);
  // The run's own layout's tables (a run without a readable manifest is read as per_point).
  const sweep::OutputLayout layout = request.run.manifest.has_value() ? request.run.manifest->normalized_request.layout
                                                                      : sweep::OutputLayout::kPerPoint;
  LayoutRoutedEngine routed(engine, layout);
  Result<ReadinessCounts> counts =
      QueryReadinessCounts(routed, request.sql_dir, request.database, request.run.run_id);
  if (!counts.ok()) return IngestErrorReport(counts.status().message());

  ReadinessInputs inputs;
  inputs.run_id = request.run.run_id;
  inputs.run_date = *request.run.run_date;
  inputs.engine = request.engine_name;
  inputs.counts = *counts;
  inputs.expected_shards = request.run.expected_shards.has_value() ? request.run.expected_shards
                                                                   : PositiveOrNone(counts->expected_shards);
  inputs.expected_points = request.run.expected_points.has_value() ? request.run.expected_points
                                                                   : PositiveOrNone(counts->expected_points);
  if (inputs.expected_shards.has_value()) {
    Result<std::vector<MissingShard>> missing = QueryMissingShards(
        routed, request.sql_dir, request.database, request.run.run_id, *inputs.expected_shards);
    if (!missing.ok()) return IngestErrorReport(missing.status().message());
    inputs.missing_shards = std::move(missing).value();
  }
  return EvaluateReadiness(inputs);
}

ReadinessReport RunLocalIngest(const LocalIngestOptions& options) {
  if (std::optional<std::string> problem = CheckIngestArguments(options.run_id, options.overrides, options.database)) {
    return ArgumentErrorReport(*problem);
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(options.results_dir, ec)) {
    return ArgumentErrorReport(errors::ResultsDirNotFound(options.results_dir.string()));
  }
  ResolvedRun run = ResolveLocalRun(options.results_dir, options.results_prefix, options.run_id, options.overrides);
  if (!run.run_date.has_value()) return ArgumentErrorReport(errors::kRunDateUnknown);

  LocalResultsLocation location{options.results_dir, options.results_prefix};
  location.run = LocalRunScope{run.run_id, run.run_date};
  Result<std::unique_ptr<DuckDbQueryEngine>> engine =
      DuckDbQueryEngine::OpenOverResults(location, options.sql_dir, options.database, options.engine);
  if (!engine.ok()) return IngestErrorReport(engine.status().message());

  ReadinessCheckRequest request;
  request.sql_dir = options.sql_dir;
  request.database = options.database;
  request.engine_name = "local";
  request.run = std::move(run);
  return RunReadinessCheck(**engine, request);
}

}  // namespace ridesweep::analytics
