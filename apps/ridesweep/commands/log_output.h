// How the CLI's log lines look and how many there are: the structured events (one JSON object per line, the
// format the Lambda runtime keeps) as they are with `--log-format json`, or as short human lines
// (`12:00:01 warn  shard_failed  run_id=demo shard_id=1 error_code=storage_error`) with `--log-format human`, the
// default when stderr is a terminal. `--quiet` keeps errors only; `--verbose` adds debug events. Root-level
// options, accepted before or after the subcommand. Pure formatting; thread-safe.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_LOG_OUTPUT_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_LOG_OUTPUT_H_

#include <string>
#include <string_view>

#include "ridesweep/sweep/structured_log.h"

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct LogOutput {
  std::string format = "auto";  // auto | json | human
  bool quiet = false;
  bool verbose = false;

  // Whether lines are written for humans: `human`, or `auto` on a terminal.
  bool Human(bool stderr_is_terminal) const { return format == "human" || (format == "auto" && stderr_is_terminal); }
  // The level below which events are dropped: error when quiet, debug when verbose, else `command_default`
  // (SWEEP_LOG_LEVEL, when set, replaces the command's default but not --quiet or --verbose).
  sweep::LogLevel Level(sweep::LogLevel command_default) const;
};

void AddLogOutputOptions(CLI::App& root, LogOutput& options);

// One structured JSON line as a human line: time of day, level, event, then the details as key=value (strings
// unquoted, long values cut at 120 characters). A line that is not a structured event is returned as is.
std::string HumanLogLine(std::string_view json_line);

// The sink of the local runtime's log for these options: stderr, one write per line.
sweep::StructuredLog::Sink LogSink(const LogOutput& options, bool stderr_is_terminal);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_LOG_OUTPUT_H_
