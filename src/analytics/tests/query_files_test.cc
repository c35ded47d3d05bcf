// T20 (spec/sweep.md §18.3): every query_*.sql file runs unchanged in DuckDB over a local Hive-partitioned
// results tree written by the real Parquet encoder and store, and returns the §11.3 results. Expected values
// are computed from the fixture description (results_fixture.h), never from the SQL under test. Run B, with
// another run_date, must never leak into run A's numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/analytics/run_query.h"
#include "ridesweep/analytics/sql_files.h"
#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;
using testing::FixtureOutcome;
using testing::FixturePoint;
using testing::FixtureRun;
using testing::FixtureShard;
using testing::RepoSqlDir;

// Shard-level facts of a fixture run, from its description.
struct ShardFacts {
  std::set<uint64_t> with_outcome, with_success, with_failure;
  std::set<uint64_t> FailureOnly() const {
    std::set<uint64_t> out;
    for (uint64_t s : with_failure) {
      if (!with_success.contains(s)) out.insert(s);
    }
    return out;
  }
};

ShardFacts Facts(const FixtureRun& run) {
  ShardFacts facts;
  for (const FixtureShard& shard : run.shards) {
    for (const FixtureOutcome& outcome : shard.outcomes) {
      facts.with_outcome.insert(shard.shard_id);
      (outcome.status == "success" ? facts.with_success : facts.with_failure).insert(shard.shard_id);
    }
  }
  return facts;
}

std::vector<const FixtureOutcome*> Outcomes(const FixtureRun& run) {
  std::vector<const FixtureOutcome*> out;
  for (const FixtureShard& shard : run.shards) {
    for (const FixtureOutcome& outcome : shard.outcomes) out.push_back(&outcome);
  }
  return out;
}

class QueryFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    testing::ResultsWriter writer(dir_->path(), std::string(testing::kPrefix));
    writer.WriteRun(testing::RunA());
    writer.WriteRun(testing::RunB());
    Result<std::unique_ptr<DuckDbQueryEngine>> engine = DuckDbQueryEngine::OpenOverResults(
        {dir_->path(), std::string(testing::kPrefix)}, RepoSqlDir(), "ride_sim_analytics");
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value().release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete dir_;
  }

  static QueryResult Query(std::string_view file, const std::string& run_id,
                           std::optional<uint64_t> expected_shards = std::nullopt) {
    QueryFileRequest request;
    request.file = RepoSqlDir() / std::string(file);
    request.run_id = run_id;
    request.expected_shards = expected_shards;
    Result<QueryResult> result = RunQueryFile(*engine_, request);
    EXPECT_TRUE(result.ok()) << file << ": " << result.status().ToString();
    return result.ok() ? std::move(result).value() : QueryResult{};
  }

  static testing::TempDir* dir_;
  static DuckDbQueryEngine* engine_;
  const FixtureRun run_a_ = testing::RunA();
  const FixtureRun run_b_ = testing::RunB();
};

testing::TempDir* QueryFilesTest::dir_ = nullptr;
DuckDbQueryEngine* QueryFilesTest::engine_ = nullptr;

