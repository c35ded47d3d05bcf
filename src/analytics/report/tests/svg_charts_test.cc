// The SVG charts: one element per drawn value, exact values in data-* attributes, escaping, empty cells.
#include "report/svg_charts.h"

#include <gtest/gtest.h>

#include <regex>

namespace ridesweep::analytics::report {
namespace {

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

HeatmapChart TwoByThree() {
  HeatmapChart c;
  c.chart_id = "heat-test";
  c.metric = &ReportMetrics()[0];
  c.x = {"commission_rate", {"0.1", "0.2"}};
  c.y = {"matching_algorithm_type", {R"("simple")", R"("hungarian")", R"("cost_based")"}};
  c.cells.assign(3, std::vector<std::optional<CellStats>>(2));
  c.cells[0][0] = CellStats{2, 0.25, 0.2, 0.3};
  c.cells[0][1] = CellStats{1, 0.1, 0.1, 0.1};
  c.cells[1][0] = CellStats{2, 0.4, 0.35, 0.45};
  c.cells[2][1] = CellStats{2, 0.3, 0.3, 0.3};
  c.scale = ColorScale(0.1, 0.4);
  return c;
}

TEST(HeatmapSvgTest, OneRectPerCellWithExactValues) {
  const std::string svg = RenderHeatmapSvg(TwoByThree());
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(Count(svg, "<rect class=\"cell"), 6u);
  EXPECT_EQ(Count(svg, "<rect class=\"cell empty\""), 2u);
  EXPECT_NE(svg.find("data-metric=\"conversion_rate\""), std::string::npos);
  EXPECT_NE(svg.find("data-x=\"commission_rate\" data-y=\"matching_algorithm_type\""), std::string::npos);
  // Cell (x=0.1, y="simple"): mean 0.25 over 2 points, drawn with the scale's colour for 0.25.
  EXPECT_NE(svg.find("data-x-value=\"0.1\" data-y-value=\"&quot;simple&quot;\" data-mean=\"0.25\" data-min=\"0.2\" "
                     "data-max=\"0.3\" data-count=\"2\" fill=\"" +
                     ColorScale(0.1, 0.4).Color(0.25) + "\""),
            std::string::npos)
      << svg;
  // The highest mean gets the top colour, and the legend spans the shared scale.
  EXPECT_NE(svg.find("fill=\"#fde725\""), std::string::npos);
  EXPECT_NE(svg.find(">10.0 %</text>"), std::string::npos);
  EXPECT_NE(svg.find(">40.0 %</text>"), std::string::npos);
  // Axis labels are the values without JSON quotes; empty cells explain themselves.
  EXPECT_NE(svg.find(">hungarian</text>"), std::string::npos);
  EXPECT_NE(svg.find("no committed point"), std::string::npos);
}

TEST(HeatmapSvgTest, EscapesNamesAndValues) {
  HeatmapChart c = TwoByThree();
  c.y.values_json = {R"("<b>")", R"("a&b")", R"("'q'")"};
  const std::string svg = RenderHeatmapSvg(c);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;b&gt;"), std::string::npos);
  EXPECT_NE(svg.find("a&amp;b"), std::string::npos);
}

TEST(LineBandSvgTest, OnePointPerValueWithDataAndABand) {
  LineBandChart c;
  c.chart_id = "line-test";
  c.metric = &ReportMetrics()[1];
  c.x = {"num_drivers", {"100", "200", "400"}};
  c.cells = {CellStats{2, 50, 40, 60}, std::nullopt, CellStats{2, 80, 70, 90}};
  std::string svg = RenderLineBandSvg(c);
  EXPECT_EQ(Count(svg, "<circle class=\"point\""), 2u);
  EXPECT_NE(svg.find("data-x-value=\"400\" data-mean=\"80\" data-min=\"70\" data-max=\"90\" data-count=\"2\""),
            std::string::npos);
  // The missing middle value breaks the line: two single-value runs, drawn as bars, no polygon.
  EXPECT_EQ(Count(svg, "class=\"band\""), 0u);
  EXPECT_EQ(Count(svg, "class=\"band-bar\""), 2u);
  c.cells[1] = CellStats{2, 60, 55, 65};
  svg = RenderLineBandSvg(c);
  EXPECT_EQ(Count(svg, "<polygon class=\"band\""), 1u);
  EXPECT_EQ(Count(svg, "<polyline class=\"line\""), 1u);
  EXPECT_EQ(Count(svg, "<circle class=\"point\""), 3u);
}

TEST(LineBandSvgTest, NumericValuesArePlacedProportionally) {
  LineBandChart c;
  c.chart_id = "line-num";
  c.metric = &ReportMetrics()[0];
  c.x = {"num_drivers", {"100", "200", "400"}};
  c.cells = {CellStats{1, 0.1, 0.1, 0.1}, CellStats{1, 0.2, 0.2, 0.2}, CellStats{1, 0.3, 0.3, 0.3}};
  const std::string svg = RenderLineBandSvg(c);
  std::vector<double> xs;
  const std::regex cx("<circle class=\"point\" cx=\"([0-9.]+)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), cx); it != std::sregex_iterator(); ++it) {
    xs.push_back(std::stod((*it)[1]));
  }
  ASSERT_EQ(xs.size(), 3u);
  // 100 -> 200 is a third of 100 -> 400.
  EXPECT_NEAR((xs[1] - xs[0]) / (xs[2] - xs[0]), 1.0 / 3.0, 0.01);
}

TEST(LineBandSvgTest, IntervalsMakeTheBandAndCategoriesGetBarsWithoutALine) {
  LineBandChart c;
  c.chart_id = "line-ci";
  c.metric = &ReportMetrics()[1];
  c.x = {"num_drivers", {"100", "200"}};
  CellStats first{3, 50, 40, 60};
  first.half_width = 2.5;
  CellStats second{3, 80, 70, 90};
  second.half_width = 4;
  c.cells = {first, second};
  std::string svg = RenderLineBandSvg(c);
  EXPECT_NE(svg.find("data-band=\"ci95\" data-categorical=\"false\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("data-half-width=\"2.5\""), std::string::npos);
  EXPECT_EQ(Count(svg, "<polyline class=\"line\""), 1u);
  c.x = {"matching_algorithm_type", {R"("simple")", R"("hungarian")"}};
  svg = RenderLineBandSvg(c);
  EXPECT_NE(svg.find("data-band=\"ci95\" data-categorical=\"true\""), std::string::npos);
  EXPECT_EQ(Count(svg, "<polyline class=\"line\""), 0u);
  EXPECT_EQ(Count(svg, "<polygon class=\"band\""), 0u);
  EXPECT_EQ(Count(svg, "class=\"band-bar\""), 2u);
  // Without an interval in every cell the band falls back to min-max.
  c.cells[1]->half_width.reset();
  EXPECT_NE(RenderLineBandSvg(c).find("data-band=\"min-max\""), std::string::npos);
}

TEST(HeatmapSvgTest, EveryCellIsLabelledEvenWithLongLabels) {
  HeatmapChart c = TwoByThree();
  c.metric = &ReportMetrics()[1];  // platform revenue: no unit, shown as is
  c.cells[0][0] = CellStats{2, 123456789.123, 1, 2};
  c.cells[1][0] = CellStats{2, -0.000123456, 1, 2};
  c.scale = ColorScale(-1, 123456789.123);
  const std::string svg = RenderHeatmapSvg(c);
  EXPECT_EQ(Count(svg, "<text class=\"cell-label\""), 4u) << svg;  // every cell with points, none of the 2 empty
}

TEST(TimeSeriesSvgTest, CarriesTimestampsAndValuesOfEveryLine) {
  TimeSeriesChart c;
  c.chart_id = "series-test";
  c.title = "Riders";
  c.timestamp_ms = {0, 60'000, 120'000};
  c.lines = {{"riders_waiting", "waiting", "#f28e2b", {1, 5, 3}},
             {"riders_browsing", "browsing", "#4e79a7", {0, 2, 2}}};
  const std::string svg = RenderTimeSeriesSvg(c);
  EXPECT_NE(svg.find("data-timestamps-ms=\"0 60000 120000\""), std::string::npos);
  EXPECT_NE(svg.find("data-column=\"riders_waiting\" data-label=\"waiting\" data-values=\"1 5 3\""), std::string::npos);
  EXPECT_EQ(Count(svg, "<polyline class=\"series\""), 2u);
  EXPECT_NE(svg.find("simulated time (min)"), std::string::npos);
  const std::string legend = RenderTimeSeriesLegend(c);
  EXPECT_EQ(Count(legend, "<li>"), 2u);
}

}  // namespace
}  // namespace ridesweep::analytics::report
