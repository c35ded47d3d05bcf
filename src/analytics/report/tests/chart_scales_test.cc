// Nice ticks, linear scales and the viridis colour scale of the report's charts.
#include <gtest/gtest.h>

#include <cmath>

#include "report/chart_scales.h"
#include "report/color_scale.h"

namespace ridesweep::analytics::report {
namespace {

bool IsNiceStep(double step) {
  const double magnitude = std::pow(10.0, std::floor(std::log10(step) + 1e-12));
  const double mantissa = step / magnitude;
  return std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9;
}

TEST(NiceTicksTest, CoverTheIntervalWithOneTwoOrFiveSteps) {
  struct Case {
    double lo, hi;
  } kCases[] = {{11.1, 24.0}, {0, 1}, {276.1, 336.4}, {43.1, 210}, {-3, 7}, {0.0001, 0.0009}, {0, 10795000}};
  for (const Case& c : kCases) {
    const NiceTicks t = MakeNiceTicks(c.lo, c.hi, 5);
    EXPECT_LE(t.lo, c.lo) << c.lo;
    EXPECT_GE(t.hi, c.hi) << c.hi;
    EXPECT_TRUE(IsNiceStep(t.step)) << t.step;
    ASSERT_GE(t.values.size(), 2u);
    EXPECT_LE(t.values.size(), 12u);
    EXPECT_DOUBLE_EQ(t.values.front(), t.lo);
    EXPECT_NEAR(t.values.back(), t.hi, t.step * 1e-9);
  }
}

TEST(NiceTicksTest, DegenerateIntervalIsWidened) {
  const NiceTicks t = MakeNiceTicks(5, 5, 4);
  EXPECT_LT(t.lo, 5);
  EXPECT_GT(t.hi, 5);
  const NiceTicks zero = MakeNiceTicks(0, 0, 4);
  EXPECT_LT(zero.lo, zero.hi);
}

TEST(LinearScaleTest, MapsEndpointsAndMiddle) {
  const LinearScale s(10, 20, 100, 0);
  EXPECT_DOUBLE_EQ(s(10), 100);
  EXPECT_DOUBLE_EQ(s(20), 0);
  EXPECT_DOUBLE_EQ(s(15), 50);
  EXPECT_DOUBLE_EQ(LinearScale(3, 3, 0, 10)(3), 5);
}

TEST(ColorScaleTest, EndpointsAreTheViridisEnds) {
  const ColorScale scale(11.1, 24.0);
  EXPECT_EQ(scale.Color(11.1), "#440154");
  EXPECT_EQ(scale.Color(24.0), "#fde725");
  EXPECT_EQ(scale.Color(-100), "#440154");  // clamped
  EXPECT_EQ(scale.Color(100), "#fde725");
  EXPECT_EQ(ColorScale(2, 2).Color(2), ViridisColor(0.5));
}

TEST(ColorScaleTest, LuminanceRisesAlongThePalette) {
  double previous = -1;
  for (int i = 0; i <= 10; ++i) {
    const double l = Luminance(ViridisColor(i / 10.0));
    EXPECT_GT(l, previous) << i;
    previous = l;
  }
}

TEST(ColorScaleTest, TextContrastsWithTheCell) {
  const ColorScale scale(0, 1);
  EXPECT_EQ(scale.TextColor(0), "#ffffff");  // dark purple cell
  EXPECT_EQ(scale.TextColor(1), "#111111");  // yellow cell
}

}  // namespace
}  // namespace ridesweep::analytics::report
