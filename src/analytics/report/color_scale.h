// ColorScale maps a metric value to a colour of the viridis palette (perceptually uniform, readable for colour-blind
// people and in greyscale), linearly over a fixed domain. The report builds one scale per metric over every value
// it shows, so the same colour means the same value in every chart of that metric. Plain value; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_REPORT_COLOR_SCALE_H_
#define RIDESWEEP_ANALYTICS_REPORT_COLOR_SCALE_H_

#include <string>
#include <vector>

namespace ridesweep::analytics::report {

class ColorScale {
 public:
  // Domain [lo, hi]; a degenerate domain (lo == hi) maps everything to the middle colour.
  ColorScale(double lo, double hi) : lo_(lo), hi_(hi) {}

  double lo() const { return lo_; }
  double hi() const { return hi_; }

  // Position of `value` in the domain, clamped to [0, 1]; 0.5 for a degenerate domain or a non-finite value.
  double Position(double value) const;
  // "#rrggbb" for `value`.
  std::string Color(double value) const;
  // Black or white, whichever reads better on Color(value).
  std::string TextColor(double value) const;

 private:
  double lo_;
  double hi_;
};

// The palette colour at position t in [0, 1] (clamped), interpolated between the viridis stops.
std::string ViridisColor(double t);
// Relative luminance (0 black .. 1 white) of a "#rrggbb" colour.
double Luminance(const std::string& hex_color);

}  // namespace ridesweep::analytics::report

#endif  // RIDESWEEP_ANALYTICS_REPORT_COLOR_SCALE_H_