TEST_F(QueryFilesTest, RunLevelProfile) {
  const QueryResult r = Query(kRunLevelProfileQuery, "sweep-a");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.columns, (std::vector<std::string>{"shard_attempts", "successful_shards", "failed_shards",
                                                 "failure_rate", "successful_points", "max_attempt",
                                                 "run_window_seconds", "points_per_second", "expected_points",
                                                 "expected_shards"}));
  const ShardFacts facts = Facts(run_a_);
  const auto outcomes = Outcomes(run_a_);
  int64_t successful_points = 0, max_attempt = 0;
  int window_begin = 1 << 30, window_end = 0;
  for (const FixtureOutcome* o : outcomes) {
    max_attempt = std::max(max_attempt, o->attempt);
    if (o->status != "success") continue;
    successful_points += o->points_processed;
    window_begin = std::min(window_begin, o->event_offset_s);
    window_end = std::max(window_end, o->completed_offset_s);
  }
  const int64_t window = window_end - window_begin;
  // Shard 3 failed and later succeeded, shard 9 has a late failure after its success: neither is failed.
  EXPECT_EQ(facts.FailureOnly(), (std::set<uint64_t>{5, 11}));
  EXPECT_EQ(r.Int64(0, "shard_attempts").value(), static_cast<int64_t>(outcomes.size()));
  EXPECT_EQ(r.Int64(0, "successful_shards").value(), static_cast<int64_t>(facts.with_success.size()));
  EXPECT_EQ(r.Int64(0, "failed_shards").value(), static_cast<int64_t>(facts.FailureOnly().size()));
  EXPECT_EQ(r.Double(0, "failure_rate").value(),
            static_cast<double>(facts.FailureOnly().size()) / static_cast<double>(facts.with_outcome.size()));
  EXPECT_EQ(r.Int64(0, "successful_points").value(), successful_points);
  EXPECT_EQ(r.Int64(0, "max_attempt").value(), max_attempt);
  EXPECT_EQ(r.Int64(0, "run_window_seconds").value(), window);
  EXPECT_DOUBLE_EQ(r.Double(0, "points_per_second").value(),
                   static_cast<double>(successful_points) / static_cast<double>(std::max<int64_t>(window, 1)));
  EXPECT_EQ(r.Int64(0, "expected_points").value(), run_a_.total_points);
  EXPECT_EQ(r.Int64(0, "expected_shards").value(), run_a_.shard_count);
}

TEST_F(QueryFilesTest, FailureDiagnostics) {
  const QueryResult r = Query(kFailureDiagnosticsQuery, "sweep-a");
  struct Expected {
    int64_t occurrences = 0;
    std::set<uint64_t> shards;
    int64_t max_attempt = 0;
    std::string example;
  };
  std::map<std::string, Expected> by_code;
  const ShardFacts facts = Facts(run_a_);
  for (const FixtureShard& shard : run_a_.shards) {
    for (const FixtureOutcome& o : shard.outcomes) {
      if (o.status != "failure") continue;
      Expected& e = by_code[*o.error_code];
      ++e.occurrences;
      e.shards.insert(shard.shard_id);
      e.max_attempt = std::max(e.max_attempt, o.attempt);
      if (e.example.empty() || *o.error_message < e.example) e.example = *o.error_message;
    }
  }
  std::vector<std::pair<std::string, Expected>> ordered(by_code.begin(), by_code.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.second.occurrences > b.second.occurrences; });
  ASSERT_EQ(r.rows.size(), ordered.size());
  for (size_t i = 0; i < ordered.size(); ++i) {
    const auto& [code, e] = ordered[i];
    int64_t unresolved = 0;
    for (uint64_t s : e.shards) unresolved += facts.with_success.contains(s) ? 0 : 1;
    EXPECT_EQ(r.Text(i, "error_code").value(), code);
    EXPECT_EQ(r.Int64(i, "occurrences").value(), e.occurrences) << code;
    EXPECT_EQ(r.Int64(i, "distinct_shards").value(), static_cast<int64_t>(e.shards.size())) << code;
    EXPECT_EQ(r.Int64(i, "unresolved_shards").value(), unresolved) << code;
    EXPECT_EQ(r.Int64(i, "max_attempt").value(), e.max_attempt) << code;
    EXPECT_EQ(r.Text(i, "example_error_message").value(), e.example) << code;
  }
  EXPECT_EQ(r.Text(0, "error_code").value(), "storage_error");  // twice; the others once, alphabetically
}

