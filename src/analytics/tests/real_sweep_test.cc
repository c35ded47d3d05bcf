// End to end over a real (tiny) sweep: the request goes through the real ingress validation and shard plan, each
// point through sweep::ResolvePoint and sim::RunSimulation, and its datasets through the real Parquet encoder and
// LocalDirStore, as the worker does. Over that tree every query file runs, the readiness check passes, the
// per-point trip counts equal the simulation's trip tables, the summary ranks exactly like sim::RankPoints on
// the simulation's own metrics, and progress reports the run complete.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <utility>

#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/analytics/metric_columns.h"
#include "ridesweep/analytics/readiness_check.h"
#include "ridesweep/analytics/run_progress.h"
#include "ridesweep/analytics/run_query.h"
#include "ridesweep/analytics/run_summary.h"
#include "ridesweep/analytics/sql_files.h"
#include "ridesweep/sim/point_collector.h"
#include "ridesweep/sim/simulation.h"
#include "ridesweep/sweep/grid.h"
#include "ridesweep/sweep/point_resolution.h"
#include "ridesweep/sweep/request_validation.h"
#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;

constexpr char kRequest[] =
    R"({"run_id":"real-sweep","dimensions":{"match_radius":[40],"num_drivers":[5,15],"num_riders":[30,60],)"
    R"("simulation_duration_hours":[1]},"shard_count":3,"seed":7})";

struct PointRun {
  sim::PointMetrics metrics;
  size_t trips = 0;
  int64_t completed_state_trips = 0;
};

class RealSweepTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    points_ = new std::vector<PointRun>();
    sweep::ApiResult<sweep::ValidatedRequest> validated = sweep::ParseAndValidateRequestBytes(kRequest, {});
    ASSERT_TRUE(validated.ok());
    const sweep::ValidatedRequest& v = validated.value();
    const std::string date = "2026-05-01";
    testing::ResultsWriter writer(dir_->path(), std::string(testing::kPrefix));
    Result<std::unique_ptr<store::ParquetDatasetEncoder>> encoder = store::ParquetDatasetEncoder::Create();
    ASSERT_TRUE(encoder.ok());
    store::ObjectStore& out = writer.store();
    const sweep::StorageLayout& layout = writer.layout();
    auto put = [&](const std::string& key, Result<std::string> bytes) {
      ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
      ASSERT_TRUE(out.Put(key, *bytes, sweep::kParquetContentType).ok()) << key;
    };
    for (const sweep::ShardRange& shard : v.plan.shards) {
      for (uint64_t i = shard.start_index; i < shard.end_index_exclusive; ++i) {
        Result<sweep::ResolvedPoint> point = sweep::ResolvePoint(v.request.dimensions, v.request.seed, i);
        ASSERT_TRUE(point.ok()) << point.status().ToString();
        sim::PointCollector collector;
        Result<sim::SimOutput> output = sim::RunSimulation(point->params, &collector);
        ASSERT_TRUE(output.ok()) << output.status().ToString();
        PointRun run{output->metrics, collector.trips().size(), 0};
        for (const sim::TripRow& trip : collector.trips()) run.completed_state_trips += trip.state == 2 ? 1 : 0;
        points_->push_back(run);
        using sweep::Dataset;
        put(layout.PointKey(Dataset::kShardMetrics, date, "real-sweep", shard.shard_id, i),
            (*encoder)->EncodeShardMetrics(output->metrics));
        put(layout.PointKey(Dataset::kTripData, date, "real-sweep", shard.shard_id, i),
            (*encoder)->EncodeTripData(collector.trips()));
        put(layout.PointKey(Dataset::kSnapshotCounts, date, "real-sweep", shard.shard_id, i),
            (*encoder)->EncodeSnapshotCounts(collector.snapshots()));
        sweep::EffectiveParametersRow row;
        row.run_id = "real-sweep";
        row.shard_id = static_cast<int64_t>(shard.shard_id);
        row.point_index = static_cast<int64_t>(i);
        row.config_index = static_cast<int64_t>(i);  // one replicate per configuration
        row.parameter_fingerprint = point->parameter_fingerprint;
        row.effective_parameters_json = point->effective_parameters_json;
        put(layout.PointKey(Dataset::kEffectiveParameters, date, "real-sweep", shard.shard_id, i),
            (*encoder)->EncodeEffectiveParameters(row));
      }
      sweep::ShardOutcomeRow outcome;
      outcome.run_id = "real-sweep";
      outcome.shard_id = static_cast<int64_t>(shard.shard_id);
      outcome.start_index = static_cast<int64_t>(shard.start_index);
      outcome.end_index_exclusive = static_cast<int64_t>(shard.end_index_exclusive);
      outcome.status = "success";
      outcome.event_time = testing::TimeOn(date, 0);
      outcome.result_key =
          layout.PointKey(sweep::Dataset::kShardMetrics, date, "real-sweep", shard.shard_id, shard.start_index);
      outcome.points_processed = static_cast<int64_t>(shard.size());
      outcome.format = "parquet";
      outcome.completed_time = testing::TimeOn(date, 3);
      put(layout.ShardOutcomeKey(date, "real-sweep", sweep::RecordStatus::kSuccess, shard.shard_id),
          (*encoder)->EncodeShardOutcome(outcome));
    }
    sweep::RunContextRow context;
    context.run_id = "real-sweep";
    context.run_date = date;
    context.request_source = "local_cli";
    context.request_fingerprint = v.request_fingerprint;
    context.config_fingerprint = v.config_fingerprint;
    context.total_points = static_cast<int64_t>(v.request.total_points);
    context.shard_count = static_cast<int64_t>(v.plan.shards.size());
    context.shard_strategy = "explicit_shard_count";
    context.max_shards = static_cast<int64_t>(v.request.max_shards);
    context.max_shards_ceiling = static_cast<int64_t>(v.max_shards_ceiling);
    put(layout.RunContextKey(date, "real-sweep"), (*encoder)->EncodeRunContext(context));
    writer.WriteManifest(sweep::BuildRunManifest(v, date, testing::TimeOn(date, 0), sweep::RequestSource::kLocalCli));
  }
  static void TearDownTestSuite() {
    delete points_;
    delete dir_;
  }

  static LocalResultsLocation Location() { return {dir_->path(), std::string(testing::kPrefix)}; }

  static testing::TempDir* dir_;
  static std::vector<PointRun>* points_;
};

