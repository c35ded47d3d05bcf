// `ridesweep simulate`: runs one simulation point from a named scenario and/or a JSON parameter file with flag
// overrides, and prints a readable summary (or JSON with --json). `--rows-out DIR` also dumps the point's
// trip_data and snapshot_counts rows as JSON lines (one object per row, keys and order of the §10 columns), an
// independent path for checking what a sweep stored.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SIMULATE_COMMAND_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SIMULATE_COMMAND_H_

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct SimulateOptions {
  std::string scenario = "default";
  std::string params_file;  // JSON object of §14 parameters, applied on top of the scenario.
  std::optional<uint64_t> seed;
  std::optional<uint64_t> num_riders;
  std::optional<uint64_t> num_drivers;
  std::optional<uint32_t> match_radius;
  std::optional<std::string> matching;
  std::optional<double> duration_hours;
  bool json = false;
  std::string rows_out;  // Directory for trip_data.jsonl and snapshot_counts.jsonl; empty = none.
};

// Registers the subcommand; `options` must outlive `app`.
CLI::App* AddSimulateCommand(CLI::App& app, SimulateOptions& options);
// Returns the process exit code: 0 ok, 2 invalid parameters, 1 run failure or rows not writable.
int RunSimulateCommand(const SimulateOptions& options, std::ostream& out, std::ostream& err);  // stdin: std::cin
int RunSimulateCommand(const SimulateOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SIMULATE_COMMAND_H_
