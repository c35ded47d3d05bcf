// `ridesweep params`: lists every sweepable parameter (the names a request may use as dimensions) with its kind,
// unit, default, allowed values and meaning; `--json` prints the same as one JSON object. `--markdown` and
// `--dimensions-schema` print the docs table and the request schema's `dimensions` part, which the tests compare
// with docs/formats/request_json.md and the API's sweep_run_request.schema.json.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_PARAMS_COMMAND_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_PARAMS_COMMAND_H_

#include <iosfwd>

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct ParamsOptions {
  bool json = false;
  bool markdown = false;
  bool dimensions_schema = false;
};

// Registers the subcommand; `options` must outlive `app`.
CLI::App* AddParamsCommand(CLI::App& app, ParamsOptions& options);
// Always 0.
int RunParamsCommand(const ParamsOptions& options, std::ostream& out);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_PARAMS_COMMAND_H_
