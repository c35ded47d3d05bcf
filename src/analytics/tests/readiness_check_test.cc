// T21 (spec/sweep.md §13, §18.3): the local readiness check passes on a complete run (exit 0); deleting the
// run's trip_data, run_context or effective_parameters objects fails it with the §13 lines (exit 1); bad
// arguments exit 2 with `Argument error: …`; a broken SQL directory exits 3 with `Ingest error: …`. The checks
// and summary lines are also pinned on hand-made inputs.
#include "ridesweep/analytics/readiness_check.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "ridesweep/analytics/errors.h"
#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;
using testing::FixtureRun;
using testing::RepoSqlDir;
using testing::ResultsWriter;
using testing::TempDir;

// A complete run: every shard succeeded, every point committed.
FixtureRun CompleteRun() { return testing::RunB(); }

LocalIngestOptions Options(const fs::path& root, const std::string& run_id) {
  LocalIngestOptions options;
  options.run_id = run_id;
  options.results_dir = root;
  options.results_prefix = std::string(testing::kPrefix);
  options.sql_dir = RepoSqlDir();
  options.engine.threads = 1;
  return options;
}

void DeleteDataset(ResultsWriter& writer, sweep::Dataset dataset) {
  Result<std::vector<std::string>> keys = writer.store().List(writer.layout().DatasetPrefix(dataset));
  ASSERT_TRUE(keys.ok());
  ASSERT_FALSE(keys->empty());
  for (const std::string& key : *keys) ASSERT_TRUE(writer.store().Delete(key).ok());
}

std::vector<std::string> SummaryFor(const FixtureRun& run, const std::string& run_context_rows,
                                    const std::string& trip_rows, const std::string& parameter_rows) {
  int64_t trips = 0, snapshots = 0;
  for (const auto& shard : run.shards) {
    for (const auto& point : shard.points) {
      trips += static_cast<int64_t>(point.trip_states.size());
      snapshots += point.snapshot_count;
    }
  }
  return {
      "Post-run ingestion summary:",
      "- run_id: " + run.run_id,
      "- run_date: " + run.run_date,
      "- engine: local",
      "- run_context rows: " + run_context_rows,
      "- shard_outcomes rows: " + std::to_string(run.shards.size()),
      "- successful shard outcomes: " + std::to_string(run.shards.size()),
      "- failed shard outcomes: 0",
      "- distinct shards observed: " + std::to_string(run.shards.size()),
      "- expected shards: " + std::to_string(run.shard_count),
      "- shard_metrics rows: " + std::to_string(testing::WrittenPoints(run)),
      "- expected points: " + std::to_string(run.total_points),
      "- trip_data rows: " + (trip_rows.empty() ? std::to_string(trips) : trip_rows),
      "- snapshot_counts rows: " + std::to_string(snapshots),
      "- effective_parameters rows: " + (parameter_rows.empty() ? std::to_string(testing::CommittedPoints(run))
                                                                 : parameter_rows),
      "- truncated points: 0",
  };
}

TEST(ReadinessCheckTest, CompleteRunPasses) {
  TempDir dir;
  ResultsWriter writer(dir.path(), std::string(testing::kPrefix));
  const FixtureRun run = CompleteRun();
  writer.WriteRun(run);
  writer.WriteRun(testing::RunA());  // another run in the same tree changes nothing
  const ReadinessReport report = RunLocalIngest(Options(dir.path(), run.run_id));
  EXPECT_EQ(report.exit_code, IngestExitCode::kPassed);
  EXPECT_EQ(report.exit_code_value(), 0);
  EXPECT_EQ(report.summary_lines, SummaryFor(run, "1", "", ""));
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(report.verdict_lines, (std::vector<std::string>{"Readiness check passed."}));
  // Reruns are idempotent.
  EXPECT_EQ(RunLocalIngest(Options(dir.path(), run.run_id)).Lines(), report.Lines());
}

