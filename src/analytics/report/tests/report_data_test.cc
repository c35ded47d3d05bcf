// LoadReportData over a real Parquet tree (report_fixture.h): header from run_context, the profile query and the
// outcome times; shard rows including the failure and the planned shard without a record; dimensions in request
// order; every committed point ranked like sim::RankPoints; the chosen point's snapshots, thinned without averaging.
#include "ridesweep/analytics/report_data.h"

#include <gtest/gtest.h>

#include <memory>

#include "report/tests/report_fixture.h"
#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/base/sha256.h"
#include "ridesweep/sim/health.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

using testing::kReportRunId;

class ReportDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    location_ = testing::WriteReportRun(dir_.path());
    resolved_ = ResolveLocalRun(location_.results_dir, location_.results_prefix, kReportRunId);
    ASSERT_EQ(resolved_.manifest_state, ManifestState::kFound);
    auto engine = DuckDbQueryEngine::OpenOverResults(location_, testing::RepoSqlDir(), kDefaultDatabase);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
  }

  Result<ReportData> Load(const ReportOptions& options = {}) {
    return LoadReportData(*engine_, testing::RepoSqlDir(), kDefaultDatabase, kReportRunId, &resolved_, options);
  }

  std::vector<uint64_t> CommittedIndices() const {
    std::vector<uint64_t> indices;
    for (const auto& shard : testing::ReportRun().shards) {
      for (const auto& point : shard.points) indices.push_back(point.index);
    }
    return indices;
  }

  testing::TempDir dir_;
  LocalResultsLocation location_;
  ResolvedRun resolved_;
  std::unique_ptr<DuckDbQueryEngine> engine_;
};

