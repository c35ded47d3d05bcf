// Comparing two runs' configuration moments: matching by every dimension value, the per-metric counts of
// differences that exclude 0, and the JSON, CSV and table renderings; the design check; the fixed-scale health
// score read per point through DuckDB like the other metrics.
#include "ridesweep/analytics/run_comparison.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include <string>
#include <vector>

#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/analytics/fixed_scale_health.h"
#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/base/json_parser.h"
#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

ConfigurationMeans Config(uint64_t index, std::string drivers, std::string policy, double mean, double sd,
                          size_t n = 5) {
  ConfigurationMeans c;
  c.configuration = index;
  c.first_point_index = index * n;
  c.points = n;
  c.dimensions = {{"matching_policy", std::move(policy)}, {"num_drivers", std::move(drivers)}};
  MetricMoments m;
  m.moments = {n, mean, sd};
  c.metrics = {m};
  return c;
}

const std::vector<std::string> kMetrics = {"conversion_rate"};

TEST(RunComparisonTest, MatchesConfigurationsByEveryDimensionValue) {
  const std::vector<ConfigurationMeans> a = {Config(0, "50", "\"nearest\"", 0.5, 0.01),
                                             Config(1, "100", "\"nearest\"", 0.6, 0.01),
                                             Config(2, "150", "\"nearest\"", 0.7, 0.01)};
  // B lists them in another order, changes one by far and lacks num_drivers=150.
  const std::vector<ConfigurationMeans> b = {Config(0, "100", "\"nearest\"", 0.6001, 0.01),
                                             Config(1, "50", "\"nearest\"", 0.9, 0.01),
                                             Config(2, "150", "\"hungarian\"", 0.7, 0.01)};
  const RunComparison c = CompareConfigurations("a", "b", kMetrics, a, b);
  EXPECT_EQ(c.configurations_a, 3u);
  EXPECT_EQ(c.configurations_b, 3u);
  ASSERT_EQ(c.matched.size(), 2u);
  EXPECT_EQ(c.matched[0].configuration_a, 0u);
  EXPECT_EQ(c.matched[0].configuration_b, 1u);
  EXPECT_NEAR(c.matched[0].metrics[0].welch->difference, 0.4, 1e-12);
  EXPECT_TRUE(c.matched[0].metrics[0].welch->excludes_zero);
  EXPECT_FALSE(c.matched[1].metrics[0].welch->excludes_zero);
  EXPECT_EQ(c.excluding_zero, std::vector<size_t>{1});
  EXPECT_EQ(c.with_interval, std::vector<size_t>{2});
  EXPECT_EQ(ConfigurationLabel(c.matched[0].dimensions), "matching_policy=nearest num_drivers=50");
}

TEST(RunComparisonTest, JsonAndCsvCarryTheIntervals) {
  const std::vector<ConfigurationMeans> a = {Config(0, "50", "\"nearest\"", 10.0, 2.0),
                                             Config(1, "100", "\"nearest\"", 20.0, 2.0)};
  const std::vector<ConfigurationMeans> b = {Config(0, "50", "\"nearest\"", 13.0, 2.0),
                                             Config(1, "100", "\"nearest\"", 20.0, 2.0)};
  const RunComparison c = CompareConfigurations("run-a", "run-b", kMetrics, a, b);
  Result<JsonValue> json = ParseJson(ComparisonJson(c));
  ASSERT_TRUE(json.ok());
  const JsonObject& root = json->as_object();
  EXPECT_EQ(root.Find("configurations")->as_object().Find("matched")->NumberAsDouble(), 2);
  const JsonObject& row = root.Find("rows")->as_array()[0].as_object();
  // matching_policy is fixed (and equal) in both runs: not part of the match.
  EXPECT_EQ(row.Find("dimensions")->as_object().Find("matching_policy"), nullptr);
  EXPECT_EQ(row.Find("dimensions")->as_object().Find("num_drivers")->NumberAsDouble(), 50);
  const JsonObject& m = row.Find("metrics")->as_object().Find("conversion_rate")->as_object();
  EXPECT_DOUBLE_EQ(m.Find("difference")->NumberAsDouble(), 3.0);
  EXPECT_NEAR(m.Find("ci_low")->NumberAsDouble(), 3.0 - 2.3060 * std::sqrt(1.6), 1e-12);
  EXPECT_TRUE(m.Find("excludes_zero")->as_bool());

  const std::string csv = ComparisonCsv(c);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "num_drivers,metric,n_a,mean_a,sd_a,missing_a,n_b,mean_b,sd_b,missing_b,difference,"
            "ci_low,ci_high,df,excludes_zero");
  EXPECT_NE(csv.find("\n50,conversion_rate,5,10.0,2.0,0,5,13.0,2.0,0,3.0,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",8.0,true\n"), std::string::npos) << csv;

  const std::string table = ComparisonTable(c);
  EXPECT_NE(table.find("conversion_rate  1 of 2 with an interval"), std::string::npos) << table;
  EXPECT_NE(table.find(" *\n"), std::string::npos) << table;
}

TEST(RunComparisonTest, FixedSettingsAreListedNotMatched) {
  const std::vector<ConfigurationMeans> a = {Config(0, "50", "\"nearest\"", 1, 0.1),
                                             Config(1, "100", "\"nearest\"", 1, 0.1)};
  const std::vector<ConfigurationMeans> b = {Config(0, "50", "\"hungarian\"", 1, 0.1),
                                             Config(1, "100", "\"hungarian\"", 1, 0.1)};
  const RunComparison c = CompareConfigurations("a", "b", kMetrics, a, b);
  EXPECT_EQ(c.matched_on, std::vector<std::string>{"num_drivers"});
  ASSERT_EQ(c.fixed_differences.size(), 1u);
  EXPECT_EQ(c.fixed_differences[0].name, "matching_policy");
  EXPECT_EQ(c.fixed_differences[0].value_a, "\"nearest\"");
  EXPECT_EQ(c.fixed_differences[0].value_b, "\"hungarian\"");
  EXPECT_EQ(c.matched.size(), 2u);
  EXPECT_NE(ComparisonTable(c).find("Fixed in each run, different: matching_policy nearest (A) vs hungarian (B)"),
            std::string::npos);
  // A varying dimension with disjoint values: nothing matches.
  const std::vector<ConfigurationMeans> other = {Config(0, "150", "\"nearest\"", 1, 0.1),
                                                 Config(1, "200", "\"nearest\"", 1, 0.1)};
  const RunComparison none = CompareConfigurations("a", "c", kMetrics, a, other);
  EXPECT_TRUE(none.matched.empty());
  EXPECT_EQ(NoSharedConfigurationMessage(none, a, other),
            "runs a and c share no configuration (a has dimensions matching_policy, num_drivers; c has "
            "matching_policy, num_drivers); configurations match when the dimensions that vary in either run "
            "(num_drivers) have equal values");
}

TEST(RunComparisonTest, RunsOfDifferentDesignsAreRefused) {
  ResolvedRun grid;
  grid.run_id = "g";
  grid.manifest.emplace();
  ResolvedRun lhs = grid;
  lhs.run_id = "l";
  lhs.manifest->normalized_request.design = {sweep::DesignType::kLatinHypercube, 50};
  EXPECT_TRUE(CheckComparableDesigns(grid, grid).ok());
  const Status s = CheckComparableDesigns(grid, lhs);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "runs g and l have different designs (grid, latin_hypercube with 50 samples): their configurations are "
            "not comparable");
  ResolvedRun unknown;  // no manifest: not checked
  EXPECT_TRUE(CheckComparableDesigns(unknown, lhs).ok());
}

