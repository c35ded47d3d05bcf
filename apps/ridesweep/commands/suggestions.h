// "Did you mean" for the command line: the closest known word to a mistyped one by edit distance, and the hints
// the CLI prints for an unknown subcommand or flag. Pure functions over the parsed command tree; thread-safe.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SUGGESTIONS_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SUGGESTIONS_H_

#include <CLI/CLI.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ridesweep::cli {

// Edit distance: insertions, deletions, substitutions and swaps of two adjacent characters cost 1 each.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a plausible typo: distance at most
// max(1, |word| / 3), ties broken by candidate order. Exact matches are returned as is.
std::optional<std::string> ClosestMatch(std::string_view word, std::span<const std::string> candidates);

// For argv (without the program name) against the command tree rooted at `root`: the subcommand path the words
// name, then for the first word that is neither a known subcommand (where one is expected) nor a known long flag
// of the reached command, a message such as `'rn' is not a ridesweep command. Did you mean 'run'?` or
// `unknown flag --resuls-dir for 'ridesweep run'. Did you mean --results-dir?`. Empty when every word is known or
// no suggestion is close enough.
std::vector<std::string> SuggestionsFor(const CLI::App& root, std::span<const std::string> args);

// The subcommands of `app` (names) and its long flags (with the leading "--"), in declaration order.
std::vector<std::string> SubcommandNames(const CLI::App& app);
std::vector<std::string> LongFlagNames(const CLI::App& app);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SUGGESTIONS_H_
