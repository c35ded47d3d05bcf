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

}  // namespace
}  // namespace ridesweep::analytics
