// `ridesweep report --run-id R [--out report.html] [--force] [--point I] [--top N] [--metrics …] [--dimensions …]`:
// writes the run's self-contained HTML report (analytics/local_report.h), with results located as for `ridesweep
// status`; and the same page for `ridesweep serve`'s GET /runs/{run_id}/report. Exit codes: 0 report written (also
// for runs with nothing to chart: the page says why), 1 no such run, 2 bad arguments (an unknown metric or
// dimension, an existing --out without --force) or no results directory, 3 engine or file errors.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_REPORT_COMMAND_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_REPORT_COMMAND_H_

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "commands/results_location.h"

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct ReportCommandOptions {
  std::string run_id;
  std::string out = "report.html";
  bool force = false;                   // replace an existing --out
  std::vector<std::string> metrics;     // --metrics
  std::vector<std::string> dimensions;  // --dimensions
  std::optional<uint64_t> point;
  size_t top = 10;
  std::string sql_dir;
  ResultsLocation location;
};
CLI::App* AddReportCommand(CLI::App& app, ReportCommandOptions& options);
int RunReportCommand(const ReportCommandOptions& options, std::ostream& out, std::ostream& err);

// The report page for GET /runs/{run_id}/report. Returns the HTTP status: 200 (text/html), 400 (bad run_id),
// 404 (unknown run), 500 (engine error); error bodies are JSON {"error","message"}.
int RunReportHttp(const ResultsLocation& location, const std::string& run_id, std::string* body,
                  std::string* content_type);

// The suggestion `ridesweep report --run-id R [--results-dir D] [--results-prefix P]` printed after a run.
std::string ReportCommandLine(const std::string& run_id, const ResultsLocation& location);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_REPORT_COMMAND_H_
