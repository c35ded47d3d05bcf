// Where a command finds its results: a local directory (the embedded default) named by --results-dir or
// SWEEP_RESULTS_DIR (default ./sweep-results), and the key prefix P from --results-prefix or SWEEP_RESULTS_PREFIX
// (default serverless-sweeps/outcomes). Every command that reads or writes results resolves them here, the same
// way. The read-side commands also accept s3://BUCKET[/PREFIX] as the directory (s3_results.h).
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RESULTS_LOCATION_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RESULTS_LOCATION_H_

#include <memory>
#include <string>

#include "ridesweep/base/object_store.h"
#include "ridesweep/base/result.h"

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct ResultsLocation {
  std::string results_dir;     // empty: SWEEP_RESULTS_DIR or ./sweep-results
  std::string results_prefix;  // empty: SWEEP_RESULTS_PREFIX or serverless-sweeps/outcomes

  // Resolved values (after Resolve()).
  std::string Dir() const;
  std::string Prefix() const;
};

// Adds --results-dir and --results-prefix to a subcommand.
void AddResultsLocationOptions(CLI::App* cmd, ResultsLocation& location);

// Opens the store. `create`: make the directory if missing (writers); readers get NotFound
// `results directory '<dir>' does not exist` instead. An s3:// location opens the S3 store for readers and is
// InvalidArgument for writers.
Result<std::unique_ptr<ObjectStore>> OpenResultsStore(const ResultsLocation& location, bool create);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RESULTS_LOCATION_H_
