// DuckDbQueryEngine: rows and NULLs come back as text, doubles round-trip, failures carry DuckDB's message,
// options reach the database, and the engine never auto-loads extensions.
#include "ridesweep/analytics/duckdb_query_engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>

namespace ridesweep::analytics {
namespace {

std::unique_ptr<DuckDbQueryEngine> OpenEngine(const DuckDbEngineOptions& options = {}) {
  Result<std::unique_ptr<DuckDbQueryEngine>> engine = DuckDbQueryEngine::Open(options);
  EXPECT_TRUE(engine.ok()) << engine.status().ToString();
  return engine.ok() ? std::move(engine).value() : nullptr;
}

TEST(DuckDbQueryEngineTest, ReturnsColumnsRowsAndNulls) {
  auto engine = OpenEngine();
  ASSERT_NE(engine, nullptr);
  Result<QueryResult> result = engine->Run(
      "SELECT * FROM (VALUES (1, 'a', NULL::VARCHAR, true), (2, '', 'x', false)) AS t(n, s, maybe, flag) "
      "ORDER BY n");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->columns, (std::vector<std::string>{"n", "s", "maybe", "flag"}));
  ASSERT_EQ(result->rows.size(), 2u);
  EXPECT_EQ(result->rows[0], (QueryRow{"1", "a", std::nullopt, "true"}));
  EXPECT_EQ(result->rows[1], (QueryRow{"2", "", "x", "false"}));
}

// Batches: the same rows as Run, in order, at most batch_rows each; an empty result is one batch with its
// columns; the consumer's error stops the batches and comes back; a failing statement fails like Run.
TEST(DuckDbQueryEngineTest, RunInBatchesHandsOverEveryRowInOrder) {
  auto engine = OpenEngine();
  ASSERT_NE(engine, nullptr);
  const std::string sql =
      "SELECT i, CASE WHEN i % 2 = 0 THEN NULL ELSE 'v' || i END AS s FROM range(5) t(i) ORDER BY i";
  Result<QueryResult> whole = engine->Run(sql);
  ASSERT_TRUE(whole.ok());
  QueryResult joined;
  std::vector<size_t> sizes;
  ASSERT_TRUE(engine
                  ->RunInBatches(sql, 2,
                                 [&](QueryResult&& batch) {
                                   joined.columns = batch.columns;
                                   sizes.push_back(batch.rows.size());
                                   for (QueryRow& row : batch.rows) joined.rows.push_back(std::move(row));
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 2, 1}));
  EXPECT_EQ(joined, *whole);

  std::vector<std::vector<std::string>> empty_columns;
  ASSERT_TRUE(engine
                  ->RunInBatches("SELECT 1 AS a WHERE false", 10,
                                 [&](QueryResult&& batch) {
                                   EXPECT_TRUE(batch.rows.empty());
                                   empty_columns.push_back(batch.columns);
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(empty_columns, (std::vector<std::vector<std::string>>{{"a"}}));

  size_t calls = 0;
  const Status stopped = engine->RunInBatches(sql, 2, [&](QueryResult&&) {
    ++calls;
    return InvalidArgumentError("enough");
  });
  EXPECT_EQ(stopped.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(calls, 1u);

  const Status failed = engine->RunInBatches("SELECT * FROM no_such_table", 2, [](QueryResult&&) {
    ADD_FAILURE() << "no batch for a failing statement";
    return Status::Ok();
  });
  EXPECT_EQ(failed.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(failed.message().find("DuckDB query failed: "), std::string::npos);
}

// An engine without batches of its own hands the whole result over once.
TEST(DuckDbQueryEngineTest, DefaultRunInBatchesIsOneBatch) {
  class OneRowEngine final : public QueryEngine {
   public:
    Result<QueryResult> Run(std::string_view) override { return QueryResult{{"a"}, {{"1"}, {"2"}, {"3"}}}; }
  };
  OneRowEngine engine;
  std::vector<size_t> sizes;
  ASSERT_TRUE(engine
                  .RunInBatches("SELECT", 1,
                                [&](QueryResult&& batch) {
                                  sizes.push_back(batch.rows.size());
                                  return Status::Ok();
                                })
                  .ok());
  EXPECT_EQ(sizes, (std::vector<size_t>{3}));
}

TEST(DuckDbQueryEngineTest, DoublesRoundTripThroughText) {
  auto engine = OpenEngine();
  ASSERT_NE(engine, nullptr);
  const double values[] = {0.1, 1.0 / 3.0, 123456.789e10, 5e-324, 0.30000000000000004, 2.0};
  for (double value : values) {
    char sql[128];
    std::snprintf(sql, sizeof(sql), "SELECT CAST(%.17g AS DOUBLE) AS x", value);
    Result<QueryResult> result = engine->Run(sql);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->Double(0, "x").value(), value) << *result->rows[0][0];
  }
}

TEST(DuckDbQueryEngineTest, FailuresCarryDuckDbMessage) {
  auto engine = OpenEngine();
  ASSERT_NE(engine, nullptr);
  Result<QueryResult> result = engine->Run("SELECT * FROM no_such_table");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(result.status().message().starts_with("DuckDB query failed: ")) << result.status().message();
  EXPECT_NE(result.status().message().find("no_such_table"), std::string::npos);
  // The connection stays usable after a failure.
  EXPECT_TRUE(engine->Run("SELECT 1").ok());
}

TEST(DuckDbQueryEngineTest, OptionsReachTheDatabase) {
  DuckDbEngineOptions options;
  options.threads = 1;
  options.memory_limit = "256MB";
  auto engine = OpenEngine(options);
  ASSERT_NE(engine, nullptr);
  Result<QueryResult> result =
      engine->Run("SELECT current_setting('threads') AS threads, current_setting('autoinstall_known_extensions') "
                  "AS autoinstall, current_setting('autoload_known_extensions') AS autoload, "
                  "current_setting('enable_external_file_cache') AS file_cache");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->Int64(0, "threads").value(), 1);
  EXPECT_FALSE(result->Bool(0, "autoinstall").value());
  EXPECT_FALSE(result->Bool(0, "autoload").value());
  // The bytes of the Parquet files read are not kept: memory follows a query, not the run it reads.
  EXPECT_FALSE(result->Bool(0, "file_cache").value());

  DuckDbEngineOptions bad;
  bad.memory_limit = "lots";
  Result<std::unique_ptr<DuckDbQueryEngine>> refused = DuckDbQueryEngine::Open(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().message().starts_with("cannot open DuckDB: ")) << refused.status().message();
}

TEST(DuckDbQueryEngineTest, TimestampMacroNeedsOnlyBuiltInIcu) {
  auto engine = OpenEngine();
  ASSERT_NE(engine, nullptr);
  ASSERT_TRUE(engine->Run("CREATE OR REPLACE TEMP MACRO from_iso8601_timestamp(s) AS "
                          "CAST(s AS TIMESTAMP WITH TIME ZONE)")
                  .ok());
  Result<QueryResult> result = engine->Run(
      "SELECT date_diff('second', from_iso8601_timestamp('2026-02-14T10:00:00.000000+00:00'), "
      "from_iso8601_timestamp('2026-02-14T11:00:30.500000+01:00')) AS seconds");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->Int64(0, "seconds").value(), 30);
}

}  // namespace
}  // namespace ridesweep::analytics
