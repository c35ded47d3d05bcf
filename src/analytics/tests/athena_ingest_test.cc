// The Athena path of `ridesweep ingest` (spec/sweep.md §13) over a real results tree (LocalDirStore standing in
// for the bucket) and an in-memory engine: tables plan first, then nothing under partition projection (the
// default), ALTER TABLE … ADD IF NOT EXISTS PARTITION for exactly the run's partitions in add mode (200 per
// statement at most), or the repairs in msck mode; the readiness queries'
// rows decide the exit code; engine failures are ingest errors (exit 3). tests/aws runs the real CLI on moto.
#include "ridesweep/analytics/athena_ingest.h"

#include <gtest/gtest.h>

#include "ridesweep/analytics/errors.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/run_manifest.h"
#include "tests/fake_async_engine.h"
#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

using testing::FakeAsyncEngine;

QueryResult OneRow(std::vector<std::pair<std::string, std::optional<std::string>>> cells) {
  QueryResult result;
  QueryRow row;
  for (auto& [name, value] : cells) {
    result.columns.push_back(name);
    row.push_back(value);
  }
  result.rows.push_back(std::move(row));
  return result;
}

QueryResult Readiness(int64_t shards, int64_t points) {
  const auto n = [](int64_t v) { return std::optional<std::string>(std::to_string(v)); };
  return OneRow({{"run_context_rows", n(1)}, {"outcome_rows", n(shards)}, {"success_outcomes", n(shards)},
                 {"failure_outcomes", n(0)}, {"distinct_shards", n(shards)}, {"successful_shards", n(shards)},
                 {"shard_metrics_rows", n(points)}, {"trip_data_rows", n(points * 10)},
                 {"snapshot_counts_rows", n(points * 3)}, {"effective_parameters_rows", n(points)},
                 {"truncated_points", n(0)}, {"completed_trips_total", n(points * 8)}, {"expected_points", n(2)},
                 {"expected_shards", n(2)}, {"points_missing_data", n(0)}});
}

// Statements of the tables plan: the database, six tables, four raw per_shard tables and their four views.
constexpr size_t kTablesPlan = 15;

class AthenaIngestTest : public ::testing::Test {
 protected:
  AthenaIngestTest() : writer_(dir_.path(), std::string(testing::kPrefix)) { writer_.WriteRun(testing::RunB()); }

  AthenaIngestOptions Options() const {
    AthenaIngestOptions o;
    o.run_id = "sweep-b";
    o.location = {"results-bucket", std::string(testing::kPrefix)};
    o.sql_dir = testing::RepoSqlDir();
    o.runner.poll_interval = std::chrono::microseconds(100);
    o.runner.max_concurrent = 4;
    return o;
  }

  testing::TempDir dir_;
  testing::ResultsWriter writer_;
};

TEST_F(AthenaIngestTest, ProjectionModeCreatesTheProjectedTablesAndOnlyChecksReadiness) {
  FakeAsyncEngine engine;
  engine.Rows("run_context_rows", Readiness(2, 2));
  const ReadinessReport report = RunAthenaIngest(writer_.store(), engine, Options());
  ASSERT_EQ(report.exit_code, IngestExitCode::kPassed) << ::testing::PrintToString(report.Lines());
  // Tables plan (database, six tables, four raw per_shard tables, four views), readiness, missing shards: no
  // partition statement.
  ASSERT_EQ(engine.started.size(), kTablesPlan + 2u);
  for (size_t i = 1; i < 11; ++i) {
    EXPECT_TRUE(engine.started[i].starts_with("CREATE EXTERNAL TABLE IF NOT EXISTS ride_sim_analytics."));
    EXPECT_NE(engine.started[i].find("'projection.enabled'='true'"), std::string::npos) << engine.started[i];
  }
  for (size_t i = 11; i < kTablesPlan; ++i) {
    EXPECT_TRUE(engine.started[i].starts_with("CREATE OR REPLACE VIEW ride_sim_analytics.sweep_")) << engine.started[i];
  }
  EXPECT_NE(engine.started[kTablesPlan].find("run_context_rows"), std::string::npos);
  EXPECT_NE(engine.started[kTablesPlan + 1].find("has_failure_record"), std::string::npos);
  // A per_point run reads the contract's tables.
  EXPECT_NE(engine.started[kTablesPlan].find("ride_sim_analytics.sweep_trip_data\n"), std::string::npos);
  EXPECT_EQ(engine.started[kTablesPlan].find("_per_shard"), std::string::npos);
  EXPECT_EQ(report.verdict_lines, std::vector<std::string>{std::string(errors::kReadinessPassed)});
}

