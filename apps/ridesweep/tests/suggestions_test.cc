// Edit distance and the closest-match rule behind the CLI's "did you mean" hints.
#include "commands/suggestions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ridesweep::cli {
namespace {

TEST(SuggestionsTest, EditDistanceCountsEditsAndAdjacentSwaps) {
  struct Case {
    const char* a;
    const char* b;
    size_t distance;
  } kCases[] = {{"", "", 0}, {"run", "run", 0}, {"rn", "run", 1}, {"runs", "run", 1},
                {"quary", "query", 1}, {"rnu", "run", 1}, {"kitten", "sitting", 3}, {"", "abc", 3}};
  for (const Case& c : kCases) {
    EXPECT_EQ(EditDistance(c.a, c.b), c.distance) << c.a << " vs " << c.b;
    EXPECT_EQ(EditDistance(c.b, c.a), c.distance) << c.b << " vs " << c.a;
  }
}

TEST(SuggestionsTest, ClosestMatchNeedsAPlausibleTypo) {
  const std::vector<std::string> names = {"run", "serve", "status", "query", "report"};
  EXPECT_EQ(ClosestMatch("rn", names), "run");
  EXPECT_EQ(ClosestMatch("statsu", names), "status");
  EXPECT_EQ(ClosestMatch("report", names), "report");
  EXPECT_EQ(ClosestMatch("frobnicate", names), std::nullopt);
  EXPECT_EQ(ClosestMatch("x", names), std::nullopt);
}

TEST(SuggestionsTest, SuggestionsForWalksSubcommandsAndFlags) {
  CLI::App app{"test"};
  app.require_subcommand(1);
  std::string dir;
  CLI::App* run = app.add_subcommand("run", "run");
  run->add_option("--results-dir", dir);
  CLI::App* athena = app.add_subcommand("athena", "athena");
  athena->require_subcommand(1);
  athena->add_subcommand("apply", "apply");
  auto hints = [&](std::vector<std::string> args) { return SuggestionsFor(app, args); };
  EXPECT_TRUE(hints({"run", "--results-dir", "x"}).empty());
  EXPECT_TRUE(hints({"run", "--results-dir=x", "file.json"}).empty());
  EXPECT_EQ(hints({"rnu"}), std::vector<std::string>{"'rnu' is not a ridesweep command. Did you mean 'run'?"});
  EXPECT_EQ(hints({"run", "--result-dir", "x"}),
            std::vector<std::string>{"unknown flag --result-dir for 'ridesweep run'. Did you mean --results-dir?"});
  EXPECT_EQ(hints({"athena", "aply"}),
            std::vector<std::string>{"'aply' is not a ridesweep athena command. Did you mean 'apply'?"});
  EXPECT_TRUE(hints({"run", "--zzzzzzzzzz"}).empty());  // nothing close: CLI11's own error message stands
  // An option's value is not a command; a root option after the subcommand is known.
  std::string format;
  app.add_option("--log-format", format);
  EXPECT_TRUE(hints({"--log-format", "human", "run", "x.json"}).empty());
  EXPECT_TRUE(hints({"run", "--log-format", "json", "x.json"}).empty());
}

}  // namespace
}  // namespace ridesweep::cli
