// Run summary: committed points read back through DuckDB are scored exactly like sim::HealthScores over the same
// metrics in point_index order; the top N come best first with ties to the lowest point index; uncommitted
// points are left out; dimension values come from selected_dimensions; totals come from shard_outcomes.
#include "ridesweep/analytics/run_summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

using testing::FixtureOutcome;
using testing::FixturePoint;
using testing::FixtureRun;
using testing::FixtureShard;
using testing::RepoSqlDir;

// Metrics that improve with `quality` in every health-score term.
sim::PointMetrics MetricsOfQuality(int quality) {
  sim::PointMetrics m;
  m.conversion_rate = 0.1 * quality;
  m.platform_revenue = 12.5 * quality;
  m.driver_payouts = 40.0 + quality;
  m.avg_time_to_match_ms = 1000.0 / (1 + quality);
  m.avg_time_to_pickup_ms = 90'000.0 - 7.25 * quality;
  m.abandoned_quote_riders = 20 - quality;
  m.completed_trips = quality;
  m.total_riders = 20;
  m.events_processed = 1000 + quality;
  return m;
}

FixturePoint Point(uint64_t index, int quality, bool committed = true) {
  FixturePoint point;
  point.index = index;
  point.trip_states = {testing::kCompleted};
  point.snapshot_count = 2;
  point.committed = committed;
  point.metrics = MetricsOfQuality(quality);
  point.selected_dimensions_json = R"({"num_riders":)" + std::to_string(100 * (index + 1)) +
                                   R"(,"matching_algorithm_type":"hungarian","commission_rate":0.1})";
  return point;
}

FixtureOutcome Outcome(const std::string& status, int64_t points) {
  FixtureOutcome o;
  o.status = status;
  o.event_time = testing::TimeOn("2026-03-01", 0);
  o.completed_time = testing::TimeOn("2026-03-01", 10);
  o.points_processed = points;
  if (status == "failure") {
    o.error_code = "timeout";
    o.error_message = "deadline";
  }
  return o;
}

// Shards 0 and 1 succeeded; shard 2 timed out after committing point 4 (point 5, the best, has metrics but no
// commit marker); shard 3 failed before any point. Points 1 and 4 tie.
FixtureRun SummaryRun() {
  FixtureRun run;
  run.run_id = "summary-run";
  run.run_date = "2026-03-01";
  run.total_points = 8;
  run.shard_count = 4;
  run.config_fingerprint = std::string(64, 'c');
  run.shards = {
      {0, 0, 2, {Point(0, 3), Point(1, 8)}, {Outcome("success", 2)}},
      {1, 2, 4, {Point(2, 5), Point(3, 1)}, {Outcome("success", 2)}},
      {2, 4, 6, {Point(4, 8), Point(5, 10, /*committed=*/false)}, {Outcome("failure", 1)}},
      {3, 6, 8, {}, {Outcome("failure", 0)}},
  };
  return run;
}

// One results tree for the suite (tests only add runs of their own).
class RunSummaryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    testing::ResultsWriter writer(dir_->path(), std::string(testing::kPrefix));
    writer.WriteRun(SummaryRun());
    writer.WriteRun(testing::RunA());
  }
  static void TearDownTestSuite() { delete dir_; }

  static Result<RunSummary> Summarize(const std::string& run_id, RunSummaryOptions options = {}) {
    DuckDbEngineOptions engine;
    engine.threads = 1;
    return SummarizeLocalRun({dir_->path(), std::string(testing::kPrefix)}, RepoSqlDir(), run_id, options,
                             kDefaultDatabase, engine);
  }
  static testing::TempDir* dir_;
};

testing::TempDir* RunSummaryTest::dir_ = nullptr;

