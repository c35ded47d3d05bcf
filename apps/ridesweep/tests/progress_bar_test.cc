// ProgressBar (the `ridesweep run` progress line): the bar is 0..100% full whatever the counters say, so a count
// above the total (issue 13: a retried shard counted its skipped points again) or a zero total draws a full bar
// instead of throwing, and the non-interactive form prints one line per tenth.
#include "commands/progress_bar.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

namespace ridesweep::cli {
namespace {

// The bar part "[###---]" of a rendered line.
std::string Bar(const std::string& line) { return line.substr(0, line.find(']') + 1); }

TEST(ProgressBarTest, RendersDoneTotalRateAndEta) {
  const std::string line = ProgressBar::Render(6, 24, 0, 2.0);
  EXPECT_EQ(Bar(line), "[######------------------]");
  EXPECT_NE(line.find(" 6/24 points"), std::string::npos) << line;
  EXPECT_NE(line.find("3.0 points/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 6s"), std::string::npos) << line;
  EXPECT_EQ(line.find("failed"), std::string::npos) << line;
  EXPECT_NE(ProgressBar::Render(6, 24, 2, 2.0).find("(2 shards failed)"), std::string::npos);
}

TEST(ProgressBarTest, Issue0013MoreDoneThanTotalDrawsAFullBarWithoutEta) {
  // Before the fix this built a string of negative length (std::length_error "basic_string::_M_create").
  std::string line;
  ASSERT_NO_THROW(line = ProgressBar::Render(30, 24, 0, 1.0));
  EXPECT_EQ(Bar(line), "[########################]");
  EXPECT_EQ(line.find("ETA"), std::string::npos) << line;
  ASSERT_NO_THROW(line = ProgressBar::Render(std::numeric_limits<uint64_t>::max(), 1, 0, 1.0));
  EXPECT_EQ(Bar(line), "[########################]");
}

TEST(ProgressBarTest, ZeroTotalAndZeroTimeAreSafe) {
  EXPECT_EQ(Bar(ProgressBar::Render(0, 0, 0, 0.0)), "[########################]");
  const std::string line = ProgressBar::Render(0, 10, 0, 0.0);
  EXPECT_EQ(Bar(line), "[------------------------]");
  EXPECT_NE(line.find("0.0 points/s"), std::string::npos) << line;
}

TEST(ProgressBarTest, NonInteractiveUpdatesPrintOneLinePerTenthAndSurviveOvercounts) {
  std::ostringstream out;
  ProgressBar bar(out, /*interactive=*/false);
  for (uint64_t done = 0; done <= 20; ++done) bar.Update(done, 20, 0);
  bar.Update(25, 20, 0);  // an overcount stays in the last tenth: no new line, no throw
  bar.Finish();
  const std::string text = out.str();
  size_t lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, 11u) << text;  // 0%, 10%, ..., 100%
}

TEST(ProgressBarTest, InteractiveUpdatesRedrawInPlace) {
  std::ostringstream out;
  ProgressBar bar(out, /*interactive=*/true);
  bar.Update(1, 2, 0);
  bar.Update(3, 2, 0);
  bar.Finish();
  const std::string text = out.str();
  EXPECT_EQ(text.front(), '\r');
  EXPECT_EQ(text.back(), '\n');
  EXPECT_NE(text.find("3/2 points"), std::string::npos) << text;
}

}  // namespace
}  // namespace ridesweep::cli
