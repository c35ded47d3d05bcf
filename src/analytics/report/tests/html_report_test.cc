// The report page: its state for complete, partial, failed and empty runs, the sections and charts it contains
// for the dimensions of a run, its offline-only markup, and the local report's errors.
#include "ridesweep/analytics/html_report.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "report/tests/report_fixture.h"
#include "ridesweep/analytics/local_report.h"
#include "ridesweep/sim/health.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

ScoredConfiguration Point(uint64_t index, std::vector<DimensionValue> dims, double conversion) {
  ScoredConfiguration p;
  p.point_index = index;
  p.dimensions = std::move(dims);
  p.metrics.conversion_rate = conversion;
  p.metrics.completed_trips = 1;
  p.metrics.avg_time_to_match_ms = 60'000.0;
  p.metrics.avg_time_to_pickup_ms = 30'000.0;
  p.health.score = conversion;
  return p;
}

// Three varying dimensions (2 × 2 × 3) and one fixed, every point committed.
ReportData ThreeDimensions() {
  ReportData d;
  d.header.run_id = "three-dims";
  d.header.expected_shards = 2;
  d.header.totals.shards_succeeded = 2;
  d.dimensions = {{"a", {"1", "2"}}, {"b", {"true", "false"}}, {"c", {R"("x")", R"("y")", R"("z")"}}, {"d", {"7"}}};
  uint64_t index = 0;
  for (const std::string& a : d.dimensions[0].values_json) {
    for (const std::string& b : d.dimensions[1].values_json) {
      for (const std::string& c : d.dimensions[2].values_json) {
        d.points.push_back(Point(index, {{"a", a}, {"b", b}, {"c", c}, {"d", "7"}}, 0.01 * static_cast<double>(index)));
        d.ranking.insert(d.ranking.begin(), index);
        ++index;
      }
    }
  }
  d.header.points_committed = d.points.size();
  d.shards = {{0, "success", 0, 6, 6, 1, {}, {}, 10, {}, {}, "2026-01-01"},
              {1, "success", 6, 12, 6, 1, {}, {}, 12, {}, {}, "2026-01-01"}};
  SnapshotSeries s;
  s.point_index = 11;
  s.stored_rows = 2;
  s.columns = {"riders_waiting", "drivers_idle"};
  s.timestamp_ms = {0, 1000};
  s.values = {{1, 2}, {3, 4}};
  d.snapshots = s;
  return d;
}

TEST(HtmlReportTest, MissingTimeMetricsLeaveTheirCellsEmpty) {
  // Points that served no one have no time metrics: their heatmap cells are left empty (hatched), never drawn
  // as 0, and the configuration table shows a dash.
  ReportData d = ThreeDimensions();
  for (ScoredConfiguration& p : d.points) {
    p.metrics.avg_time_to_match_ms.reset();
    p.metrics.avg_time_to_pickup_ms.reset();
  }
  const std::string html = RenderHtmlReport(d);
  EXPECT_EQ(Count(html, "<rect class=\"cell\""), 3u * (2 * 2 + 2 * 3 + 2 * 3));  // Only the 3 other metrics.
  EXPECT_NE(html.find("data-avg-time-to-match-ms=\"\""), std::string::npos);
}

TEST(ReportStateTest, NamesWhatTheRunAllowsToShow) {
  ReportData d = ThreeDimensions();
  EXPECT_EQ(StateOf(d), ReportState::kComplete);
  EXPECT_EQ(ReportStateMessage(d), "");

  d.header.totals.shards_failed = 1;
  EXPECT_EQ(StateOf(d), ReportState::kPartial);
  EXPECT_NE(ReportStateMessage(d).find("Partial results: 2 of 2 shards succeeded, 1 failed"), std::string::npos);

  ReportData failed;
  failed.header.totals.shards_failed = 2;
  failed.shards = {{0, "failure", 0, 4, 0, 1, {}, {}, 3, "injected_failure", "boom", "2026-01-01"}};
  EXPECT_EQ(StateOf(failed), ReportState::kOnlyFailures);
  EXPECT_EQ(ReportStateMessage(failed), kOnlyFailuresMessage);

  ReportData empty;
  empty.shards = {{0, std::string(kShardStatusMissing), 0, 4, {}, {}, {}, {}, {}, {}, {}, ""}};
  EXPECT_EQ(StateOf(empty), ReportState::kEmpty);
  EXPECT_EQ(ReportStateMessage(empty), kEmptyRunMessage);
  EXPECT_EQ(ReportStateName(ReportState::kOnlyFailures), "only_failures");
}

