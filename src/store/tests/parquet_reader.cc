// ParquetReader: DuckDB over memory files, for reading encoder output back in tests.
#include "tests/parquet_reader.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

namespace ridesweep::store::testing {

ParquetReader::ParquetReader() {
  duckdb_config config = nullptr;
  duckdb_create_config(&config);
  duckdb_set_config(config, "threads", "1");  // Rows come back in file order.
  duckdb_set_config(config, "temp_directory", "");
  duckdb_set_config(config, "autoload_known_extensions", "false");
  duckdb_set_config(config, "autoinstall_known_extensions", "false");
  char* error = nullptr;
  if (duckdb_open_ext(nullptr, &database_, config, &error) == DuckDBError) {
    ADD_FAILURE() << "cannot open DuckDB: " << (error ? error : "?");
    duckdb_free(error);
  }
  duckdb_destroy_config(&config);
  if (database_ != nullptr && duckdb_connect(database_, &connection_) == DuckDBError) {
    ADD_FAILURE() << "cannot connect to DuckDB";
  }
}

ParquetReader::~ParquetReader() {
  if (connection_ != nullptr) duckdb_disconnect(&connection_);
  if (database_ != nullptr) duckdb_close(&database_);
  for (int fd : fds_) ::close(fd);
}

std::string ParquetReader::Load(std::string_view bytes) {
  const int fd = ::memfd_create("parquet-reader", MFD_CLOEXEC);
  if (fd < 0) {
    ADD_FAILURE() << "memfd_create failed";
    return "''";
  }
  fds_.push_back(fd);
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) {
      ADD_FAILURE() << "write to memfd failed";
      break;
    }
    written += static_cast<size_t>(n);
  }
  return "'/proc/self/fd/" + std::to_string(fd) + "'";
}

std::vector<Row> ParquetReader::Query(const std::string& sql) {
  std::vector<Row> rows;
  duckdb_result result{};
  if (duckdb_query(connection_, sql.c_str(), &result) == DuckDBError) {
    const char* error = duckdb_result_error(&result);
    ADD_FAILURE() << "query failed: " << sql << "\n" << (error ? error : "?");
    duckdb_destroy_result(&result);
    return rows;
  }
  const idx_t row_count = duckdb_row_count(&result);
  const idx_t column_count = duckdb_column_count(&result);
  for (idx_t row = 0; row < row_count; ++row) {
    Row cells;
    for (idx_t column = 0; column < column_count; ++column) {
      if (duckdb_value_is_null(&result, column, row)) {
        cells.emplace_back(std::nullopt);
        continue;
      }
      char* text = duckdb_value_varchar(&result, column, row);
      cells.emplace_back(text != nullptr ? std::string(text) : std::string());
      duckdb_free(text);
    }
    rows.push_back(std::move(cells));
  }
  duckdb_destroy_result(&result);
  return rows;
}

std::string ParquetReader::Scalar(const std::string& sql) {
  const std::vector<Row> rows = Query(sql);
  if (rows.size() != 1 || rows[0].size() != 1 || !rows[0][0].has_value()) {
    ADD_FAILURE() << "expected one non-NULL cell from: " << sql;
    return "<error>";
  }
  return *rows[0][0];
}

}  // namespace ridesweep::store::testing
