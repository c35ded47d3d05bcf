// DuckDbQueryEngine: one in-memory DuckDB database and connection behind the QueryEngine seam.
#include "ridesweep/analytics/duckdb_query_engine.h"

#include <duckdb.h>

#include <algorithm>
#include <utility>

namespace ridesweep::analytics {

struct DuckDbQueryEngine::Handles {
  duckdb_database database = nullptr;
  duckdb_connection connection = nullptr;

  ~Handles() {
    if (connection != nullptr) duckdb_disconnect(&connection);
    if (database != nullptr) duckdb_close(&database);
  }
};

DuckDbQueryEngine::DuckDbQueryEngine(std::unique_ptr<Handles> handles) : handles_(std::move(handles)) {}

DuckDbQueryEngine::~DuckDbQueryEngine() = default;

Result<std::unique_ptr<DuckDbQueryEngine>> DuckDbQueryEngine::Open(const DuckDbEngineOptions& options) {
  duckdb_config config = nullptr;
  if (duckdb_create_config(&config) == DuckDBError) return InternalError("cannot open DuckDB: no config");
  // Nothing is fetched from the network or loaded from ~/.duckdb: the extensions we need are built in.
  // Memory bounded by what a query holds, not by what it has read: without this DuckDB keeps the bytes of every
  // Parquet file it reads in its buffer pool (the external file cache), so a summary of a large run grew with the
  // run (4.5 GB at 20,000 points).
  std::vector<std::pair<std::string, std::string>> settings = {
      {"autoload_known_extensions", "false"},
      {"autoinstall_known_extensions", "false"},
      {"enable_external_file_cache", "false"},
  };
  if (options.threads > 0) settings.emplace_back("threads", std::to_string(options.threads));
  if (!options.memory_limit.empty()) settings.emplace_back("memory_limit", options.memory_limit);
  for (const auto& [name, value] : settings) {
    if (duckdb_set_config(config, name.c_str(), value.c_str()) == DuckDBError) {
      duckdb_destroy_config(&config);
      return InternalError("cannot open DuckDB: invalid setting " + name + "=" + value);
    }
  }
  auto handles = std::make_unique<Handles>();
  char* error = nullptr;
  const duckdb_state opened = duckdb_open_ext(nullptr, &handles->database, config, &error);
  duckdb_destroy_config(&config);
  if (opened == DuckDBError) {
    std::string reason = error != nullptr ? error : "unknown error";
    duckdb_free(error);
    handles->database = nullptr;
    return InternalError("cannot open DuckDB: " + reason);
  }
  if (duckdb_connect(handles->database, &handles->connection) == DuckDBError) {
    handles->connection = nullptr;
    return InternalError("cannot open DuckDB: connection failed");
  }
  return std::unique_ptr<DuckDbQueryEngine>(new DuckDbQueryEngine(std::move(handles)));
}

Result<std::unique_ptr<DuckDbQueryEngine>> DuckDbQueryEngine::OpenOverResults(const LocalResultsLocation& location,
                                                                              const std::filesystem::path& sql_dir,
                                                                              std::string_view database,
                                                                              const DuckDbEngineOptions& options) {
  RIDESWEEP_ASSIGN_OR_RETURN(std::unique_ptr<DuckDbQueryEngine> engine, Open(options));
  RIDESWEEP_ASSIGN_OR_RETURN(engine->empty_views_, CreateLocalViews(*engine, sql_dir, location, database));
  return engine;
}

namespace {

// Runs `statement` into `result`. FailedPrecondition `DuckDB query failed: …` (and `result` destroyed) on failure.
Status Execute(duckdb_connection connection, const std::string& statement, duckdb_result* result) {
  if (duckdb_query(connection, statement.c_str(), result) == DuckDBError) {
    const char* error = duckdb_result_error(result);
    std::string message = "DuckDB query failed: " + std::string(error != nullptr ? error : "unknown error");
    duckdb_destroy_result(result);
    return FailedPreconditionError(std::move(message));
  }
  return Status::Ok();
}

std::vector<std::string> ColumnNames(duckdb_result& result) {
  std::vector<std::string> columns;
  const idx_t column_count = duckdb_column_count(&result);
  columns.reserve(column_count);
  for (idx_t column = 0; column < column_count; ++column) {
    const char* name = duckdb_column_name(&result, column);
    columns.emplace_back(name != nullptr ? name : "");
  }
  return columns;
}

// Rows [begin, end) of `result` as text cells appended to `out`.
void AppendRows(duckdb_result& result, idx_t begin, idx_t end, QueryResult& out) {
  const idx_t column_count = duckdb_column_count(&result);
  out.rows.reserve(out.rows.size() + (end - begin));
  for (idx_t row = begin; row < end; ++row) {
    QueryRow cells;
    cells.reserve(column_count);
    for (idx_t column = 0; column < column_count; ++column) {
      if (duckdb_value_is_null(&result, column, row)) {
        cells.emplace_back(std::nullopt);
        continue;
      }
      char* text = duckdb_value_varchar(&result, column, row);
      cells.emplace_back(text != nullptr ? std::string(text) : std::string());
      duckdb_free(text);
    }
    out.rows.push_back(std::move(cells));
  }
}

}  // namespace

Result<QueryResult> DuckDbQueryEngine::Run(std::string_view sql) {
  const std::string statement(sql);
  std::lock_guard<std::mutex> lock(mutex_);
  duckdb_result result{};
  RIDESWEEP_RETURN_IF_ERROR(Execute(handles_->connection, statement, &result));
  QueryResult out;
  out.columns = ColumnNames(result);
  AppendRows(result, 0, duckdb_row_count(&result), out);
  duckdb_destroy_result(&result);
  return out;
}

Status DuckDbQueryEngine::RunInBatches(std::string_view sql, size_t batch_rows,
                                       const std::function<Status(QueryResult&& batch)>& consume) {
  const std::string statement(sql);
  std::lock_guard<std::mutex> lock(mutex_);
  duckdb_result result{};
  RIDESWEEP_RETURN_IF_ERROR(Execute(handles_->connection, statement, &result));
  const std::vector<std::string> columns = ColumnNames(result);
  const idx_t row_count = duckdb_row_count(&result);
  const idx_t step = std::max<idx_t>(batch_rows, 1);
  Status status = Status::Ok();
  idx_t begin = 0;
  do {  // an empty result still hands over its columns, once
    const idx_t end = std::min(row_count, begin + step);
    QueryResult batch;
    batch.columns = columns;
    AppendRows(result, begin, end, batch);
    status = consume(std::move(batch));
    begin = end;
  } while (status.ok() && begin < row_count);
  duckdb_destroy_result(&result);
  return status;
}

}  // namespace ridesweep::analytics
