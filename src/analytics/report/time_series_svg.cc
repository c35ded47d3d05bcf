// Time series of snapshot counts (RenderTimeSeriesSvg, RenderTimeSeriesLegend).
#include <algorithm>
#include <cmath>

#include "report/chart_scales.h"
#include "report/html_text.h"
#include "report/svg_charts.h"

namespace ridesweep::analytics::report {
namespace {

constexpr double kTickFont = 11;
constexpr double kTitleFont = 12;
constexpr double kPlotHeight = 170;

std::string Px(double v) { return FormatFixed(v, 1); }

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + EscapeHtml(value) + "\"";
}

std::string JoinIntegers(const std::vector<int64_t>& values) {
  std::string out;
  for (int64_t v : values) {
    if (!out.empty()) out += ' ';
    out += std::to_string(v);
  }
  return out;
}

}  // namespace

std::string RenderTimeSeriesSvg(const TimeSeriesChart& c) {
  const double width = c.width;
  int64_t t0 = c.timestamp_ms.empty() ? 0 : c.timestamp_ms.front();
  int64_t t1 = c.timestamp_ms.empty() ? 1 : c.timestamp_ms.back();
  if (t1 <= t0) t1 = t0 + 1;
  // Minutes for runs up to three hours of simulated time, hours beyond.
  const bool hours = static_cast<double>(t1 - t0) > 3.0 * 3'600'000.0;
  const double unit_ms = hours ? 3'600'000.0 : 60'000.0;
  const NiceTicks xt =
      MakeNiceTicks(static_cast<double>(t0) / unit_ms, static_cast<double>(t1) / unit_ms, width > 400 ? 8 : 5);
  int64_t vmax = 0;
  for (const TimeSeriesLine& line : c.lines) {
    for (int64_t v : line.values) vmax = std::max(vmax, v);
  }
  const NiceTicks yt = MakeNiceTicks(0, static_cast<double>(std::max<int64_t>(vmax, 1)), 4);
  double tick_w = 0;
  for (double v : yt.values) tick_w = std::max(tick_w, EstimateTextWidth(FormatTick(v, yt.step), kTickFont));
  const double left = 8 + kTitleFont + 8 + tick_w + 6;
  const double right = 12;
  const double top = 10;
  const double plot_w = width - left - right;
  const double plot_h = kPlotHeight;
  const double height = top + plot_h + 6 + kTickFont + 8 + kTitleFont + 6;
  // The x domain is the data's own span (ticks outside it are skipped), so lines fill the plot.
  const LinearScale sx(static_cast<double>(t0) / unit_ms, static_cast<double>(t1) / unit_ms, left, left + plot_w);
  const LinearScale sy(yt.lo, yt.hi, top + plot_h, top);

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart timeseries\"";
  svg += Attr("id", c.chart_id) + Attr("data-timestamps-ms", JoinIntegers(c.timestamp_ms)) +
         Attr("data-plot-left", Px(left)) + Attr("data-plot-width", Px(plot_w)) + Attr("data-plot-top", Px(top)) +
         Attr("data-plot-height", Px(plot_h));
  svg += Attr("width", Px(width)) + Attr("height", Px(height)) +
         Attr("viewBox", "0 0 " + Px(width) + " " + Px(height)) + Attr("role", "img") + Attr("aria-label", c.title) +
         ">\n";
  svg += "<g class=\"axis y-axis\">";
  for (double v : yt.values) {
    const double y = sy(v);
    svg += "<line class=\"grid\"" + Attr("x1", Px(left)) + Attr("x2", Px(left + plot_w)) + Attr("y1", Px(y)) +
           Attr("y2", Px(y)) + "/>";
    svg += "<text class=\"tick\" text-anchor=\"end\"" + Attr("x", Px(left - 6)) + Attr("y", Px(y + kTickFont * 0.35)) +
           ">" + EscapeHtml(FormatTick(v, yt.step)) + "</text>";
  }
  const double ytitle_x = 8 + kTitleFont;
  const double ytitle_y = top + plot_h / 2;
  svg += "<text class=\"axis-title\" text-anchor=\"middle\"" + Attr("x", Px(ytitle_x)) + Attr("y", Px(ytitle_y)) +
         Attr("transform", "rotate(-90 " + Px(ytitle_x) + " " + Px(ytitle_y) + ")") + ">count</text></g>\n";
  svg += "<g class=\"axis x-axis\"><line class=\"baseline\"" + Attr("x1", Px(left)) + Attr("x2", Px(left + plot_w)) +
         Attr("y1", Px(top + plot_h)) + Attr("y2", Px(top + plot_h)) + "/>";
  const double lo_unit = static_cast<double>(t0) / unit_ms;
  const double hi_unit = static_cast<double>(t1) / unit_ms;
  for (double v : xt.values) {
    if (v < lo_unit - 1e-9 || v > hi_unit + 1e-9) continue;
    svg += "<text class=\"tick\" text-anchor=\"middle\"" + Attr("x", Px(sx(v))) +
           Attr("y", Px(top + plot_h + 6 + kTickFont)) + ">" + EscapeHtml(FormatTick(v, xt.step)) + "</text>";
  }
  svg += "<text class=\"axis-title\" text-anchor=\"middle\"" + Attr("x", Px(left + plot_w / 2)) +
         Attr("y", Px(height - 6)) + ">" + (hours ? "simulated time (h)" : "simulated time (min)") + "</text></g>\n";

  for (const TimeSeriesLine& line : c.lines) {
    std::string points;
    const size_t n = std::min(line.values.size(), c.timestamp_ms.size());
    for (size_t i = 0; i < n; ++i) {
      if (!points.empty()) points += ' ';
      points +=
          Px(sx(static_cast<double>(c.timestamp_ms[i]) / unit_ms)) + "," + Px(sy(static_cast<double>(line.values[i])));
    }
    svg += "<polyline class=\"series\"" + Attr("data-column", line.column) + Attr("data-label", line.label) +
           Attr("data-values", JoinIntegers(line.values)) + Attr("stroke", line.color) + Attr("points", points) +
           "><title>" + EscapeHtml(line.label) + "</title></polyline>\n";
  }
  // Hover cursor, positioned by the page's small script.
  svg += "<line class=\"cursor\"" + Attr("x1", Px(left)) + Attr("x2", Px(left)) + Attr("y1", Px(top)) +
         Attr("y2", Px(top + plot_h)) + " visibility=\"hidden\"/>";
  svg += "<rect class=\"hover-target\"" + Attr("x", Px(left)) + Attr("y", Px(top)) + Attr("width", Px(plot_w)) +
         Attr("height", Px(plot_h)) + " fill=\"transparent\"/>\n";
  svg += "</svg>";
  return svg;
}

std::string RenderTimeSeriesLegend(const TimeSeriesChart& c) {
  std::string html = "<ul class=\"legend\">";
  for (const TimeSeriesLine& line : c.lines) {
    html += "<li><span class=\"swatch\" style=\"background:" + EscapeHtml(line.color) + "\"></span>" +
            EscapeHtml(line.label) + "</li>";
  }
  return html + "</ul>";
}

}  // namespace ridesweep::analytics::report
