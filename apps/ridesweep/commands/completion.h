// `ridesweep completion bash|zsh|fish`: shell completion scripts generated from the CLI's own command tree, so
// every subcommand and long flag completes and the scripts never drift from the parser. zsh reuses the bash
// function through bashcompinit. Pure text generation; thread-safe.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_COMPLETION_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_COMPLETION_H_

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ridesweep::cli {

struct CompletionOptions {
  std::string shell;  // bash, zsh or fish
};

CLI::App* AddCompletionCommand(CLI::App& app, CompletionOptions& options);

// The script for `shell` over the tree rooted at `root`; nullopt for an unknown shell.
std::optional<std::string> CompletionScript(const CLI::App& root, std::string_view shell);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_COMPLETION_H_
