// The end-of-run summary of `ridesweep run`: shards and points succeeded/failed, wall time, points/s, why shards
// failed, and the best configurations by health score with their dimension values (read back from the stored
// datasets through the analytics layer, so it shows what Athena would). Text for people, JSON for machines.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RUN_REPORT_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RUN_REPORT_H_

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "commands/results_location.h"
#include "ridesweep/base/json_value.h"
#include "ridesweep/local/local_executor.h"

namespace ridesweep::cli {

struct RunReportInputs {
  std::string run_id;
  std::string run_date;
  ResultsLocation location;
  double wall_seconds = 0;
  size_t top = 5;
  uint64_t shards_planned = 0;
  uint64_t shards_succeeded = 0;   // in this invocation
  uint64_t shards_failed = 0;
  uint64_t shards_dead_lettered = 0;
  std::vector<local::DeadLetter> dead_letters;  // with their reasons (listed even without a failure record)
  uint64_t points_planned = 0;
  bool interrupted = false;
};

// Prints the summary on `out`, or with `json_out` stores it there as a JSON object and prints nothing; errors go to
// `err`. Returns true when every planned shard of the run has succeeded.
bool PrintRunReport(const RunReportInputs& inputs, JsonValue* json_out, std::ostream& out, std::ostream& err);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RUN_REPORT_H_
