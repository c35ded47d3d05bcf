// Formatting of the analytics message texts (errors.h).
#include "ridesweep/analytics/errors.h"

namespace ridesweep::analytics::errors {
namespace {

std::string Coverage(std::string_view what, uint64_t observed, uint64_t expected) {
  return std::string(what) + " coverage mismatch: observed " + std::to_string(observed) + ", expected " +
         std::to_string(expected);
}

}  // namespace

std::string UnknownPlaceholder(std::string_view name, std::string_view file) {
  return "Unknown placeholder ${" + std::string(name) + "} in " + std::string(file);
}

std::string MissingPlaceholderValue(std::string_view name, std::string_view file) {
  return "Missing value for ${" + std::string(name) + "} in " + std::string(file);
}

std::string InvalidPlaceholderValue(std::string_view name, std::string_view value) {
  return "Invalid value for ${" + std::string(name) + "}: " + std::string(value);
}

std::string PlanFileNotFound(std::string_view path) { return "Plan file not found: " + std::string(path); }

std::string UnknownRun(std::string_view run_id, std::string_view location) {
  return "no run '" + std::string(run_id) + "' in " + std::string(location);
}

std::string PlanEntryNotSql(std::string_view entry) {
  return "Plan entries must point to .sql files, got: " + std::string(entry);
}

std::string PlanSqlFileMissing(std::string_view path) {
  return "SQL file in plan does not exist: " + std::string(path);
}

std::string ShardCoverageMismatch(uint64_t observed, uint64_t expected) {
  return Coverage("shard", observed, expected);
}

std::string PointCoverageMismatch(uint64_t observed, uint64_t expected) {
  return Coverage("point", observed, expected);
}

std::string EffectiveParametersCoverageMismatch(uint64_t observed, uint64_t expected) {
  return Coverage("effective_parameters", observed, expected);
}

std::string CommittedPointsMissingData(uint64_t points) {
  return "missing data: " + std::to_string(points) +
         " committed point(s) lack shard_metrics, trip_data or snapshot_counts objects (rerun the sweep to repair)";
}

std::string ResultsDirNotFound(std::string_view dir) { return "results directory not found: " + std::string(dir); }

std::string NextStepsCancelled(std::string_view run_id) {
  const std::string id(run_id);
  return "Next steps: run " + id + " was cancelled, so its remaining shards will not run. Delete it (ridesweep runs "
         "delete " + id + ") and submit again under the same run_id, or submit under a new run_id.";
}

std::string NextStepsPermanent(std::string_view run_id, std::string_view shard_ids, std::string_view error_codes) {
  const std::string id(run_id);
  return "Next steps: shard(s) " + std::string(shard_ids) + " failed permanently (" + std::string(error_codes) +
         "); rerunning cannot fix them. Fix the request and submit it under a new run_id, or delete this run "
         "(ridesweep runs delete " + id + ") and submit the corrected request under the same run_id. Details: "
         "ridesweep query query_failure_diagnostics --run-id " + id;
}

std::string NextStepsRerun(std::string_view run_id) {
  const std::string id(run_id);
  return "Next steps: rerun the run (the same ridesweep run command, or submit the same request again): committed "
         "points are kept and the missing ones are retried; then run ridesweep ingest again. Details: ridesweep "
         "query query_failure_diagnostics --run-id " + id;
}

}  // namespace ridesweep::analytics::errors