TEST(ReadinessCheckTest, DeletedTripDataFails) {
  TempDir dir;
  ResultsWriter writer(dir.path(), std::string(testing::kPrefix));
  const FixtureRun run = CompleteRun();
  writer.WriteRun(run);
  DeleteDataset(writer, sweep::Dataset::kTripData);
  const ReadinessReport report = RunLocalIngest(Options(dir.path(), run.run_id));
  EXPECT_EQ(report.exit_code_value(), 1);
  EXPECT_EQ(report.summary_lines, SummaryFor(run, "1", "0", ""));
  uint64_t with_trips = 0;  // committed points whose metrics count completed trips lost their trip_data
  for (const auto& shard : run.shards) {
    for (const auto& point : shard.points) with_trips += point.committed && point.CompletedTrips() > 0 ? 1 : 0;
  }
  ASSERT_GT(with_trips, 0u);
  EXPECT_EQ(report.verdict_lines,
            (std::vector<std::string>{"Readiness check failed:", "- no trip_data rows for run_id",
                                      "- " + errors::CommittedPointsMissingData(with_trips),
                                      errors::NextStepsRerun(run.run_id)}));
}

TEST(ReadinessCheckTest, NextStepsFollowTheFailureClass) {
  const std::string run = "r1";
  EXPECT_EQ(ReadinessNextSteps(run, {}), errors::NextStepsRerun(run));
  EXPECT_EQ(ReadinessNextSteps(run, {{3, true, "storage_error"}, {4, false, std::nullopt}}),
            errors::NextStepsRerun(run));
  EXPECT_EQ(ReadinessNextSteps(run, {{2, true, "cancelled"}, {5, true, "timeout"}}), errors::NextStepsCancelled(run));
  EXPECT_EQ(ReadinessNextSteps(run, {{1, true, "injected_failure"}, {2, true, "cancelled"},
                                     {7, true, "invalid_dimension"}, {9, true, "timeout"}}),
            errors::NextStepsPermanent(run, "1, 7", "injected_failure, invalid_dimension"));
  EXPECT_NE(errors::NextStepsPermanent(run, "1", "x").find("ridesweep runs delete r1"), std::string::npos);
}

TEST(ReadinessCheckTest, Issue0013OnePointsMissingSnapshotObjectFailsAsMissingData) {
  // Row totals still look plausible (every dataset has rows, metrics and parameters agree); before issue 13 this
  // passed.
  TempDir dir;
  ResultsWriter writer(dir.path(), std::string(testing::kPrefix));
  const FixtureRun run = CompleteRun();
  writer.WriteRun(run);
  const auto& shard = run.shards.front();
  const std::string key = writer.layout().PointKey(sweep::Dataset::kSnapshotCounts, run.run_date, run.run_id,
                                                   shard.shard_id, shard.points.front().index);
  ASSERT_TRUE(writer.store().Delete(key).ok());
  const ReadinessReport report = RunLocalIngest(Options(dir.path(), run.run_id));
  EXPECT_EQ(report.exit_code_value(), 1);
  EXPECT_EQ(report.failures, (std::vector<std::string>{errors::CommittedPointsMissingData(1)}));
  EXPECT_EQ(report.failures.front().rfind("missing data: 1 committed point(s)", 0), 0u);
}

TEST(ReadinessCheckTest, DeletedRunContextFails) {
  TempDir dir;
  ResultsWriter writer(dir.path(), std::string(testing::kPrefix));
  const FixtureRun run = CompleteRun();
  writer.WriteRun(run);
  DeleteDataset(writer, sweep::Dataset::kRunContext);
  const ReadinessReport report = RunLocalIngest(Options(dir.path(), run.run_id));
  EXPECT_EQ(report.exit_code_value(), 1);
  // Expected counts still come from the manifest.
  EXPECT_EQ(report.summary_lines, SummaryFor(run, "0", "", ""));
  EXPECT_EQ(report.failures, (std::vector<std::string>{"no run_context rows for run_id"}));
  EXPECT_EQ(report.verdict_lines[1], "- no run_context rows for run_id");
}

