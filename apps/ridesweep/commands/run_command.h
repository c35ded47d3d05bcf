// `ridesweep run REQUEST.json`: accepts the request exactly as the API would (request_source local_cli), runs
// every shard on the local pool with a progress bar, prints the 202 (or error) body, then a summary with the best
// configurations; `--check` then runs the readiness check. Exit codes (spec/sweep.md §17): 0 all shards
// succeeded (and the check passed), 1 a shard failed or was dead-lettered or the check failed, 2 request rejected
// (4xx) or unreadable, 3 configuration or store failure (5xx). `--dry-run` plans instead of running
// (local::PlanDryRun): same validation and exit codes for a rejected request, 0 with a plan.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RUN_COMMAND_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RUN_COMMAND_H_

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "commands/dry_run_report.h"
#include "commands/log_output.h"
#include "commands/results_location.h"

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct RunOptions {
  std::string request_path;  // a file, or "-" for standard input
  ResultsLocation location;
  size_t threads = 0;
  uint64_t max_shards = 1000;
  uint32_t max_attempts = 5;
  uint64_t shard_timeout_seconds = 0;
  bool check = false;
  bool verify = false;  // recompute committed points and rewrite objects whose bytes differ
  bool json = false;
  size_t top = 5;
  // --dry-run: validate and plan, print points, shards, objects and bytes per layout, estimated time and cloud
  // cost; nothing is run or written. Exit 0, or the real run's exit code for a rejected request.
  bool dry_run = false;
  size_t calibration_points = 3;
  DryRunPricing pricing;
  LogOutput log;  // the root's --log-format, --quiet, --verbose
};

CLI::App* AddRunCommand(CLI::App& app, RunOptions& options);
// `interrupted` is raised by the SIGINT handler; the run then stops cleanly.
int RunRunCommand(const RunOptions& options, const std::atomic<bool>& interrupted, std::istream& in,
                  std::ostream& out, std::ostream& err);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RUN_COMMAND_H_