TEST_F(QueryFilesTest, ShardCoverageCountsOnlyShardsWithSuccess) {
  const QueryResult r = Query(kShardCoverageQuery, "sweep-a", testing::kRunAExpectedShards);
  ASSERT_EQ(r.rows.size(), 1u);
  const ShardFacts facts = Facts(run_a_);
  EXPECT_EQ(r.Int64(0, "observed_shards").value(), static_cast<int64_t>(facts.with_success.size()));
  EXPECT_EQ(r.Int64(0, "failure_only_shards").value(), static_cast<int64_t>(facts.FailureOnly().size()));
  EXPECT_EQ(r.Int64(0, "expected_shards").value(), static_cast<int64_t>(testing::kRunAExpectedShards));
  EXPECT_FALSE(r.Bool(0, "has_full_coverage").value());

  const QueryResult b = Query(kShardCoverageQuery, "sweep-b", 2);
  EXPECT_TRUE(b.Bool(0, "has_full_coverage").value());
}

TEST_F(QueryFilesTest, MissingShardsListsShardsWithoutSuccessAscending) {
  const QueryResult r = Query(kMissingShardsQuery, "sweep-a", testing::kRunAExpectedShards);
  const ShardFacts facts = Facts(run_a_);
  std::vector<QueryRow> expected;
  for (const FixtureShard& shard : run_a_.shards) {
    if (facts.with_success.contains(shard.shard_id)) continue;
    std::optional<std::string> last_code;
    int last_completed = -1;
    for (const FixtureOutcome& o : shard.outcomes) {
      if (o.status == "failure" && o.completed_offset_s > last_completed) {
        last_completed = o.completed_offset_s;
        last_code = o.error_code;
      }
    }
    expected.push_back({std::to_string(shard.shard_id), facts.with_failure.contains(shard.shard_id) ? "true" : "false",
                        last_code});
  }
  EXPECT_EQ(r.columns, (std::vector<std::string>{"shard_id", "has_failure_record", "last_error_code"}));
  EXPECT_EQ(r.rows, expected);
  EXPECT_EQ(r.rows.size(), 3u);  // 5 (injected), 7 (no record), 11 (timeout)

  // Shards beyond those recorded are missing too; ids keep ascending numerically past 9.
  const QueryResult wider = Query(kMissingShardsQuery, "sweep-a", 25);
  ASSERT_EQ(wider.rows.size(), 3u + 13u);
  for (size_t i = 1; i < wider.rows.size(); ++i) {
    EXPECT_LT(wider.Int64(i - 1, "shard_id").value(), wider.Int64(i, "shard_id").value());
  }
  EXPECT_EQ(wider.Int64(wider.rows.size() - 1, "shard_id").value(), 24);
  EXPECT_TRUE(Query(kMissingShardsQuery, "sweep-b", 2).rows.empty());
}

TEST_F(QueryFilesTest, TripSnapshotJoinAggregatesPerPointAndOrdersNumerically) {
  const QueryResult r = Query(kTripSnapshotJoinQuery, "sweep-a");
  std::vector<QueryRow> expected;
  for (const FixtureShard& shard : run_a_.shards) {  // shard ids ascend numerically in the fixture
    for (const FixturePoint& point : shard.points) {
      int64_t completed = point.CompletedTrips();
      expected.push_back({std::to_string(shard.shard_id), std::to_string(point.index), std::to_string(completed),
                          std::to_string(point.trip_states.size()), std::to_string(completed),
                          std::to_string(testing::SnapshotRows(point).back().trips_completed)});
    }
  }
  EXPECT_EQ(r.columns, (std::vector<std::string>{"shard_id", "point_index", "completed_trips", "trip_rows",
                                                 "completed_trip_rows", "max_snapshot_trips_completed"}));
  EXPECT_EQ(r.rows, expected);
  // "10" sorts after "2" (numeric, not lexicographic).
  const auto shard_of = [&](size_t row) { return r.Int64(row, "shard_id").value(); };
  auto first_10 = std::find_if(r.rows.begin(), r.rows.end(), [](const QueryRow& row) { return *row[0] == "10"; });
  auto first_2 = std::find_if(r.rows.begin(), r.rows.end(), [](const QueryRow& row) { return *row[0] == "2"; });
  ASSERT_NE(first_10, r.rows.end());
  EXPECT_LT(first_2, first_10);
  EXPECT_EQ(shard_of(r.rows.size() - 1), 11);
}

