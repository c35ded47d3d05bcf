// The csv, json, table and markdown writers of a query result.
#include "ridesweep/analytics/query_output.h"

#include <algorithm>
#include <string>
#include <vector>

#include "ridesweep/base/json_writer.h"

namespace ridesweep::analytics {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The JSON number grammar (RFC 8259 §6): -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return false;
  if (s[i] == '0') {
    ++i;
  } else if (IsDigit(s[i])) {
    while (i < s.size() && IsDigit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !IsDigit(s[i])) return false;
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !IsDigit(s[i])) return false;
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  return i == s.size();
}

void WriteJson(std::ostream& out, const QueryResult& result) {
  std::string text;
  JsonWriter w(&text);
  w.BeginArray();
  for (const QueryRow& row : result.rows) {
    w.BeginObject();
    for (size_t c = 0; c < result.columns.size() && c < row.size(); ++c) {
      w.Key(result.columns[c]);
      const QueryCell& cell = row[c];
      if (!cell.has_value()) {
        w.Null();
      } else if (*cell == "true" || *cell == "false") {
        w.Bool(*cell == "true");
      } else if (IsJsonNumber(*cell)) {
        w.Raw(*cell);
      } else {
        w.String(*cell);
      }
    }
    w.EndObject();
  }
  w.EndArray();
  out << text << '\n';
}

// Width in code points (UTF-8 continuation bytes do not count), so `±` pads like one character.
size_t DisplayWidth(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void WriteTable(std::ostream& out, const QueryResult& result) {
  std::vector<size_t> widths;
  for (const std::string& name : result.columns) widths.push_back(DisplayWidth(name));
  for (const QueryRow& row : result.rows) {
    for (size_t c = 0; c < widths.size() && c < row.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c].value_or("")));
    }
  }
  const auto line = [&](const auto& cells) {
    std::string text;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < cells.size() ? std::string(QueryCell(cells[c]).value_or("")) : std::string();
      if (c > 0) text += "  ";
      text += cell;
      if (c + 1 < widths.size()) text.append(widths[c] - DisplayWidth(cell), ' ');
    }
    out << text << '\n';
  };
  line(result.columns);
  std::string rule;
  for (size_t c = 0; c < widths.size(); ++c) {
    if (c > 0) rule += "  ";
    rule.append(widths[c], '-');
  }
  out << rule << '\n';
  for (const QueryRow& row : result.rows) line(row);
}

std::string MarkdownCell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

void WriteMarkdown(std::ostream& out, const QueryResult& result) {
  const auto line = [&](const auto& cells) {
    out << '|';
    for (const auto& cell : cells) out << ' ' << MarkdownCell(QueryCell(cell).value_or("")) << " |";
    out << '\n';
  };
  line(result.columns);
  out << '|';
  for (size_t c = 0; c < result.columns.size(); ++c) out << " --- |";
  out << '\n';
  for (const QueryRow& row : result.rows) line(row);
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json") return OutputFormat::kJson;
  if (name == "table") return OutputFormat::kTable;
  if (name == "markdown") return OutputFormat::kMarkdown;
  return std::nullopt;
}

void WriteQueryResult(std::ostream& out, const QueryResult& result, OutputFormat format) {
  switch (format) {
    case OutputFormat::kCsv:
      WriteCsv(out, result);
      return;
    case OutputFormat::kJson:
      WriteJson(out, result);
      return;
    case OutputFormat::kTable:
      WriteTable(out, result);
      return;
    case OutputFormat::kMarkdown:
      WriteMarkdown(out, result);
      return;
  }
}

}  // namespace ridesweep::analytics
