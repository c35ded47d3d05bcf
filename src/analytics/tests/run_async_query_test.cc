// RunAsyncQuery (`ridesweep query --engine athena`, spec/sweep.md §11.3) over an in-memory engine and a real
// results tree standing in for the bucket: the statement sent is the file with database, run_id and expected
// shards substituted (the count from the run manifest when not given), the engine's rows come back unchanged,
// placeholder problems are InvalidArgument before anything is started, a FAILED query is Unavailable with the
// ingest's wording. tests/aws runs the real CLI against moto.
#include <gtest/gtest.h>

#include "ridesweep/analytics/run_query.h"
#include "ridesweep/analytics/sql_files.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/run_manifest.h"
#include "tests/fake_async_engine.h"
#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

using testing::FakeAsyncEngine;

// Hands the test's engine to RunAsyncQuery, counting how often it was asked for.
AsyncEngineFactory Lend(AsyncQueryEngine& engine, int* made = nullptr) {
  struct Borrowed final : AsyncQueryEngine {
    explicit Borrowed(AsyncQueryEngine& e) : engine(e) {}
    Result<std::string> Start(std::string_view sql) override { return engine.Start(sql); }
    Result<AsyncQueryStatus> Poll(std::string_view id) override { return engine.Poll(id); }
    Status Stop(std::string_view id) override { return engine.Stop(id); }
    Result<QueryResult> Fetch(std::string_view id) override { return engine.Fetch(id); }
    AsyncQueryEngine& engine;
  };
  return [&engine, made]() -> Result<std::unique_ptr<AsyncQueryEngine>> {
    if (made != nullptr) ++*made;
    return std::unique_ptr<AsyncQueryEngine>(new Borrowed(engine));
  };
}

class RunAsyncQueryTest : public ::testing::Test {
 protected:
  RunAsyncQueryTest() : writer_(dir_.path(), std::string(testing::kPrefix)) { writer_.WriteRun(testing::RunA()); }

  AsyncQueryOptions Options() {
    AsyncQueryOptions o;
    o.sql_dir = testing::RepoSqlDir();
    o.manifest_store = &writer_.store();
    o.results_prefix = std::string(testing::kPrefix);
    o.runner.poll_interval = std::chrono::microseconds(100);
    return o;
  }

  // The file as the engine must receive it.
  static std::string Expected(std::string_view file, std::optional<uint64_t> shards,
                              std::string db = "ride_sim_analytics") {
    PlaceholderValues values;
    values.database = std::move(db);
    values.run_id = "sweep-a";
    values.expected_shards = shards;
    return LoadSingleStatement(testing::RepoSqlDir() / std::string(file), values).value();
  }

  testing::TempDir dir_;
  testing::ResultsWriter writer_;
};

TEST_F(RunAsyncQueryTest, SendsTheSubstitutedFileAndReturnsTheRows) {
  FakeAsyncEngine engine;
  QueryResult rows;
  rows.columns = {"shard_id", "has_failure_record", "last_error_code"};
  rows.rows = {{"5", "true", "injected_failure"}, {"7", "false", std::nullopt}};
  engine.Rows("has_failure_record", rows);
  engine.On("has_failure_record", FakeAsyncEngine::Runs(2));
  Result<QueryResult> result = RunAsyncQuery(Lend(engine), Options(), "query_missing_shards", "sweep-a");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(*result, rows);
  // Expected shards from the manifest in the bucket.
  ASSERT_EQ(engine.started.size(), 1u);
  EXPECT_EQ(engine.started[0], Expected(kMissingShardsQuery, testing::kRunAExpectedShards));
  EXPECT_EQ(engine.polls.size(), 3u);

  // A given count wins; a file without ${expected_shards} reads no manifest; another database.
  AsyncQueryOptions o = Options();
  EXPECT_TRUE(RunAsyncQuery(Lend(engine), o, "query_missing_shards.sql", "sweep-a", 6).ok());
  EXPECT_EQ(engine.started[1], Expected(kMissingShardsQuery, 6));
  o.manifest_store = nullptr;
  o.database = "sweeps_team_a";
  EXPECT_TRUE(RunAsyncQuery(Lend(engine), o, "query_run_level_profile", "sweep-a").ok());
  EXPECT_EQ(engine.started[2], Expected(kRunLevelProfileQuery, std::nullopt, "sweeps_team_a"));
}

