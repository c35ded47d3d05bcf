// `ridesweep athena apply` (spec/sweep.md §12) over an in-memory engine: argument and plan errors (exit 2), the
// printed execution order, dry run (no engine created), sequential bootstrap, bounded partitions-only runs, an
// operator-edited plan, failure and timeout lines (exit 1). tests/aws/test_athena_cli_moto.py runs the real CLI
// against moto's Athena.
#include "ridesweep/analytics/athena_apply.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/fake_async_engine.h"
#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;
using testing::FakeAsyncEngine;

struct ApplyRun {
  int code = 0;
  std::string out;
  std::string err;
  bool engine_made = false;
};

AthenaApplyOptions Bootstrap() {
  AthenaApplyOptions o;
  o.sql_dir = testing::RepoSqlDir();
  o.query_results_s3 = "s3://query-results/athena/";
  o.results_bucket = "ride-sim-results";
  o.region = "eu-central-1";
  o.poll_interval_seconds = 0.001;
  return o;
}

ApplyRun Apply(const AthenaApplyOptions& o, FakeAsyncEngine* engine) {
  ApplyRun run;
  std::ostringstream out, err;
  run.code = RunAthenaApply(
      o,
      [&]() -> Result<std::unique_ptr<AsyncQueryEngine>> {
        run.engine_made = true;
        struct Borrowed final : AsyncQueryEngine {
          FakeAsyncEngine* e;
          explicit Borrowed(FakeAsyncEngine* engine) : e(engine) {}
          Result<std::string> Start(std::string_view sql) override { return e->Start(sql); }
          Result<AsyncQueryStatus> Poll(std::string_view id) override { return e->Poll(id); }
          Status Stop(std::string_view id) override { return e->Stop(id); }
          Result<QueryResult> Fetch(std::string_view id) override { return e->Fetch(id); }
        };
        return std::unique_ptr<AsyncQueryEngine>(new Borrowed(engine));
      },
      out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

void Write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(AthenaApplyTest, ParsesResultsBucketValues) {
  Result<ResultsBucketLocation> plain = ParseResultsBucket("bucket-1", "serverless-sweeps/outcomes/");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->Uri(), "s3://bucket-1/serverless-sweeps/outcomes");
  Result<ResultsBucketLocation> uri = ParseResultsBucket("s3://bucket-1/team/a/", "serverless-sweeps/outcomes");
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->bucket, "bucket-1");
  EXPECT_EQ(uri->prefix, "team/a/serverless-sweeps/outcomes");
  EXPECT_EQ(ParseResultsBucket("s3://bucket-1", "")->Uri(), "s3://bucket-1");
  EXPECT_EQ(ParseResultsBucket(" ", "p").status().message(), "--results-bucket cannot be empty");
  EXPECT_EQ(ParseResultsBucket("s3://", "p").status().message(),
            "--results-bucket must be a bucket name or valid s3://bucket[/prefix] URI");
  EXPECT_EQ(ParseResultsBucket("https://bucket/x", "p").status().message(),
            "--results-bucket must be a bucket name or valid s3://bucket[/prefix] URI");
  EXPECT_EQ(ParseResultsBucket("bucket/x", "p").status().message(),
            "--results-bucket should be a bucket name (no slashes) unless using s3://bucket[/prefix]");
}

TEST(AthenaApplyTest, ArgumentErrorsExitTwoBeforeAnythingElse) {
  FakeAsyncEngine engine;
  AthenaApplyOptions o = Bootstrap();
  o.max_concurrent = 0;
  ApplyRun run = Apply(o, &engine);
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "Argument error: --max-concurrent must be >= 1\n");
  o = Bootstrap();
  o.results_bucket.reset();
  EXPECT_EQ(Apply(o, &engine).err, "Argument error: --results-bucket is required in bootstrap mode\n");
  o.execution_mode = "partitions-only";
  EXPECT_EQ(Apply(o, &engine).code, 0);  // the repairs need no bucket
  o = Bootstrap();
  o.results_bucket = "";
  EXPECT_EQ(Apply(o, &engine).err, "Argument error: --results-bucket cannot be empty\n");
  o = Bootstrap();
  o.region = "";
  run = Apply(o, &engine);
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "Argument error: --region is required when AWS_REGION is not set\n");
  EXPECT_EQ(run.out, "");
}