TEST_F(AthenaIngestTest, AddModeCreatesTablesAddsExactlyTheRunsPartitionsAndPasses) {
  writer_.WriteRun(testing::RunA());  // another run in the same bucket: none of its partitions may be added
  FakeAsyncEngine engine;
  engine.Rows("run_context_rows", Readiness(2, 2));
  AthenaIngestOptions add = Options();
  add.partition_mode = "add";
  const ReadinessReport report = RunAthenaIngest(writer_.store(), engine, add);
  ASSERT_EQ(report.exit_code, IngestExitCode::kPassed) << ::testing::PrintToString(report.Lines());
  ASSERT_EQ(engine.started.size(), kTablesPlan + 6u + 2u);  // tables plan, one ALTER per table, readiness, missing
  EXPECT_EQ(engine.started[0], "CREATE DATABASE IF NOT EXISTS ride_sim_analytics");
  const std::string location = "s3://results-bucket/serverless-sweeps/outcomes";
  EXPECT_EQ(engine.started[kTablesPlan],
            "ALTER TABLE ride_sim_analytics.sweep_shard_outcomes ADD IF NOT EXISTS\n"
            "  PARTITION (run_date = '2026-02-15', run_id_partition = 'sweep-b', status_partition = 'success', "
            "shard_id_partition = '0') LOCATION '" + location +
                "/dataset=shard_outcomes/run_date=2026-02-15/run_id_partition=sweep-b/status_partition=success/"
                "shard_id_partition=0/'\n"
            "  PARTITION (run_date = '2026-02-15', run_id_partition = 'sweep-b', status_partition = 'success', "
            "shard_id_partition = '1') LOCATION '" + location +
                "/dataset=shard_outcomes/run_date=2026-02-15/run_id_partition=sweep-b/status_partition=success/"
                "shard_id_partition=1/'");
  EXPECT_EQ(engine.started[kTablesPlan + 1],
            "ALTER TABLE ride_sim_analytics.sweep_run_context ADD IF NOT EXISTS\n"
            "  PARTITION (run_date = '2026-02-15', run_id_partition = 'sweep-b', status_partition = 'accepted') "
            "LOCATION '" + location + "/dataset=run_context/run_date=2026-02-15/run_id_partition=sweep-b/"
                                      "status_partition=accepted/'");
  EXPECT_NE(engine.started[kTablesPlan + 3].find(
                "ALTER TABLE ride_sim_analytics.sweep_shard_metrics ADD IF NOT EXISTS\n"
                "  PARTITION (run_date = '2026-02-15', run_id = 'sweep-b', status = 'success', "
                "shard_id = '0', point_index = '0') LOCATION"),
            std::string::npos);
  for (size_t i = kTablesPlan; i < kTablesPlan + 6; ++i) {
    EXPECT_EQ(engine.started[i].find("sweep-a"), std::string::npos) << engine.started[i];
  }
  EXPECT_EQ(report.summary_lines[3], "- engine: athena");
  EXPECT_EQ(report.verdict_lines, std::vector<std::string>{std::string(errors::kReadinessPassed)});
}

TEST_F(AthenaIngestTest, MissingShardsAreReportedAndFailTheCheck) {
  FakeAsyncEngine engine;
  engine.Rows("run_context_rows", Readiness(1, 1));
  engine.Rows("has_failure_record",
              OneRow({{"shard_id", "1"}, {"has_failure_record", "false"}, {"last_error_code", std::nullopt}}));
  const ReadinessReport report = RunAthenaIngest(writer_.store(), engine, Options());
  EXPECT_EQ(engine.started.size(), kTablesPlan + 2u);
  EXPECT_EQ(report.exit_code, IngestExitCode::kCheckFailed);
  EXPECT_EQ(report.summary_lines.back(), "- missing shard ids: 1");
  EXPECT_EQ(report.failures, (std::vector<std::string>{"shard coverage mismatch: observed 1, expected 2",
                                                       "point coverage mismatch: observed 1, expected 2"}));
}

