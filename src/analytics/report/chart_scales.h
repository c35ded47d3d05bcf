// Scales and axis ticks shared by the report's SVG charts: a linear map from data to pixels, "nice" tick values
// (1, 2 or 5 times a power of ten) and a rough text-width estimate for laying out labels without a browser.
// Pure values and functions; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_REPORT_CHART_SCALES_H_
#define RIDESWEEP_ANALYTICS_REPORT_CHART_SCALES_H_

#include <cstddef>
#include <string_view>
#include <vector>

namespace ridesweep::analytics::report {

// Maps [domain_lo, domain_hi] linearly onto [range_lo, range_hi]; a degenerate domain maps to the range's middle.
class LinearScale {
 public:
  LinearScale(double domain_lo, double domain_hi, double range_lo, double range_hi)
      : d0_(domain_lo), d1_(domain_hi), r0_(range_lo), r1_(range_hi) {}
  double operator()(double value) const;
  double domain_lo() const { return d0_; }
  double domain_hi() const { return d1_; }

 private:
  double d0_, d1_, r0_, r1_;
};

struct NiceTicks {
  double lo = 0;  // the extended domain: lo <= min, hi >= max, both multiples of step
  double hi = 1;
  double step = 1;
  std::vector<double> values;  // lo, lo + step, ..., hi
};

// About `target` ticks covering [min, max]. A degenerate interval is widened around its value (or to [0, 1]).
NiceTicks MakeNiceTicks(double min, double max, size_t target = 5);

// Pixel width of `text` in the report's sans-serif font at `font_px` (an over-estimate, so labels do not collide).
double EstimateTextWidth(std::string_view text, double font_px);

}  // namespace ridesweep::analytics::report

#endif  // RIDESWEEP_ANALYTICS_REPORT_CHART_SCALES_H_
