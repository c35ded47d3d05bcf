// Doubles print in the §2.2 layout (shortest round-trip digits) and as serde-style plain decimals.
#include "ridesweep/base/json_number_format.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace ridesweep {
namespace {

struct LayoutCase {
  double value;
  const char* json;
};

// Every example row of the spec/sweep.md §2.2 layout table, plus edges of each row.
constexpr LayoutCase kLayoutCases[] = {
    {1.0, "1.0"},
    {100.0, "100.0"},
    {9999999999999998.0, "9999999999999998.0"},
    {2.5, "2.5"},
    {123456789012.5, "123456789012.5"},
    {0.1, "0.1"},
    {0.00001, "0.00001"},
    {0.30000000000000004, "0.30000000000000004"},
    {1e16, "1e16"},
    {1e-7, "1e-7"},
    {1.5e-7, "1.5e-7"},
    {1.234e33, "1.234e33"},
    {0.0, "0.0"},
    {-0.0, "-0.0"},
    {-2.5, "-2.5"},
    {1e15, "1000000000000000.0"},
    {1.5e16, "1.5e16"},
    {0.0001, "0.0001"},
    {0.000015, "0.000015"},
    {1e-5, "0.00001"},
    {1e-6, "1e-6"},
    {1.2e-6, "1.2e-6"},
    {0.000012, "0.000012"},
    {1e-10, "1e-10"},
    {5e-324, "5e-324"},
    {1.7976931348623157e308, "1.7976931348623157e308"},
    {-1e100, "-1e100"},
    {123.456, "123.456"},
    {12345678901234567890.0, "1.2345678901234567e19"},
};

TEST(JsonNumberFormatTest, DoubleLayoutMatchesSpecTable) {
  for (const LayoutCase& c : kLayoutCases) {
    EXPECT_EQ(FormatJsonDouble(c.value), c.json) << c.json;
  }
}

TEST(JsonNumberFormatTest, LayoutRoundTrips) {
  for (const LayoutCase& c : kLayoutCases) {
    const std::string text = FormatJsonDouble(c.value);
    double back = 1;
    std::from_chars(text.data(), text.data() + text.size(), back);
    EXPECT_EQ(back, c.value) << text;
    EXPECT_EQ(std::signbit(back), std::signbit(c.value)) << text;
  }
}

TEST(JsonNumberFormatTest, DecomposeGivesDigitsAndExponent) {
  const ShortestDecimal d = DecomposeShortest(-123.45);
  EXPECT_TRUE(d.negative);
  EXPECT_EQ(d.digits, "12345");
  EXPECT_EQ(d.exponent, 3);
  const ShortestDecimal zero = DecomposeShortest(0.0);
  EXPECT_FALSE(zero.negative);
  EXPECT_EQ(zero.digits, "0");
  EXPECT_EQ(zero.exponent, 1);
}

TEST(JsonNumberFormatTest, PlainDecimalNeverUsesAnExponent) {
  EXPECT_EQ(FormatPlainDecimal(2.5), "2.5");
  EXPECT_EQ(FormatPlainDecimal(1.0), "1.0");
  EXPECT_EQ(FormatPlainDecimal(-0.0), "-0.0");
  EXPECT_EQ(FormatPlainDecimal(1e16), "10000000000000000.0");
  EXPECT_EQ(FormatPlainDecimal(1e-7), "0.0000001");
  EXPECT_EQ(FormatPlainDecimal(18446744073709551616.0), "18446744073709552000.0");
}

TEST(JsonNumberFormatTest, IntegersAreDecimal) {
  std::string out;
  AppendJsonUnsigned(&out, std::numeric_limits<uint64_t>::max());
  out.push_back(' ');
  AppendJsonSigned(&out, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(out, "18446744073709551615 -9223372036854775808");
}

}  // namespace
}  // namespace ridesweep