TEST_F(RunSummaryTest, ScoresMatchHealthScoresInPointOrder) {
  RunSummaryOptions options;
  options.top_n = 10;
  Result<RunSummary> summary = Summarize("summary-run", options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->points_scored, 5u);  // point 5 is not committed

  std::vector<sim::PointMetrics> metrics;
  for (int quality : {3, 8, 5, 1, 8}) metrics.push_back(MetricsOfQuality(quality));
  const std::vector<sim::HealthComponents> scores = sim::HealthScores(metrics);
  const std::vector<size_t> ranking = sim::RankPoints(scores);

  ASSERT_EQ(summary->top.size(), 5u);
  for (size_t rank = 0; rank < ranking.size(); ++rank) {
    const ScoredConfiguration& point = summary->top[rank];
    EXPECT_EQ(point.point_index, ranking[rank]) << rank;
    EXPECT_EQ(point.metrics, metrics[ranking[rank]]) << rank;  // every metric survives Parquet and SQL exactly
    EXPECT_EQ(point.health.score, scores[ranking[rank]].score) << rank;
    EXPECT_EQ(point.health.conversion, scores[ranking[rank]].conversion) << rank;
    EXPECT_EQ(point.health.abandoned, scores[ranking[rank]].abandoned) << rank;
  }
  // Points 1 and 4 tie at the top: the lower index first.
  EXPECT_EQ(summary->top[0].point_index, 1u);
  EXPECT_EQ(summary->top[1].point_index, 4u);
  EXPECT_EQ(summary->top[0].health.score, summary->top[1].health.score);
  EXPECT_EQ(summary->top[4].point_index, 3u);
}

TEST_F(RunSummaryTest, TopNCarriesDimensionsAndIdentity) {
  Result<RunSummary> summary = Summarize("summary-run", {.top_n = 2, .weights = {}});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->top.size(), 2u);
  const ScoredConfiguration& best = summary->top[0];
  EXPECT_EQ(best.shard_id, 0u);
  EXPECT_EQ(best.run_date, "2026-03-01");
  EXPECT_EQ(best.parameter_fingerprint, SummaryRun().shards[0].points[1].Fingerprint());
  EXPECT_EQ(best.dimensions, (std::vector<DimensionValue>{{"commission_rate", "0.1"},
                                                          {"matching_algorithm_type", "\"hungarian\""},
                                                          {"num_riders", "200"}}));
  EXPECT_EQ(summary->top[1].shard_id, 2u);
  EXPECT_TRUE(Summarize("summary-run", {.top_n = 0, .weights = {}})->top.empty());
}

TEST_F(RunSummaryTest, CustomWeightsChangeTheRanking) {
  // Rewarding abandonment turns the ranking upside down on this set: point 3 abandons most.
  sim::HealthWeights weights{0, 0, 0, 0, 0, 1.0};
  Result<RunSummary> summary = Summarize("summary-run", {.top_n = 1, .weights = weights});
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(summary->top.size(), 1u);
  EXPECT_EQ(summary->top[0].point_index, 3u);
}

TEST_F(RunSummaryTest, TotalsComeFromShardOutcomes) {
  Result<RunSummary> summary = Summarize("summary-run");
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->totals, (RunTotals{.shards_succeeded = 2, .shards_failed = 2, .points_succeeded = 4,
                                        .points_failed = 4}));

  // Run A: shard 3 failed then succeeded and shard 9 failed after succeeding: both count as succeeded.
  Result<RunSummary> a = Summarize("sweep-a");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const FixtureRun run = testing::RunA();
  RunTotals expected;
  for (const FixtureShard& shard : run.shards) {
    const bool success = std::any_of(shard.outcomes.begin(), shard.outcomes.end(),
                                     [](const FixtureOutcome& o) { return o.status == "success"; });
    if (shard.outcomes.empty()) continue;
    if (success) {
      ++expected.shards_succeeded;
      for (const FixtureOutcome& o : shard.outcomes) {
        if (o.status == "success") expected.points_succeeded += static_cast<uint64_t>(o.points_processed);
      }
    } else {
      ++expected.shards_failed;
      expected.points_failed += shard.end_index_exclusive - shard.start_index;
    }
  }
  EXPECT_EQ(a->totals, expected);
  EXPECT_EQ(a->points_scored, static_cast<uint64_t>(testing::CommittedPoints(run)));
  EXPECT_EQ(a->top.size(), 5u);
}