TEST_F(QueryFilesTest, OutcomeConfigurationSmokeJoinsCommittedPoints) {
  const QueryResult r = Query(kOutcomeConfigurationSmokeQuery, "sweep-a");
  ASSERT_EQ(r.rows.size(), 1u);
  std::string min_fingerprint;
  for (const FixtureShard& shard : run_a_.shards) {
    for (const FixturePoint& point : shard.points) {
      if (point.committed && (min_fingerprint.empty() || point.Fingerprint() < min_fingerprint)) {
        min_fingerprint = point.Fingerprint();
      }
    }
  }
  EXPECT_EQ(r.Int64(0, "joined_points").value(), testing::CommittedPoints(run_a_));
  EXPECT_EQ(r.Text(0, "request_source").value(), run_a_.request_source);
  EXPECT_EQ(r.Text(0, "example_parameter_fingerprint").value(), min_fingerprint);
  EXPECT_EQ(r.Text(0, "config_fingerprint").value(), run_a_.config_fingerprint);
  EXPECT_EQ(Query(kOutcomeConfigurationSmokeQuery, "sweep-b").Text(0, "request_source").value(), "api_gateway");
}

TEST_F(QueryFilesTest, RunReadinessCountsEachTableSeparately) {
  for (const FixtureRun* run : {&run_a_, &run_b_}) {
    const QueryResult r = Query(kRunReadinessQuery, run->run_id);
    ASSERT_EQ(r.rows.size(), 1u);
    const ShardFacts facts = Facts(*run);
    int64_t success_outcomes = 0, failure_outcomes = 0, trips = 0, snapshots = 0, truncated = 0, completed = 0;
    for (const FixtureOutcome* o : Outcomes(*run)) (o->status == "success" ? success_outcomes : failure_outcomes)++;
    for (const FixtureShard& shard : run->shards) {
      for (const FixturePoint& point : shard.points) {
        trips += static_cast<int64_t>(point.trip_states.size());
        snapshots += point.snapshot_count;
        truncated += point.truncated ? 1 : 0;
        completed += point.CompletedTrips();
      }
    }
    const std::map<std::string, int64_t> expected = {
        {"run_context_rows", 1},
        {"outcome_rows", success_outcomes + failure_outcomes},
        {"success_outcomes", success_outcomes},
        {"failure_outcomes", failure_outcomes},
        {"distinct_shards", static_cast<int64_t>(facts.with_outcome.size())},
        {"successful_shards", static_cast<int64_t>(facts.with_success.size())},
        {"shard_metrics_rows", testing::WrittenPoints(*run)},
        {"trip_data_rows", trips},
        {"snapshot_counts_rows", snapshots},
        {"effective_parameters_rows", testing::CommittedPoints(*run)},
        {"truncated_points", truncated},
        {"completed_trips_total", completed},
        {"expected_points", run->total_points},
        {"expected_shards", run->shard_count},
        {"points_missing_data", 0},  // the fixture writes every dataset of each point it commits
    };
    ASSERT_EQ(r.columns.size(), expected.size());
    for (const auto& [column, value] : expected) {
      EXPECT_EQ(r.Int64(0, column).value(), value) << run->run_id << " " << column;
    }
  }
}

TEST_F(QueryFilesTest, UnknownRunGivesZeroCountsAndNullExpectations) {
  const QueryResult r = Query(kRunReadinessQuery, "no-such-run");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.Int64(0, "outcome_rows").value(), 0);
  EXPECT_FALSE(r.Cell(0, "expected_shards").value().has_value());
  const QueryResult profile = Query(kRunLevelProfileQuery, "no-such-run");
  ASSERT_EQ(profile.rows.size(), 1u);
  EXPECT_FALSE(profile.Cell(0, "points_per_second").value().has_value());
}

