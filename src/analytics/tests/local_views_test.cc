// Local views (spec/sweep.md §11.3, athena/README.md "Local engine"): six views with the Athena columns over the
// Hive tree, typed empty views for datasets without files, any prefix (empty included), paths with quotes, and
// views scoped to one run that open no other run's files.
#include "ridesweep/analytics/local_views.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "ridesweep/analytics/duckdb_query_engine.h"
#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;
using testing::RepoSqlDir;
using testing::ResultsWriter;
using testing::TempDir;

const std::vector<std::string> kViews = {"sweep_shard_outcomes", "sweep_run_context", "sweep_effective_parameters",
                                         "sweep_shard_metrics",  "sweep_trip_data",   "sweep_snapshot_counts"};
// The views that read files, in views.sql order: the four per-point datasets have one per layout.
const std::vector<std::string> kFileViews = {
    "sweep_shard_outcomes",           "sweep_run_context",                 "sweep_effective_parameters_per_point",
    "sweep_effective_parameters_per_shard", "sweep_shard_metrics_per_point", "sweep_shard_metrics_per_shard",
    "sweep_trip_data_per_point",      "sweep_trip_data_per_shard",         "sweep_snapshot_counts_per_point",
    "sweep_snapshot_counts_per_shard"};
// A results tree of per_point runs only: the per_shard views are empty.
const std::vector<std::string> kPerShardViews = {"sweep_effective_parameters_per_shard",
                                                 "sweep_shard_metrics_per_shard", "sweep_trip_data_per_shard",
                                                 "sweep_snapshot_counts_per_shard"};

std::unique_ptr<DuckDbQueryEngine> Open(const fs::path& root, const std::string& prefix,
                                        const std::string& database = "ride_sim_analytics") {
  Result<std::unique_ptr<DuckDbQueryEngine>> engine =
      DuckDbQueryEngine::OpenOverResults({root, prefix}, RepoSqlDir(), database);
  EXPECT_TRUE(engine.ok()) << engine.status().ToString();
  return engine.ok() ? std::move(engine).value() : nullptr;
}

// (name, type) of every column of a view, in order.
std::vector<std::pair<std::string, std::string>> Describe(DuckDbQueryEngine& engine, const std::string& view) {
  Result<QueryResult> result = engine.Run("DESCRIBE ride_sim_analytics." + view);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  std::vector<std::pair<std::string, std::string>> columns;
  if (!result.ok()) return columns;
  for (size_t row = 0; row < result->rows.size(); ++row) {
    columns.emplace_back(result->Text(row, "column_name").value(), result->Text(row, "column_type").value());
  }
  return columns;
}

int64_t Count(DuckDbQueryEngine& engine, const std::string& sql) {
  Result<QueryResult> result = engine.Run(sql);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? result->Int64(0, result->columns[0]).value() : -1;
}

TEST(LocalViewsTest, DataViewsAndEmptyViewsExposeTheSameTypedColumns) {
  TempDir full, empty;
  ResultsWriter writer(full.path(), std::string(testing::kPrefix));
  writer.WriteRun(testing::RunA());
  auto with_data = Open(full.path(), std::string(testing::kPrefix));
  auto without_data = Open(empty.path(), std::string(testing::kPrefix));
  ASSERT_NE(with_data, nullptr);
  ASSERT_NE(without_data, nullptr);
  EXPECT_EQ(with_data->empty_views(), kPerShardViews);
  EXPECT_EQ(without_data->empty_views(), kFileViews);  // views.sql order
  for (const std::string& view : kViews) {
    const auto columns = Describe(*with_data, view);
    EXPECT_EQ(columns, Describe(*without_data, view)) << view;
    EXPECT_GE(columns.size(), 12u) << view;
    EXPECT_EQ(Count(*without_data, "SELECT COUNT(*) FROM ride_sim_analytics." + view), 0) << view;
  }
  // Partition columns stay VARCHAR like Athena's string partitions; data columns keep their DDL types.
  const auto metrics = Describe(*with_data, "sweep_shard_metrics");
  ASSERT_EQ(metrics.size(), 36u);
  EXPECT_EQ(metrics[0], (std::pair<std::string, std::string>{"total_riders", "BIGINT"}));
  EXPECT_EQ(metrics[24], (std::pair<std::string, std::string>{"truncated", "BOOLEAN"}));
  EXPECT_EQ(metrics[25], (std::pair<std::string, std::string>{"riders_abandoned_no_driver", "BIGINT"}));
  EXPECT_EQ(metrics[28], (std::pair<std::string, std::string>{"share_matched_within_180s", "DOUBLE"}));
  EXPECT_EQ(metrics[29], (std::pair<std::string, std::string>{"config_index", "BIGINT"}));
  EXPECT_EQ(metrics[30], (std::pair<std::string, std::string>{"replicate", "BIGINT"}));
  EXPECT_EQ(metrics[34], (std::pair<std::string, std::string>{"shard_id", "VARCHAR"}));
  EXPECT_EQ(metrics[35], (std::pair<std::string, std::string>{"point_index", "VARCHAR"}));
  const auto trips = Describe(*with_data, "sweep_trip_data");
  EXPECT_EQ(trips[3], (std::pair<std::string, std::string>{"state", "TINYINT"}));
}

