// QueryResult: typed cell reads and the CSV writer (header, RFC 4180 quoting, NULL vs empty string).
#include "ridesweep/analytics/query_result.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ridesweep::analytics {
namespace {

TEST(CsvTest, QuotesOnlyWhatRfc4180Requires) {
  struct Case {
    QueryCell cell;
    const char* csv;
  } const cases[] = {
      {"plain", "plain"},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"line\nbreak", "\"line\nbreak\""},
      {"carriage\rreturn", "\"carriage\rreturn\""},
      {"", "\"\""},           // empty string: quoted, so it differs from NULL
      {std::nullopt, ""},     // NULL: empty field
      {" spaced ", " spaced "},
      {"it's", "it's"},
  };
  for (const Case& c : cases) EXPECT_EQ(CsvField(c.cell), c.csv) << (c.cell ? *c.cell : "<NULL>");
}

TEST(CsvTest, WritesHeaderThenRows) {
  QueryResult result;
  result.columns = {"error_code", "occurrences", "example, message"};
  result.rows = {{"timeout", "3", "took \"too\" long"}, {std::nullopt, "1", ""}};
  EXPECT_EQ(ToCsv(result),
            "error_code,occurrences,\"example, message\"\n"
            "timeout,3,\"took \"\"too\"\" long\"\n"
            ",1,\"\"\n");
  QueryResult empty;
  empty.columns = {"a"};
  EXPECT_EQ(ToCsv(empty), "a\n");
  // A later batch of the same result: its rows without the header.
  std::ostringstream later;
  WriteCsvLines(later, result, /*with_header=*/false);
  EXPECT_EQ(later.str(), "timeout,3,\"took \"\"too\"\" long\"\n,1,\"\"\n");
}

TEST(QueryResultTest, TypedReads) {
  QueryResult result;
  result.columns = {"n", "x", "b", "s", "null"};
  result.rows = {{"-42", "0.1", "true", "text", std::nullopt}};
  EXPECT_EQ(result.ColumnIndex("b"), 2u);
  EXPECT_FALSE(result.ColumnIndex("missing").has_value());
  EXPECT_EQ(result.Int64(0, "n").value(), -42);
  EXPECT_EQ(result.Double(0, "x").value(), 0.1);
  EXPECT_TRUE(result.Bool(0, "b").value());
  EXPECT_EQ(result.Text(0, "s").value(), "text");
  EXPECT_FALSE(result.Cell(0, "null").value().has_value());

  EXPECT_EQ(result.Int64(0, "null").status().message(), "column null is NULL");
  EXPECT_EQ(result.Int64(0, "x").status().message(), "column x is not a BIGINT: 0.1");
  EXPECT_EQ(result.Bool(0, "s").status().message(), "column s is not a BOOLEAN: text");
  EXPECT_EQ(result.Double(0, "s").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(result.Int64(0, "missing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(result.Int64(1, "n").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace ridesweep::analytics
