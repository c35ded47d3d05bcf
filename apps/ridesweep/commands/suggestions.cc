// Edit distance, closest match, and the unknown-word hints of the ridesweep command line.
#include "commands/suggestions.h"

#include <algorithm>

namespace ridesweep::cli {

size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus adjacent transpositions, on a (|a|+1) x (|b|+1) table.
  const size_t width = b.size() + 1;
  std::vector<size_t> d((a.size() + 1) * width);
  for (size_t i = 0; i <= a.size(); ++i) d[i * width] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t best = std::min({d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        best = std::min(best, d[(i - 2) * width + j - 2] + 1);
      }
      d[i * width + j] = best;
    }
  }
  return d[a.size() * width + b.size()];
}

std::optional<std::string> ClosestMatch(std::string_view word, std::span<const std::string> candidates) {
  const size_t limit = std::max<size_t>(1, word.size() / 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    const size_t d = EditDistance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::vector<std::string> SubcommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

std::vector<std::string> LongFlagNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : app.get_options()) {
    for (const std::string& lname : opt->get_lnames()) names.push_back("--" + lname);
  }
  return names;
}

namespace {

std::string CommandPath(const std::vector<const CLI::App*>& path) {
  std::string text = "ridesweep";
  for (size_t i = 1; i < path.size(); ++i) text += " " + path[i]->get_name();
  return text;
}

}  // namespace

std::vector<std::string> SuggestionsFor(const CLI::App& root, std::span<const std::string> args) {
  std::vector<const CLI::App*> path{&root};
  std::vector<std::string> hints;
  bool positional_seen = false;
  bool skip_value = false;  // the previous word was an option that takes a value
  for (const std::string& arg : args) {
    if (skip_value) {
      skip_value = false;
      continue;
    }
    const CLI::App& here = *path.back();
    if (arg == "--") break;
    if (arg.rfind("--", 0) == 0) {
      const size_t equals = arg.find('=');
      const std::string flag = arg.substr(0, equals);
      // The reached command's options, and its parents' (root options such as --quiet fall through).
      const CLI::Option* known = nullptr;
      std::vector<std::string> flags;
      for (auto it = path.rbegin(); it != path.rend(); ++it) {
        for (const CLI::Option* opt : (*it)->get_options()) {
          for (const std::string& lname : opt->get_lnames()) {
            flags.push_back("--" + lname);
            if (flags.back() == flag && known == nullptr) known = opt;
          }
        }
      }
      if (known != nullptr) {
        skip_value = equals == std::string::npos && known->get_items_expected_min() > 0;
        continue;
      }
      if (auto match = ClosestMatch(flag, flags)) {
        hints.push_back("unknown flag " + flag + " for '" + CommandPath(path) + "'. Did you mean " + *match + "?");
      }
      break;
    }
    if (arg.rfind('-', 0) == 0) continue;  // short flags and negative numbers: CLI11's own message suffices
    const std::vector<std::string> subs = SubcommandNames(here);
    if (std::find(subs.begin(), subs.end(), arg) != subs.end()) {
      path.push_back(here.get_subcommand(arg));
      positional_seen = false;
      continue;
    }
    // A word where a subcommand is required (the root, or a group such as `athena`) that is no subcommand.
    if (!subs.empty() && here.get_require_subcommand_min() > 0 && !positional_seen) {
      if (auto match = ClosestMatch(arg, subs)) {
        hints.push_back("'" + arg + "' is not a " + CommandPath(path) + " command. Did you mean '" + *match + "'?");
      } else {
        hints.push_back("'" + arg + "' is not a " + CommandPath(path) + " command. See '" + CommandPath(path) +
                        " --help'.");
      }
      break;
    }
    positional_seen = true;  // a positional argument
  }
  return hints;
}

}  // namespace ridesweep::cli