TEST(AthenaApplyTest, DryRunNeedsNoRegion) {
  FakeAsyncEngine engine;
  AthenaApplyOptions o = Bootstrap();
  o.dry_run = true;
  o.region = "";
  ApplyRun run = Apply(o, &engine);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out, "");
}

TEST(AthenaApplyTest, DryRunPrintsTheOrderAndCreatesNoEngine) {
  FakeAsyncEngine engine;
  AthenaApplyOptions o = Bootstrap();
  o.dry_run = true;
  const ApplyRun run = Apply(o, &engine);
  EXPECT_EQ(run.code, 0);
  EXPECT_FALSE(run.engine_made);
  const fs::path dir = testing::RepoSqlDir();
  std::string expected = "Using plan: " + (dir / "athena_bootstrap.plan").string() + "\nExecution order:\n";
  const char* files[] = {"create_database.sql",
                         "create_table.sql",
                         "create_table_run_context.sql",
                         "create_table_effective_parameters.sql",
                         "create_table_shard_metrics.sql",
                         "create_table_trip_data.sql",
                         "create_table_snapshot_counts.sql",
                         "create_table_effective_parameters_per_shard.sql",
                         "create_table_shard_metrics_per_shard.sql",
                         "create_table_trip_data_per_shard.sql",
                         "create_table_snapshot_counts_per_shard.sql",
                         "create_view_effective_parameters_per_shard.sql",
                         "create_view_shard_metrics_per_shard.sql",
                         "create_view_trip_data_per_shard.sql",
                         "create_view_snapshot_counts_per_shard.sql",
                         "repair_table.sql",
                         "repair_table_run_context.sql",
                         "repair_table_effective_parameters.sql",
                         "repair_table_shard_metrics.sql",
                         "repair_table_trip_data.sql",
                         "repair_table_snapshot_counts.sql",
                         "repair_table_effective_parameters_per_shard.sql",
                         "repair_table_shard_metrics_per_shard.sql",
                         "repair_table_trip_data_per_shard.sql",
                         "repair_table_snapshot_counts_per_shard.sql"};
  int n = 0;
  for (const char* file : files) {
    ++n;
    expected += "  " + std::string(n < 10 ? "0" : "") + std::to_string(n) + ". " + (dir / file).string() + "\n";
  }
  expected += "Dry run only; no Athena queries executed.\n";
  EXPECT_EQ(run.out, expected);
}

TEST(AthenaApplyTest, BootstrapRunsEveryFileInPlanOrderWithSubstitutedPlaceholders) {
  FakeAsyncEngine engine;
  engine.On("CREATE DATABASE", FakeAsyncEngine::Runs(2));
  const ApplyRun run = Apply(Bootstrap(), &engine);
  ASSERT_EQ(run.code, 0) << run.err;
  ASSERT_EQ(engine.started.size(), 25u);
  EXPECT_EQ(engine.started[0], "CREATE DATABASE IF NOT EXISTS ride_sim_analytics");
  EXPECT_NE(engine.started[1].find(
                "LOCATION 's3://ride-sim-results/serverless-sweeps/outcomes/dataset=shard_outcomes/'"),
            std::string::npos);
  EXPECT_NE(engine.started[8].find(
                "LOCATION 's3://ride-sim-results/serverless-sweeps/outcomes/dataset=shard_metrics_per_shard/'"),
            std::string::npos);
  EXPECT_TRUE(engine.started[12].starts_with("CREATE OR REPLACE VIEW ride_sim_analytics.sweep_shard_metrics_per_shard "
                                             "AS\nSELECT\n"));
  EXPECT_EQ(engine.started[20], "MSCK REPAIR TABLE ride_sim_analytics.sweep_snapshot_counts");
  EXPECT_EQ(engine.started[24], "MSCK REPAIR TABLE ride_sim_analytics.sweep_snapshot_counts_per_shard_raw");
  EXPECT_NE(run.out.find("[01/25] Executing create_database.sql...\n    QueryExecutionId=q1\n"
                         "    create_database.sql -> SUCCEEDED\n[02/25] Executing create_table.sql...\n"),
            std::string::npos);
  EXPECT_TRUE(run.out.ends_with("    repair_table_snapshot_counts_per_shard.sql -> SUCCEEDED\n"
                                "Athena SQL execution completed successfully.\n"));
}

