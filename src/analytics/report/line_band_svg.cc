// Line chart of one metric over one dimension with its interval band, or points with interval bars for a
// categorical dimension (RenderLineBandSvg).
#include <algorithm>
#include <cmath>
#include <limits>

#include "report/chart_scales.h"
#include "report/html_text.h"
#include "report/svg_charts.h"
#include "ridesweep/base/json_parser.h"

namespace ridesweep::analytics::report {
namespace {

constexpr double kTickFont = 11;
constexpr double kTitleFont = 12;
constexpr double kWidth = 212;
constexpr double kPlotHeight = 120;

std::string Px(double v) { return FormatFixed(v, 1); }

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + EscapeHtml(value) + "\"";
}

// The values as numbers when every one is a number and they are not all equal; else none (categorical axis).
std::optional<std::vector<double>> NumericValues(const DimensionAxis& axis) {
  std::vector<double> numbers;
  for (const std::string& text : axis.values_json) {
    Result<JsonValue> parsed = ParseJson(text);
    if (!parsed.ok() || !parsed->is_number()) return std::nullopt;
    numbers.push_back(parsed->NumberAsDouble());
  }
  if (numbers.empty()) return std::nullopt;
  const auto [lo, hi] = std::minmax_element(numbers.begin(), numbers.end());
  if (*lo == *hi) return std::nullopt;
  return numbers;
}

}  // namespace