TEST(HtmlReportTest, ThreeVaryingDimensionsGiveThreePairsOfHeatmapsAndLineChartsForEach) {
  const std::string html = RenderHtmlReport(ThreeDimensions());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(Count(html, "class=\"chart heatmap\""), 3u * 5u);    // (a,b) (a,c) (b,c) × 5 metrics
  EXPECT_EQ(Count(html, "class=\"chart line-band\""), 3u * 5u);  // a, b, c × 5 metrics; d is fixed
  EXPECT_EQ(Count(html, "<rect class=\"cell\""), 5u * (2 * 2 + 2 * 3 + 2 * 3));
  EXPECT_EQ(Count(html, "class=\"chart timeseries\""), 4u);
  EXPECT_EQ(Count(html, "<tr class=\"config-row\""), 10u);  // top 10 of 12
  EXPECT_NE(html.find("data-state=\"complete\""), std::string::npos);
  EXPECT_NE(html.find("mean over c (3 values)"), std::string::npos);                 // heatmap a × b
  EXPECT_NE(html.find("mean over b \u00d7 c (6 combinations)"), std::string::npos);  // line charts of a
  EXPECT_NE(html.find("d = 7"), std::string::npos);  // the fixed dimension is named in the header
}

TEST(HtmlReportTest, OneVaryingDimensionGivesLineChartsAndNoHeatmap) {
  ReportData d = ThreeDimensions();
  d.dimensions = {{"a", {"1", "2"}}, {"d", {"7"}}};
  const std::string html = RenderHtmlReport(d);
  EXPECT_EQ(Count(html, "class=\"chart heatmap\""), 0u);
  EXPECT_EQ(Count(html, "class=\"chart line-band\""), 5u);
  EXPECT_NE(html.find("Fewer than two dimensions vary"), std::string::npos);
}

TEST(HtmlReportTest, FailedRunShowsTheErrorsAndNoCharts) {
  ReportData d;
  d.header.run_id = "failed";
  d.header.totals.shards_failed = 1;
  d.shards = {{0, "failure", 0, 4, 0, 1, {}, {}, 3, "injected_failure", "Injected <failure>", "2026-01-01"}};
  const std::string html = RenderHtmlReport(d);
  EXPECT_NE(html.find("data-state=\"only_failures\""), std::string::npos);
  EXPECT_NE(html.find(std::string(kOnlyFailuresMessage)), std::string::npos);
  EXPECT_NE(html.find("Injected &lt;failure&gt;"), std::string::npos);
  EXPECT_EQ(Count(html, "<tr class=\"shard-row status-failure\""), 1u);
  EXPECT_EQ(Count(html, "class=\"chart "), 0u);
}

TEST(HtmlReportTest, HugeRunsKeepThePageSmall) {
  ReportData d = ThreeDimensions();
  // 1 200 successful shards and one failure: the failure stays, successes fill the rest of 1 000 rows.
  d.shards.clear();
  for (uint64_t id = 0; id < 1'201; ++id) {
    d.shards.push_back({id, id == 700 ? "failure" : "success", id, id + 1, 1, 1, {}, {}, 5, {}, {}, "2026-01-01"});
  }
  // Two 60-value dimensions make 3 600 cells (not mapped); with the 2-value one, 120 (mapped); the 401-value
  // dimension gets no line chart, and maps only with the 2-value one (802 cells).
  std::vector<std::string> sixty, four_hundred_one;
  for (int i = 0; i < 60; ++i) sixty.push_back(std::to_string(i));
  for (int i = 0; i < 401; ++i) four_hundred_one.push_back(std::to_string(i));
  d.dimensions = {{"a", sixty}, {"b", sixty}, {"c", {"1", "2"}}, {"e", four_hundred_one}};
  const std::string html = RenderHtmlReport(d);
  EXPECT_EQ(Count(html, "<tr class=\"shard-row"), 1'000u);
  EXPECT_EQ(Count(html, "<tr class=\"shard-row status-failure\""), 1u);
  EXPECT_NE(html.find("201 more successful shards are not listed"), std::string::npos);
  EXPECT_NE(html.find("Not mapped, more than 2500 cells each: a \u00d7 b, a \u00d7 e, b \u00d7 e."),
            std::string::npos);
  EXPECT_EQ(Count(html, "class=\"chart heatmap\""), 3u * 5u);  // a × c, b × c, c × e
  EXPECT_NE(html.find("401 values are too many to chart here"), std::string::npos);
  EXPECT_EQ(Count(html, "class=\"chart line-band\""), 3u * 5u);  // a, b, c
}

TEST(HtmlReportTest, MetricsAndDimensionsChooseWhatIsDrawn) {
  const ReportData d = ThreeDimensions();
  HtmlReportOptions options;
  options.metrics = {"conversion_rate"};
  options.dimensions = {"c", "a"};
  const std::string html = RenderHtmlReport(d, options);
  EXPECT_EQ(Count(html, "class=\"chart line-band\""), 2u);  // a and c, one metric
  EXPECT_EQ(Count(html, "class=\"chart heatmap\""), 1u);    // a × c
  EXPECT_NE(html.find("data-x=\"a\" data-y=\"c\""), std::string::npos);
  EXPECT_TRUE(CheckReportMetrics({"conversion_rate", "avg_time_to_pickup_ms"}).ok());
  EXPECT_EQ(CheckReportMetrics({"completed_trips"}).message(),
            "unknown metric 'completed_trips' for --metrics; the report charts conversion_rate, platform_revenue, "
            "driver_payouts, avg_time_to_match_ms, avg_time_to_pickup_ms");
  EXPECT_EQ(CheckReportDimensions(d, {"d"}).message(),
            "unknown dimension 'd' for --dimensions; run three-dims varies a, b, c");
}

TEST(HtmlReportTest, HeaderNamesSeedReplicationsDesignAndOneThroughput) {
  ReportData d = ThreeDimensions();
  d.header.seed = 11;
  d.header.replications = 5;
  d.header.design = "latin_hypercube, 60 samples";
  d.header.points_per_second = 12.5;
  d.header.profile_points_per_second = 3.0;
  const std::string html = RenderHtmlReport(d);
  EXPECT_NE(html.find("<dt>Seed</dt><dd class=\"mono\">11</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dt>Replications</dt><dd>5 per configuration</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dt>Design</dt><dd>latin_hypercube, 60 samples</dd>"), std::string::npos);
  EXPECT_EQ(Count(html, "points/s"), 0u);  // the profile's own figure is not shown beside the tile
  EXPECT_EQ(Count(html, "Points / s"), 1u);
  // Every configuration ran once: the noise cannot be measured, and the bands are min-max.
  EXPECT_NE(html.find("<strong>Noise:</strong> not measurable"), std::string::npos);
}

TEST(HtmlReportTest, PageLoadsNothingFromOutside) {
  const std::string html = RenderHtmlReport(ThreeDimensions());
  // The only URL-like text is the SVG namespace name, which browsers never fetch.
  const std::regex url(R"((https?:)?//[A-Za-z0-9.-]+)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), url); it != std::sregex_iterator(); ++it) {
    EXPECT_EQ(it->str(), "http://www.w3.org") << "external reference: " << it->str();
  }
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
}

TEST(HtmlReportTest, ComponentsAddUpToTheScore) {
  ReportData d = ThreeDimensions();
  sim::PointMetrics& m = d.points[3].metrics;
  m.total_riders = 200;
  m.completed_trips = 120;
  m.conversion_rate = 0.6;
  m.platform_revenue = 700;
  m.driver_payouts = 2'100;
  m.avg_time_to_match_ms = 90'000;
  m.avg_time_to_pickup_ms = 240'000;
  m.abandoned_quote_riders = 30;
  d.points[3].health = sim::PointHealth(m);
  d.ranking = {3};
  const std::string html = RenderHtmlReport(d);
  const std::regex contribution("data-contribution=\"([-0-9.e]+)\"");
  double sum = 0;
  size_t n = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), contribution); it != std::sregex_iterator(); ++it) {
    sum += std::stod((*it)[1]);
    ++n;
  }
  EXPECT_EQ(n, 6u);
  EXPECT_NEAR(sum, d.points[3].health.score, 1e-12);
}

