// Text helpers of the HTML report: escaping, exact and compact number formats, ticks, durations, value labels.
#include "report/html_text.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>

namespace ridesweep::analytics::report {
namespace {

TEST(HtmlTextTest, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(EscapeHtml(R"(<a href="x">Tom & 'Jerry'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  EXPECT_EQ(EscapeHtml("plain"), "plain");
}

TEST(HtmlTextTest, ExactFormatReadsBackToTheSameDouble) {
  const double kCases[] = {0.1, 0.2213445, 1e-7, 207.88, 1162.19, 123456789.125, -3.5, 0.0};
  for (double value : kCases) {
    const std::string text = FormatExact(value);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), value) << text;
  }
  EXPECT_EQ(FormatExact(0.1), "0.1");
  EXPECT_EQ(FormatExact(std::numeric_limits<double>::quiet_NaN()), "nan");
}

TEST(HtmlTextTest, CompactFormatKeepsAboutThreeSignificantDigits) {
  struct Case {
    double value;
    const char* text;
  } kCases[] = {{0.22134, "0.221"}, {22.134, "22.1"},   {207.88, "208"}, {1162.19, "1162"},
                {12345, "12.3k"},   {1234567, "1.23M"}, {0, "0"},        {0.000123, "1.23e-04"}};
  for (const Case& c : kCases) EXPECT_EQ(FormatCompact(c.value), c.text) << c.value;
}

TEST(HtmlTextTest, TicksShowTheDecimalsTheirStepNeeds) {
  EXPECT_EQ(FormatTick(15, 5), "15");
  EXPECT_EQ(FormatTick(0.75, 0.25), "0.75");
  EXPECT_EQ(FormatTick(0.3, 0.1), "0.3");
  EXPECT_EQ(FormatTick(20000, 5000), "20.0k");
}

TEST(HtmlTextTest, FixedFormatNeverPrintsNegativeZero) {
  EXPECT_EQ(FormatFixed(-0.0004, 3), "0.000");
  EXPECT_EQ(FormatFixed(207.876, 2), "207.88");
}

TEST(HtmlTextTest, DurationsReadNaturally) {
  EXPECT_EQ(FormatDurationMs(31), "0.031 s");
  EXPECT_EQ(FormatDurationMs(93'600), "93.6 s");
  EXPECT_EQ(FormatDurationMs(1'800'000), "30 min");
  EXPECT_EQ(FormatDurationMs(7'260'000), "2 h 1 min");
}

TEST(HtmlTextTest, DimensionValueLabelsDropStringQuotesOnly) {
  EXPECT_EQ(DimensionValueLabel(R"("hungarian")"), "hungarian");
  EXPECT_EQ(DimensionValueLabel("0.1"), "0.1");
  EXPECT_EQ(DimensionValueLabel("true"), "true");
  EXPECT_EQ(DimensionValueLabel("null"), "null");
}

TEST(HtmlTextTest, CountsGroupThousandsFromTenThousand) {
  EXPECT_EQ(FormatCount(9999), "9999");
  EXPECT_EQ(FormatCount(12345), "12\u2009345");
  EXPECT_EQ(FormatCount(-1234567), "-1\u2009234\u2009567");
}

}  // namespace
}  // namespace ridesweep::analytics::report
