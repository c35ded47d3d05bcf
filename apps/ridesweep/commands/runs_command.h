// Run management over stored results (a local directory or s3://BUCKET[/PREFIX]): `ridesweep runs list`,
// `runs show R`, `runs delete R` (every object of the run, the manifest last, so the run_id can be used again;
// asks unless --yes, refuses a run that may still be running unless it was cancelled or --force is given) and
// `ridesweep cancel R` (writes the run's cancel marker; workers stop before their next shard or point).
// Exit codes: 0 done, 1 not confirmed, 2 bad arguments, 3 unknown run or a store error.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RUNS_COMMAND_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RUNS_COMMAND_H_

#include <iosfwd>
#include <string>

#include "commands/results_location.h"
#include "ridesweep/base/object_store.h"

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct RunsOptions {
  std::string run_id;  // show, delete
  bool json = false;   // list, show
  bool yes = false;    // delete: no prompt
  bool force = false;  // delete: also a run that may still be running
  ResultsLocation location;
};

struct RunsCommands {
  CLI::App* list = nullptr;
  CLI::App* show = nullptr;
  CLI::App* remove = nullptr;
};
RunsCommands AddRunsCommand(CLI::App& app, RunsOptions& options);
int RunRunsList(const RunsOptions& options, std::ostream& out, std::ostream& err);
int RunRunsShow(const RunsOptions& options, std::ostream& out, std::ostream& err);
int RunRunsDelete(const RunsOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

struct CancelOptions {
  std::string run_id;
  ResultsLocation location;
};
CLI::App* AddCancelCommand(CLI::App& app, CancelOptions& options);
int RunCancelCommand(const CancelOptions& options, std::ostream& out, std::ostream& err);

// The bodies of `serve`'s GET /runs (a JSON array like `runs list --json`) and DELETE /runs/{id} (202
// {"run_id","status":"cancel_requested"}; 200 already_complete | already_cancelled; 400 bad run_id; 404 unknown run;
// 502 store error). Return the HTTP status.
int RunsListJson(ObjectStore& store, const std::string& results_prefix, std::string* body);
int CancelRunJson(ObjectStore& store, const std::string& results_prefix, const std::string& run_id,
                  std::string* body);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_RUNS_COMMAND_H_
