// `ridesweep export --run-id R --out FILE.{parquet,csv,json} [--force]`: the run's sweep_points table (one row per
// committed point: identity, seed, one typed column per dimension, every metric) written to one file, from a local
// results directory or `--results-dir s3://…`; `--print-sql` prints the generated sweep_points SELECT for the run
// instead (the text to run on Athena); `--metrics a,b` keeps only those metric columns; `--engine athena` runs that
// SELECT on Athena (the run manifest read from --results-bucket) and writes the same file. Exit codes: 0 written; 1 the
// run has no committed point; 2 bad arguments (format, an unknown metric, an existing file without --force, an
// unwritable directory, a missing results directory); 3 an unknown run or a read failure. Nothing partial is left
// behind.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_EXPORT_COMMAND_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_EXPORT_COMMAND_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "commands/athena_commands.h"
#include "commands/results_location.h"

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct ExportOptions {
  std::string run_id;
  std::string out;
  bool force = false;
  bool print_sql = false;
  std::vector<std::string> metrics;  // --metrics a,b: keep only these metric columns
  std::string database = "ride_sim_analytics";
  std::string sql_dir;
  ResultsLocation location;
  std::string engine = "local";  // --engine local|athena
  AthenaConnectionFlags athena;  // --engine athena
};
CLI::App* AddExportCommand(CLI::App& app, ExportOptions& options);
int RunExportCommand(const ExportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_EXPORT_COMMAND_H_
