// The csv, json, table and markdown writers of a query result.
#include "ridesweep/analytics/query_output.h"

#include <algorithm>
#include <iterator>
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

// One row as a JSON object, keys in column order.
void AppendJsonRow(std::string* text, const std::vector<std::string>& columns, const QueryRow& row) {
  JsonWriter w(text);
  w.BeginObject();
  for (size_t c = 0; c < columns.size() && c < row.size(); ++c) {
    w.Key(columns[c]);
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

template <typename Cells>
void WriteMarkdownLine(std::ostream& out, const Cells& cells) {
  out << '|';
  for (const auto& cell : cells) out << ' ' << MarkdownCell(QueryCell(cell).value_or("")) << " |";
  out << '\n';
}

void WriteMarkdownHeader(std::ostream& out, const std::vector<std::string>& columns) {
  WriteMarkdownLine(out, columns);
  out << '|';
  for (size_t c = 0; c < columns.size(); ++c) out << " --- |";
  out << '\n';
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json") return OutputFormat::kJson;
  if (name == "table") return OutputFormat::kTable;
  if (name == "markdown") return OutputFormat::kMarkdown;
  return std::nullopt;
}

QueryOutputWriter::QueryOutputWriter(std::ostream& out, OutputFormat format) : out_(out), format_(format) {}

bool QueryOutputWriter::WriteStreamed(const QueryResult& batch) {
  const bool first = !started_;
  started_ = true;
  switch (format_) {
    case OutputFormat::kCsv:
      WriteCsvLines(out_, batch, first);
      return true;
    case OutputFormat::kJson: {
      std::string text = first ? "[" : "";
      for (const QueryRow& row : batch.rows) {
        if (rows_written_++ > 0) text += ',';
        AppendJsonRow(&text, batch.columns, row);
      }
      out_ << text;
      return true;
    }
    case OutputFormat::kTable:
      if (first) table_.columns = batch.columns;
      return false;
    case OutputFormat::kMarkdown:
      if (first) WriteMarkdownHeader(out_, batch.columns);
      for (const QueryRow& row : batch.rows) WriteMarkdownLine(out_, row);
      return true;
  }
  return true;
}

void QueryOutputWriter::Write(const QueryResult& batch) {
  if (!WriteStreamed(batch)) table_.rows.insert(table_.rows.end(), batch.rows.begin(), batch.rows.end());
}

void QueryOutputWriter::Write(QueryResult&& batch) {
  if (!WriteStreamed(batch)) std::move(batch.rows.begin(), batch.rows.end(), std::back_inserter(table_.rows));
}

void QueryOutputWriter::Finish() {
  if (format_ == OutputFormat::kJson) out_ << (started_ ? "]\n" : "[]\n");
  if (format_ == OutputFormat::kTable) WriteTable(out_, table_);
}

void WriteQueryResult(std::ostream& out, const QueryResult& result, OutputFormat format) {
  if (format == OutputFormat::kTable) {  // from the result itself: the writer would copy its rows
    WriteTable(out, result);
    return;
  }
  QueryOutputWriter writer(out, format);
  writer.Write(result);
  writer.Finish();
}

}  // namespace ridesweep::analytics