TEST(ReadinessCheckTest, DeletedEffectiveParametersFail) {
  TempDir dir;
  ResultsWriter writer(dir.path(), std::string(testing::kPrefix));
  const FixtureRun run = CompleteRun();
  writer.WriteRun(run);
  // One point's commit marker missing.
  const std::string one = writer.layout().PointKey(sweep::Dataset::kEffectiveParameters, run.run_date, run.run_id,
                                                   run.shards[1].shard_id, run.shards[1].points[0].index);
  ASSERT_TRUE(writer.store().Delete(one).ok());
  const int64_t points = testing::WrittenPoints(run);
  ReadinessReport report = RunLocalIngest(Options(dir.path(), run.run_id));
  EXPECT_EQ(report.exit_code_value(), 1);
  EXPECT_EQ(report.summary_lines, SummaryFor(run, "1", "", std::to_string(points - 1)));
  EXPECT_EQ(report.failures, (std::vector<std::string>{"effective_parameters coverage mismatch: observed " +
                                                       std::to_string(points - 1) + ", expected " +
                                                       std::to_string(points)}));
  // All of them missing: the empty-dataset check as well.
  DeleteDataset(writer, sweep::Dataset::kEffectiveParameters);
  report = RunLocalIngest(Options(dir.path(), run.run_id));
  EXPECT_EQ(report.exit_code_value(), 1);
  EXPECT_EQ(report.failures,
            (std::vector<std::string>{"no effective_parameters rows for run_id",
                                      "effective_parameters coverage mismatch: observed 0, expected " +
                                          std::to_string(points)}));
}

TEST(ReadinessCheckTest, IncompleteRunReportsCoverageAndMissingShards) {
  TempDir dir;
  ResultsWriter writer(dir.path(), std::string(testing::kPrefix));
  const FixtureRun run = testing::RunA();
  writer.WriteRun(run);
  const ReadinessReport report = RunLocalIngest(Options(dir.path(), run.run_id));
  EXPECT_EQ(report.exit_code_value(), 1);
  EXPECT_EQ(report.summary_lines.back(), "- missing shard ids: 5, 7, 11");
  EXPECT_EQ(report.summary_lines[15], "- truncated points: 1");
  EXPECT_EQ(report.failures,
            (std::vector<std::string>{
                "shard coverage mismatch: observed 9, expected 12",
                "point coverage mismatch: observed " + std::to_string(testing::WrittenPoints(run)) + ", expected 24",
                "effective_parameters coverage mismatch: observed " + std::to_string(testing::CommittedPoints(run)) +
                    ", expected " + std::to_string(testing::WrittenPoints(run))}));
}

TEST(ReadinessCheckTest, OverridesReplaceTheManifest) {
  TempDir dir;
  ResultsWriter writer(dir.path(), std::string(testing::kPrefix));
  const FixtureRun run = CompleteRun();
  writer.WriteRun(run, /*with_manifest=*/false);
  // No manifest and no --run-date: the run_date is unknown.
  ReadinessReport report = RunLocalIngest(Options(dir.path(), run.run_id));
  EXPECT_EQ(report.exit_code_value(), 2);
  EXPECT_TRUE(report.summary_lines.empty());
  EXPECT_EQ(report.verdict_lines,
            (std::vector<std::string>{
                "Argument error: run_date unknown; pass --run-date or make the run manifest readable"}));
  // --run-date given: expected counts fall back to run_context.
  LocalIngestOptions options = Options(dir.path(), run.run_id);
  options.overrides.run_date = run.run_date;
  report = RunLocalIngest(options);
  EXPECT_EQ(report.exit_code_value(), 0) << ::testing::PrintToString(report.Lines());
  EXPECT_EQ(report.summary_lines, SummaryFor(run, "1", "", ""));
  // --expected-shards overrides: one more shard than ran is missing.
  options.overrides.expected_shards = static_cast<uint64_t>(run.shard_count) + 1;
  report = RunLocalIngest(options);
  EXPECT_EQ(report.exit_code_value(), 1);
  EXPECT_EQ(report.summary_lines.back(), "- missing shard ids: " + std::to_string(run.shard_count));
  EXPECT_EQ(report.failures, (std::vector<std::string>{"shard coverage mismatch: observed 2, expected 3"}));
}

TEST(ReadinessCheckTest, UnreadableManifestCountsAsUnknown) {
  TempDir dir;
  ResultsWriter writer(dir.path(), std::string(testing::kPrefix));
  const FixtureRun run = CompleteRun();
  writer.WriteRun(run, /*with_manifest=*/false);
  ASSERT_TRUE(writer.store().Put(writer.layout().RunManifestKey(run.run_id), "{not json", "application/json").ok());
  const ReadinessReport report = RunLocalIngest(Options(dir.path(), run.run_id));
  EXPECT_EQ(report.exit_code_value(), 2);
  EXPECT_EQ(report.verdict_lines[0], "Argument error: " + std::string(errors::kRunDateUnknown));
}

