// The ridesweep command line: parses flags, calls one command function, returns its exit code.
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands/analytics_commands.h"
#include "commands/athena_commands.h"
#include "commands/compare_command.h"
#include "commands/completion.h"
#include "commands/export_command.h"
#include "commands/log_output.h"
#include "commands/params_command.h"
#include "commands/report_command.h"
#include "commands/run_command.h"
#include "commands/runs_command.h"
#include "commands/serve_command.h"
#include "commands/simulate_command.h"
#include "commands/submit_command.h"
#include "commands/suggestions.h"
#include "commands/version_text.h"

namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void OnSignal(int) { g_interrupted.store(true); }

}  // namespace

int main(int argc, char** argv) {
  try {
    namespace cli = ridesweep::cli;
    CLI::App app{"ridesweep: parameter sweeps of a ride-hailing marketplace simulation, queryable with SQL"};
    app.require_subcommand(1);
    cli::LogOutput log_output;
    cli::AddLogOutputOptions(app, log_output);
    app.set_version_flag("--version", cli::VersionText(), "Print the version, git revision, build type and DuckDB version");
    cli::SimulateOptions simulate;
    cli::RunOptions run;
    cli::ServeOptions serve;
    cli::StatusOptions status;
    cli::QueryOptions query;
    cli::IngestOptions ingest;
    cli::ReportCommandOptions report;
    cli::CompareCommandOptions compare;
    cli::AthenaApplyCliOptions athena_apply;
    cli::SubmitOptions submit;
    cli::ParamsOptions params;
    cli::ExportOptions export_options;
    CLI::App* simulate_cmd = cli::AddSimulateCommand(app, simulate);
    CLI::App* run_cmd = cli::AddRunCommand(app, run);
    CLI::App* serve_cmd = cli::AddServeCommand(app, serve);
    CLI::App* status_cmd = cli::AddStatusCommand(app, status);
    CLI::App* query_cmd = cli::AddQueryCommand(app, query);
    CLI::App* ingest_cmd = cli::AddIngestCommand(app, ingest);
    CLI::App* report_cmd = cli::AddReportCommand(app, report);
    CLI::App* compare_cmd = cli::AddCompareCommand(app, compare);
    CLI::App* athena_apply_cmd = cli::AddAthenaCommand(app, athena_apply);
    CLI::App* submit_cmd = cli::AddSubmitCommand(app, submit);
    CLI::App* params_cmd = cli::AddParamsCommand(app, params);
    CLI::App* export_cmd = cli::AddExportCommand(app, export_options);
    cli::RunsOptions runs;
    const cli::RunsCommands runs_cmds = cli::AddRunsCommand(app, runs);
    cli::CancelOptions cancel;
    CLI::App* cancel_cmd = cli::AddCancelCommand(app, cancel);
    cli::CompletionOptions completion;
    CLI::App* completion_cmd = cli::AddCompletionCommand(app, completion);
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (const std::vector<std::string> hints = cli::SuggestionsFor(app, args); !hints.empty()) {
      for (const std::string& hint : hints) std::cerr << "ridesweep: " << hint << "\n";
      return 2;
    }
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      // --help and --version exit 0; every argument error exits 2, the code of bad arguments in every command.
      return app.exit(e) == 0 ? 0 : 2;
    }
    run.log = log_output;
    serve.log = log_output;
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
    if (simulate_cmd->parsed()) return cli::RunSimulateCommand(simulate, std::cin, std::cout, std::cerr);
    if (run_cmd->parsed()) return cli::RunRunCommand(run, g_interrupted, std::cin, std::cout, std::cerr);
    if (serve_cmd->parsed()) return cli::RunServeCommand(serve, g_interrupted, std::cout, std::cerr);
    if (status_cmd->parsed()) return cli::RunStatusCommand(status, std::cout, std::cerr);
    if (query_cmd->parsed()) return cli::RunQueryCommand(query, std::cin, std::cout, std::cerr);
    if (export_cmd->parsed()) return cli::RunExportCommand(export_options, std::cout, std::cerr);
    if (ingest_cmd->parsed()) return cli::RunIngestCommand(ingest, std::cout, std::cerr);
    if (report_cmd->parsed()) return cli::RunReportCommand(report, std::cout, std::cerr);
    if (compare_cmd->parsed()) return cli::RunCompareCommand(compare, std::cout, std::cerr);
    if (athena_apply_cmd->parsed()) return cli::RunAthenaApplyCommand(athena_apply, std::cout, std::cerr);
    if (submit_cmd->parsed()) return cli::RunSubmitCommand(submit, std::cin, std::cout, std::cerr);
    if (runs_cmds.list->parsed()) return cli::RunRunsList(runs, std::cout, std::cerr);
    if (runs_cmds.show->parsed()) return cli::RunRunsShow(runs, std::cout, std::cerr);
    if (runs_cmds.remove->parsed()) return cli::RunRunsDelete(runs, std::cin, std::cout, std::cerr);
    if (cancel_cmd->parsed()) return cli::RunCancelCommand(cancel, std::cout, std::cerr);
    if (completion_cmd->parsed()) {
      std::cout << *cli::CompletionScript(app, completion.shell);
      return 0;
    }
    if (params_cmd->parsed()) return cli::RunParamsCommand(params, std::cout);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "Error: " << e.what() << "\n";
    return 3;
  }
}
