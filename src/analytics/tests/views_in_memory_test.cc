// Reading views into memory: the views keep their columns and rows, and later queries no longer read the files
// (they still answer after the results tree is gone); bad names are refused before any statement runs.
#include "ridesweep/analytics/views_in_memory.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ridesweep/analytics/duckdb_query_engine.h"
#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDatabase = "ride_sim_analytics";

std::string Describe(DuckDbQueryEngine& engine, std::string_view view) {
  Result<QueryResult> result = engine.Run("DESCRIBE " + std::string(kDatabase) + "." + std::string(view));
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  std::string columns;
  if (!result.ok()) return columns;
  for (size_t row = 0; row < result->rows.size(); ++row) {
    columns += result->Text(row, "column_name").value() + " " + result->Text(row, "column_type").value() + ",";
  }
  return columns;
}

// Every row of a view as text, in a fixed order.
std::string Rows(DuckDbQueryEngine& engine, std::string_view view) {
  const std::string name = std::string(kDatabase) + "." + std::string(view);
  Result<QueryResult> result = engine.Run("SELECT * FROM " + name + " ORDER BY ALL");
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  std::string text;
  if (!result.ok()) return text;
  for (const auto& row : result->rows) {
    for (const auto& cell : row) text += (cell.has_value() ? *cell : std::string("NULL")) + "|";
    text += "\n";
  }
  return text;
}

TEST(ViewsInMemoryTest, ViewsKeepColumnsAndRowsAndNoLongerReadTheFiles) {
  auto dir = std::make_unique<testing::TempDir>();
  testing::ResultsWriter(dir->path(), std::string(testing::kPrefix)).WriteRun(testing::RunA());
  DuckDbEngineOptions options;
  options.threads = 3;
  Result<std::unique_ptr<DuckDbQueryEngine>> engine =
      DuckDbQueryEngine::OpenOverResults({dir->path(), std::string(testing::kPrefix)}, testing::RepoSqlDir(),
                                         kDatabase, options);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  constexpr std::string_view kViews[] = {"sweep_shard_outcomes", "sweep_shard_metrics", "sweep_effective_parameters"};
  std::vector<std::string> columns;
  std::vector<std::string> rows;
  for (const std::string_view view : kViews) {
    columns.push_back(Describe(**engine, view));
    rows.push_back(Rows(**engine, view));
    EXPECT_NE(rows.back(), "") << view;
  }

  ASSERT_TRUE(ReadViewsIntoMemory(**engine, kDatabase, kViews).ok());
  // The copy runs on one DuckDB thread; the engine's own setting is back afterwards.
  Result<QueryResult> threads = (*engine)->Run("SELECT current_setting('threads') AS threads");
  ASSERT_TRUE(threads.ok());
  EXPECT_EQ(threads->Int64(0, "threads").value(), 3);
  dir.reset();  // the results tree is deleted: a view that still read the files would fail or come back empty
  for (size_t i = 0; i < std::size(kViews); ++i) {
    EXPECT_EQ(Describe(**engine, kViews[i]), columns[i]) << kViews[i];
    EXPECT_EQ(Rows(**engine, kViews[i]), rows[i]) << kViews[i];
  }
}

TEST(ViewsInMemoryTest, InvalidNamesAreRefused) {
  Result<std::unique_ptr<DuckDbQueryEngine>> engine = DuckDbQueryEngine::Open();
  ASSERT_TRUE(engine.ok());
  constexpr std::string_view kBadView[] = {"sweep_shard_metrics; DROP"};
  EXPECT_EQ(ReadViewsIntoMemory(**engine, kDatabase, kBadView).message(),
            "invalid view name: sweep_shard_metrics; DROP");
  constexpr std::string_view kGoodView[] = {"sweep_shard_metrics"};
  EXPECT_EQ(ReadViewsIntoMemory(**engine, "Bad-Name", kGoodView).message(), "invalid database name: Bad-Name");
}

}  // namespace
}  // namespace ridesweep::analytics