std::string RenderLineBandSvg(const LineBandChart& c) {
  const ReportMetric& m = *c.metric;
  const size_t n = c.x.values_json.size();
  // The band is the 95% interval over replicates when every value has one, else the minimum to maximum.
  bool intervals = false;
  for (const std::optional<CellStats>& cell : c.cells) {
    if (!cell) continue;
    if (!cell->half_width) {
      intervals = false;
      break;
    }
    intervals = true;
  }
  const auto band_lo = [&](const CellStats& s) { return intervals ? s.mean - *s.half_width : s.min; };
  const auto band_hi = [&](const CellStats& s) { return intervals ? s.mean + *s.half_width : s.max; };
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const std::optional<CellStats>& cell : c.cells) {
    if (!cell) continue;
    lo = std::min(lo, band_lo(*cell) * m.display_scale);
    hi = std::max(hi, band_hi(*cell) * m.display_scale);
  }
  const NiceTicks ticks = std::isfinite(lo) ? MakeNiceTicks(lo, hi, 4) : MakeNiceTicks(0, 1, 4);
  double tick_w = 0;
  std::vector<std::string> tick_labels;
  for (double v : ticks.values) {
    tick_labels.push_back(FormatTick(v, ticks.step));
    tick_w = std::max(tick_w, EstimateTextWidth(tick_labels.back(), kTickFont));
  }
  const double left = 6 + tick_w + 6;
  const double right = 10;
  const double top = 20;
  const double plot_w = kWidth - left - right;
  const double plot_h = kPlotHeight;

  std::vector<std::string> labels;
  double label_w = 0;
  for (const std::string& v : c.x.values_json) {
    labels.push_back(DimensionValueLabel(v));
    label_w = std::max(label_w, EstimateTextWidth(labels.back(), kTickFont));
  }
  const std::optional<std::vector<double>> numeric = NumericValues(c.x);
  std::vector<double> xs(n);
  if (numeric) {
    const auto [min_it, max_it] = std::minmax_element(numeric->begin(), numeric->end());
    const LinearScale sx(*min_it, *max_it, left + 10, left + plot_w - 10);
    for (size_t i = 0; i < n; ++i) xs[i] = sx((*numeric)[i]);
  } else {
    const double step = plot_w / static_cast<double>(std::max<size_t>(n, 1));
    for (size_t i = 0; i < n; ++i) xs[i] = left + step * (static_cast<double>(i) + 0.5);
  }
  // Rotate the value labels when neighbours would touch.
  double min_gap = plot_w;
  std::vector<double> sorted_xs = xs;
  std::sort(sorted_xs.begin(), sorted_xs.end());
  for (size_t i = 1; i < sorted_xs.size(); ++i) min_gap = std::min(min_gap, sorted_xs[i] - sorted_xs[i - 1]);
  const bool rotate = label_w > min_gap - 4;
  const double label_h = rotate ? label_w * 0.6 + kTickFont : kTickFont + 2;
  const double title_y = top + plot_h + 6 + label_h + 8 + kTitleFont;
  const double height = std::ceil(title_y + 6);

  const LinearScale sy(ticks.lo, ticks.hi, top + plot_h, top);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart line-band\"";
  svg += Attr("id", c.chart_id) + Attr("data-metric", m.column) + Attr("data-x", c.x.name) +
         Attr("data-band", intervals ? "ci95" : "min-max") + Attr("data-categorical", numeric ? "false" : "true");
  svg += Attr("width", Px(kWidth)) + Attr("height", Px(height)) +
         Attr("viewBox", "0 0 " + Px(kWidth) + " " + Px(height)) + Attr("role", "img") +
         Attr("aria-label", std::string(m.title) + " by " + c.x.name) + ">\n";

  // Grid and y axis.
  svg += "<g class=\"axis y-axis\">";
  for (size_t i = 0; i < ticks.values.size(); ++i) {
    const double y = sy(ticks.values[i]);
    svg += "<line class=\"grid\"" + Attr("x1", Px(left)) + Attr("x2", Px(left + plot_w)) + Attr("y1", Px(y)) +
           Attr("y2", Px(y)) + "/>";
    svg += "<text class=\"tick\" text-anchor=\"end\"" + Attr("x", Px(left - 6)) + Attr("y", Px(y + kTickFont * 0.35)) +
           ">" + EscapeHtml(tick_labels[i]) + "</text>";
  }
  // The unit sits above the axis (the card's caption names the metric).
  if (!m.unit.empty()) {
    svg += "<text class=\"tick unit\" text-anchor=\"end\"" + Attr("x", Px(left - 6)) + Attr("y", Px(top - 9)) + ">" +
           EscapeHtml(m.unit) + "</text>";
  }
  svg += "</g>\n";

  // x axis.
  svg += "<g class=\"axis x-axis\"><line class=\"baseline\"" + Attr("x1", Px(left)) + Attr("x2", Px(left + plot_w)) +
         Attr("y1", Px(top + plot_h)) + Attr("y2", Px(top + plot_h)) + "/>";
  for (size_t i = 0; i < n; ++i) {
    const double ty = top + plot_h + 6 + kTickFont;
    if (rotate) {
      svg += "<text class=\"tick\" text-anchor=\"end\"" + Attr("x", Px(xs[i])) + Attr("y", Px(ty)) +
             Attr("transform", "rotate(-35 " + Px(xs[i]) + " " + Px(ty) + ")") + ">" + EscapeHtml(labels[i]) +
             "</text>";
    } else {
      svg += "<text class=\"tick\" text-anchor=\"middle\"" + Attr("x", Px(xs[i])) + Attr("y", Px(ty)) + ">" +
             EscapeHtml(labels[i]) + "</text>";
    }
  }
  svg += "<text class=\"axis-title\" text-anchor=\"middle\"" + Attr("x", Px(left + plot_w / 2)) +
         Attr("y", Px(title_y)) + ">" + EscapeHtml(c.x.name) + "</text></g>\n";

  // Numeric dimensions: band and line, in x order, broken where a value has no point. Categorical ones: an
  // interval bar per value and no line (their order means nothing).
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return xs[a] < xs[b]; });
  std::vector<std::vector<size_t>> runs(1);
  for (size_t i : order) {
    if (c.cells[i]) {
      runs.back().push_back(i);
    } else if (!runs.back().empty()) {
      runs.emplace_back();
    }
  }
  const auto bar = [&](size_t i) {
    const double x = xs[i];
    const double y1 = sy(band_lo(*c.cells[i]) * m.display_scale);
    const double y2 = sy(band_hi(*c.cells[i]) * m.display_scale);
    std::string out = "<g class=\"band-bar\"" + Attr("stroke", c.color) + "><line" + Attr("x1", Px(x)) +
                      Attr("x2", Px(x)) + Attr("y1", Px(y1)) + Attr("y2", Px(y2)) + "/>";
    out += "<line" + Attr("x1", Px(x - 4)) + Attr("x2", Px(x + 4)) + Attr("y1", Px(y1)) + Attr("y2", Px(y1)) + "/>";
    out += "<line" + Attr("x1", Px(x - 4)) + Attr("x2", Px(x + 4)) + Attr("y1", Px(y2)) + Attr("y2", Px(y2)) + "/>";
    return out + "</g>\n";
  };
  for (const std::vector<size_t>& run : runs) {
    if (run.empty()) continue;
    if (!numeric || run.size() == 1) {
      for (size_t i : run) svg += bar(i);
      continue;
    }
    std::string band, line;
    for (size_t i : run) band += Px(xs[i]) + "," + Px(sy(band_hi(*c.cells[i]) * m.display_scale)) + " ";
    for (auto it = run.rbegin(); it != run.rend(); ++it) {
      band += Px(xs[*it]) + "," + Px(sy(band_lo(*c.cells[*it]) * m.display_scale)) + " ";
    }
    for (size_t i : run) line += Px(xs[i]) + "," + Px(sy(c.cells[i]->mean * m.display_scale)) + " ";
    band.pop_back();
    line.pop_back();
    svg += "<polygon class=\"band\"" + Attr("points", band) + Attr("fill", c.color) + "/>\n";
    svg += "<polyline class=\"line\"" + Attr("points", line) + Attr("stroke", c.color) + "/>\n";
  }
  for (size_t i = 0; i < n; ++i) {
    if (!c.cells[i]) continue;
    const CellStats& s = *c.cells[i];
    std::string tip = c.x.name + " = " + labels[i] + "\n" + std::string(m.title) + ": " + FormatDisplayed(m, s.mean);
    if (s.half_width) tip += " \u00b1 " + FormatDisplayed(m, *s.half_width) + " (95% interval over replicates)";
    if (s.count > 1) {
      tip += " (mean of " + std::to_string(s.count) + " points; min " + FormatDisplayed(m, s.min) + ", max " +
             FormatDisplayed(m, s.max) + ")";
    }
    svg += "<circle class=\"point\"" + Attr("cx", Px(xs[i])) + Attr("cy", Px(sy(s.mean * m.display_scale))) +
           Attr("r", "3.5") + Attr("fill", c.color) + Attr("data-x-value", c.x.values_json[i]) +
           Attr("data-mean", FormatExact(s.mean)) + Attr("data-min", FormatExact(s.min)) +
           Attr("data-max", FormatExact(s.max)) + Attr("data-count", std::to_string(s.count)) +
           Attr("data-configurations", std::to_string(s.configurations)) +
           (s.half_width ? Attr("data-half-width", FormatExact(*s.half_width)) : std::string()) + "><title>" +
           EscapeHtml(tip) + "</title></circle>\n";
  }
  svg += "</svg>";
  return svg;
}

}  // namespace ridesweep::analytics::report