TEST_F(AthenaIngestTest, MsckModeRunsTheRepairs) {
  FakeAsyncEngine engine;
  engine.Rows("run_context_rows", Readiness(2, 2));
  AthenaIngestOptions o = Options();
  o.partition_mode = "msck";
  EXPECT_EQ(RunAthenaIngest(writer_.store(), engine, o).exit_code, IngestExitCode::kPassed);
  ASSERT_EQ(engine.started.size(), kTablesPlan + 10u + 2u);  // the ten external tables' repairs
  EXPECT_EQ(engine.started[kTablesPlan], "MSCK REPAIR TABLE ride_sim_analytics.sweep_shard_outcomes");
  EXPECT_EQ(engine.started[kTablesPlan + 5], "MSCK REPAIR TABLE ride_sim_analytics.sweep_snapshot_counts");
  EXPECT_EQ(engine.started[kTablesPlan + 9],
            "MSCK REPAIR TABLE ride_sim_analytics.sweep_snapshot_counts_per_shard_raw");
}

TEST_F(AthenaIngestTest, FailuresAndArguments) {
  FakeAsyncEngine engine;
  engine.On("ALTER TABLE ride_sim_analytics.sweep_trip_data",
            FakeAsyncEngine::Ends(AsyncQueryState::kFailed, "HIVE_METASTORE_ERROR"));
  AthenaIngestOptions add = Options();
  add.partition_mode = "add";
  ReadinessReport report = RunAthenaIngest(writer_.store(), engine, add);
  EXPECT_EQ(report.exit_code, IngestExitCode::kIngestError);
  EXPECT_EQ(report.verdict_lines,
            std::vector<std::string>{"Ingest error: athena query failed (FAILED): HIVE_METASTORE_ERROR"});

  AthenaIngestOptions o = Options();
  o.run_id = "unknown-run";
  report = RunAthenaIngest(writer_.store(), engine, o);
  EXPECT_EQ(report.exit_code, IngestExitCode::kArgumentError);
  EXPECT_EQ(report.verdict_lines, std::vector<std::string>{"Argument error: " + std::string(errors::kRunDateUnknown)});
  o = Options();
  o.partition_mode = "scan";
  EXPECT_EQ(RunAthenaIngest(writer_.store(), engine, o).verdict_lines,
            std::vector<std::string>{"Argument error: --partition-mode must be projection, add or msck"});
}

// A per_shard run: its manifest says the layout, and its point datasets are one object per shard under
// dataset=<d>_per_shard (stand-in objects here: only their keys matter to the statements).
class AthenaIngestPerShardTest : public AthenaIngestTest {
 protected:
  AthenaIngestPerShardTest() {
    const sweep::StorageLayout layout(testing::kPrefix);
    const std::string key = layout.RunManifestKey("sweep-b");
    Result<sweep::RunManifest> manifest = sweep::DecodeRunManifest(writer_.store().Get(key).value());
    EXPECT_TRUE(manifest.ok()) << manifest.status().message();
    manifest->normalized_request.layout = sweep::OutputLayout::kPerShard;
    EXPECT_TRUE(writer_.store().Put(key, sweep::EncodeRunManifest(*manifest), "application/json").ok());
    for (sweep::Dataset dataset : {sweep::Dataset::kShardMetrics, sweep::Dataset::kTripData,
                                   sweep::Dataset::kSnapshotCounts, sweep::Dataset::kEffectiveParameters}) {
      for (uint64_t shard : {0u, 1u}) {
        EXPECT_TRUE(writer_.store().Put(layout.ShardKey(dataset, "2026-02-15", "sweep-b", shard), "PAR1", "").ok());
      }
    }
  }
};

// Under projection the readiness and missing-shard queries are routed to the per_shard views.
TEST_F(AthenaIngestPerShardTest, ReadinessReadsThePerShardViews) {
  FakeAsyncEngine engine;
  engine.Rows("run_context_rows", Readiness(2, 2));
  const ReadinessReport report = RunAthenaIngest(writer_.store(), engine, Options());
  ASSERT_EQ(report.exit_code, IngestExitCode::kPassed) << ::testing::PrintToString(report.Lines());
  ASSERT_EQ(engine.started.size(), kTablesPlan + 2u);
  const std::string& readiness = engine.started[kTablesPlan];
  for (const char* view : {"ride_sim_analytics.sweep_shard_metrics_per_shard\n",
                           "ride_sim_analytics.sweep_trip_data_per_shard\n",
                           "ride_sim_analytics.sweep_snapshot_counts_per_shard\n",
                           "ride_sim_analytics.sweep_effective_parameters_per_shard\n"}) {
    EXPECT_NE(readiness.find(view), std::string::npos) << view;
  }
  EXPECT_EQ(readiness.find("sweep_trip_data\n"), std::string::npos);  // every reference routed
  EXPECT_NE(readiness.find("ride_sim_analytics.sweep_shard_outcomes"), std::string::npos);  // run-level: unchanged
}