TEST(LocalViewsTest, OnlyDatasetsWithoutFilesGetEmptyViews) {
  TempDir dir;
  ResultsWriter writer(dir.path(), std::string(testing::kPrefix));
  testing::FixtureRun run = testing::RunB();
  for (testing::FixtureShard& shard : run.shards) shard.outcomes.clear();
  for (testing::FixtureShard& shard : run.shards) {
    for (testing::FixturePoint& point : shard.points) point.committed = false;
  }
  writer.WriteRun(run);
  auto engine = Open(dir.path(), std::string(testing::kPrefix));
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(engine->empty_views(),
            (std::vector<std::string>{"sweep_shard_outcomes", "sweep_effective_parameters_per_point",
                                      "sweep_effective_parameters_per_shard", "sweep_shard_metrics_per_shard",
                                      "sweep_trip_data_per_shard", "sweep_snapshot_counts_per_shard"}));
  EXPECT_EQ(Count(*engine, "SELECT COUNT(*) FROM ride_sim_analytics.sweep_shard_metrics"), 2);
  EXPECT_EQ(Count(*engine, "SELECT COUNT(*) FROM ride_sim_analytics.sweep_run_context"), 1);
}

TEST(LocalViewsTest, ReadsThePartitionsOfEveryRunUnderThePrefix) {
  TempDir dir;
  ResultsWriter writer(dir.path(), std::string(testing::kPrefix));
  writer.WriteRun(testing::RunA());
  writer.WriteRun(testing::RunB());
  auto engine = Open(dir.path(), std::string(testing::kPrefix));
  ASSERT_NE(engine, nullptr);
  Result<QueryResult> runs = engine->Run(
      "SELECT run_id_partition, run_date, COUNT(*) AS n FROM ride_sim_analytics.sweep_effective_parameters "
      "GROUP BY ALL ORDER BY 1");
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->rows.size(), 2u);
  EXPECT_EQ(runs->rows[0],
            (QueryRow{"sweep-a", "2026-02-14", std::to_string(testing::CommittedPoints(testing::RunA()))}));
  EXPECT_EQ(runs->rows[1],
            (QueryRow{"sweep-b", "2026-02-15", std::to_string(testing::CommittedPoints(testing::RunB()))}));
}

// Reads are run-scoped: a view over one run opens only that run's partition directories. Run A's tree is
// poisoned with a non-Parquet `.parquet` file in every dataset, so any read of it fails the query; the unscoped
// views show that it would.
class RunScopedViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writer_.WriteRun(testing::RunA());
    writer_.WriteRun(testing::RunB());
    const testing::FixtureRun a = testing::RunA();
    for (sweep::Dataset dataset : {sweep::Dataset::kShardMetrics, sweep::Dataset::kTripData,
                                   sweep::Dataset::kSnapshotCounts, sweep::Dataset::kEffectiveParameters,
                                   sweep::Dataset::kShardOutcomes, sweep::Dataset::kRunContext}) {
      const fs::path poison = dir_.path() / writer_.layout().RunPrefix(dataset, a.run_date, a.run_id) / "poison.parquet";
      fs::create_directories(poison.parent_path());
      std::ofstream(poison) << "not parquet";
    }
  }

  std::unique_ptr<DuckDbQueryEngine> OpenScoped(const LocalRunScope& scope) {
    LocalResultsLocation location{dir_.path(), std::string(testing::kPrefix)};
    location.run = scope;
    Result<std::unique_ptr<DuckDbQueryEngine>> engine =
        DuckDbQueryEngine::OpenOverResults(location, RepoSqlDir(), "ride_sim_analytics");
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return engine.ok() ? std::move(engine).value() : nullptr;
  }

  TempDir dir_;
  ResultsWriter writer_{dir_.path(), std::string(testing::kPrefix)};
};

TEST_F(RunScopedViewsTest, UnscopedViewsReadEveryRunAndFailOnThePoison) {
  // Binding a view already opens its files, so the unscoped views cannot even be created.
  Result<std::unique_ptr<DuckDbQueryEngine>> engine =
      DuckDbQueryEngine::OpenOverResults({dir_.path(), std::string(testing::kPrefix)}, RepoSqlDir(),
                                         "ride_sim_analytics");
  ASSERT_FALSE(engine.ok());
  EXPECT_NE(engine.status().message().find("poison.parquet"), std::string::npos) << engine.status().message();
}

