// DuckDbQueryEngine is the local query engine (spec/sweep.md §11.3): one in-memory DuckDB database with one
// connection. Open() gives a bare engine; OpenOverResults() also maps the six Athena tables onto a local results
// directory (local_views.h), after which every query_*.sql file runs unchanged. Reading the directory straight
// with read_parquet suits LocalDirStore; results held elsewhere (S3) are meant to be copied into a directory
// first, so the engine only ever needs a directory root and a prefix.
//
// Threading: thread-safe; calls are serialised on the one connection. Extensions are never downloaded or
// auto-loaded (parquet, json and icu are built into the library).
#ifndef RIDESWEEP_ANALYTICS_DUCKDB_QUERY_ENGINE_H_
#define RIDESWEEP_ANALYTICS_DUCKDB_QUERY_ENGINE_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/local_views.h"
#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

struct DuckDbEngineOptions {
  uint32_t threads = 0;      // DuckDB worker threads; 0 = DuckDB's default (one per hardware thread)
  std::string memory_limit;  // e.g. "2GB"; empty = DuckDB's default
};

class DuckDbQueryEngine final : public QueryEngine {
 public:
  // An empty in-memory database. kInternal `cannot open DuckDB: <reason>` on failure (e.g. a bad option).
  static Result<std::unique_ptr<DuckDbQueryEngine>> Open(const DuckDbEngineOptions& options = {});

  // Open() + CreateLocalViews(): the engine over one results directory. Errors as both; the views that came
  // out empty (datasets without files) are in empty_views().
  static Result<std::unique_ptr<DuckDbQueryEngine>> OpenOverResults(const LocalResultsLocation& location,
                                                                    const std::filesystem::path& sql_dir,
                                                                    std::string_view database,
                                                                    const DuckDbEngineOptions& options = {});

  ~DuckDbQueryEngine() override;
  DuckDbQueryEngine(const DuckDbQueryEngine&) = delete;
  DuckDbQueryEngine& operator=(const DuckDbQueryEngine&) = delete;

  // Cells come back as DuckDB's text form of each value (DOUBLE: shortest round-trip text; BOOLEAN: true/false).
  // FailedPrecondition `DuckDB query failed: <DuckDB's error>` when the statement fails.
  Result<QueryResult> Run(std::string_view sql) override;
  // DuckDB keeps the result in its columnar form; each batch is turned into text only when handed over.
  Status RunInBatches(std::string_view sql, size_t batch_rows,
                      const std::function<Status(QueryResult&& batch)>& consume) override;

  // Views created empty by OpenOverResults (athena/README.md step 3), in views.sql order.
  const std::vector<std::string>& empty_views() const { return empty_views_; }

 private:
  struct Handles;
  explicit DuckDbQueryEngine(std::unique_ptr<Handles> handles);

  std::mutex mutex_;
  std::unique_ptr<Handles> handles_;
  std::vector<std::string> empty_views_;
};

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_DUCKDB_QUERY_ENGINE_H_