TEST(ReadinessCheckTest, BadArgumentsExitTwo) {
  TempDir dir;
  struct Case {
    const char* label;
    LocalIngestOptions options;
    std::string line;
  };
  auto with = [&](auto mutate) {
    LocalIngestOptions options = Options(dir.path(), "run-1");
    mutate(options);
    return options;
  };
  const Case cases[] = {
      {"no run id", with([](LocalIngestOptions& o) { o.run_id.clear(); }), "Argument error: --run-id is required"},
      {"bad run id", with([](LocalIngestOptions& o) { o.run_id = "a/b"; }),
       "Argument error: run_id must match [A-Za-z0-9._-]{1,128}"},
      {"bad run date", with([](LocalIngestOptions& o) { o.overrides.run_date = "2026-02-30"; }),
       "Argument error: --run-date must be a calendar date YYYY-MM-DD"},
      {"zero shards", with([](LocalIngestOptions& o) { o.overrides.expected_shards = 0; }),
       "Argument error: --expected-shards must be >= 1"},
      {"bad database", with([](LocalIngestOptions& o) { o.database = "Ride-DB"; }),
       "Argument error: database name must match [a-z0-9_]{1,255}"},
      {"no results dir", with([&](LocalIngestOptions& o) { o.results_dir = dir.path() / "absent"; }),
       "Argument error: results directory not found: " + (dir.path() / "absent").string()},
      {"unknown run", with([](LocalIngestOptions&) {}),
       "Argument error: run_date unknown; pass --run-date or make the run manifest readable"},
  };
  for (const Case& c : cases) {
    const ReadinessReport report = RunLocalIngest(c.options);
    EXPECT_EQ(report.exit_code_value(), 2) << c.label;
    EXPECT_EQ(report.Lines(), (std::vector<std::string>{c.line})) << c.label;
  }
}

