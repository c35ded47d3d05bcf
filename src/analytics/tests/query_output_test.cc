// The json, table and markdown writers of `ridesweep query --format` on one result with NULLs, numbers, booleans,
// text that only looks numeric, and characters that need escaping.
#include "ridesweep/analytics/query_output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ridesweep::analytics {
namespace {

QueryResult Sample() {
  QueryResult r;
  r.columns = {"name", "n", "x", "ok"};
  r.rows = {{"a|b", "12", "-1.5e3", "true"}, {std::nullopt, "007", "±2", std::nullopt}};
  return r;
}

std::string Write(OutputFormat format) {
  std::ostringstream out;
  WriteQueryResult(out, Sample(), format);
  return out.str();
}

TEST(QueryOutputTest, ParsesTheFourNames) {
  EXPECT_EQ(ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_EQ(ParseOutputFormat("json"), OutputFormat::kJson);
  EXPECT_EQ(ParseOutputFormat("table"), OutputFormat::kTable);
  EXPECT_EQ(ParseOutputFormat("markdown"), OutputFormat::kMarkdown);
  EXPECT_FALSE(ParseOutputFormat("xml").has_value());
}

TEST(QueryOutputTest, JsonTypesNumbersAndBooleansAndKeepsOtherTextAsStrings) {
  EXPECT_EQ(Write(OutputFormat::kJson),
            R"([{"name":"a|b","n":12,"x":-1.5e3,"ok":true},{"name":null,"n":"007","x":"±2","ok":null}])"
            "\n");
}

TEST(QueryOutputTest, TablePadsColumnsByCharacters) {
  EXPECT_EQ(Write(OutputFormat::kTable),
            "name  n    x       ok\n"
            "----  ---  ------  ----\n"
            "a|b   12   -1.5e3  true\n"
            "      007  ±2      \n");
}

TEST(QueryOutputTest, MarkdownEscapesPipes) {
  EXPECT_EQ(Write(OutputFormat::kMarkdown),
            "| name | n | x | ok |\n"
            "| --- | --- | --- | --- |\n"
            "| a\\|b | 12 | -1.5e3 | true |\n"
            "|  | 007 | ±2 |  |\n");
}

TEST(QueryOutputTest, CsvIsTheQueryResultCsv) { EXPECT_EQ(Write(OutputFormat::kCsv), ToCsv(Sample())); }

// Issue 14: batch by batch (one row per batch, then an empty last batch) gives the bytes of the whole result, in
// every format; so does a result with no row at all (one empty batch), whose header still prints.
TEST(QueryOutputTest, BatchesWriteTheSameBytesAsTheWholeResult) {
  for (OutputFormat format : {OutputFormat::kCsv, OutputFormat::kJson, OutputFormat::kTable,
                              OutputFormat::kMarkdown}) {
    std::ostringstream out;
    QueryOutputWriter writer(out, format);
    const QueryResult whole = Sample();
    for (const QueryRow& row : whole.rows) writer.Write(QueryResult{whole.columns, {row}});
    writer.Write(QueryResult{whole.columns, {}});
    writer.Finish();
    EXPECT_EQ(out.str(), Write(format)) << static_cast<int>(format);

    QueryResult empty;
    empty.columns = whole.columns;
    std::ostringstream whole_empty;
    WriteQueryResult(whole_empty, empty, format);
    std::ostringstream batched_empty;
    QueryOutputWriter empty_writer(batched_empty, format);
    empty_writer.Write(QueryResult(empty));
    empty_writer.Finish();
    EXPECT_EQ(batched_empty.str(), whole_empty.str()) << static_cast<int>(format);
    EXPECT_NE(batched_empty.str(), "") << static_cast<int>(format);
  }
  std::ostringstream json;
  QueryOutputWriter writer(json, OutputFormat::kJson);
  writer.Write(QueryResult{{"n"}, {}});
  writer.Finish();
  EXPECT_EQ(json.str(), "[]\n");
}

}  // namespace
}  // namespace ridesweep::analytics
