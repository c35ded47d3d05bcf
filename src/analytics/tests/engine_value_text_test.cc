// engine_value_text.h: LocalDoubleText is DuckDB's own VARCHAR of a DOUBLE — checked against the real DuckDB for
// fixed values at every notation boundary and for thousands of random bit patterns — and Athena's Java spellings
// of DOUBLE values (1.0E7, 1.5E-4, Infinity, NaN) become that text; other types and non-numbers stay unchanged.
#include "ridesweep/analytics/engine_value_text.h"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <vector>

#include "ridesweep/analytics/duckdb_query_engine.h"

namespace ridesweep::analytics {
namespace {

std::string ShortestText(double value) {
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), end);
}

// DuckDB's VARCHAR of each value, in order.
std::vector<std::string> DuckDbTexts(const std::vector<double>& values) {
  Result<std::unique_ptr<DuckDbQueryEngine>> engine = DuckDbQueryEngine::Open({});
  EXPECT_TRUE(engine.ok()) << engine.status().ToString();
  std::string sql = "SELECT CAST(CAST(s AS DOUBLE) AS VARCHAR) AS v FROM (VALUES ";
  for (size_t i = 0; i < values.size(); ++i) {
    sql += (i > 0 ? ", (" : "(") + std::to_string(i) + ", '" + ShortestText(values[i]) + "')";
  }
  sql += ") AS t(i, s) ORDER BY i";
  Result<QueryResult> result = (*engine)->Run(sql);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  std::vector<std::string> texts;
  for (const QueryRow& row : result->rows) texts.push_back(row[0].value_or("NULL"));
  return texts;
}

TEST(EngineValueTextTest, LocalDoubleTextAtTheNotationBoundaries) {
  const std::vector<std::pair<double, std::string>> cases = {
      {0.0, "0.0"},           {-0.0, "-0.0"},         {1.0, "1.0"},
      {0.25, "0.25"},         {1e7, "10000000.0"},    {1.5e-4, "0.00015"},
      {1e-4, "0.0001"},       {1e-5, "1e-05"},        {1e15, "1000000000000000.0"},
      {1e16, "1e+16"},        {2.5e-10, "2.5e-10"},   {1.0 / 3.0, "0.3333333333333333"},
      {5e-324, "5e-324"},     {1e300, "1e+300"},      {-12345.5, "-12345.5"},
      {123456789.123, "123456789.123"},               {1.7976931348623157e308, "1.7976931348623157e+308"},
      {std::numeric_limits<double>::infinity(), "inf"}, {-std::numeric_limits<double>::infinity(), "-inf"},
      {std::numeric_limits<double>::quiet_NaN(), "nan"}};
  std::vector<double> values;
  for (const auto& [value, text] : cases) {
    EXPECT_EQ(LocalDoubleText(value), text) << ShortestText(value);
    if (std::isfinite(value)) values.push_back(value);
  }
  const std::vector<std::string> duckdb = DuckDbTexts(values);
  ASSERT_EQ(duckdb.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(LocalDoubleText(values[i]), duckdb[i]) << i;
}

TEST(EngineValueTextTest, LocalDoubleTextEqualsDuckDbForRandomValues) {
  std::mt19937_64 random(20260523);
  std::vector<double> values;
  while (values.size() < 3000) {
    const double value = std::bit_cast<double>(random());
    if (std::isfinite(value)) values.push_back(value);
    // Ordinary magnitudes too: rates, throughputs, seconds.
    values.push_back(static_cast<double>(random() % 1'000'000) / static_cast<double>(1 + random() % 9'999));
  }
  const std::vector<std::string> duckdb = DuckDbTexts(values);
  ASSERT_EQ(duckdb.size(), values.size());
  int mismatches = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (LocalDoubleText(values[i]) != duckdb[i] && ++mismatches <= 5) {
      ADD_FAILURE() << ShortestText(values[i]) << ": " << LocalDoubleText(values[i]) << " vs DuckDB " << duckdb[i];
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(EngineValueTextTest, AthenaSpellingsBecomeTheLocalText) {
  EXPECT_EQ(CanonicalDoubleText("1.0E7"), "10000000.0");
  EXPECT_EQ(CanonicalDoubleText("1.5E-4"), "0.00015");
  EXPECT_EQ(CanonicalDoubleText("2.6666666666666665"), "2.6666666666666665");
  EXPECT_EQ(CanonicalDoubleText("1.0E16"), "1e+16");
  EXPECT_EQ(CanonicalDoubleText("-0.0"), "-0.0");
  EXPECT_EQ(CanonicalDoubleText("Infinity"), "inf");
  EXPECT_EQ(CanonicalDoubleText("-Infinity"), "-inf");
  EXPECT_EQ(CanonicalDoubleText("NaN"), "nan");
  EXPECT_EQ(CanonicalDoubleText(""), std::nullopt);
  EXPECT_EQ(CanonicalDoubleText("1.5x"), std::nullopt);
  EXPECT_EQ(CanonicalDoubleText("abc"), std::nullopt);

  EXPECT_EQ(LocalEngineText("double", "1.0E7"), "10000000.0");
  EXPECT_EQ(LocalEngineText("DOUBLE", "1.0"), "1.0");
  EXPECT_EQ(LocalEngineText("double", "not a number"), "not a number");
  EXPECT_EQ(LocalEngineText("bigint", "10000000"), "10000000");
  EXPECT_EQ(LocalEngineText("varchar", "1.0E7"), "1.0E7");
  EXPECT_EQ(LocalEngineText("", "1.0E7"), "1.0E7");
}

}  // namespace
}  // namespace ridesweep::analytics
