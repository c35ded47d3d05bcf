// The whole local report of one run (`ridesweep report`, `ridesweep serve`'s GET /runs/{run_id}/report): resolve the
// run's manifest, open DuckDB over the results directory (views mirroring the Athena tables), load the report data
// and render the page. Runs that exist but have nothing to chart (no outcome yet, only failures) still get a page
// that says so; a run that does not exist, or a results directory that does not, is an error with a clear message.
#ifndef RIDESWEEP_ANALYTICS_LOCAL_REPORT_H_
#define RIDESWEEP_ANALYTICS_LOCAL_REPORT_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/analytics/html_report.h"
#include "ridesweep/analytics/local_views.h"
#include "ridesweep/analytics/report_data.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

struct LocalReportRequest {
  LocalResultsLocation location;
  std::filesystem::path sql_dir;  // the Athena SQL directory (views and query files)
  std::string run_id;
  ReportOptions options;
  std::vector<std::string> metrics;     // HtmlReportOptions::metrics (`--metrics`)
  std::vector<std::string> dimensions;  // HtmlReportOptions::dimensions (`--dimensions`)
  std::string database{kDefaultDatabase};
  DuckDbEngineOptions engine;
};

struct LocalReport {
  ReportData data;
  ReportState state = ReportState::kComplete;
  std::string html;
};

// DO NOT CHANGE without updating tests/report: the messages of the two errors below.
std::string ResultsDirectoryMissingMessage(
    const std::filesystem::path& results_dir);  // results directory '<d>' does not exist
std::string RunNotFoundMessage(std::string_view run_id, std::string_view datasets_root);

// Errors: InvalidArgument `run_id must match [A-Za-z0-9._-]{1,128}`; NotFound ResultsDirectoryMissingMessage when
// location.results_dir is not a directory; NotFound RunNotFoundMessage when the run has no manifest, no run_context
// row, no outcome record and no committed point; InvalidArgument for a --point that is not committed, a metric
// the report does not chart or a dimension the run does not vary (CheckReportMetrics, CheckReportDimensions); the SQL
// directory's and the engine's errors otherwise.
Result<LocalReport> BuildLocalReport(const LocalReportRequest& request);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_LOCAL_REPORT_H_
