// The HTML report page: layout, tables and the placement of the SVG charts.
#include "ridesweep/analytics/html_report.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <type_traits>
#include <utility>
#include <vector>

#include "ridesweep/analytics/configuration_summary.h"
#include "report/color_scale.h"
#include "report/dimension_aggregates.h"
#include "report/html_text.h"
#include "report/pair_influence.h"
#include "report/replicate_noise.h"
#include "report/report_metrics.h"
#include "report/report_page_assets.h"
#include "report/svg_charts.h"

namespace ridesweep::analytics {
namespace {

// A time metric of a point that served no one is missing: an empty attribute and an en dash in the table.
std::string OptionalExact(const std::optional<double>& value) { return value ? report::FormatExact(*value) : std::string(); }
std::string OptionalSeconds(const std::optional<double>& value) {
  return value ? report::FormatFixed(*value / 1000, 1) + " s" : std::string("\u2013");
}

using report::CellStats;
using report::DimensionValueLabel;
using report::EscapeHtml;
using report::FormatCompact;
using report::FormatCount;
using report::FormatDisplayed;
using report::FormatDurationMs;
using report::FormatExact;
using report::FormatFixed;
using report::ReportMetric;
using report::ReportMetrics;

// Beyond these sizes a chart or table would make the page unusably large; the page says what it left out.
constexpr size_t kMaxLineValues = 400;      // values of one dimension in a line chart
constexpr size_t kMaxHeatmapCells = 2'500;  // cells of one heatmap (50 × 50)
constexpr size_t kMaxShardRows = 1'000;     // shard table rows; failures and missing shards always listed

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// One colour per charted metric, for the line charts (Tableau 10, colour-blind friendly in this order).
constexpr std::string_view kMetricColors[] = {"#4e79a7", "#59a14f", "#f28e2b", "#e15759", "#b07aa1"};

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + EscapeHtml(value) + "\"";
}

template <typename T>
std::string OptionalNumber(const std::optional<T>& value) {
  if (!value) return "";
  if constexpr (std::is_floating_point_v<T>) {
    return FormatExact(*value);
  } else {
    return std::to_string(*value);
  }
}

size_t MissingShards(const ReportData& data) {
  return static_cast<size_t>(std::count_if(data.shards.begin(), data.shards.end(), [](const ReportShardRow& row) {
    return row.status == kShardStatusMissing;
  }));
}

std::vector<size_t> VaryingDimensions(const ReportData& data) {
  std::vector<size_t> varying;
  for (size_t d = 0; d < data.dimensions.size(); ++d) {
    if (data.dimensions[d].varies()) varying.push_back(d);
  }
  return varying;
}

// The charted metrics (options.metrics, or all) with their colour (by position in the metric table).
struct ChartedMetric {
  const ReportMetric* metric;
  std::string color;
};
std::vector<ChartedMetric> ChartedMetrics(const HtmlReportOptions& options) {
  const std::span<const ReportMetric> all = ReportMetrics();
  std::vector<ChartedMetric> out;
  const auto add = [&](size_t i) {
    out.push_back({&all[i], std::string(kMetricColors[i % std::size(kMetricColors)])});
  };
  if (options.metrics.empty()) {
    for (size_t i = 0; i < all.size(); ++i) add(i);
    return out;
  }
  for (const std::string& name : options.metrics) {
    for (size_t i = 0; i < all.size(); ++i) {
      if (all[i].column == name) add(i);
    }
  }
  return out;
}

std::vector<const ReportMetric*> MetricPointers(const std::vector<ChartedMetric>& metrics) {
  std::vector<const ReportMetric*> out;
  for (const ChartedMetric& m : metrics) out.push_back(m.metric);
  return out;
}

// The charted dimensions: options.dimensions (in that order), or every varying one.
std::vector<size_t> ChartedDimensions(const ReportData& data, const HtmlReportOptions& options) {
  if (options.dimensions.empty()) return VaryingDimensions(data);
  std::vector<size_t> out;
  for (const std::string& name : options.dimensions) {
    for (size_t d = 0; d < data.dimensions.size(); ++d) {
      if (data.dimensions[d].name == name && std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
    }
  }
  return out;
}

bool Replicated(const ReportData& data) {
  return data.header.replications.value_or(1) > 1;
}

std::string DimensionsText(const ScoredConfiguration& point, const std::vector<ReportDimension>& dims,
                           bool varying_only) {
  std::string text;
  for (const DimensionValue& value : point.dimensions) {
    const auto it =
        std::find_if(dims.begin(), dims.end(), [&](const ReportDimension& d) { return d.name == value.name; });
    if (varying_only && it != dims.end() && !it->varies()) continue;
    text += (text.empty() ? "" : ", ") + value.name + " = " + DimensionValueLabel(value.value_json);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Header

std::string Tile(std::string_view id, std::string_view label, std::string_view value, std::string_view note,
                 std::string_view tone) {
  std::string html = "<div class=\"tile";
  if (!tone.empty()) html += " tile-" + std::string(tone);
  html += "\"" + Attr("id", id) + "><div class=\"tile-label\">" + EscapeHtml(label) +
          "</div><div class=\"tile-value\">" + EscapeHtml(value) + "</div>";
  if (!note.empty()) html += "<div class=\"tile-note\">" + EscapeHtml(note) + "</div>";
  return html + "</div>";
}

std::string RenderNoise(const ReportData& data, const std::vector<ChartedMetric>& metrics) {
  std::string html = "<p id=\"noise\" class=\"section-note\">";
  const std::vector<report::MetricNoise> noise = report::ReplicateNoise(data.points, MetricPointers(metrics));
  size_t counted = 0;
  for (const report::MetricNoise& n : noise) counted = std::max(counted, n.configurations);
  if (counted == 0) {
    return html + "<strong>Noise:</strong> not measurable: no configuration has two or more replicates "
                  "(set <code>replications</code> in the request to measure it).</p>\n";
  }
  html += "<strong>Noise</strong> (median over configurations of the 95% interval half-width relative to the "
          "mean):";
  bool first = true;
  for (const report::MetricNoise& n : noise) {
    html += first ? " " : "; ";
    first = false;
    html += "<span class=\"noise-metric\"" + Attr("data-metric", n.metric->column) +
            Attr("data-median-relative", n.median_relative ? FormatExact(*n.median_relative) : std::string()) +
            Attr("data-configurations", std::to_string(n.configurations)) + ">" + EscapeHtml(n.metric->title) + " " +
            (n.median_relative ? "\u00b1" + FormatFixed(*n.median_relative * 100, 1) + " %" : std::string("\u2013")) +
            "</span>";
  }
  return html + " (over " + std::to_string(counted) + " configurations).</p>\n";
}

std::string RenderHeader(const ReportData& data) {
  const ReportHeader& h = data.header;
  const RunTotals& t = h.totals;
  std::string html = "<section id=\"run-header\"";
  html += Attr("data-run-id", h.run_id) + Attr("data-run-date", h.run_date.value_or("")) +
          Attr("data-request-fingerprint", h.request_fingerprint.value_or("")) +
          Attr("data-config-fingerprint", h.config_fingerprint.value_or("")) +
          Attr("data-build", h.build.value_or("")) + Attr("data-seed", OptionalNumber(h.seed)) +
          Attr("data-replications", OptionalNumber(h.replications)) + Attr("data-design", h.design.value_or("")) +
          Attr("data-points-succeeded", std::to_string(t.points_succeeded)) +
          Attr("data-points-failed", std::to_string(t.points_failed)) +
          Attr("data-points-committed", std::to_string(h.points_committed)) +
          Attr("data-points-planned", OptionalNumber(h.expected_points)) +
          Attr("data-shards-succeeded", std::to_string(t.shards_succeeded)) +
          Attr("data-shards-failed", std::to_string(t.shards_failed)) +
          Attr("data-shards-planned", OptionalNumber(h.expected_shards)) +
          Attr("data-wall-time-ms", OptionalNumber(h.wall_time_ms)) +
          Attr("data-points-per-second", OptionalNumber(h.points_per_second)) +
          Attr("data-shard-attempts", std::to_string(h.shard_attempts)) +
          Attr("data-max-attempt", OptionalNumber(h.max_attempt)) +
          Attr("data-run-window-seconds", OptionalNumber(h.run_window_seconds)) +
          Attr("data-profile-points-per-second", OptionalNumber(h.profile_points_per_second)) + ">\n";

  const std::string points_planned =
      h.expected_points ? " / " + FormatCount(static_cast<int64_t>(*h.expected_points)) : "";
  const std::string shards_planned =
      h.expected_shards ? " / " + FormatCount(static_cast<int64_t>(*h.expected_shards)) : "";
  html += "<div class=\"tiles\">";
  html +=
      Tile("tile-points", "Points succeeded", FormatCount(static_cast<int64_t>(t.points_succeeded)) + points_planned,
           std::to_string(t.points_failed) + " in failed shards", t.points_failed > 0 ? "warn" : "");
  const size_t missing = MissingShards(data);
  std::string shard_note = std::to_string(t.shards_failed) + " failed";
  if (missing > 0) shard_note += ", " + std::to_string(missing) + " without a record";
  html +=
      Tile("tile-shards", "Shards succeeded", FormatCount(static_cast<int64_t>(t.shards_succeeded)) + shards_planned,
           shard_note, t.shards_failed > 0 ? "bad" : (missing > 0 ? "warn" : ""));
  html +=
      Tile("tile-wall-time", "Wall time", h.wall_time_ms ? FormatDurationMs(static_cast<double>(*h.wall_time_ms)) : "-",
           "first shard start \u2192 last shard end", "");
  std::string pps = "-";
  if (h.points_per_second) {
    pps = *h.points_per_second >= 100 ? FormatFixed(*h.points_per_second, 0) : FormatFixed(*h.points_per_second, 1);
  }
  html += Tile("tile-throughput", "Points / s", pps, "successful points \u00f7 wall time", "");
  html += "</div>\n";

  html += "<dl class=\"facts\">";
  const auto fact = [&](std::string_view term, std::string_view value, bool mono) {
    html += "<div><dt>" + EscapeHtml(term) + "</dt><dd" + (mono ? " class=\"mono\"" : "") + ">" + EscapeHtml(value) +
            "</dd></div>";
  };
  fact("Run id", h.run_id, true);
  fact("Run date", h.run_date.value_or("unknown"), false);
  fact("Request fingerprint", h.request_fingerprint.value_or("unknown"), true);
  fact("Config fingerprint", h.config_fingerprint.value_or("unknown"), true);
  if (h.request_source) fact("Submitted through", *h.request_source, false);
  fact("Accepted by", h.build ? "ridesweep " + *h.build : "unknown (run older than build records)", false);
  fact("Seed", h.seed ? std::to_string(*h.seed) : "unknown (no run manifest)", true);
  fact("Replications", h.replications ? std::to_string(*h.replications) + " per configuration" : "unknown", false);
  fact("Design", h.design.value_or("unknown"), false);
  std::string fixed;
  for (const ReportDimension& d : data.dimensions) {
    if (!d.varies() && !d.values_json.empty()) {
      fixed += (fixed.empty() ? "" : ", ") + d.name + " = " + DimensionValueLabel(d.values_json.front());
    }
  }
  std::string varying;
  for (const ReportDimension& d : data.dimensions) {
    if (d.varies())
      varying += (varying.empty() ? "" : ", ") + d.name + " (" + std::to_string(d.values_json.size()) + ")";
  }
  fact("Varying dimensions", varying.empty() ? "none" : varying, false);
  if (!fixed.empty()) fact("Fixed dimensions", fixed, false);
  std::string profile = std::to_string(h.shard_attempts) + " outcome records";
  if (h.max_attempt) profile += ", max attempt " + std::to_string(*h.max_attempt);
  if (h.run_window_seconds) profile += ", run window " + std::to_string(*h.run_window_seconds) + " s";
  fact("query_run_level_profile", profile, false);
  html += "</dl>\n</section>\n";
  return html;
}

std::string RenderBanner(const ReportData& data) {
  const ReportState state = StateOf(data);
  std::string html = "<div id=\"report-state\" class=\"banner banner-" + std::string(ReportStateName(state)) + "\"" +
                     Attr("data-state", ReportStateName(state)) + ">";
  const std::string message = ReportStateMessage(data);
  if (message.empty()) {
    html += "All shards succeeded; every planned point is in the charts below.";
  } else {
    html += EscapeHtml(message);
  }
  return html + "</div>\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Shards

std::string RenderShardTable(const ReportData& data) {
  std::string html = "<section id=\"shards\"><h2>Shards</h2>\n";
  if (data.shards.empty()) {
    return html +
           "<p class=\"empty-note\">No shard outcome record and no shard plan were found for this run.</p></section>\n";
  }
  html +=
      "<div class=\"table-scroll\"><table id=\"shard-table\" class=\"data-table\"><thead><tr>"
      "<th class=\"num\">Shard</th><th>Status</th><th class=\"num\">Points</th><th class=\"num\">Processed</th>"
      "<th class=\"num\">Attempt</th><th class=\"num\">Duration</th><th>Error code</th><th>Error message</th>"
      "</tr></thead><tbody>\n";
  // Long tables keep every failed or missing shard and as many successes as fit.
  const size_t not_success = static_cast<size_t>(std::count_if(
      data.shards.begin(), data.shards.end(), [](const ReportShardRow& r) { return r.status != kShardStatusSuccess; }));
  size_t successes_left = not_success >= kMaxShardRows ? 0 : kMaxShardRows - not_success;
  size_t left_out = 0;
  for (const ReportShardRow& row : data.shards) {
    if (row.status == kShardStatusSuccess) {
      if (successes_left == 0) {
        ++left_out;
        continue;
      }
      --successes_left;
    }
    const std::string status_class = row.status == kShardStatusMissing ? "missing" : row.status;
    html += "<tr class=\"shard-row status-" + EscapeHtml(status_class) + "\"" +
            Attr("data-shard-id", std::to_string(row.shard_id)) + Attr("data-status", row.status) +
            Attr("data-points-processed", OptionalNumber(row.points_processed)) +
            Attr("data-duration-ms", OptionalNumber(row.duration_ms)) +
            Attr("data-error-code", row.error_code.value_or("")) + ">";
    html += "<td class=\"num\">" + std::to_string(row.shard_id) + "</td>";
    html +=
        "<td><span class=\"badge badge-" + EscapeHtml(status_class) + "\">" + EscapeHtml(row.status) + "</span></td>";
    html += "<td class=\"num\">" + std::to_string(row.start_index) + "\u2013" +
            std::to_string(row.end_index_exclusive == 0 ? 0 : row.end_index_exclusive - 1) + " (" +
            std::to_string(row.end_index_exclusive - row.start_index) + ")</td>";
    html += "<td class=\"num\">" + (row.points_processed ? std::to_string(*row.points_processed) : "") + "</td>";
    html += "<td class=\"num\">" + (row.attempt ? std::to_string(*row.attempt) : "") + "</td>";
    html += "<td class=\"num\">" +
            (row.duration_ms ? FormatDurationMs(static_cast<double>(*row.duration_ms)) : std::string()) + "</td>";
    html += "<td class=\"mono\">" + EscapeHtml(row.error_code.value_or("")) + "</td>";
    html += "<td class=\"message\">" + EscapeHtml(row.error_message.value_or("")) + "</td></tr>\n";
  }
  html += "</tbody></table></div>";
  if (left_out > 0) {
    html += "<p class=\"section-note\">" + std::to_string(left_out) +
            " more successful shards are not listed; <code>ridesweep query query_run_level_profile</code> sums them "
            "up.</p>";
  }
  return html + "</section>\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Charts over dimensions

report::DimensionAxis AxisOf(const ReportDimension& d) { return {d.name, d.values_json}; }

std::string ChartCard(std::string_view title, std::string_view subtitle, const std::string& svg) {
  return "<figure class=\"chart-card\"><figcaption><span class=\"chart-title\">" + EscapeHtml(title) +
         "</span><span class=\"chart-subtitle\">" + EscapeHtml(subtitle) + "</span></figcaption>" + svg + "</figure>\n";
}

std::string MetricTitle(const ReportMetric& m) {
  return std::string(m.title) + (m.lower_is_better ? " \u2193" : " \u2191");
}

std::string RenderDimensionEffects(const ReportData& data, const report::PointCoordinates& coordinates,
                                   const std::vector<ChartedMetric>& metrics, const std::vector<size_t>& charted) {
  std::string html = "<section id=\"dimension-effects\"><h2>How each dimension moves the metrics</h2>\n";
  if (charted.empty()) {
    return html + "<p class=\"empty-note\">No dimension of this sweep has two or more values.</p></section>\n";
  }
  const bool replicated = Replicated(data);
  html += "<p class=\"section-note\" id=\"band-legend\">";
  if (replicated) {
    html +=
        "Each point is the mean over the other dimensions and the replicates; the <strong>band (or bar) is its "
        "95% interval over replicates</strong> (Student t, the other dimensions held at their swept values). ";
  } else {
    html +=
        "Each point is the mean over the other dimensions; with one replicate per configuration there is no "
        "interval, so the <strong>band (or bar) spans their minimum to maximum</strong>. ";
  }
  html +=
      "Numeric dimensions are drawn as lines; categorical ones as separate points with bars. \u2191 higher is "
      "better, \u2193 lower is better.</p>\n";
  for (size_t d : charted) {
    if (data.dimensions[d].values_json.size() > kMaxLineValues) {
      html += "<div class=\"chart-group\"><h3>" + EscapeHtml(data.dimensions[d].name) +
              "</h3><p class=\"empty-note\">" + std::to_string(data.dimensions[d].values_json.size()) +
              " values are too many to chart here; query them with ridesweep query.</p></div>\n";
      continue;
    }
    const std::string aggregation = report::AggregationLabel(data.dimensions, {d});
    const std::string band = replicated ? "95% interval over replicates" : "min\u2013max band";
    html += "<div class=\"chart-group\" data-dimension=\"" + EscapeHtml(data.dimensions[d].name) + "\"><h3>" +
            EscapeHtml(data.dimensions[d].name) + " <span class=\"aggregation\">" +
            EscapeHtml(aggregation == "one point per cell" ? "one configuration per value, " + band
                                                           : aggregation + ", " + band) +
            "</span></h3><div class=\"chart-row\">";
    for (const ChartedMetric& m : metrics) {
      report::LineBandChart chart;
      chart.chart_id = "line-" + std::to_string(d) + "-" + std::string(m.metric->column);
      chart.metric = m.metric;
      chart.x = AxisOf(data.dimensions[d]);
      chart.cells = report::AggregateByValue(coordinates, data.points, data.dimensions, d, *m.metric);
      chart.color = m.color;
      // The chart falls back to a min-max band when a value lacks two replicates somewhere (a time metric with
      // nothing to average in some replicates); its caption says so.
      const bool every_interval = std::all_of(chart.cells.begin(), chart.cells.end(), [](const auto& cell) {
        return !cell || cell->half_width.has_value();
      });
      html += ChartCard(MetricTitle(*m.metric),
                        replicated && !every_interval ? "min\u2013max band: too few replicates for an interval" : "",
                        report::RenderLineBandSvg(chart));
    }
    html += "</div></div>\n";
  }
  return html + "</section>\n";
}

std::string RenderDimensionPairs(const ReportData& data, const report::PointCoordinates& coordinates,
                                 const std::vector<ChartedMetric>& metrics, const std::vector<size_t>& charted,
                                 const HtmlReportOptions& options) {
  std::string html = "<section id=\"dimension-pairs\"><h2>Pairs of dimensions</h2>\n";
  if (charted.size() < 2) {
    return html + (options.dimensions.empty()
                       ? "<p class=\"empty-note\">Fewer than two dimensions vary, so there is no pair to map.</p>"
                       : "<p class=\"empty-note\">Fewer than two dimensions are chosen with --dimensions, so there "
                         "is no pair to map.</p>") +
           "</section>\n";
  }
  // Pairs with too many cells cannot be mapped; the most influential of the others are drawn.
  std::string too_large;
  for (size_t a = 0; a < charted.size(); ++a) {
    for (size_t b = a + 1; b < charted.size(); ++b) {
      const size_t x = std::min(charted[a], charted[b]);
      const size_t y = std::max(charted[a], charted[b]);
      if (data.dimensions[x].values_json.size() * data.dimensions[y].values_json.size() > kMaxHeatmapCells) {
        too_large += (too_large.empty() ? "" : ", ") + data.dimensions[x].name + " \u00d7 " + data.dimensions[y].name;
      }
    }
  }
  std::vector<report::PairInfluence> ranked;
  const size_t all_pairs = charted.size() * (charted.size() - 1) / 2;
  const bool chosen = !options.dimensions.empty();
  for (const report::PairInfluence& p :
       report::RankPairsByInfluence(coordinates, data.points, data.dimensions, charted, MetricPointers(metrics))) {
    if (data.dimensions[p.x].values_json.size() * data.dimensions[p.y].values_json.size() > kMaxHeatmapCells) continue;
    if (!chosen && ranked.size() >= options.max_pairs) break;
    ranked.push_back(p);
  }
  html += "<p class=\"section-note\" id=\"pairs-rule\"" + Attr("data-pairs-drawn", std::to_string(ranked.size())) +
          Attr("data-pairs-total", std::to_string(all_pairs)) + ">";
  if (chosen) {
    html += "Every pair of the dimensions chosen with <code>--dimensions</code> (" + std::to_string(all_pairs) +
            "), most influential first. ";
  } else {
    html += "The " + std::to_string(ranked.size()) + " most influential of " + std::to_string(all_pairs) +
            " pairs: a pair's influence is the variance of its cell means divided by the variance of the "
            "configuration means, averaged over the charted metrics. Choose others with <code>--dimensions</code>. ";
  }
  html +=
      "Each cell is labelled with the mean over the other dimensions and the replicates (hover for the count, "
      "minimum, maximum and interval). Every heatmap of a metric uses the same colour scale; hatched cells have no "
      "committed point.</p>\n";
  // All drawn pairs first, so each metric's colour scale spans every drawn cell of that metric.
  struct Pair {
    size_t x, y;
    double influence;
    std::vector<std::vector<std::vector<std::optional<CellStats>>>> cells;  // [metric][y][x]
  };
  std::vector<Pair> pairs;
  std::vector<double> lo(metrics.size(), kInfinity), hi(metrics.size(), -kInfinity);
  for (const report::PairInfluence& p : ranked) {
    const size_t x = std::min(p.x, p.y);
    const size_t y = std::max(p.x, p.y);
    Pair pair{x, y, p.influence, {}};
    for (size_t m = 0; m < metrics.size(); ++m) {
      pair.cells.push_back(
          report::AggregateByPair(coordinates, data.points, data.dimensions, x, y, *metrics[m].metric));
      for (const auto& row : pair.cells.back()) {
        for (const auto& cell : row) {
          if (!cell) continue;
          lo[m] = std::min(lo[m], cell->mean);
          hi[m] = std::max(hi[m], cell->mean);
        }
      }
    }
    pairs.push_back(std::move(pair));
  }
  if (!too_large.empty()) {
    html += "<p class=\"empty-note\">Not mapped, more than " + std::to_string(kMaxHeatmapCells) +
            " cells each: " + EscapeHtml(too_large) + ".</p>\n";
  }
  for (const Pair& pair : pairs) {
    const ReportDimension& dx = data.dimensions[pair.x];
    const ReportDimension& dy = data.dimensions[pair.y];
    html += "<div class=\"chart-group\"" + Attr("data-x", dx.name) + Attr("data-y", dy.name) +
            Attr("data-influence", FormatExact(pair.influence)) + "><h3>" + EscapeHtml(dx.name) + " \u00d7 " +
            EscapeHtml(dy.name) + " <span class=\"aggregation\">" +
            EscapeHtml(report::AggregationLabel(data.dimensions, {pair.x, pair.y}) + ", influence " +
                       FormatFixed(pair.influence, 2)) +
            "</span></h3><div class=\"chart-row\">";
    for (size_t m = 0; m < metrics.size(); ++m) {
      report::HeatmapChart chart;
      chart.chart_id = "heat-" + std::to_string(pair.x) + "-" + std::to_string(pair.y) + "-" +
                       std::string(metrics[m].metric->column);
      chart.metric = metrics[m].metric;
      chart.x = AxisOf(dx);
      chart.y = AxisOf(dy);
      chart.cells = pair.cells[m];
      chart.scale = std::isfinite(lo[m]) ? report::ColorScale(lo[m], hi[m]) : report::ColorScale(0, 1);
      html += ChartCard(MetricTitle(*metrics[m].metric), "", report::RenderHeatmapSvg(chart));
    }
    html += "</div></div>\n";
  }
  return html + "</section>\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Top configurations

// A dimension name for a narrow table header: may break after each underscore.
std::string BreakableName(std::string_view name) {
  std::string html;
  for (char c : name) {
    html += EscapeHtml(std::string_view(&c, 1));
    if (c == '_') html += "<wbr>";
  }
  return html;
}

struct Component {
  std::string_view key;
  std::string_view label;
  double weight;
  double normalised;
  double contribution;
};

std::vector<Component> Components(const sim::HealthComponents& c, const sim::HealthWeights& w) {
  return {
      {"conversion", "Conv.", w.conversion, c.conversion, w.conversion * c.conversion},
      {"revenue", "Revenue", w.revenue, c.revenue, w.revenue * c.revenue},
      {"payouts", "Payouts", w.payouts, c.payouts, w.payouts * c.payouts},
      {"match_time", "Match", w.match_time, c.match_time, w.match_time * c.match_time},
      {"pickup_time", "Pickup", w.pickup_time, c.pickup_time, w.pickup_time * c.pickup_time},
      {"abandoned", "Aband.", w.abandoned, c.abandoned, w.abandoned * c.abandoned},
  };
}

// `mean ± half-width` in `digits` decimals after scaling by `scale` (a bare mean without an interval); an en dash
// when no replicate has the value.
std::string MeanPlusMinus(const MeanInterval& m, double scale, int digits, std::string_view unit = "") {
  if (m.n == 0) return "\u2013";
  std::string text = FormatFixed(m.mean * scale, digits);
  if (m.half_width) text += " \u00b1 " + FormatFixed(*m.half_width * scale, digits);
  return text + std::string(unit);
}

// The data attributes of one statistic: data-<key>-mean, data-<key>-half-width, data-<key>-n (exact values).
std::string StatAttrs(std::string_view key, const MeanInterval& m) {
  return Attr("data-" + std::string(key) + "-mean", m.n > 0 ? FormatExact(m.mean) : std::string()) +
         Attr("data-" + std::string(key) + "-half-width", OptionalExact(m.half_width)) +
         Attr("data-" + std::string(key) + "-n", std::to_string(m.n));
}

// A replicated run: one row per configuration (its replicates summarised by SummarizeConfigurations), ranked by
// mean fixed-scale health score, each statistic as mean ± the half-width of its 95% interval.
std::string RenderTopConfigurationsByMean(const ReportData& data, const HtmlReportOptions& options) {
  std::string html = "<section id=\"top-configurations\"><h2>Top configurations by health score</h2>\n";
  const std::vector<ConfigurationStats> configurations = SummarizeConfigurations(data.points, options.weights);
  html += "<p class=\"section-note\">" + std::to_string(configurations.size()) + " configurations (" +
          std::to_string(*data.header.replications) +
          " replicates planned each), ranked by mean health score on fixed reference scales (docs/analysis.md), so a "
          "configuration scores the same in any run. Each value is the mean \u00b1 the half-width of its 95% "
          "Student-t interval over the configuration's committed replicates (n). \u2248 marks configurations not "
          "distinguishable from the best: their score intervals overlap the best one's.</p>\n";
  const std::vector<size_t> varying = VaryingDimensions(data);
  html += "<div class=\"table-scroll wide\"><table id=\"top-table\" class=\"data-table by-configuration\"><thead><tr>"
          "<th class=\"num\">Rank</th>";
  for (size_t d : varying) html += "<th class=\"dim\">" + BreakableName(data.dimensions[d].name) + "</th>";
  html +=
      "<th class=\"num\">n</th><th class=\"num\">Score</th><th class=\"mark\" title=\"Not distinguishable from "
      "the best\">\u2248 best</th><th class=\"num\">Conv.</th><th class=\"num\">Revenue</th>"
      "<th class=\"num\">Payouts</th><th class=\"num\">Match</th><th class=\"num\">Pickup</th>"
      "<th class=\"num\">Trips</th></tr></thead><tbody>\n";
  const size_t rows = std::min(options.top_n, configurations.size());
  for (size_t rank = 0; rank < rows; ++rank) {
    const ConfigurationStats& c = configurations[rank];
    const std::optional<bool>& mark = c.not_distinguishable_from_best;
    html += "<tr class=\"config-row\"" + Attr("data-rank", std::to_string(rank + 1)) +
            Attr("data-first-point-index", std::to_string(c.first_point_index)) +
            Attr("data-n", std::to_string(c.n)) + StatAttrs("health-score", c.health_score) +
            StatAttrs("conversion-rate", c.conversion_rate) + StatAttrs("platform-revenue", c.platform_revenue) +
            StatAttrs("driver-payouts", c.driver_payouts) +
            StatAttrs("avg-time-to-match-ms", c.avg_time_to_match_ms) +
            StatAttrs("avg-time-to-pickup-ms", c.avg_time_to_pickup_ms) +
            StatAttrs("completed-trips", c.completed_trips) +
            Attr("data-not-distinguishable-from-best", mark ? (*mark ? "true" : "false") : "") + ">";
    html += "<td class=\"num rank\">" + std::to_string(rank + 1) + "</td>";
    for (size_t d : varying) {
      std::string value;
      for (const DimensionValue& v : c.dimensions) {
        if (v.name == data.dimensions[d].name) value = DimensionValueLabel(v.value_json);
      }
      html += "<td class=\"dim\">" + EscapeHtml(value) + "</td>";
    }
    html += "<td class=\"num\">" + std::to_string(c.n) + "</td>";
    html += "<td class=\"num score\">" + MeanPlusMinus(c.health_score, 1, 3) + "</td>";
    html += "<td class=\"mark\">" + std::string(mark && *mark ? "\u2248" : "") + "</td>";
    html += "<td class=\"num\">" + MeanPlusMinus(c.conversion_rate, 100, 1, " %") + "</td>";
    html += "<td class=\"num\">" + MeanPlusMinus(c.platform_revenue, 1, 2) + "</td>";
    html += "<td class=\"num\">" + MeanPlusMinus(c.driver_payouts, 1, 2) + "</td>";
    html += "<td class=\"num\">" + MeanPlusMinus(c.avg_time_to_match_ms, 0.001, 1, " s") + "</td>";
    html += "<td class=\"num\">" + MeanPlusMinus(c.avg_time_to_pickup_ms, 0.001, 1, " s") + "</td>";
    html += "<td class=\"num\">" + MeanPlusMinus(c.completed_trips, 1, 1) + "</td></tr>\n";
  }
  return html + "</tbody></table></div></section>\n";
}

std::string RenderTopConfigurations(const ReportData& data, const HtmlReportOptions& options) {
  std::string html = "<section id=\"top-configurations\"><h2>Top configurations by health score</h2>\n";
  if (data.points.empty()) {
    return html + "<p class=\"empty-note\">No committed point to rank.</p></section>\n";
  }
  if (data.header.replications.value_or(1) > 1) return RenderTopConfigurationsByMean(data, options);
  const sim::HealthWeights& w = options.weights;
  html += "<p class=\"section-note\">Health score (docs/model.md \u00a76) over the " +
          std::to_string(data.points.size()) +
          " committed points, each metric on a fixed reference scale (docs/analysis.md), so a point scores the same "
          "in any run; the score is the sum of the weighted components shown (abandonment counts against a "
          "point).</p>\n";
  const std::vector<size_t> varying = VaryingDimensions(data);
  // Two header rows: groups (score components, metrics) above short column names.
  html +=
      "<div class=\"table-scroll wide\"><table id=\"top-table\" class=\"data-table\"><thead><tr>"
      "<th class=\"num\" rowspan=\"2\">Rank</th><th class=\"num\" rowspan=\"2\">Point</th>";
  for (size_t d : varying) {
    html += "<th class=\"dim\" rowspan=\"2\">" + BreakableName(data.dimensions[d].name) + "</th>";
  }
  html +=
      "<th class=\"num\" rowspan=\"2\">Score</th><th class=\"group\" colspan=\"6\">Score components "
      "(weight \u00d7 value on its reference scale)</th><th class=\"group\" colspan=\"6\">Metrics</th></tr><tr>";
  for (const Component& c : Components({}, w)) {
    html += "<th class=\"component\">" + EscapeHtml(c.label) + "<br><span class=\"weight\">\u00d7" +
            FormatFixed(c.weight, 2) + "</span></th>";
  }
  html +=
      "<th class=\"num\">Conv.</th><th class=\"num\">Revenue</th><th class=\"num\">Payouts</th>"
      "<th class=\"num\">Match</th><th class=\"num\">Pickup</th><th class=\"num\">Aband.</th></tr></thead><tbody>\n";
  const double max_weight = std::max({std::abs(w.conversion), std::abs(w.revenue), std::abs(w.payouts),
                                      std::abs(w.match_time), std::abs(w.pickup_time), std::abs(w.abandoned), 1e-9});
  const size_t rows = std::min(options.top_n, data.ranking.size());
  for (size_t rank = 0; rank < rows; ++rank) {
    const ScoredConfiguration& p = data.points[data.ranking[rank]];
    html += "<tr class=\"config-row\"" + Attr("data-rank", std::to_string(rank + 1)) +
            Attr("data-point-index", std::to_string(p.point_index)) + Attr("data-score", FormatExact(p.health.score)) +
            Attr("data-conversion-rate", FormatExact(p.metrics.conversion_rate)) +
            Attr("data-platform-revenue", FormatExact(p.metrics.platform_revenue)) +
            Attr("data-driver-payouts", FormatExact(p.metrics.driver_payouts)) +
            Attr("data-avg-time-to-match-ms", OptionalExact(p.metrics.avg_time_to_match_ms)) +
            Attr("data-avg-time-to-pickup-ms", OptionalExact(p.metrics.avg_time_to_pickup_ms)) +
            Attr("data-abandoned-quote-riders", std::to_string(p.metrics.abandoned_quote_riders)) + ">";
    html += "<td class=\"num rank\">" + std::to_string(rank + 1) + "</td><td class=\"num\">" +
            std::to_string(p.point_index) + "</td>";
    for (size_t d : varying) {
      std::string value;
      for (const DimensionValue& v : p.dimensions) {
        if (v.name == data.dimensions[d].name) value = DimensionValueLabel(v.value_json);
      }
      html += "<td class=\"dim\">" + EscapeHtml(value) + "</td>";
    }
    html += "<td class=\"num score\">" + FormatFixed(p.health.score, 3) + "</td>";
    for (const Component& c : Components(p.health, w)) {
      const double width_pct = std::min(100.0, std::abs(c.contribution) / max_weight * 100.0);
      html += "<td class=\"component\"" + Attr("data-component", c.key) +
              Attr("data-contribution", FormatExact(c.contribution)) +
              Attr("data-normalised", FormatExact(c.normalised)) +
              Attr("title", std::string(c.label) + ": on its scale " + FormatFixed(c.normalised, 3) + ", contributes " +
                                FormatFixed(c.contribution, 3)) +
              "><div class=\"bar-track\"><div class=\"bar " + (c.contribution < 0 ? "bar-neg" : "bar-pos") +
              "\" style=\"width:" + FormatFixed(width_pct, 1) + "%\"></div></div><span>" +
              FormatFixed(c.contribution, 3) + "</span></td>";
    }
    html += "<td class=\"num\">" + FormatFixed(p.metrics.conversion_rate * 100, 1) + " %</td>";
    html += "<td class=\"num\">" + FormatFixed(p.metrics.platform_revenue, 2) + "</td>";
    html += "<td class=\"num\">" + FormatFixed(p.metrics.driver_payouts, 2) + "</td>";
    html += "<td class=\"num\">" + OptionalSeconds(p.metrics.avg_time_to_match_ms) + "</td>";
    html += "<td class=\"num\">" + OptionalSeconds(p.metrics.avg_time_to_pickup_ms) + "</td>";
    html += "<td class=\"num\">" + std::to_string(p.metrics.abandoned_quote_riders) + "</td></tr>\n";
  }
  return html + "</tbody></table></div></section>\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Time series of one point

struct SeriesGroup {
  std::string_view id;
  std::string_view title;
  std::vector<std::pair<std::string_view, std::string_view>> columns;  // column, label
};

const std::vector<SeriesGroup>& SeriesGroups() {
  static const std::vector<SeriesGroup> kGroups = {
      {"riders",
       "Riders",
       {{"riders_browsing", "browsing"}, {"riders_waiting", "waiting"}, {"riders_in_transit", "in transit"}}},
      {"drivers",
       "Drivers",
       {{"drivers_idle", "idle"},
        {"drivers_evaluating", "evaluating"},
        {"drivers_en_route", "en route"},
        {"drivers_on_trip", "on trip"},
        {"drivers_off_duty", "off duty"}}},
      {"trips", "Trips in progress", {{"trips_en_route", "en route"}, {"trips_on_trip", "on trip"}}},
      {"cumulative",
       "Cumulative outcomes",
       {{"riders_completed", "riders completed"},
        {"riders_cancelled", "riders cancelled"},
        {"trips_completed", "trips completed"},
        {"trips_cancelled", "trips cancelled"}}},
  };
  return kGroups;
}

constexpr std::string_view kSeriesColors[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1"};

std::string RenderTimeSeries(const ReportData& data) {
  std::string html = "<section id=\"point-timeseries\"";
  if (data.snapshots) html += Attr("data-point-index", std::to_string(data.snapshots->point_index));
  html += "><h2>One point over time</h2>\n";
  if (!data.snapshots) {
    return html + "<p class=\"empty-note\">No committed point, so no snapshot counts to show.</p></section>\n";
  }
  const SnapshotSeries& s = *data.snapshots;
  const auto point = std::find_if(data.points.begin(), data.points.end(),
                                  [&](const ScoredConfiguration& p) { return p.point_index == s.point_index; });
  const bool best = !data.ranking.empty() && data.points[data.ranking.front()].point_index == s.point_index;
  html += "<p class=\"section-note\">Point " + std::to_string(s.point_index) + (best ? " (best health score)" : "");
  if (point != data.points.end()) html += ": " + EscapeHtml(DimensionsText(*point, data.dimensions, true));
  html += ". " + std::to_string(s.stored_rows) + " snapshots stored";
  if (s.timestamp_ms.size() < s.stored_rows) {
    html += ", " + std::to_string(s.timestamp_ms.size()) + " evenly spaced ones drawn";
  }
  html += "; hover for the counts. Choose another point with <code>--point</code>.</p>\n";
  if (s.timestamp_ms.empty()) {
    return html + "<p class=\"empty-note\">The point has no snapshot rows.</p></section>\n";
  }
  html += "<div class=\"chart-row\">";
  for (const SeriesGroup& group : SeriesGroups()) {
    report::TimeSeriesChart chart;
    chart.chart_id = "series-" + std::string(group.id);
    chart.title = std::string(group.title);
    chart.timestamp_ms = s.timestamp_ms;
    chart.width = 580;
    size_t color = 0;
    for (const auto& [column, label] : group.columns) {
      const auto it = std::find(s.columns.begin(), s.columns.end(), column);
      if (it == s.columns.end()) continue;
      chart.lines.push_back({std::string(column), std::string(label),
                             std::string(kSeriesColors[color++ % std::size(kSeriesColors)]),
                             s.values[static_cast<size_t>(it - s.columns.begin())]});
    }
    html += "<figure class=\"chart-card wide\"><figcaption><span class=\"chart-title\">" + EscapeHtml(group.title) +
            "</span>" + report::RenderTimeSeriesLegend(chart) + "</figcaption>" + report::RenderTimeSeriesSvg(chart) +
            "</figure>\n";
  }
  return html + "</div></section>\n";
}

}  // namespace

ReportState StateOf(const ReportData& data) {
  const RunTotals& t = data.header.totals;
  if (data.points.empty()) {
    const bool any_record = std::any_of(data.shards.begin(), data.shards.end(),
                                        [](const ReportShardRow& row) { return row.status != kShardStatusMissing; });
    if (t.shards_failed > 0 || (any_record && t.shards_succeeded == 0)) return ReportState::kOnlyFailures;
    if (!any_record) return ReportState::kEmpty;
  }
  if (t.shards_failed > 0 || MissingShards(data) > 0) return ReportState::kPartial;
  if (data.header.expected_shards && t.shards_succeeded < *data.header.expected_shards) return ReportState::kPartial;
  return ReportState::kComplete;
}

std::string_view ReportStateName(ReportState state) {
  switch (state) {
    case ReportState::kComplete:
      return "complete";
    case ReportState::kPartial:
      return "partial";
    case ReportState::kOnlyFailures:
      return "only_failures";
    case ReportState::kEmpty:
      return "empty";
  }
  return "complete";
}

std::string ReportStateMessage(const ReportData& data) {
  switch (StateOf(data)) {
    case ReportState::kEmpty:
      return std::string(kEmptyRunMessage);
    case ReportState::kOnlyFailures:
      return std::string(kOnlyFailuresMessage);
    case ReportState::kPartial: {
      const RunTotals& t = data.header.totals;
      std::string text = "Partial results: " + std::to_string(t.shards_succeeded) + " of " +
                         (data.header.expected_shards ? std::to_string(*data.header.expected_shards)
                                                      : std::to_string(data.shards.size())) +
                         " shards succeeded";
      if (t.shards_failed > 0) text += ", " + std::to_string(t.shards_failed) + " failed";
      const size_t missing = MissingShards(data);
      if (missing > 0) text += ", " + std::to_string(missing) + " have no outcome record yet";
      return text + ". The charts show the " + std::to_string(data.points.size()) + " committed points only.";
    }
    case ReportState::kComplete:
      return "";
  }
  return "";
}

std::vector<std::string> ReportMetricNames() {
  std::vector<std::string> names;
  for (const ReportMetric& m : ReportMetrics()) names.emplace_back(m.column);
  return names;
}

Status CheckReportMetrics(const std::vector<std::string>& metrics) {
  const std::vector<std::string> known = ReportMetricNames();
  for (const std::string& metric : metrics) {
    if (std::find(known.begin(), known.end(), metric) != known.end()) continue;
    std::string list;
    for (const std::string& name : known) list += (list.empty() ? "" : ", ") + name;
    return InvalidArgumentError("unknown metric '" + metric + "' for --metrics; the report charts " + list);
  }
  return Status::Ok();
}

Status CheckReportDimensions(const ReportData& data, const std::vector<std::string>& dimensions) {
  for (const std::string& name : dimensions) {
    const auto it = std::find_if(data.dimensions.begin(), data.dimensions.end(),
                                 [&](const ReportDimension& d) { return d.name == name && d.varies(); });
    if (it != data.dimensions.end()) continue;
    std::string list;
    for (size_t d : VaryingDimensions(data)) list += (list.empty() ? "" : ", ") + data.dimensions[d].name;
    return InvalidArgumentError("unknown dimension '" + name + "' for --dimensions; run " + data.header.run_id +
                                " varies " + (list.empty() ? std::string("no dimension") : list));
  }
  return Status::Ok();
}

std::string RenderHtmlReport(const ReportData& data, const HtmlReportOptions& options) {
  const report::PointCoordinates coordinates = report::LocatePoints(data.dimensions, data.points);
  const std::vector<ChartedMetric> metrics = ChartedMetrics(options);
  const std::vector<size_t> charted = ChartedDimensions(data, options);
  std::string html;
  html.reserve(size_t{256} * 1024);
  html +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"ridesweep report\">\n<title>ridesweep report \u2013 " +
      EscapeHtml(data.header.run_id) + "</title>\n<style>\n";
  html += report::ReportStylesheet();
  html += "</style>\n</head>\n<body>\n<main>\n";
  html +=
      "<header class=\"page-header\"><div class=\"eyebrow\">ridesweep \u00b7 sweep report</div><h1>Run <span "
      "class=\"mono\">" +
      EscapeHtml(data.header.run_id) + "</span></h1><p class=\"subtitle\">" +
      EscapeHtml(data.header.run_date ? "run date " + *data.header.run_date : std::string("run date unknown")) +
      " \u00b7 " + std::to_string(data.header.points_committed) + " committed points \u00b7 " +
      std::to_string(VaryingDimensions(data).size()) +
      " varying dimensions</p>"
      "<nav><a href=\"#shards\">Shards</a><a href=\"#dimension-effects\">Dimensions</a>"
      "<a href=\"#dimension-pairs\">Pairs</a><a href=\"#top-configurations\">Top configurations</a>"
      "<a href=\"#point-timeseries\">Over time</a></nav></header>\n";
  html += RenderBanner(data);
  html += RenderHeader(data);
  html += RenderShardTable(data);
  const ReportState state = StateOf(data);
  if (state != ReportState::kEmpty && state != ReportState::kOnlyFailures) {
    html += RenderNoise(data, metrics);
    html += RenderDimensionEffects(data, coordinates, metrics, charted);
    html += RenderDimensionPairs(data, coordinates, metrics, charted, options);
    html += RenderTopConfigurations(data, options);
    html += RenderTimeSeries(data);
  }
  html +=
      "<footer>Every number on this page was read from the run's stored datasets with the portable SQL of the "
      "Athena tables (sweep_*), so Athena shows the same figures.";
  if (!options.source_note.empty())
    html += " Source: <span class=\"mono\">" + EscapeHtml(options.source_note) + "</span>.";
  html += "</footer>\n</main>\n<script>\n";
  html += report::ReportScript();
  html += "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace ridesweep::analytics