testing::TempDir* RealSweepTest::dir_ = nullptr;
std::vector<PointRun>* RealSweepTest::points_ = nullptr;

TEST_F(RealSweepTest, EveryQueryFileRuns) {
  LocalQueryOptions options;
  options.results_dir = dir_->path();
  options.results_prefix = std::string(testing::kPrefix);
  options.sql_dir = testing::RepoSqlDir();
  int files = 0;
  for (const auto& entry : fs::directory_iterator(options.sql_dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("query_") || !name.ends_with(".sql")) continue;
    ++files;
    Result<QueryResult> result = RunLocalQuery(options, entry.path().string(), "real-sweep");
    ASSERT_TRUE(result.ok()) << name << ": " << result.status().ToString();
    EXPECT_FALSE(result->columns.empty()) << name;
  }
  EXPECT_EQ(files, 8);
}

TEST_F(RealSweepTest, ReadinessPasses) {
  LocalIngestOptions options;
  options.run_id = "real-sweep";
  options.results_dir = dir_->path();
  options.results_prefix = std::string(testing::kPrefix);
  options.sql_dir = testing::RepoSqlDir();
  const ReadinessReport report = RunLocalIngest(options);
  EXPECT_EQ(report.exit_code_value(), 0) << ::testing::PrintToString(report.Lines());
  size_t trips = 0;
  for (const PointRun& point : *points_) trips += point.trips;
  EXPECT_EQ(report.summary_lines[12], "- trip_data rows: " + std::to_string(trips));
  EXPECT_EQ(report.summary_lines[11], "- expected points: " + std::to_string(points_->size()));
}

