// Heatmap of one metric over two dimensions (RenderHeatmapSvg).
#include <algorithm>
#include <cmath>

#include "report/chart_scales.h"
#include "report/html_text.h"
#include "report/svg_charts.h"

namespace ridesweep::analytics::report {
namespace {

constexpr double kTickFont = 11;
constexpr double kTitleFont = 12;
constexpr double kCellFont = 10.5;
constexpr double kMinCellFont = 7;

std::string Px(double v) { return FormatFixed(v, 1); }

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + EscapeHtml(value) + "\"";
}

std::string CellLabel(const HeatmapChart& c, const CellStats& cell) {
  return FormatCompact(cell.mean * c.metric->display_scale);
}

std::string CellTooltip(const HeatmapChart& c, size_t xi, size_t yi, const std::optional<CellStats>& cell) {
  std::string text = c.x.name + " = " + DimensionValueLabel(c.x.values_json[xi]) + ", " + c.y.name + " = " +
                     DimensionValueLabel(c.y.values_json[yi]) + "\n";
  if (!cell) return text + "no committed point (failed or missing shard)";
  text += std::string(c.metric->title) + ": " + FormatDisplayed(*c.metric, cell->mean);
  if (cell->half_width) text += " \u00b1 " + FormatDisplayed(*c.metric, *cell->half_width) + " (95% interval)";
  if (cell->count > 1) {
    text += " (mean of " + std::to_string(cell->count) + " points; min " + FormatDisplayed(*c.metric, cell->min) +
            ", max " + FormatDisplayed(*c.metric, cell->max) + ")";
  }
  return text;
}

}  // namespace

