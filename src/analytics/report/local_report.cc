// The local report: manifest, DuckDB over the results directory, data, page.
#include "ridesweep/analytics/local_report.h"

#include <memory>
#include <system_error>

#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/sweep/identifiers.h"

namespace ridesweep::analytics {

std::string ResultsDirectoryMissingMessage(const std::filesystem::path& results_dir) {
  return "results directory '" + results_dir.string() + "' does not exist";
}

std::string RunNotFoundMessage(std::string_view run_id, std::string_view datasets_root) {
  return "no run '" + std::string(run_id) + "' in the results under " + std::string(datasets_root) +
         " (no run manifest, no run_context row, no shard outcome and no committed point)";
}

Result<LocalReport> BuildLocalReport(const LocalReportRequest& request) {
  if (!sweep::MatchesRunIdPattern(request.run_id)) {
    return InvalidArgumentError("run_id must match [A-Za-z0-9._-]{1,128}");
  }
  RIDESWEEP_RETURN_IF_ERROR(CheckReportMetrics(request.metrics));
  std::error_code ec;
  if (!std::filesystem::is_directory(request.location.results_dir, ec)) {
    return NotFoundError(ResultsDirectoryMissingMessage(request.location.results_dir));
  }
  const ResolvedRun resolved =
      ResolveLocalRun(request.location.results_dir, request.location.results_prefix, request.run_id);
  RIDESWEEP_ASSIGN_OR_RETURN(
      std::unique_ptr<DuckDbQueryEngine> engine,
      DuckDbQueryEngine::OpenOverResults(request.location, request.sql_dir, request.database, request.engine));
  RIDESWEEP_ASSIGN_OR_RETURN(ReportData data, LoadReportData(*engine, request.sql_dir, request.database, request.run_id,
                                                             &resolved, request.options));
  const bool any_record = data.header.shard_attempts > 0;
  if (resolved.manifest_state == ManifestState::kAbsent && !data.header.request_fingerprint && !any_record &&
      data.points.empty()) {
    return NotFoundError(RunNotFoundMessage(request.run_id, request.location.DatasetsRoot()));
  }
  RIDESWEEP_RETURN_IF_ERROR(CheckReportDimensions(data, request.dimensions));
  LocalReport report;
  report.state = StateOf(data);
  HtmlReportOptions html_options;
  html_options.top_n = request.options.top_n;
  html_options.weights = request.options.weights;
  html_options.metrics = request.metrics;
  html_options.dimensions = request.dimensions;
  html_options.source_note = request.location.DatasetsRoot() + " (DuckDB " + "views of the Athena tables)";
  report.html = RenderHtmlReport(data, html_options);
  report.data = std::move(data);
  return report;
}

}  // namespace ridesweep::analytics
