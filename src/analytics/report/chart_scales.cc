// Linear scales, nice ticks and text-width estimates of the report's charts.
#include "report/chart_scales.h"

#include <cmath>

namespace ridesweep::analytics::report {

double LinearScale::operator()(double value) const {
  if (!(d1_ != d0_)) return (r0_ + r1_) / 2.0;
  return r0_ + (value - d0_) / (d1_ - d0_) * (r1_ - r0_);
}

NiceTicks MakeNiceTicks(double min, double max, size_t target) {
  if (!std::isfinite(min) || !std::isfinite(max)) {
    min = 0;
    max = 1;
  }
  if (min > max) std::swap(min, max);
  if (max == min) {
    const double pad = min == 0 ? 1.0 : std::abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  if (target < 2) target = 2;
  const double raw_step = (max - min) / static_cast<double>(target);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw_step)));
  const double residual = raw_step / magnitude;
  double step = magnitude * 10;
  if (residual <= 1.0) {
    step = magnitude;
  } else if (residual <= 2.0) {
    step = 2 * magnitude;
  } else if (residual <= 5.0) {
    step = 5 * magnitude;
  }
  NiceTicks ticks;
  ticks.step = step;
  ticks.lo = std::floor(min / step + 1e-9) * step;
  ticks.hi = std::ceil(max / step - 1e-9) * step;
  const auto count = static_cast<long>(std::llround((ticks.hi - ticks.lo) / step));
  for (long i = 0; i <= count; ++i) {
    double v = ticks.lo + static_cast<double>(i) * step;
    if (std::abs(v) < step * 1e-9) v = 0.0;  // no "-0"
    ticks.values.push_back(v);
  }
  return ticks;
}

double EstimateTextWidth(std::string_view text, double font_px) {
  double em = 0;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
    if (c == '.' || c == ',' || c == ':' || c == 'i' || c == 'l' || c == '1' || c == ' ') {
      em += 0.36;
    } else if (c >= 'A' && c <= 'Z') {
      em += 0.72;
    } else if (c == 'm' || c == 'w') {
      em += 0.9;
    } else {
      em += 0.6;
    }
  }
  return em * font_px;
}

}  // namespace ridesweep::analytics::report
