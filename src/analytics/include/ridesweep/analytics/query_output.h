// How `ridesweep query` prints a result: csv (query_result.h's WriteCsv, the default and the format both engines
// print byte for byte alike), json (an array of objects, one per row, keys in column order; a cell that reads as
// a JSON number or as true/false is written as that, NULL as null, anything else as a string), table (columns
// padded to their widest cell, NULL as an empty cell) or markdown (a GitHub table, `|` escaped). Pure.
#ifndef RIDESWEEP_ANALYTICS_QUERY_OUTPUT_H_
#define RIDESWEEP_ANALYTICS_QUERY_OUTPUT_H_

#include <optional>
#include <ostream>
#include <string_view>

#include "ridesweep/analytics/query_result.h"

namespace ridesweep::analytics {

enum class OutputFormat { kCsv, kJson, kTable, kMarkdown };

// "csv", "json", "table", "markdown" → the format; nullopt otherwise.
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

void WriteQueryResult(std::ostream& out, const QueryResult& result, OutputFormat format);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_QUERY_OUTPUT_H_
