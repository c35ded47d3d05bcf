// How `ridesweep query` prints a result: csv (query_result.h's WriteCsv, the default and the format both engines
// print byte for byte alike), json (an array of objects, one per row, keys in column order; a cell that reads as
// a JSON number or as true/false is written as that, NULL as null, anything else as a string), table (columns
// padded to their widest cell, NULL as an empty cell) or markdown (a GitHub table, `|` escaped), whole or batch by
// batch. Pure.
#ifndef RIDESWEEP_ANALYTICS_QUERY_OUTPUT_H_
#define RIDESWEEP_ANALYTICS_QUERY_OUTPUT_H_

#include <cstddef>
#include <optional>
#include <ostream>
#include <string_view>

#include "ridesweep/analytics/query_result.h"

namespace ridesweep::analytics {

enum class OutputFormat { kCsv, kJson, kTable, kMarkdown };

// "csv", "json", "table", "markdown" → the format; nullopt otherwise.
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

// Writes a result batch after batch (QueryEngine::RunInBatches), with the same bytes as WriteQueryResult of the
// whole result: csv, json and markdown go out as each batch arrives, so a large result is never held as text;
// table needs every cell's width before its first line, so it keeps the rows until Finish. The first batch's
// columns are the header. Call Finish once, after the last batch.
class QueryOutputWriter {
 public:
  QueryOutputWriter(std::ostream& out, OutputFormat format);
  void Write(const QueryResult& batch);  // table: copies the rows
  void Write(QueryResult&& batch);       // table: moves them
  void Finish();

 private:
  // csv, json, markdown: writes the batch and returns true; table: takes the header, returns false.
  bool WriteStreamed(const QueryResult& batch);

  std::ostream& out_;
  OutputFormat format_;
  bool started_ = false;
  size_t rows_written_ = 0;  // json: rows so far (commas)
  QueryResult table_;        // table: every row until Finish
};

// The whole result at once, without copying it.
void WriteQueryResult(std::ostream& out, const QueryResult& result, OutputFormat format);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_QUERY_OUTPUT_H_