TEST_F(RunSummaryTest, UnknownRunIsEmptyAndInvalidRunIdIsRejected) {
  Result<RunSummary> none = Summarize("nobody");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->points_scored, 0u);
  EXPECT_TRUE(none->top.empty());
  EXPECT_EQ(none->totals, RunTotals{});
  EXPECT_EQ(Summarize("x'; DROP").status().message(), "Invalid value for ${run_id}: x'; DROP");
}

// Three configurations of three replicates each, every replicate of a different quality: the engine counts, ranks
// and summarises them like the in-memory grouping of every point (SummarizeConfigurations), and only the
// configurations asked for come back.
TEST_F(RunSummaryTest, TopConfigurationsEqualTheInMemoryStatisticsOfEveryPoint) {
  FixtureRun run;
  run.run_id = "replicated";
  run.run_date = "2026-03-03";
  run.total_points = 9;
  run.shard_count = 3;
  const int qualities[] = {2, 3, 7, 9, 8, 10, 1, 2, 2};  // configuration means 4, 9, 5/3
  for (uint64_t s = 0; s < 3; ++s) {
    FixtureShard shard{s, 3 * s, 3 * s + 3, {}, {Outcome("success", 3)}};
    for (uint64_t i = 3 * s; i < 3 * s + 3; ++i) {
      FixturePoint point = Point(i, qualities[i]);
      point.config_index = static_cast<int64_t>(s);
      point.selected_dimensions_json = R"({"num_drivers":)" + std::to_string(10 * (s + 1)) + "}";
      shard.points.push_back(point);
    }
    run.shards.push_back(std::move(shard));
  }
  testing::ResultsWriter(dir_->path(), std::string(testing::kPrefix)).WriteRun(run);

  Result<RunSummary> summary = Summarize("replicated", {.top_n = 9, .top_configurations = 2, .weights = {}});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->points_scored, 9u);
  EXPECT_EQ(summary->configurations, 3u);
  ASSERT_EQ(summary->top.size(), 9u);
  std::vector<ScoredConfiguration> points = summary->top;
  std::sort(points.begin(), points.end(),
            [](const ScoredConfiguration& a, const ScoredConfiguration& b) { return a.point_index < b.point_index; });
  const std::vector<ConfigurationStats> expected = SummarizeConfigurations(points);
  ASSERT_EQ(expected.size(), 3u);
  ASSERT_EQ(summary->top_configurations.size(), 2u);
  for (size_t rank = 0; rank < 2; ++rank) {
    const ConfigurationStats& got = summary->top_configurations[rank];
    const ConfigurationStats& want = expected[rank];
    EXPECT_EQ(got.dimensions, want.dimensions) << rank;
    EXPECT_EQ(got.first_point_index, want.first_point_index) << rank;
    EXPECT_EQ(got.n, 3u);
    EXPECT_EQ(got.not_distinguishable_from_best, want.not_distinguishable_from_best) << rank;
    // The engine sums in its own order: equal to a few ulps.
    EXPECT_NEAR(got.health_score.mean, want.health_score.mean, 1e-12) << rank;
    ASSERT_TRUE(got.health_score.half_width && want.health_score.half_width);
    EXPECT_NEAR(*got.health_score.half_width, *want.health_score.half_width, 1e-9) << rank;
    ASSERT_EQ(got.metrics.size(), want.metrics.size());
    for (size_t m = 0; m < want.metrics.size(); ++m) {
      EXPECT_EQ(got.metrics[m].name, want.metrics[m].name);
      EXPECT_EQ(got.metrics[m].stats.n, want.metrics[m].stats.n) << want.metrics[m].name;
      EXPECT_NEAR(got.metrics[m].stats.mean, want.metrics[m].stats.mean,
                  1e-12 * std::max(1.0, std::abs(want.metrics[m].stats.mean)))
          << want.metrics[m].name;
    }
    EXPECT_NEAR(got.conversion_rate.mean, want.conversion_rate.mean, 1e-12);
  }
  EXPECT_EQ(summary->top_configurations[0].first_point_index, 3u);  // qualities 9, 8, 10

  // Counting alone: no point and no configuration travels.
  Result<RunSummary> counts = Summarize("replicated", {.top_n = 0, .top_configurations = 0, .weights = {}});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->points_scored, 9u);
  EXPECT_EQ(counts->configurations, 3u);
  EXPECT_TRUE(counts->top.empty());
  EXPECT_TRUE(counts->top_configurations.empty());
}