TEST_F(RealSweepTest, TripRowsArePerPointTripTables) {
  Result<std::unique_ptr<DuckDbQueryEngine>> engine =
      DuckDbQueryEngine::OpenOverResults(Location(), testing::RepoSqlDir(), "ride_sim_analytics");
  ASSERT_TRUE(engine.ok());
  QueryFileRequest request;
  request.file = testing::RepoSqlDir() / std::string(kTripSnapshotJoinQuery);
  request.run_id = "real-sweep";
  Result<QueryResult> result = RunQueryFile(**engine, request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->rows.size(), points_->size());
  size_t all_trips = 0;
  for (const PointRun& point : *points_) all_trips += point.trips;
  EXPECT_GT(all_trips, 0u);  // the simulation produced trips, so the counts below are not vacuous
  for (size_t i = 0; i < points_->size(); ++i) {
    const PointRun& point = (*points_)[i];
    EXPECT_EQ(result->Int64(i, "point_index").value(), static_cast<int64_t>(i));
    EXPECT_EQ(result->Int64(i, "trip_rows").value(), static_cast<int64_t>(point.trips)) << i;
    EXPECT_EQ(result->Int64(i, "completed_trip_rows").value(), point.completed_state_trips) << i;
    EXPECT_EQ(result->Int64(i, "completed_trips").value(), point.metrics.completed_trips) << i;
  }
}

