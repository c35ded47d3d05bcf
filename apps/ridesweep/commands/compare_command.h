// `ridesweep compare RUN_A RUN_B [--json | --format table|json|csv | --html FILE [--force]] [--metrics m1,m2]`:
// did a change matter? The
// two runs' configurations are matched by dimension values and each metric's difference B − A is reported with
// its 95% Welch interval (analytics/run_comparison.h). Results are located as for `ridesweep report` (a local
// directory or s3://). --html writes the comparison page (analytics/comparison_page.h) like `ridesweep report`
// writes its page (output_file.h). Exit codes: 0 compared, 1 a run does not exist or has no committed point, 2 bad
// arguments (including an existing --html file without --force), no results directory, runs of different designs
// or runs that share no configuration, 3 engine or file errors.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_COMPARE_COMMAND_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_COMPARE_COMMAND_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "commands/results_location.h"

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct CompareCommandOptions {
  std::string run_a;
  std::string run_b;
  bool json = false;
  std::string format = "table";
  std::vector<std::string> metrics;  // empty: every metric with per-configuration statistics
  std::string html;                  // --html FILE: write the comparison page instead of printing
  bool force = false;                // replace an existing --html file
  std::string sql_dir;
  ResultsLocation location;
};
CLI::App* AddCompareCommand(CLI::App& app, CompareCommandOptions& options);
int RunCompareCommand(const CompareCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_COMPARE_COMMAND_H_
