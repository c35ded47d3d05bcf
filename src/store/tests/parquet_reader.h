// ParquetReader reads Parquet bytes back with DuckDB itself, for tests: the bytes go into an anonymous memory
// file (so reading never touches the temporary directory) and SQL such as read_parquet / parquet_schema /
// parquet_metadata runs over its /proc/self/fd path. Cells come back as text, NULL as std::nullopt.
// One thread at a time.
#ifndef RIDESWEEP_STORE_TESTS_PARQUET_READER_H_
#define RIDESWEEP_STORE_TESTS_PARQUET_READER_H_

#include <duckdb.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ridesweep::store::testing {

using Cell = std::optional<std::string>;
using Row = std::vector<Cell>;

class ParquetReader {
 public:
  ParquetReader();
  ~ParquetReader();
  ParquetReader(const ParquetReader&) = delete;
  ParquetReader& operator=(const ParquetReader&) = delete;

  // Copies `bytes` into a new memory file and returns a quoted SQL string literal of its path, e.g.
  // "'/proc/self/fd/7'". The file lives as long as the reader.
  std::string Load(std::string_view bytes);

  // Runs `sql`; a failing statement records a gtest failure and returns no rows.
  std::vector<Row> Query(const std::string& sql);
  // The only cell of a one-row, one-column result ("<error>" otherwise, with a gtest failure).
  std::string Scalar(const std::string& sql);

 private:
  duckdb_database database_ = nullptr;
  duckdb_connection connection_ = nullptr;
  std::vector<int> fds_;
};

}  // namespace ridesweep::store::testing

#endif  // RIDESWEEP_STORE_TESTS_PARQUET_READER_H_