TEST_F(RealSweepTest, SummaryRanksLikeTheSimulationLayer) {
  RunSummaryOptions options;
  options.top_n = points_->size();
  Result<RunSummary> summary = SummarizeLocalRun(Location(), testing::RepoSqlDir(), "real-sweep", options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  std::vector<sim::PointMetrics> metrics;
  for (const PointRun& point : *points_) metrics.push_back(point.metrics);
  const std::vector<sim::HealthComponents> scores = sim::HealthScores(metrics);
  const std::vector<size_t> ranking = sim::RankPoints(scores);
  // The sweep is not degenerate: the points differ, so the ranking means something.
  EXPECT_NE(scores[ranking.front()].score, scores[ranking.back()].score);
  ASSERT_EQ(summary->top.size(), ranking.size());
  for (size_t rank = 0; rank < ranking.size(); ++rank) {
    EXPECT_EQ(summary->top[rank].point_index, ranking[rank]);
    EXPECT_EQ(summary->top[rank].metrics, metrics[ranking[rank]]);
    EXPECT_EQ(summary->top[rank].health.score, scores[ranking[rank]].score);
    ASSERT_EQ(summary->top[rank].dimensions.size(), 4u);
    EXPECT_EQ(summary->top[rank].dimensions[1].name, "num_drivers");
  }
  EXPECT_EQ(summary->totals.shards_succeeded, 3u);
  EXPECT_EQ(summary->totals.points_succeeded, points_->size());
}

// sweep_points over the real sweep: one row per point in point_index order, the identity columns, the seed, one
// column per dimension typed by its kind, then every metric with the simulation's own values.
TEST_F(RealSweepTest, SweepPointsHasOneTypedRowPerPoint) {
  LocalQueryOptions options;
  options.results_dir = dir_->path();
  options.results_prefix = std::string(testing::kPrefix);
  options.sql_dir = testing::RepoSqlDir();
  Result<QueryResult> rows = RunLocalQuery(
      options, QuerySource::Inline("SELECT * FROM ride_sim_analytics.sweep_points", "test"), "real-sweep");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  std::vector<std::string> expected = {"run_id",       "point_index", "config_index", "replicate", "seed",
                                       "match_radius", "num_drivers", "num_riders",   "simulation_duration_hours"};
  for (const MetricColumn& metric : MetricColumns()) {
    expected.emplace_back(metric.name);
    if (metric.name == "final_sim_time_ms") expected.emplace_back("truncated");
  }
  EXPECT_EQ(rows->columns, expected);
  ASSERT_EQ(rows->rows.size(), points_->size());
  std::set<std::pair<int64_t, int64_t>> pairs;
  for (size_t i = 0; i < points_->size(); ++i) {
    EXPECT_EQ(*rows->Text(i, "run_id"), "real-sweep");
    EXPECT_EQ(*rows->Int64(i, "point_index"), static_cast<int64_t>(i));
    EXPECT_EQ(*rows->Int64(i, "config_index"), static_cast<int64_t>(i));
    EXPECT_EQ(*rows->Int64(i, "replicate"), 0);
    EXPECT_EQ(*rows->Text(i, "seed"), std::to_string(sweep::PointSeed(7, i)));
    pairs.emplace(*rows->Int64(i, "num_drivers"), *rows->Int64(i, "num_riders"));
    EXPECT_EQ(*rows->Int64(i, "match_radius"), 40);
    EXPECT_EQ(*rows->Int64(i, "simulation_duration_hours"), 1);
    const sim::PointMetrics& m = (*points_)[i].metrics;
    EXPECT_EQ(*rows->Int64(i, "completed_trips"), m.completed_trips);
    EXPECT_EQ(*rows->Double(i, "platform_revenue"), m.platform_revenue);
    EXPECT_EQ(*rows->Bool(i, "truncated"), m.truncated);
  }
  EXPECT_EQ(pairs, (std::set<std::pair<int64_t, int64_t>>{{5, 30}, {5, 60}, {15, 30}, {15, 60}}));
  Result<QueryResult> types = RunLocalQuery(
      options,
      QuerySource::Inline("SELECT typeof(num_drivers) AS a, typeof(simulation_duration_hours) AS b, "
                          "typeof(seed) AS c FROM ride_sim_analytics.sweep_points LIMIT 1",
                          "test"),
      "real-sweep");
  ASSERT_TRUE(types.ok()) << types.status().ToString();
  // Both dimensions are of unsigned kinds (`ridesweep params`); number kinds are DOUBLE (tests/e2e).
  EXPECT_EQ(types->rows.at(0), (QueryRow{"BIGINT", "BIGINT", "DECIMAL(20,0)"}));
}

// The query file and the library compute the same statistics by configuration (one replicate each here: n = 1,
// no interval).
TEST_F(RealSweepTest, ConfigurationSummaryQueryAgreesWithTheLibrary) {
  LocalQueryOptions options;
  options.results_dir = dir_->path();
  options.results_prefix = std::string(testing::kPrefix);
  options.sql_dir = testing::RepoSqlDir();
  Result<QueryResult> rows = RunLocalQuery(options, "query_configuration_summary", "real-sweep");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  RunSummaryOptions summary_options;
  summary_options.top_n = points_->size();
  Result<RunSummary> summary = SummarizeLocalRun(Location(), testing::RepoSqlDir(), "real-sweep", summary_options);
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(rows->rows.size(), 7 * points_->size());
  size_t checked = 0;
  for (size_t r = 0; r < rows->rows.size(); ++r) {
    const uint64_t config = static_cast<uint64_t>(*rows->Int64(r, "config_index"));
    const std::string metric = *rows->Text(r, "metric");
    for (const ConfigurationStats& c : summary->top_configurations) {
      if (c.first_point_index != config) continue;
      const MeanInterval& m = metric == "health_score" ? c.health_score : *c.Metric(metric);
      EXPECT_EQ(*rows->Int64(r, "n"), static_cast<int64_t>(m.n)) << metric;
      if (m.n > 0) {
        EXPECT_NEAR(*rows->Double(r, "mean"), m.mean, 1e-9 * std::max(1.0, std::abs(m.mean))) << metric;
      }
      EXPECT_FALSE(rows->Cell(r, "ci95_low")->has_value());
      ++checked;
    }
  }
  EXPECT_EQ(checked, rows->rows.size());
}

TEST_F(RealSweepTest, ProgressIsComplete) {
  Result<std::unique_ptr<store::LocalDirStore>> store = store::LocalDirStore::Open(dir_->path());
  ASSERT_TRUE(store.ok());
  Result<RunProgress> progress = ComputeRunProgress(**store, testing::kPrefix, "real-sweep");
  ASSERT_TRUE(progress.ok());
  EXPECT_TRUE(progress->complete());
  EXPECT_EQ(progress->points_committed, points_->size());
}

}  // namespace
}  // namespace ridesweep::analytics