TEST_F(RunAsyncQueryTest, ArgumentProblemsStartNothing) {
  FakeAsyncEngine real;
  int made = 0;
  const AsyncEngineFactory engine = Lend(real, &made);
  AsyncQueryOptions o = Options();
  o.manifest_store = nullptr;  // no bucket: the count must be given
  Result<QueryResult> missing = RunAsyncQuery(engine, o, "query_shard_coverage", "sweep-a");
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.status().message(), "Missing value for ${expected_shards} in query_shard_coverage.sql");
  // A run without a manifest in the bucket: the same.
  EXPECT_EQ(RunAsyncQuery(engine, Options(), "query_shard_coverage", "no-manifest").status().message(),
            "Missing value for ${expected_shards} in query_shard_coverage.sql");
  EXPECT_EQ(RunAsyncQuery(engine, Options(), "query_run_level_profile", "bad run").status().message(),
            "Invalid value for ${run_id}: bad run");
  o.database = "Bad-Db";
  EXPECT_EQ(RunAsyncQuery(engine, o, "query_run_level_profile", "sweep-a").status().message(),
            "Invalid value for ${database}: Bad-Db");
  EXPECT_EQ(RunAsyncQuery(engine, Options(), "query_nope", "sweep-a").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(RunAsyncQuery(engine, Options(), "query_missing_shards", "sweep-a", 0).status().message(),
            "Invalid value for ${expected_shards}: 0");
  EXPECT_TRUE(real.started.empty());
  EXPECT_EQ(made, 0);  // no engine (no credentials, no connection) before the arguments are good
  // The factory's own failure is passed through.
  const AsyncEngineFactory no_credentials = []() -> Result<std::unique_ptr<AsyncQueryEngine>> {
    return FailedPreconditionError("AWS credentials not found");
  };
  EXPECT_EQ(RunAsyncQuery(no_credentials, Options(), "query_run_level_profile", "sweep-a").status().message(),
            "AWS credentials not found");
}

TEST_F(RunAsyncQueryTest, AFailedQueryIsUnavailableWithItsReason) {
  FakeAsyncEngine engine;
  engine.On("successful_points", FakeAsyncEngine::Ends(AsyncQueryState::kFailed, "SYNTAX_ERROR: line 1:8", 1));
  Result<QueryResult> result = RunAsyncQuery(Lend(engine), Options(), "query_run_level_profile", "sweep-a");
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(result.status().message(), "athena query failed (FAILED): SYNTAX_ERROR: line 1:8");
  engine.FailStart("successful_points", "400 InvalidRequestException: bad");
  AsyncQueryOptions o = Options();
  o.engine_name = "remote";
  EXPECT_EQ(RunAsyncQuery(Lend(engine), o, "query_run_level_profile", "sweep-a").status().message(),
            "remote request failed for query: 400 InvalidRequestException: bad");
}

// A per_shard run (its manifest says so) is read through the sweep_<d>_per_shard views: every statement is routed
// there; the run-level tables keep their names. Without a readable manifest the run is read as per_point.
TEST_F(RunAsyncQueryTest, APerShardRunIsReadThroughThePerShardViews) {
  const sweep::StorageLayout layout(testing::kPrefix);
  const std::string key = layout.RunManifestKey("sweep-a");
  Result<sweep::RunManifest> manifest = sweep::DecodeRunManifest(writer_.store().Get(key).value());
  ASSERT_TRUE(manifest.ok()) << manifest.status().message();
  manifest->normalized_request.layout = sweep::OutputLayout::kPerShard;
  ASSERT_TRUE(writer_.store().Put(key, sweep::EncodeRunManifest(*manifest), "application/json").ok());
  FakeAsyncEngine engine;
  ASSERT_TRUE(RunAsyncQuery(Lend(engine), Options(), "query_trip_snapshot_join", "sweep-a").ok());
  ASSERT_EQ(engine.started.size(), 1u);
  const std::string& sql = engine.started[0];
  EXPECT_NE(sql.find("FROM ride_sim_analytics.sweep_shard_metrics_per_shard\n"), std::string::npos) << sql;
  EXPECT_NE(sql.find("FROM ride_sim_analytics.sweep_trip_data_per_shard\n"), std::string::npos) << sql;
  EXPECT_NE(sql.find("FROM ride_sim_analytics.sweep_snapshot_counts_per_shard\n"), std::string::npos) << sql;
  EXPECT_EQ(sql.find("sweep_trip_data\n"), std::string::npos) << sql;

  // The same query for a run whose manifest is gone reads the contract's tables.
  ASSERT_TRUE(writer_.store().Delete(key).ok());
  FakeAsyncEngine without_manifest;
  ASSERT_TRUE(RunAsyncQuery(Lend(without_manifest), Options(), "query_trip_snapshot_join", "sweep-a").ok());
  ASSERT_EQ(without_manifest.started.size(), 1u);
  EXPECT_EQ(without_manifest.started[0].find("_per_shard"), std::string::npos);
  EXPECT_NE(without_manifest.started[0].find("FROM ride_sim_analytics.sweep_trip_data\n"), std::string::npos);
}

}  // namespace
}  // namespace ridesweep::analytics
