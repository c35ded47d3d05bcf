// QueryResult cell access and the CSV writer.
#include "ridesweep/analytics/query_result.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <sstream>

namespace ridesweep::analytics {
namespace {

Status NotAType(std::string_view column, std::string_view type, std::string_view text) {
  return FailedPreconditionError("column " + std::string(column) + " is not a " + std::string(type) + ": " +
                                 std::string(text));
}

}  // namespace

std::optional<size_t> QueryResult::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  return std::nullopt;
}

Result<QueryCell> QueryResult::Cell(size_t row, std::string_view column) const {
  const std::optional<size_t> index = ColumnIndex(column);
  if (!index.has_value()) return NotFoundError("no column " + std::string(column) + " in the query result");
  if (row >= rows.size()) {
    return NotFoundError("row " + std::to_string(row) + " is beyond the " + std::to_string(rows.size()) +
                         " rows of the query result");
  }
  return rows[row][*index];
}

Result<std::string> QueryResult::Text(size_t row, std::string_view column) const {
  RIDESWEEP_ASSIGN_OR_RETURN(QueryCell cell, Cell(row, column));
  if (!cell.has_value()) return FailedPreconditionError("column " + std::string(column) + " is NULL");
  return std::move(*cell);
}

Result<int64_t> QueryResult::Int64(size_t row, std::string_view column) const {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string text, Text(row, column));
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return NotAType(column, "BIGINT", text);
  return value;
}

Result<double> QueryResult::Double(size_t row, std::string_view column) const {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string text, Text(row, column));
  if (text.empty()) return NotAType(column, "DOUBLE", text);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return NotAType(column, "DOUBLE", text);
  return value;
}

Result<bool> QueryResult::Bool(size_t row, std::string_view column) const {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string text, Text(row, column));
  if (text == "true") return true;
  if (text == "false") return false;
  return NotAType(column, "BOOLEAN", text);
}

std::string CsvField(const QueryCell& cell) {
  if (!cell.has_value()) return {};
  const std::string& text = *cell;
  if (!text.empty() && text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

void WriteCsv(std::ostream& out, const QueryResult& result) { WriteCsvLines(out, result, /*with_header=*/true); }

void WriteCsvLines(std::ostream& out, const QueryResult& result, bool with_header) {
  auto write_line = [&out](const auto& cells) {
    bool first = true;
    for (const auto& cell : cells) {
      if (!first) out << ',';
      out << CsvField(QueryCell(cell));
      first = false;
    }
    out << '\n';
  };
  if (with_header) write_line(result.columns);
  for (const QueryRow& row : result.rows) write_line(row);
}

std::string ToCsv(const QueryResult& result) {
  std::ostringstream out;
  WriteCsv(out, result);
  return out.str();
}

}  // namespace ridesweep::analytics
