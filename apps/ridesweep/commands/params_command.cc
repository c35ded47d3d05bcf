// `ridesweep params`: wiring from flags to the parameter-table renderings of ridesweep/sweep/parameter_listing.h.
#include "commands/params_command.h"

#include <CLI/CLI.hpp>

#include <ostream>

#include "ridesweep/sim/params.h"
#include "ridesweep/sweep/parameter_listing.h"

namespace ridesweep::cli {

CLI::App* AddParamsCommand(CLI::App& app, ParamsOptions& o) {
  CLI::App* cmd = app.add_subcommand("params", "List the sweepable parameters (request dimensions)");
  auto* json = cmd->add_flag("--json", o.json, "Print the table as JSON");
  auto* markdown = cmd->add_flag("--markdown", o.markdown, "Print the Markdown table of docs/formats/request_json.md");
  auto* schema = cmd->add_flag("--dimensions-schema", o.dimensions_schema,
                               "Print the JSON Schema of the request's dimensions object");
  json->excludes(markdown)->excludes(schema);
  markdown->excludes(schema);
  return cmd;
}

int RunParamsCommand(const ParamsOptions& o, std::ostream& out) {
  const sim::SimParams defaults{};
  if (o.json) {
    out << sweep::ParametersJson(defaults) << "\n";
  } else if (o.markdown) {
    out << sweep::ParametersMarkdown(defaults);
  } else if (o.dimensions_schema) {
    out << sweep::DimensionsJsonSchema() << "\n";
  } else {
    out << sweep::ParametersText(defaults);
  }
  return 0;
}

}  // namespace ridesweep::cli
