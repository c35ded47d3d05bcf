// The ridesweep command line: parses flags, calls one command function, returns its exit code.
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "commands/simulate_command.h"

int main(int argc, char** argv) {
  try {
    CLI::App app{"ridesweep: parameter sweeps of a ride-hailing marketplace simulation"};
    app.require_subcommand(1);
    ridesweep::cli::SimulateOptions simulate;
    CLI::App* simulate_cmd = ridesweep::cli::AddSimulateCommand(app, simulate);
    CLI11_PARSE(app, argc, argv);
    if (simulate_cmd->parsed()) return ridesweep::cli::RunSimulateCommand(simulate, std::cout, std::cerr);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "Error: " << e.what() << "\n";
    return 3;
  }
}