// A small run is read into memory once before the summary's queries (read_once_max_points); a large one file by
// file. Both give the same summary: forcing either path over the same runs changes nothing.
TEST_F(RunSummaryTest, ReadingTheRunOnceChangesNothing) {
  for (const std::string run_id : {"summary-run", "sweep-a"}) {
    RunSummaryOptions once;
    once.top_n = std::numeric_limits<size_t>::max();
    once.top_configurations = std::numeric_limits<size_t>::max();
    RunSummaryOptions file_by_file = once;
    file_by_file.read_once_max_points = 0;
    RunSummaryOptions too_large_to_hold = once;
    too_large_to_hold.read_once_max_points = 1;  // both runs have more points than that
    Result<RunSummary> a = Summarize(run_id, once);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    for (const RunSummaryOptions& other_options : {file_by_file, too_large_to_hold}) {
      Result<RunSummary> b = Summarize(run_id, other_options);
      ASSERT_TRUE(b.ok()) << b.status().ToString();
      EXPECT_EQ(a->totals, b->totals) << run_id;
      EXPECT_EQ(a->points_scored, b->points_scored) << run_id;
      EXPECT_EQ(a->configurations, b->configurations) << run_id;
      ASSERT_EQ(a->top.size(), b->top.size()) << run_id;
      ASSERT_GT(a->top.size(), 1u) << run_id;
      for (size_t rank = 0; rank < a->top.size(); ++rank) {
        EXPECT_EQ(a->top[rank].point_index, b->top[rank].point_index) << run_id << " " << rank;
        EXPECT_EQ(a->top[rank].metrics, b->top[rank].metrics) << run_id << " " << rank;
        EXPECT_EQ(a->top[rank].dimensions, b->top[rank].dimensions) << run_id << " " << rank;
        EXPECT_EQ(a->top[rank].parameter_fingerprint, b->top[rank].parameter_fingerprint) << run_id << " " << rank;
      }
      ASSERT_EQ(a->top_configurations.size(), b->top_configurations.size()) << run_id;
      for (size_t rank = 0; rank < a->top_configurations.size(); ++rank) {
        const ConfigurationStats& x = a->top_configurations[rank];
        const ConfigurationStats& y = b->top_configurations[rank];
        EXPECT_EQ(x.dimensions, y.dimensions) << run_id << " " << rank;
        EXPECT_EQ(x.n, y.n) << run_id << " " << rank;
        // One engine thread, the same rows: the same sums up to the order a scan hands rows over (a few ulps).
        EXPECT_NEAR(x.health_score.mean, y.health_score.mean, 1e-12) << run_id << " " << rank;
      }
    }
  }
}

TEST_F(RunSummaryTest, MalformedEffectiveParametersAreReported) {
  FixtureRun run;
  run.run_id = "broken";
  run.run_date = "2026-03-02";
  run.total_points = 1;
  run.shard_count = 1;
  FixturePoint point = Point(0, 1);
  point.selected_dimensions_json = "[1]";
  run.shards = {{0, 0, 1, {point}, {Outcome("success", 1)}}};
  testing::ResultsWriter(dir_->path(), std::string(testing::kPrefix)).WriteRun(run);
  Result<RunSummary> summary = Summarize("broken");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().message(), "effective_parameters_json of point 0 has no selected_dimensions object");
}

}  // namespace
}  // namespace ridesweep::analytics