// health_score is a metric like the others: per configuration, the moments of its points' fixed-scale scores
// (computed from the stored metrics alone), so a configuration compared with itself differs by exactly 0.
TEST(RunComparisonTest, HealthScoreIsComparedFromEachPointsFixedScaleScore) {
  testing::TempDir dir;
  testing::FixtureRun run = testing::RunB();
  for (testing::FixtureShard& shard : run.shards) {
    for (testing::FixturePoint& point : shard.points) point.config_index = 0;  // two replicates of configuration 0
  }
  testing::ResultsWriter(dir.path(), std::string(testing::kPrefix)).WriteRun(run);
  DuckDbEngineOptions options;
  options.threads = 1;
  Result<std::unique_ptr<DuckDbQueryEngine>> engine = DuckDbQueryEngine::OpenOverResults(
      {dir.path(), std::string(testing::kPrefix)}, testing::RepoSqlDir(), kDefaultDatabase, options);
  ASSERT_TRUE(engine.ok()) << engine.status().message();
  EXPECT_EQ(ConfigurationMetricNames().front(), "health_score");
  const std::vector<std::string> metrics = {"health_score", "conversion_rate"};
  Result<std::vector<ConfigurationMeans>> means = LoadConfigurationMeans(**engine, kDefaultDatabase, run.run_id,
                                                                          metrics);
  ASSERT_TRUE(means.ok()) << means.status().message();
  std::vector<double> expected;
  for (const testing::FixtureShard& shard : run.shards) {
    for (const testing::FixturePoint& point : shard.points) {
      if (!point.committed) continue;
      expected.push_back(sim::PointHealth(point.metrics.value_or(testing::DefaultMetrics(point))).score);
    }
  }
  // One configuration of two replicates.
  ASSERT_EQ(expected.size(), 2u);
  EXPECT_NE(expected[0], expected[1]);
  ASSERT_EQ(means->size(), 1u);
  const MetricMoments& health = (*means)[0].metrics[0];
  EXPECT_EQ(health.moments.n, 2u);
  EXPECT_EQ(health.missing, 0u);
  EXPECT_NEAR(health.moments.mean, (expected[0] + expected[1]) / 2, 1e-12);
  ASSERT_TRUE(health.moments.sd.has_value());
  EXPECT_NEAR(*health.moments.sd, std::abs(expected[0] - expected[1]) / std::sqrt(2.0), 1e-12);
  const RunComparison itself = CompareConfigurations("b", "b", metrics, *means, *means);
  ASSERT_EQ(itself.matched.size(), 1u);
  ASSERT_TRUE(itself.matched[0].metrics[0].welch.has_value());
  EXPECT_EQ(itself.matched[0].metrics[0].welch->difference, 0.0);
  EXPECT_FALSE(itself.matched[0].metrics[0].welch->excludes_zero);
}

}  // namespace
}  // namespace ridesweep::analytics