// Add mode adds the raw per_shard tables' partitions, one per shard, at the per_shard trees.
TEST_F(AthenaIngestPerShardTest, AddModeAddsTheRawTablesShardPartitions) {
  FakeAsyncEngine engine;
  engine.Rows("run_context_rows", Readiness(2, 2));
  AthenaIngestOptions add = Options();
  add.partition_mode = "add";
  const ReadinessReport report = RunAthenaIngest(writer_.store(), engine, add);
  ASSERT_EQ(report.exit_code, IngestExitCode::kPassed) << ::testing::PrintToString(report.Lines());
  ASSERT_EQ(engine.started.size(), kTablesPlan + 6u + 2u);
  EXPECT_TRUE(engine.started[kTablesPlan].starts_with("ALTER TABLE ride_sim_analytics.sweep_shard_outcomes "));
  EXPECT_TRUE(engine.started[kTablesPlan + 1].starts_with("ALTER TABLE ride_sim_analytics.sweep_run_context "));
  const std::string location = "s3://results-bucket/serverless-sweeps/outcomes";
  EXPECT_EQ(engine.started[kTablesPlan + 3],
            "ALTER TABLE ride_sim_analytics.sweep_shard_metrics_per_shard_raw ADD IF NOT EXISTS\n"
            "  PARTITION (run_date = '2026-02-15', run_id = 'sweep-b', status = 'success', shard_id = '0') LOCATION '" +
                location + "/dataset=shard_metrics_per_shard/run_date=2026-02-15/run_id=sweep-b/status=success/"
                           "shard_id=0/'\n"
            "  PARTITION (run_date = '2026-02-15', run_id = 'sweep-b', status = 'success', shard_id = '1') LOCATION '" +
                location + "/dataset=shard_metrics_per_shard/run_date=2026-02-15/run_id=sweep-b/status=success/"
                           "shard_id=1/'");
  EXPECT_NE(engine.started[kTablesPlan + 2].find(
                "ALTER TABLE ride_sim_analytics.sweep_effective_parameters_per_shard_raw ADD IF NOT EXISTS\n"
                "  PARTITION (run_date = '2026-02-15', run_id_partition = 'sweep-b', status_partition = 'success', "
                "shard_id_partition = '0') LOCATION '" + location + "/dataset=effective_parameters_per_shard/"),
            std::string::npos)
      << engine.started[kTablesPlan + 2];
  // The per-point trees of the run (the fixture wrote them too) are not the run's layout: no partition of theirs.
  for (size_t i = kTablesPlan; i < kTablesPlan + 6; ++i) {
    EXPECT_EQ(engine.started[i].find("point_index"), std::string::npos) << engine.started[i];
  }
}

TEST(AddPartitionStatementsTest, AtMostTwoHundredPartitionsPerStatement) {
  std::vector<RunPartition> partitions;
  for (int i = 0; i < 401; ++i) {
    partitions.push_back({"sweep_trip_data", {{"shard_id", std::to_string(i)}}, "s3://b/p" + std::to_string(i) + "/"});
  }
  partitions.push_back({"sweep_shard_metrics", {{"shard_id", "0"}}, "s3://b/m/"});
  const std::vector<NamedStatement> statements = AddPartitionStatements("db", partitions);
  ASSERT_EQ(statements.size(), 4u);
  EXPECT_EQ(statements[0].name, "sweep_trip_data partitions 1-200");
  EXPECT_EQ(statements[2].name, "sweep_trip_data partitions 401-401");
  EXPECT_EQ(statements[3].name, "sweep_shard_metrics partitions 1-1");
  size_t count = 0;
  for (size_t pos = statements[1].sql.find("PARTITION ("); pos != std::string::npos;
       pos = statements[1].sql.find("PARTITION (", pos + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 200u);
}

}  // namespace
}  // namespace ridesweep::analytics