std::string RenderHeatmapSvg(const HeatmapChart& c) {
  const size_t nx = c.x.values_json.size();
  const size_t ny = c.y.values_json.size();
  // Every cell with points is labelled with its mean: cells widen to fit the longest label, up to 60 px; beyond
  // that the labels get smaller type (down to 7 px) and the cells widen as much as they need.
  double label_w = 0;
  for (const auto& row : c.cells) {
    for (const std::optional<CellStats>& cell : row) {
      if (cell) label_w = std::max(label_w, EstimateTextWidth(CellLabel(c, *cell), kCellFont));
    }
  }
  double cell_font = kCellFont;
  if (label_w + 6 > 60) cell_font = std::max(kMinCellFont, kCellFont * 54 / label_w);
  const double scaled_label_w = label_w * cell_font / kCellFont;
  const double cw = std::max(std::clamp(150.0 / static_cast<double>(std::max<size_t>(nx, 1)), 24.0, 60.0),
                             scaled_label_w + 6);
  const double ch = std::clamp(130.0 / static_cast<double>(std::max<size_t>(ny, 1)), 20.0, 46.0);

  std::vector<std::string> x_labels, y_labels;
  double x_label_w = 0, y_label_w = 0;
  for (const std::string& v : c.x.values_json) {
    x_labels.push_back(DimensionValueLabel(v));
    x_label_w = std::max(x_label_w, EstimateTextWidth(x_labels.back(), kTickFont));
  }
  for (const std::string& v : c.y.values_json) {
    y_labels.push_back(DimensionValueLabel(v));
    y_label_w = std::max(y_label_w, EstimateTextWidth(y_labels.back(), kTickFont));
  }
  const bool rotate_x = x_label_w > cw - 4;
  const double x_label_h = rotate_x ? x_label_w * 0.6 + kTickFont : kTickFont + 2;

  const std::string hi_label = FormatDisplayed(*c.metric, c.scale.hi());
  const std::string lo_label = FormatDisplayed(*c.metric, c.scale.lo());
  const double legend_label_w = EstimateTextWidth(hi_label, kTickFont) + EstimateTextWidth(lo_label, kTickFont) + 12;

  // The y dimension's name sits above the plot, horizontally, so long names never overflow the chart.
  const double y_title_w = EstimateTextWidth(c.y.name, kTitleFont);
  const double left = 8 + y_label_w + 6;
  const double top = 8 + kTitleFont + 8;
  const double plot_w = cw * static_cast<double>(nx);
  const double plot_h = ch * static_cast<double>(ny);
  const double axis_title_y = top + plot_h + 6 + x_label_h + 6 + kTitleFont;
  // The legend sits under the x axis: a horizontal bar of the metric's shared scale, lo at the left.
  const double legend_w = std::max(plot_w, legend_label_w);
  const double legend_x = left + plot_w / 2 - legend_w / 2;
  const double legend_y = axis_title_y + 8;
  const double width = std::ceil(std::max({left + plot_w, legend_x + legend_w, 8 + y_title_w}) + 8);
  const double height = std::ceil(legend_y + 8 + 4 + kTickFont + 4);

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart heatmap\"";
  svg += Attr("id", c.chart_id) + Attr("data-metric", c.metric->column) + Attr("data-x", c.x.name) +
         Attr("data-y", c.y.name) + Attr("data-scale-lo", FormatExact(c.scale.lo())) +
         Attr("data-scale-hi", FormatExact(c.scale.hi()));
  svg += Attr("width", Px(width)) + Attr("height", Px(height)) +
         Attr("viewBox", "0 0 " + Px(width) + " " + Px(height)) + Attr("role", "img") +
         Attr("aria-label", std::string(c.metric->title) + " by " + c.x.name + " and " + c.y.name) + ">\n";

  // Definitions: the hatch of empty cells and the legend's gradient (left = lo, right = hi).
  const std::string hatch_id = c.chart_id + "-hatch";
  const std::string gradient_id = c.chart_id + "-gradient";
  svg += "<defs><pattern" + Attr("id", hatch_id) +
         " patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\">"
         "<rect width=\"6\" height=\"6\" fill=\"#f1f1f1\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
         "stroke=\"#c8c8c8\" stroke-width=\"2\"/></pattern>";
  svg += "<linearGradient" + Attr("id", gradient_id) + " x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\">";
  for (int stop = 0; stop <= 8; ++stop) {
    const double t = stop / 8.0;
    svg += "<stop offset=\"" + FormatFixed(t * 100, 1) + "%\" stop-color=\"" + ViridisColor(t) + "\"/>";
  }
  svg += "</linearGradient></defs>\n";

  // Cells: the first y value at the bottom, like a plot.
  svg += "<g class=\"cells\">\n";
  for (size_t yi = 0; yi < ny; ++yi) {
    const double y = top + static_cast<double>(ny - 1 - yi) * ch;
    for (size_t xi = 0; xi < nx; ++xi) {
      const double x = left + static_cast<double>(xi) * cw;
      const std::optional<CellStats>& cell = c.cells[yi][xi];
      svg += "<g><rect class=\"cell";
      svg += cell ? "\"" : " empty\"";
      svg += Attr("x", Px(x)) + Attr("y", Px(y)) + Attr("width", Px(cw - 1.5)) + Attr("height", Px(ch - 1.5)) +
             Attr("rx", "2") + Attr("data-x-value", c.x.values_json[xi]) + Attr("data-y-value", c.y.values_json[yi]);
      if (cell) {
        svg += Attr("data-mean", FormatExact(cell->mean)) + Attr("data-min", FormatExact(cell->min)) +
               Attr("data-max", FormatExact(cell->max)) + Attr("data-count", std::to_string(cell->count)) +
               Attr("fill", c.scale.Color(cell->mean));
      } else {
        svg += Attr("fill", "url(#" + hatch_id + ")");
      }
      if (cell && cell->half_width) svg += Attr("data-half-width", FormatExact(*cell->half_width));
      svg += "><title>" + EscapeHtml(CellTooltip(c, xi, yi, cell)) + "</title></rect>";
      if (cell) {
        svg += "<text class=\"cell-label\"" + Attr("x", Px(x + (cw - 1.5) / 2)) +
               Attr("y", Px(y + (ch - 1.5) / 2 + cell_font * 0.35)) + Attr("fill", c.scale.TextColor(cell->mean));
        if (cell_font != kCellFont) svg += Attr("style", "font-size:" + FormatFixed(cell_font, 1) + "px");
        svg += ">" + EscapeHtml(CellLabel(c, *cell)) + "</text>";
      }
      svg += "</g>\n";
    }
  }
  svg += "</g>\n";

  // Axes: tick labels and titles.
  svg += "<g class=\"axis x-axis\">";
  for (size_t xi = 0; xi < nx; ++xi) {
    const double cx = left + static_cast<double>(xi) * cw + (cw - 1.5) / 2;
    const double ty = top + plot_h + 6 + kTickFont;
    if (rotate_x) {
      svg += "<text class=\"tick\" text-anchor=\"end\"" + Attr("x", Px(cx)) + Attr("y", Px(ty)) +
             Attr("transform", "rotate(-35 " + Px(cx) + " " + Px(ty) + ")") + ">" + EscapeHtml(x_labels[xi]) +
             "</text>";
    } else {
      svg += "<text class=\"tick\" text-anchor=\"middle\"" + Attr("x", Px(cx)) + Attr("y", Px(ty)) + ">" +
             EscapeHtml(x_labels[xi]) + "</text>";
    }
  }
  svg += "<text class=\"axis-title\" text-anchor=\"middle\"" + Attr("x", Px(left + plot_w / 2)) +
         Attr("y", Px(axis_title_y)) + ">" + EscapeHtml(c.x.name) + "</text></g>\n";
  svg += "<g class=\"axis y-axis\">";
  for (size_t yi = 0; yi < ny; ++yi) {
    const double cy = top + static_cast<double>(ny - 1 - yi) * ch + (ch - 1.5) / 2 + kTickFont * 0.35;
    svg += "<text class=\"tick\" text-anchor=\"end\"" + Attr("x", Px(left - 6)) + Attr("y", Px(cy)) + ">" +
           EscapeHtml(y_labels[yi]) + "</text>";
  }
  svg += "<text class=\"axis-title\" text-anchor=\"start\"" + Attr("x", "8") + Attr("y", Px(8 + kTitleFont)) + ">" +
         EscapeHtml(c.y.name) + "</text></g>\n";

  // Legend: the metric's shared colour scale.
  svg += "<g class=\"legend\"><rect" + Attr("x", Px(legend_x)) + Attr("y", Px(legend_y)) + Attr("width", Px(legend_w)) +
         Attr("height", "8") + Attr("fill", "url(#" + gradient_id + ")") + Attr("rx", "2") + "/>";
  svg += "<text class=\"tick legend-lo\" text-anchor=\"start\"" + Attr("x", Px(legend_x)) +
         Attr("y", Px(legend_y + 8 + 3 + kTickFont)) + ">" + EscapeHtml(lo_label) + "</text>";
  svg += "<text class=\"tick legend-hi\" text-anchor=\"end\"" + Attr("x", Px(legend_x + legend_w)) +
         Attr("y", Px(legend_y + 8 + 3 + kTickFont)) + ">" + EscapeHtml(hi_label) + "</text></g>\n";
  svg += "</svg>";
  return svg;
}

}  // namespace ridesweep::analytics::report