class LocalReportTest : public ::testing::Test {
 protected:
  LocalReportRequest Request(const std::string& run_id) {
    LocalReportRequest r;
    r.location = {dir_.path(), std::string(testing::kPrefix)};
    r.sql_dir = testing::RepoSqlDir();
    r.run_id = run_id;
    return r;
  }
  testing::TempDir dir_;
};

TEST_F(LocalReportTest, PartialRunGivesAPageWithHatchedCells) {
  testing::WriteReportRun(dir_.path());
  Result<LocalReport> report = BuildLocalReport(Request(testing::kReportRunId));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->state, ReportState::kPartial);
  EXPECT_EQ(Count(report->html, "<tr class=\"shard-row"), 4u);
  EXPECT_EQ(Count(report->html, "class=\"chart heatmap\""), 5u);
  EXPECT_GT(Count(report->html, "<rect class=\"cell empty\""), 0u);
}

TEST_F(LocalReportTest, ManifestOnlyRunIsEmptyButStillAReport) {
  testing::ResultsWriter writer(dir_.path(), std::string(testing::kPrefix));
  writer.WriteManifest(testing::MakeManifest("just-accepted", "2026-04-01", 4, 2));
  Result<LocalReport> report = BuildLocalReport(Request("just-accepted"));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->state, ReportState::kEmpty);
  EXPECT_NE(report->html.find(std::string(kEmptyRunMessage)), std::string::npos);
  EXPECT_EQ(Count(report->html, "status-missing"), 2u);
}

TEST_F(LocalReportTest, UnknownRunIsNotFound) {
  testing::WriteReportRun(dir_.path());
  Result<LocalReport> report = BuildLocalReport(Request("no-such-run"));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(report.status().message(), RunNotFoundMessage("no-such-run", Request("x").location.DatasetsRoot()));
}

TEST_F(LocalReportTest, MissingResultsDirectoryIsNotFound) {
  LocalReportRequest r = Request("any");
  r.location.results_dir = dir_.path() / "nowhere";
  Result<LocalReport> report = BuildLocalReport(r);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(report.status().message(), "results directory '" + (dir_.path() / "nowhere").string() + "' does not exist");
}

TEST_F(LocalReportTest, InvalidRunIdIsRejected) {
  Result<LocalReport> report = BuildLocalReport(Request("bad run/id"));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ridesweep::analytics
