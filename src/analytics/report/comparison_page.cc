// The comparison page: difference charts and tables per metric.
#include "ridesweep/analytics/comparison_page.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "report/chart_scales.h"
#include "report/html_text.h"
#include "report/report_page_assets.h"

namespace ridesweep::analytics {
namespace {

using report::EscapeHtml;
using report::FormatCompact;
using report::FormatExact;
using report::FormatFixed;

constexpr double kRowHeight = 16;
constexpr double kFont = 11;
constexpr double kPlotWidth = 360;
// Beyond this many configurations a metric gets its table only.
constexpr size_t kMaxChartRows = 400;

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + EscapeHtml(value) + "\"";
}

std::string Px(double v) { return FormatFixed(v, 1); }

std::string DifferenceChart(const RunComparison& c, size_t metric) {
  double lo = 0;
  double hi = 0;
  double label_w = 0;
  std::vector<std::string> labels;
  for (const ConfigurationComparison& row : c.matched) {
    labels.push_back(ConfigurationLabel(row.dimensions));
    label_w = std::max(label_w, report::EstimateTextWidth(labels.back(), kFont));
    const std::optional<WelchDifference>& w = row.metrics[metric].welch;
    if (!w) continue;
    const double half = w->half_width.value_or(0);
    lo = std::min(lo, w->difference - half);
    hi = std::max(hi, w->difference + half);
  }
  const report::NiceTicks ticks = report::MakeNiceTicks(lo, hi, 5);
  const double left = 8 + std::min(label_w, 320.0) + 8;
  const double top = 8;
  const double plot_h = kRowHeight * static_cast<double>(c.matched.size());
  const double width = left + kPlotWidth + 16;
  const double height = top + plot_h + 8 + kFont + 18;
  const report::LinearScale sx(ticks.lo, ticks.hi, left, left + kPlotWidth);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart difference\"" +
                    Attr("data-metric", c.metrics[metric]) + Attr("width", Px(width)) + Attr("height", Px(height)) +
                    Attr("viewBox", "0 0 " + Px(width) + " " + Px(height)) + Attr("role", "img") +
                    Attr("aria-label", "Difference B - A of " + c.metrics[metric]) + ">\n";
  for (double v : ticks.values) {
    const double x = sx(v);
    svg += "<line class=\"grid\"" + Attr("x1", Px(x)) + Attr("x2", Px(x)) + Attr("y1", Px(top)) +
           Attr("y2", Px(top + plot_h)) + "/>";
    svg += "<text class=\"tick\" text-anchor=\"middle\"" + Attr("x", Px(x)) + Attr("y", Px(top + plot_h + 6 + kFont)) +
           ">" + EscapeHtml(report::FormatTick(v, ticks.step)) + "</text>";
  }
  svg += "<line class=\"zero\"" + Attr("x1", Px(sx(0))) + Attr("x2", Px(sx(0))) + Attr("y1", Px(top)) +
         Attr("y2", Px(top + plot_h)) + "/>\n";
  svg += "<text class=\"axis-title\" text-anchor=\"middle\"" + Attr("x", Px(left + kPlotWidth / 2)) +
         Attr("y", Px(top + plot_h + 6 + kFont + 14)) + ">" + EscapeHtml("B \u2212 A, 95% Welch interval") +
         "</text>\n";
  for (size_t i = 0; i < c.matched.size(); ++i) {
    const ConfigurationComparison& row = c.matched[i];
    const double y = top + kRowHeight * (static_cast<double>(i) + 0.5);
    svg += "<text class=\"tick\" text-anchor=\"end\"" + Attr("x", Px(left - 8)) + Attr("y", Px(y + kFont * 0.35)) +
           ">" + EscapeHtml(labels[i]) + "</text>";
    const std::optional<WelchDifference>& w = row.metrics[metric].welch;
    if (!w) continue;
    const bool excludes = w->excludes_zero;
    svg += "<g class=\"difference-row" + std::string(excludes ? " excludes-zero" : "") + "\"" +
           Attr("data-configuration", labels[i]) + Attr("data-difference", FormatExact(w->difference)) +
           Attr("data-ci-low", w->half_width ? FormatExact(w->difference - *w->half_width) : std::string()) +
           Attr("data-ci-high", w->half_width ? FormatExact(w->difference + *w->half_width) : std::string()) +
           Attr("data-excludes-zero", excludes ? "true" : "false") + ">";
    if (w->half_width) {
      svg += "<line class=\"interval\"" + Attr("x1", Px(sx(w->difference - *w->half_width))) +
             Attr("x2", Px(sx(w->difference + *w->half_width))) + Attr("y1", Px(y)) + Attr("y2", Px(y)) + "/>";
    }
    svg += "<circle" + Attr("cx", Px(sx(w->difference))) + Attr("cy", Px(y)) + Attr("r", "3.5") + "/>";
    svg += "</g>\n";
  }
  return svg + "</svg>";
}

std::string Cell(const std::optional<double>& v) {
  return "<td class=\"num\">" + (v ? EscapeHtml(FormatCompact(*v)) : std::string("\u2013")) + "</td>";
}

std::string MetricTable(const RunComparison& c, size_t metric) {
  std::string html =
      "<div class=\"table-scroll\"><table class=\"data-table comparison-table\"" +
      Attr("data-metric", c.metrics[metric]) +
      "><thead><tr><th>Configuration</th><th class=\"num\">n A</th><th class=\"num\">Mean A</th>"
      "<th class=\"num\">n B</th><th class=\"num\">Mean B</th><th class=\"num\">B \u2212 A</th>"
      "<th class=\"num\">95% interval</th><th>Excludes 0</th></tr></thead><tbody>\n";
  for (const ConfigurationComparison& row : c.matched) {
    const MetricComparison& m = row.metrics[metric];
    const std::optional<WelchDifference>& w = m.welch;
    html += "<tr><td>" + EscapeHtml(ConfigurationLabel(row.dimensions)) + "</td>";
    html += "<td class=\"num\">" + std::to_string(m.a.moments.n) + "</td>";
    html += Cell(m.a.moments.n > 0 ? std::optional<double>(m.a.moments.mean) : std::nullopt);
    html += "<td class=\"num\">" + std::to_string(m.b.moments.n) + "</td>";
    html += Cell(m.b.moments.n > 0 ? std::optional<double>(m.b.moments.mean) : std::nullopt);
    html += Cell(w ? std::optional<double>(w->difference) : std::nullopt);
    std::string interval = "\u2013";
    if (w && w->half_width) {
      interval = "[" + FormatCompact(w->difference - *w->half_width) + ", " +
                 FormatCompact(w->difference + *w->half_width) + "]";
    }
    html += "<td class=\"num\">" + EscapeHtml(interval) + "</td><td>" +
            std::string(w && w->excludes_zero ? "yes" : "") + "</td></tr>\n";
  }
  return html + "</tbody></table></div>\n";
}

constexpr std::string_view kExtraStyle = R"css(
svg.chart .zero { stroke: #111; stroke-width: 1; }
svg.chart .difference-row circle { fill: #8a90a0; }
svg.chart .difference-row .interval { stroke: #8a90a0; stroke-width: 2; }
svg.chart .difference-row.excludes-zero circle { fill: #e15759; }
svg.chart .difference-row.excludes-zero .interval { stroke: #e15759; }
)css";

}  // namespace

std::string RenderComparisonPage(const RunComparison& c) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"ridesweep compare\">\n<title>ridesweep comparison \u2013 " +
      EscapeHtml(c.run_b) + " vs " + EscapeHtml(c.run_a) + "</title>\n<style>\n";
  html += report::ReportStylesheet();
  html += kExtraStyle;
  html += "</style>\n</head>\n<body>\n<main>\n";
  html += "<header class=\"page-header\"><div class=\"eyebrow\">ridesweep \u00b7 run comparison</div><h1>Run <span "
          "class=\"mono\">" +
          EscapeHtml(c.run_b) + "</span> against <span class=\"mono\">" + EscapeHtml(c.run_a) + "</span></h1>";
  html += "<p class=\"subtitle\" id=\"comparison-summary\"" + Attr("data-matched", std::to_string(c.matched.size())) +
          Attr("data-configurations-a", std::to_string(c.configurations_a)) +
          Attr("data-configurations-b", std::to_string(c.configurations_b)) + ">" +
          std::to_string(c.matched.size()) + " configurations matched (A has " + std::to_string(c.configurations_a) +
          ", B has " + std::to_string(c.configurations_b) + ")";
  std::string matched_on;
  for (const std::string& name : c.matched_on) matched_on += (matched_on.empty() ? "" : ", ") + name;
  html += " on " + EscapeHtml(matched_on.empty() ? std::string("no varying dimension") : matched_on) + ".</p>";
  html += "</header>\n<section id=\"comparison-facts\"><dl class=\"facts\">";
  html += "<div><dt>Difference</dt><dd>B \u2212 A (run " + EscapeHtml(c.run_b) + " minus run " + EscapeHtml(c.run_a) +
          ")</dd></div>";
  html += "<div><dt>Interval</dt><dd>95% Welch interval over each configuration's replicates (degrees of freedom "
          "rounded down); highlighted when it excludes 0</dd></div>";
  for (const FixedDifference& f : c.fixed_differences) {
    html += "<div class=\"fixed-difference\"" + Attr("data-name", f.name) + "><dt>" + EscapeHtml(f.name) +
            "</dt><dd>" + EscapeHtml(f.value_a ? report::DimensionValueLabel(*f.value_a) : "\u2013") + " (A) \u2192 " +
            EscapeHtml(f.value_b ? report::DimensionValueLabel(*f.value_b) : "\u2013") + " (B)</dd></div>";
  }
  html += "</dl>\n<table id=\"metric-summary\" class=\"data-table\"><thead><tr><th>Metric</th>"
          "<th class=\"num\">Differences excluding 0</th><th class=\"num\">With an interval</th></tr></thead><tbody>";
  for (size_t i = 0; i < c.metrics.size(); ++i) {
    html += "<tr" + Attr("data-metric", c.metrics[i]) +
            Attr("data-excluding-zero", std::to_string(c.excluding_zero[i])) +
            "><td class=\"mono\">" + EscapeHtml(c.metrics[i]) + "</td><td class=\"num\">" +
            std::to_string(c.excluding_zero[i]) + "</td><td class=\"num\">" + std::to_string(c.with_interval[i]) +
            "</td></tr>";
  }
  html += "</tbody></table></section>\n";
  for (size_t i = 0; i < c.metrics.size(); ++i) {
    html += "<section class=\"metric-comparison\"" + Attr("data-metric", c.metrics[i]) + "><h2 class=\"mono\">" +
            EscapeHtml(c.metrics[i]) + "</h2>\n";
    if (c.matched.size() <= kMaxChartRows) {
      html += "<figure class=\"chart-card wide\">" + DifferenceChart(c, i) + "</figure>\n";
    } else {
      html += "<p class=\"empty-note\">" + std::to_string(c.matched.size()) +
              " configurations are too many to chart; the table lists them all.</p>\n";
    }
    html += MetricTable(c, i) + "</section>\n";
  }
  html += "<footer>Means and standard deviations per configuration come from SQL over each run's stored datasets "
          "(COUNT, AVG and STDDEV_SAMP grouped by configuration).</footer>\n</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace ridesweep::analytics
