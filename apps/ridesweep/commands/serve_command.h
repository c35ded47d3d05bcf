// `ridesweep serve`: the local HTTP endpoint (POST /sweep-run, GET /runs/{run_id}) over the local executor, so
// the cloud contract can be exercised on one machine. SIGINT/SIGTERM stop accepting, finish the points in flight,
// and exit 0.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SERVE_COMMAND_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SERVE_COMMAND_H_

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "commands/log_output.h"
#include "commands/results_location.h"

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct ServeOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;
  bool allow_remote = false;
  size_t threads = 0;
  uint64_t max_shards = 1000;
  ResultsLocation location;
  LogOutput log;  // the root's --log-format, --quiet, --verbose
};

CLI::App* AddServeCommand(CLI::App& app, ServeOptions& options);
int RunServeCommand(const ServeOptions& options, const std::atomic<bool>& interrupted, std::ostream& out,
                    std::ostream& err);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SERVE_COMMAND_H_