TEST(AthenaApplyTest, EditedPlanReordersAndPartitionsOnlyLaunchesConcurrently) {
  testing::TempDir dir;
  const fs::path sql = testing::RepoSqlDir();
  Write(dir.path() / "mine.plan", "# operator's order\n\n" + (sql / "repair_table_trip_data.sql").string() +
                                      "\n  " + (sql / "repair_table.sql").string() + "  \n");
  FakeAsyncEngine engine;
  engine.On("sweep_trip_data", FakeAsyncEngine::Runs(3));
  AthenaApplyOptions o = Bootstrap();
  o.execution_mode = "partitions-only";
  o.plan_file = (dir.path() / "mine.plan").string();
  o.max_concurrent = 2;
  const ApplyRun run = Apply(o, &engine);
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(engine.started, (std::vector<std::string>{"MSCK REPAIR TABLE ride_sim_analytics.sweep_trip_data",
                                                      "MSCK REPAIR TABLE ride_sim_analytics.sweep_shard_outcomes"}));
  // Both launched before the first finished; the quick one finished first.
  EXPECT_NE(run.out.find("[01/02] Launching repair_table_trip_data.sql...\n    QueryExecutionId=q1\n"
                         "[02/02] Launching repair_table.sql...\n    QueryExecutionId=q2\n"
                         "    repair_table.sql -> SUCCEEDED\n    repair_table_trip_data.sql -> SUCCEEDED\n"),
            std::string::npos)
      << run.out;
}

TEST(AthenaApplyTest, PlanErrorsExitTwo) {
  testing::TempDir dir;
  FakeAsyncEngine engine;
  AthenaApplyOptions o = Bootstrap();
  o.plan_file = (dir.path() / "absent.plan").string();
  ApplyRun run = Apply(o, &engine);
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "Plan error: Plan file not found: " + o.plan_file + "\n");
  Write(dir.path() / "bad.plan", "create_database.txt\n");
  o.plan_file = (dir.path() / "bad.plan").string();
  EXPECT_EQ(Apply(o, &engine).err, "Plan error: Plan entries must point to .sql files, got: create_database.txt\n");
  Write(dir.path() / "empty.plan", "# nothing\n\n");
  o.plan_file = (dir.path() / "empty.plan").string();
  EXPECT_EQ(Apply(o, &engine).err, "Plan error: Plan file contains no SQL entries\n");
  Write(dir.path() / "unknown.sql", "SELECT '${nope}';\n");
  Write(dir.path() / "unknown.plan", "unknown.sql\n");
  o.plan_file = (dir.path() / "unknown.plan").string();
  EXPECT_EQ(Apply(o, &engine).err, "Plan error: Unknown placeholder ${nope} in unknown.sql\n");
  EXPECT_TRUE(engine.started.empty());
}

TEST(AthenaApplyTest, FailedQueryAndTimeoutExitOne) {
  FakeAsyncEngine engine;
  engine.On("sweep_run_context", FakeAsyncEngine::Ends(AsyncQueryState::kFailed, "FAILED: SemanticException", 1));
  ApplyRun run = Apply(Bootstrap(), &engine);
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "Athena query failed for create_table_run_context.sql: state=FAILED, query_execution_id=q3, "
                     "reason=FAILED: SemanticException\n");
  EXPECT_EQ(engine.started.size(), 3u);

  FakeAsyncEngine slow;
  slow.On("CREATE DATABASE", FakeAsyncEngine::Runs(1000000));
  AthenaApplyOptions o = Bootstrap();
  o.timeout_seconds = 0.05;
  run = Apply(o, &slow);
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "Athena execution timed out after 0.05s\n");
  EXPECT_EQ(slow.stopped, (std::vector<std::string>{"q1"}));

  FakeAsyncEngine refusing;
  refusing.FailStart("CREATE DATABASE", "400 InvalidRequestException: no output location");
  run = Apply(Bootstrap(), &refusing);
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err,
            "Athena invocation failed for create_database.sql: 400 InvalidRequestException: no output location\n");
}

}  // namespace
}  // namespace ridesweep::analytics