TEST(ReadinessCheckTest, BrokenSqlDirectoryExitsThree) {
  TempDir dir, sql;
  ResultsWriter writer(dir.path(), std::string(testing::kPrefix));
  writer.WriteRun(CompleteRun());
  LocalIngestOptions options = Options(dir.path(), CompleteRun().run_id);

  // No view files at all.
  options.sql_dir = sql.path();
  ReadinessReport report = RunLocalIngest(options);
  EXPECT_EQ(report.exit_code_value(), 3);
  EXPECT_EQ(report.Lines(), (std::vector<std::string>{"Ingest error: SQL file not found: " +
                                                      (sql.path() / "local/views.sql").string()}));

  // Views present, readiness query broken: DuckDB's error surfaces.
  fs::copy(RepoSqlDir(), sql.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  std::ofstream(sql.path() / "query_run_readiness.sql") << "SELECT COUNT(*) FROM ${database}.no_such_table;\n";
  report = RunLocalIngest(options);
  EXPECT_EQ(report.exit_code_value(), 3);
  ASSERT_EQ(report.Lines().size(), 1u);
  EXPECT_TRUE(report.Lines()[0].starts_with("Ingest error: DuckDB query failed: ")) << report.Lines()[0];

  // Readiness query valid SQL but the wrong shape.
  std::ofstream(sql.path() / "query_run_readiness.sql") << "SELECT 1 AS run_context_rows;\n";
  report = RunLocalIngest(options);
  EXPECT_EQ(report.exit_code_value(), 3);
  EXPECT_EQ(report.Lines()[0], "Ingest error: no column outcome_rows in the query result");

  // Missing-shards file absent.
  fs::copy_file(RepoSqlDir() / "query_run_readiness.sql", sql.path() / "query_run_readiness.sql",
                fs::copy_options::overwrite_existing);
  fs::remove(sql.path() / "query_missing_shards.sql");
  report = RunLocalIngest(options);
  EXPECT_EQ(report.exit_code_value(), 3);
  EXPECT_EQ(report.Lines()[0],
            "Ingest error: SQL file not found: " + (sql.path() / "query_missing_shards.sql").string());
}

ReadinessInputs HealthyInputs() {
  ReadinessInputs in;
  in.run_id = "r";
  in.run_date = "2026-01-02";
  in.engine = "athena";
  in.counts = {1, 4, 4, 0, 4, 4, 8, 30, 80, 8, 0, 20, 8, 4};
  in.expected_shards = 4;
  in.expected_points = 8;
  return in;
}

TEST(ReadinessEvaluationTest, EachCheckHasItsLineInTableOrder) {
  struct Case {
    const char* label;
    void (*mutate)(ReadinessInputs&);
    std::vector<std::string> failures;
  } const cases[] = {
      {"healthy", [](ReadinessInputs&) {}, {}},
      {"no run_context", [](ReadinessInputs& in) { in.counts.run_context_rows = 0; },
       {"no run_context rows for run_id"}},
      {"no outcomes", [](ReadinessInputs& in) { in.counts.outcome_rows = 0; }, {"no shard_outcomes rows for run_id"}},
      {"no trips while trips completed", [](ReadinessInputs& in) { in.counts.trip_data_rows = 0; },
       {"no trip_data rows for run_id"}},
      {"no trips and none completed",
       [](ReadinessInputs& in) {
         in.counts.trip_data_rows = 0;
         in.counts.completed_trips_total = 0;
       },
       {}},
      {"no snapshots", [](ReadinessInputs& in) { in.counts.snapshot_counts_rows = 0; },
       {"no snapshot_counts rows for run_id"}},
      {"shards", [](ReadinessInputs& in) { in.counts.successful_shards = 3; },
       {"shard coverage mismatch: observed 3, expected 4"}},
      {"unknown expectations skip coverage",
       [](ReadinessInputs& in) {
         in.counts.successful_shards = 3;
         in.counts.shard_metrics_rows = 7;
         in.counts.effective_parameters_rows = 7;
         in.expected_shards.reset();
         in.expected_points.reset();
       },
       {}},
      {"everything empty",
       [](ReadinessInputs& in) {
         in.counts = {};
       },
       {"no run_context rows for run_id", "no shard_outcomes rows for run_id", "no shard_metrics rows for run_id",
        "no snapshot_counts rows for run_id", "no effective_parameters rows for run_id",
        "shard coverage mismatch: observed 0, expected 4", "point coverage mismatch: observed 0, expected 8"}},
      {"a committed point without its objects", [](ReadinessInputs& in) { in.counts.points_missing_data = 2; },
       {"missing data: 2 committed point(s) lack shard_metrics, trip_data or snapshot_counts objects (rerun the "
        "sweep to repair)"}},
      {"points and parameters",
       [](ReadinessInputs& in) {
         in.counts.shard_metrics_rows = 9;
       },
       {"point coverage mismatch: observed 9, expected 8",
        "effective_parameters coverage mismatch: observed 8, expected 9"}},
  };
  for (const Case& c : cases) {
    ReadinessInputs in = HealthyInputs();
    c.mutate(in);
    EXPECT_EQ(EvaluateReadinessChecks(in), c.failures) << c.label;
    const ReadinessReport report = EvaluateReadiness(in);
    EXPECT_EQ(report.exit_code, c.failures.empty() ? IngestExitCode::kPassed : IngestExitCode::kCheckFailed);
  }
}

TEST(ReadinessEvaluationTest, SummaryLinesHaveTheSpecLabels) {
  ReadinessInputs in = HealthyInputs();
  in.expected_points.reset();
  in.missing_shards = {{2, true, "timeout"}, {10, false, std::nullopt}};
  EXPECT_EQ(EvaluateReadiness(in).summary_lines,
            (std::vector<std::string>{"Post-run ingestion summary:", "- run_id: r", "- run_date: 2026-01-02",
                                      "- engine: athena", "- run_context rows: 1", "- shard_outcomes rows: 4",
                                      "- successful shard outcomes: 4", "- failed shard outcomes: 0",
                                      "- distinct shards observed: 4", "- expected shards: 4",
                                      "- shard_metrics rows: 8", "- expected points: unknown",
                                      "- trip_data rows: 30", "- snapshot_counts rows: 80",
                                      "- effective_parameters rows: 8", "- truncated points: 0",
                                      "- missing shard ids: 2, 10"}));
  EXPECT_EQ(ArgumentErrorReport("x").Lines(), (std::vector<std::string>{"Argument error: x"}));
  EXPECT_EQ(IngestErrorReport("athena query failed (FAILED): boom").Lines(),
            (std::vector<std::string>{"Ingest error: athena query failed (FAILED): boom"}));
  EXPECT_EQ(IngestErrorReport("x").exit_code_value(), 3);
}

}  // namespace
}  // namespace ridesweep::analytics
