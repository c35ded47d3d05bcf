// The report's charts as inline SVG, generated here (no script library): heatmaps of a metric over two dimensions,
// line charts of a metric over one dimension with a min-max band, and time series of snapshot counts. Each chart
// carries data-* attributes with the exact values it draws (shortest round-trip text), so tests and scripts can
// read the numbers back; native SVG <title> elements give hover tooltips. Pure functions; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_REPORT_SVG_CHARTS_H_
#define RIDESWEEP_ANALYTICS_REPORT_SVG_CHARTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/color_scale.h"
#include "report/dimension_aggregates.h"
#include "report/report_metrics.h"

namespace ridesweep::analytics::report {

// An axis over the values of one dimension.
struct DimensionAxis {
  std::string name;
  std::vector<std::string> values_json;  // canonical JSON text, in axis order
};

struct HeatmapChart {
  std::string chart_id;  // unique in the page (used for ids of gradients and patterns)
  const ReportMetric* metric = nullptr;
  DimensionAxis x;
  DimensionAxis y;
  std::vector<std::vector<std::optional<CellStats>>> cells;  // [y][x], stored units
  ColorScale scale{0, 1};                                    // stored units; shared by every heatmap of the metric
};
// <svg class="chart heatmap" data-metric data-x data-y> with one <rect class="cell"> per cell (data-x-value,
// data-y-value, and data-mean/-min/-max/-count when it has points, else class "cell empty") and a colour legend.
std::string RenderHeatmapSvg(const HeatmapChart& chart);

struct LineBandChart {
  std::string chart_id;
  const ReportMetric* metric = nullptr;
  DimensionAxis x;
  std::vector<std::optional<CellStats>> cells;  // per x value, stored units
  std::string color = "#3b528b";
};
// <svg class="chart line-band" data-metric data-x> with a band (min..max), a line through the means and one
// <circle class="point"> per value that has points (data-x-value, data-mean/-min/-max/-count). Numeric dimensions
// are placed proportionally to their values, others evenly.
std::string RenderLineBandSvg(const LineBandChart& chart);

struct TimeSeriesLine {
  std::string column;  // snapshot_counts column
  std::string label;
  std::string color;
  std::vector<int64_t> values;
};
struct TimeSeriesChart {
  std::string chart_id;
  std::string title;
  std::vector<int64_t> timestamp_ms;
  std::vector<TimeSeriesLine> lines;
  int width = 560;
};
// <svg class="chart timeseries" data-timestamps-ms="t0 t1 …"> with one <polyline class="series" data-column
// data-values="v0 v1 …"> per line; the x axis is simulated time in minutes (or hours for long runs).
std::string RenderTimeSeriesSvg(const TimeSeriesChart& chart);

// An HTML legend (<ul class="legend">) for a time-series chart's lines.
std::string RenderTimeSeriesLegend(const TimeSeriesChart& chart);

}  // namespace ridesweep::analytics::report

#endif  // RIDESWEEP_ANALYTICS_REPORT_SVG_CHARTS_H_
