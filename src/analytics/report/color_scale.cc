// Viridis colour scale of the HTML report.
#include "report/color_scale.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ridesweep::analytics::report {
namespace {

struct Rgb {
  double r, g, b;
};

// Nine evenly spaced stops of matplotlib's viridis (public domain palette by van der Walt and Smith).
constexpr std::array<Rgb, 9> kViridis = {{
    {0x44, 0x01, 0x54},
    {0x47, 0x2d, 0x7b},
    {0x3b, 0x52, 0x8b},
    {0x2c, 0x72, 0x8e},
    {0x21, 0x91, 0x8c},
    {0x28, 0xae, 0x80},
    {0x5e, 0xc9, 0x62},
    {0xad, 0xdc, 0x30},
    {0xfd, 0xe7, 0x25},
}};

int Channel(double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 255.0))); }

}  // namespace

double ColorScale::Position(double value) const {
  if (!std::isfinite(value) || !(hi_ > lo_)) return 0.5;
  return std::clamp((value - lo_) / (hi_ - lo_), 0.0, 1.0);
}

std::string ColorScale::Color(double value) const { return ViridisColor(Position(value)); }

std::string ColorScale::TextColor(double value) const { return Luminance(Color(value)) > 0.35 ? "#111111" : "#ffffff"; }

std::string ViridisColor(double t) {
  if (!std::isfinite(t)) t = 0.5;
  t = std::clamp(t, 0.0, 1.0);
  const double scaled = t * static_cast<double>(kViridis.size() - 1);
  const auto lower = std::min(static_cast<size_t>(scaled), kViridis.size() - 2);
  const double f = scaled - static_cast<double>(lower);
  const Rgb& a = kViridis[lower];
  const Rgb& b = kViridis[lower + 1];
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", Channel(a.r + (b.r - a.r) * f), Channel(a.g + (b.g - a.g) * f),
                Channel(a.b + (b.b - a.b) * f));
  return buffer;
}

double Luminance(const std::string& hex_color) {
  if (hex_color.size() != 7 || hex_color[0] != '#') return 0.0;
  const auto channel = [&](size_t at) {
    const double c = static_cast<double>(std::strtol(hex_color.substr(at, 2).c_str(), nullptr, 16)) / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

}  // namespace ridesweep::analytics::report