TEST_F(ReportDataTest, HeaderComesFromRunContextOutcomesAndTheProfileQuery) {
  Result<ReportData> data = Load();
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  const ReportHeader& h = data->header;
  EXPECT_EQ(h.run_id, kReportRunId);
  EXPECT_EQ(h.run_date, testing::kReportRunDate);
  EXPECT_EQ(h.request_fingerprint, Sha256Hex(kReportRunId));  // what the fixture's run_context row holds
  EXPECT_EQ(h.config_fingerprint, Sha256Hex("config-report"));
  EXPECT_EQ(h.expected_points, 6u);
  EXPECT_EQ(h.expected_shards, 4u);
  EXPECT_EQ(h.totals.shards_succeeded, 2u);
  EXPECT_EQ(h.totals.shards_failed, 1u);
  EXPECT_EQ(h.points_committed, CommittedIndices().size());
  EXPECT_EQ(h.totals.points_succeeded, CommittedIndices().size());
  // Success records span 10:00:00 (shard 0 starts) to 10:00:12 (shard 2 ends).
  EXPECT_EQ(h.wall_time_ms, 12'000);
  ASSERT_TRUE(h.points_per_second.has_value());
  EXPECT_DOUBLE_EQ(*h.points_per_second, static_cast<double>(CommittedIndices().size()) / 12.0);
  // query_run_level_profile.sql, verbatim: three outcome records, whole-second window.
  EXPECT_EQ(h.shard_attempts, 3);
  EXPECT_EQ(h.run_window_seconds, 12);
  EXPECT_EQ(h.max_attempt, 1);
  ASSERT_TRUE(h.profile_points_per_second.has_value());
  EXPECT_DOUBLE_EQ(*h.profile_points_per_second, static_cast<double>(CommittedIndices().size()) / 12.0);
}

TEST_F(ReportDataTest, ShardRowsIncludeFailuresAndPlannedShardsWithoutARecord) {
  Result<ReportData> data = Load();
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ASSERT_EQ(data->shards.size(), 4u);
  EXPECT_EQ(data->shards[0].status, kShardStatusSuccess);
  EXPECT_EQ(data->shards[0].duration_ms, 2'000);
  EXPECT_EQ(data->shards[1].status, kShardStatusFailure);
  EXPECT_EQ(data->shards[1].error_code, "injected_failure");
  EXPECT_EQ(data->shards[1].error_message, "Injected shard failure for verification <test>");
  EXPECT_EQ(data->shards[1].duration_ms, 0);
  EXPECT_EQ(data->shards[2].duration_ms, 10'000);
  EXPECT_EQ(data->shards[3].shard_id, 3u);
  EXPECT_EQ(data->shards[3].status, kShardStatusMissing);
  EXPECT_FALSE(data->shards[3].points_processed.has_value());
  EXPECT_EQ(data->shards[3].start_index, resolved_.manifest->shard_ranges[3].start_index);
}

TEST_F(ReportDataTest, DimensionsKeepTheRequestOrderOfValues) {
  Result<ReportData> data = Load();
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ASSERT_EQ(data->dimensions.size(), 2u);
  EXPECT_EQ(data->dimensions[0].name, "commission_rate");
  EXPECT_EQ(data->dimensions[0].values_json, (std::vector<std::string>{"0.2", "0.1"}));
  EXPECT_EQ(data->dimensions[1].name, "num_drivers");
  EXPECT_EQ(data->dimensions[1].values_json, (std::vector<std::string>{"10", "20", "30"}));
}

TEST_F(ReportDataTest, WithoutAManifestValuesComeFromThePointsInNumericOrder) {
  Result<ReportData> data =
      LoadReportData(*engine_, testing::RepoSqlDir(), kDefaultDatabase, kReportRunId, nullptr, {});
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ASSERT_EQ(data->dimensions.size(), 2u);
  EXPECT_EQ(data->dimensions[0].values_json.front(), "0.1");  // ascending, not request order
  EXPECT_EQ(data->shards.size(), 3u);                         // no plan, so no row for shard 3
  EXPECT_EQ(data->header.expected_shards, 4u);                // run_context still knows the plan length
}

TEST_F(ReportDataTest, PointsAreOrderedByIndexAndRankedByHealthScore) {
  Result<ReportData> data = Load();
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  const std::vector<uint64_t> expected = CommittedIndices();
  ASSERT_EQ(data->points.size(), expected.size());
  std::vector<sim::PointMetrics> metrics;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(data->points[i].point_index, expected[i]);
    metrics.push_back(data->points[i].metrics);
  }
  EXPECT_EQ(data->ranking, sim::RankPoints(sim::HealthScores(metrics)));
  EXPECT_DOUBLE_EQ(data->points.front().metrics.conversion_rate, 0.1 * static_cast<double>(expected.front() + 1));
}

TEST_F(ReportDataTest, SnapshotsOfTheBestPointByDefaultAndThinnedToStoredRows) {
  ReportOptions options;
  options.max_snapshot_samples = 3;
  Result<ReportData> data = Load(options);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ASSERT_TRUE(data->snapshots.has_value());
  const SnapshotSeries& s = *data->snapshots;
  EXPECT_EQ(s.point_index, data->points[data->ranking.front()].point_index);
  EXPECT_EQ(s.stored_rows, 7u);  // the fixture writes 7 snapshots at 0, 1000, ..., 6000 ms
  EXPECT_EQ(s.timestamp_ms, (std::vector<int64_t>{0, 3'000, 6'000}));
  ASSERT_EQ(s.columns.size(), 14u);
  EXPECT_EQ(s.columns[1], "riders_waiting");
  EXPECT_EQ(s.columns[12], "trips_completed");
  // trips_completed = completed * (n + 1) / 7 at snapshot n, with 2 completed trips.
  EXPECT_EQ(s.values[12], (std::vector<int64_t>{2 * 1 / 7, 2 * 4 / 7, 2 * 7 / 7}));
}

TEST_F(ReportDataTest, ChosenPointMustBeCommitted) {
  ReportOptions options;
  options.point_index = CommittedIndices().back();
  Result<ReportData> data = Load(options);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->snapshots->point_index, CommittedIndices().back());
  EXPECT_EQ(data->snapshots->timestamp_ms.size(), 7u);

  options.point_index = 99;
  Result<ReportData> missing = Load(options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.status().message(), "point 99 has no committed results in run report-run");
}

}  // namespace
}  // namespace ridesweep::analytics
