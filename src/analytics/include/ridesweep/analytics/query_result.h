// QueryResult is what every query engine returns (DuckDB locally, Athena in the cloud): column names and rows of
// cells as text, NULL as std::nullopt. Text keeps both engines comparable and is what `ridesweep query` prints
// as CSV (WriteCsv). Plain value; copy freely.
#ifndef RIDESWEEP_ANALYTICS_QUERY_RESULT_H_
#define RIDESWEEP_ANALYTICS_QUERY_RESULT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

using QueryCell = std::optional<std::string>;
using QueryRow = std::vector<QueryCell>;

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<QueryRow> rows;  // each has columns.size() cells

  // Position of the first column with this name; nullopt when there is none.
  std::optional<size_t> ColumnIndex(std::string_view name) const;

  // Typed reads of one cell by column name. NotFound when the column does not exist or row >= rows.size();
  // FailedPrecondition `column <name> is NULL` / `column <name> is not a <type>: <text>` otherwise.
  // Integers accept decimal text; booleans `true`/`false`; doubles anything strtod reads in full (inf, nan too).
  Result<std::string> Text(size_t row, std::string_view column) const;
  Result<int64_t> Int64(size_t row, std::string_view column) const;
  Result<double> Double(size_t row, std::string_view column) const;
  Result<bool> Bool(size_t row, std::string_view column) const;
  // The cell, NULL included. NotFound like the others.
  Result<QueryCell> Cell(size_t row, std::string_view column) const;

  friend bool operator==(const QueryResult&, const QueryResult&) = default;
};

// CSV with a header line, RFC 4180 quoting: a field is quoted when it contains `,`, `"`, CR or LF, or is the empty
// string; quotes inside are doubled. NULL is an empty unquoted field, so NULL and '' stay distinguishable (as in
// Athena's CSV results). Lines end with '\n'.
void WriteCsv(std::ostream& out, const QueryResult& result);
// The same lines, the header only when `with_header`: one batch of a result after another.
void WriteCsvLines(std::ostream& out, const QueryResult& result, bool with_header);
std::string ToCsv(const QueryResult& result);
// One field, quoted as above (NULL → empty).
std::string CsvField(const QueryCell& cell);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_QUERY_RESULT_H_