TEST_F(QueryFilesTest, LocalQueryTakesExpectedShardsFromTheManifestAndPrintsCsv) {
  LocalQueryOptions options;
  options.results_dir = dir_->path();
  options.results_prefix = std::string(testing::kPrefix);
  options.sql_dir = RepoSqlDir();
  Result<QueryResult> by_name = RunLocalQuery(options, "query_missing_shards", "sweep-a");
  ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();
  EXPECT_EQ(*by_name, Query(kMissingShardsQuery, "sweep-a", testing::kRunAExpectedShards));
  EXPECT_EQ(ToCsv(*by_name),
            "shard_id,has_failure_record,last_error_code\n5,true,injected_failure\n7,false,\n11,true,timeout\n");
  // An explicit value wins over the manifest.
  Result<QueryResult> explicit_shards = RunLocalQuery(options, "query_missing_shards.sql", "sweep-a", 6);
  ASSERT_TRUE(explicit_shards.ok());
  EXPECT_EQ(explicit_shards->rows.size(), 1u);
}

// Several statements run in order and the last one's rows come back (a file with two statements used to print
// only the first); inline SQL takes the same placeholders; a text without a statement is an error.
TEST_F(QueryFilesTest, LocalQueryRunsEveryStatementAndReturnsTheLast) {
  LocalQueryOptions options;
  options.results_dir = dir_->path();
  options.results_prefix = std::string(testing::kPrefix);
  options.sql_dir = RepoSqlDir();
  Result<QueryResult> last = RunLocalQuery(
      options,
      QuerySource::Inline("CREATE TEMP TABLE t AS SELECT 1 AS a;\nINSERT INTO t VALUES (2);\n"
                          "SELECT COUNT(*) AS n, '${run_id}' AS r FROM t",
                          "test"),
      "sweep-a");
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(ToCsv(*last), "n,r\n2,sweep-a\n");
  EXPECT_EQ(RunLocalQuery(options, QuerySource::Inline("-- nothing\n", "test"), "sweep-a").status().message(),
            "No SQL statement in the inline SQL");
}

TEST_F(QueryFilesTest, LocalRunExistsByManifestOrRecords) {
  LocalQueryOptions options;
  options.results_dir = dir_->path();
  options.results_prefix = std::string(testing::kPrefix);
  options.sql_dir = RepoSqlDir();
  EXPECT_TRUE(LocalRunExists(options, "sweep-a").value());
  EXPECT_FALSE(LocalRunExists(options, "no-such-run").value());
  EXPECT_EQ(LocalRunExists(options, "bad run").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(QueryFilesTest, LocalQueryErrors) {
  testing::TempDir empty;
  LocalQueryOptions options;
  options.results_dir = empty.path();
  options.results_prefix = std::string(testing::kPrefix);
  options.sql_dir = RepoSqlDir();
  // No manifest: a file that needs ${expected_shards} reports the missing value.
  Result<QueryResult> no_manifest = RunLocalQuery(options, "query_shard_coverage", "sweep-a");
  ASSERT_FALSE(no_manifest.ok());
  EXPECT_EQ(no_manifest.status().message(), "Missing value for ${expected_shards} in query_shard_coverage.sql");
  // A file without it runs on empty views.
  EXPECT_TRUE(RunLocalQuery(options, "query_run_level_profile", "sweep-a").ok());
  EXPECT_EQ(RunLocalQuery(options, "query_run_level_profile", "bad run").status().message(),
            "Invalid value for ${run_id}: bad run");
  EXPECT_EQ(RunLocalQuery(options, "query_nope", "sweep-a").status().code(), StatusCode::kNotFound);
  options.results_dir = empty.path() / "absent";
  EXPECT_EQ(RunLocalQuery(options, "query_run_level_profile", "sweep-a").status().message(),
            "results directory not found: " + (empty.path() / "absent").string());
}

}  // namespace
}  // namespace ridesweep::analytics