TEST_F(RunScopedViewsTest, ScopedViewsReadOnlyTheirRunWithOrWithoutTheRunDate) {
  const testing::FixtureRun b = testing::RunB();
  for (const std::optional<std::string>& run_date : {std::optional<std::string>(b.run_date),
                                                      std::optional<std::string>()}) {
    auto engine = OpenScoped({b.run_id, run_date});
    ASSERT_NE(engine, nullptr);
    EXPECT_EQ(engine->empty_views(), kPerShardViews);  // a per_point run
    for (const std::string& view : kViews) {
      const std::string run_column = view == "sweep_shard_metrics" || view == "sweep_trip_data" ||
                                             view == "sweep_snapshot_counts"
                                         ? "run_id"
                                         : "run_id_partition";
      Result<QueryResult> runs =
          engine->Run("SELECT DISTINCT " + run_column + " FROM ride_sim_analytics." + view + " ORDER BY 1");
      ASSERT_TRUE(runs.ok()) << view << ": " << runs.status().ToString();
      ASSERT_EQ(runs->rows.size(), 1u) << view;
      EXPECT_EQ(runs->rows[0], (QueryRow{b.run_id})) << view;
    }
    EXPECT_EQ(Count(*engine, "SELECT COUNT(*) FROM ride_sim_analytics.sweep_effective_parameters"),
              testing::CommittedPoints(b));
  }
}

TEST_F(RunScopedViewsTest, ARunWithoutFilesGetsEmptyViewsAndAScopeIsValidated) {
  auto engine = OpenScoped({"sweep-none", std::nullopt});
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(engine->empty_views(), kFileViews);
  // Another run's date holds nothing of run B.
  auto wrong_date = OpenScoped({testing::RunB().run_id, testing::RunA().run_date});
  ASSERT_NE(wrong_date, nullptr);
  EXPECT_EQ(wrong_date->empty_views(), kFileViews);

  LocalResultsLocation bad{dir_.path(), std::string(testing::kPrefix)};
  bad.run = LocalRunScope{"a/b", std::nullopt};
  EXPECT_EQ(DuckDbQueryEngine::OpenOverResults(bad, RepoSqlDir(), "ride_sim_analytics").status().code(),
            StatusCode::kInvalidArgument);
  bad.run = LocalRunScope{"sweep-b", "2026-13-01"};
  EXPECT_EQ(DuckDbQueryEngine::OpenOverResults(bad, RepoSqlDir(), "ride_sim_analytics").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(RunScopedViewsTest, ScopeToRunTakesTheRunDateFromTheManifest) {
  const LocalResultsLocation scoped =
      ScopeToRun({dir_.path(), std::string(testing::kPrefix)}, testing::RunB().run_id);
  ASSERT_TRUE(scoped.run.has_value());
  EXPECT_EQ(scoped.run->run_id, testing::RunB().run_id);
  EXPECT_EQ(scoped.run->run_date, testing::RunB().run_date);
  EXPECT_FALSE(ScopeToRun({dir_.path(), ""}, "not/a run").run.has_value());
}

TEST(LocalViewsTest, WorksWithAnEmptyPrefixAndQuotesInTheDirectoryName) {
  TempDir dir;
  const fs::path root = dir.path() / "it's results";
  ResultsWriter writer(root, "");
  writer.WriteRun(testing::RunB());
  ASSERT_TRUE(fs::exists(root / "dataset=run_context"));
  auto engine = Open(root, "/");
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(engine->empty_views(), kPerShardViews);
  EXPECT_EQ(Count(*engine, "SELECT COUNT(*) FROM ride_sim_analytics.sweep_trip_data"),
            static_cast<int64_t>(testing::RunB().shards[0].points[0].trip_states.size() +
                                 testing::RunB().shards[1].points[0].trip_states.size()));
}

TEST(LocalViewsTest, DatasetsRootIsAbsoluteWithoutTrailingSlash) {
  EXPECT_EQ((LocalResultsLocation{"/r/", "/p/q/"}).DatasetsRoot(), "/r/p/q");
  EXPECT_EQ((LocalResultsLocation{"/r", ""}).DatasetsRoot(), "/r");
  EXPECT_EQ((LocalResultsLocation{"/", "p"}).DatasetsRoot(), "/p");
  const std::string relative = LocalResultsLocation{"rel/dir", "p"}.DatasetsRoot();
  EXPECT_TRUE(relative.starts_with("/")) << relative;
  EXPECT_TRUE(relative.ends_with("/rel/dir/p")) << relative;
}

TEST(LocalViewsTest, SchemaNameIsTheValidatedDatabase) {
  TempDir dir;
  auto engine = Open(dir.path(), "p", "my_db_2");
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(Count(*engine, "SELECT COUNT(*) FROM my_db_2.sweep_run_context"), 0);
  Result<std::unique_ptr<DuckDbQueryEngine>> bad =
      DuckDbQueryEngine::OpenOverResults({dir.path(), "p"}, RepoSqlDir(), "Bad-Name");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "Invalid value for ${database}: Bad-Name");
}

TEST(LocalViewsTest, MissingViewFilesAreReported) {
  TempDir dir, sql;
  Result<std::unique_ptr<DuckDbQueryEngine>> engine =
      DuckDbQueryEngine::OpenOverResults({dir.path(), "p"}, sql.path(), "ride_sim_analytics");
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(engine.status().message(), "SQL file not found: " + (sql.path() / "local/views.sql").string());
}

}  // namespace
}  // namespace ridesweep::analytics
