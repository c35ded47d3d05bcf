// ParseJson keeps number kinds apart (§2.1), validates strings, reports serde-style positions and refuses
// pathological nesting without exhausting the stack.
#include "ridesweep/base/json_parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "ridesweep/base/json_writer.h"

namespace ridesweep {
namespace {

JsonValue ParseOk(std::string_view text) {
  Result<JsonValue> parsed = ParseJson(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().message();
  return parsed.ok() ? *parsed : JsonValue();
}

std::string ParseError(std::string_view text) {
  Result<JsonValue> parsed = ParseJson(text);
  EXPECT_FALSE(parsed.ok()) << text;
  return parsed.ok() ? std::string() : parsed.status().message();
}

TEST(JsonParserTest, IntegerTokensKeepTheirKind) {
  EXPECT_EQ(ParseOk("0").kind(), JsonValue::Kind::kUnsigned);
  EXPECT_EQ(ParseOk("18446744073709551615").as_unsigned(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(ParseOk("-1").as_signed(), -1);
  EXPECT_EQ(ParseOk("-9223372036854775808").as_signed(), std::numeric_limits<int64_t>::min());
}

TEST(JsonParserTest, OutOfRangeIntegersAndMinusZeroAreDoubles) {
  const JsonValue big = ParseOk("18446744073709551616");
  ASSERT_TRUE(big.is_double());
  EXPECT_EQ(big.as_double(), 18446744073709551616.0);
  const JsonValue very_negative = ParseOk("-9223372036854775809");
  ASSERT_TRUE(very_negative.is_double());
  EXPECT_EQ(very_negative.as_double(), -9223372036854775808.0);
  const JsonValue minus_zero = ParseOk("-0");
  ASSERT_TRUE(minus_zero.is_double());
  EXPECT_TRUE(std::signbit(minus_zero.as_double()));
}

TEST(JsonParserTest, FractionOrExponentMakesADouble) {
  EXPECT_TRUE(ParseOk("1.0").is_double());
  EXPECT_TRUE(ParseOk("1e2").is_double());
  EXPECT_EQ(ParseOk("1e2").as_double(), 100.0);
  EXPECT_EQ(ParseOk("0.30000000000000004").as_double(), 0.30000000000000004);
  EXPECT_EQ(ParseOk("1E-7").as_double(), 1e-7);
  EXPECT_EQ(ParseOk("1e-400").as_double(), 0.0);
  EXPECT_EQ(ParseError("1e400"), "number out of range at line 1 column 5");
}

TEST(JsonParserTest, CanonicalRoundTripOfTheGoldenFloatCase) {
  const JsonValue v = ParseOk("[1.0,1e2,1e16,1e-7,0.30000000000000004,-0.0,123456789012.5]");
  EXPECT_EQ(ToCanonicalJson(v), "[1.0,100.0,1e16,1e-7,0.30000000000000004,-0.0,123456789012.5]");
}

TEST(JsonParserTest, StringsDecodeEscapesAndSurrogatePairs) {
  EXPECT_EQ(ParseOk(R"("a\"\\\/\b\f\n\r\t")").as_string(), "a\"\\/\b\f\n\r\t");
  EXPECT_EQ(ParseOk(R"("\u00e9\u001f")").as_string(), "\xC3\xA9\x1F");
  EXPECT_EQ(ParseOk(R"("\ud83d\ude00")").as_string(), "\xF0\x9F\x98\x80");
  EXPECT_EQ(ParseOk("\"\xE3\x80\x80\"").as_string(), "\xE3\x80\x80");
}

TEST(JsonParserTest, LoneSurrogatesAndBadUtf8AreRejected) {
  EXPECT_EQ(ParseError(R"("\udc00")"), "lone leading surrogate in hex escape at line 1 column 7");
  EXPECT_EQ(ParseError(R"("\ud800x")"), "unexpected end of hex escape at line 1 column 8");
  EXPECT_EQ(ParseError(R"("\ud800\u0041")"), "lone leading surrogate in hex escape at line 1 column 13");
  EXPECT_EQ(ParseError("\"\xFF\""), "invalid unicode code point at line 1 column 2");
  EXPECT_EQ(ParseError("\"\xC0\xAF\""), "invalid unicode code point at line 1 column 2");     // overlong
  EXPECT_EQ(ParseError("\"\xED\xA0\x80\""), "invalid unicode code point at line 1 column 2");  // surrogate
  EXPECT_EQ(ParseError("\"\xF4\x90\x80\x80\""), "invalid unicode code point at line 1 column 2");
  EXPECT_EQ(ParseError("\"a\x01\""), "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3");
  EXPECT_EQ(ParseError(R"("\x")"), "invalid escape at line 1 column 3");
}

TEST(JsonParserTest, LastDuplicateKeyWinsAndKeepsFirstPosition) {
  const JsonValue v = ParseOk(R"({"a":1,"b":2,"a":3})");
  const JsonObject& o = v.as_object();
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o.members()[0].key, "a");
  EXPECT_EQ(o.members()[0].value.as_unsigned(), 3u);
  EXPECT_EQ(o.members()[1].key, "b");
}

TEST(JsonParserTest, LastDuplicateKeyWinsInLargeObjects) {
  std::string text = "{";
  for (int i = 0; i < 100; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  text += "\"k7\":\"last\"}";
  const JsonValue v = ParseOk(text);
  ASSERT_EQ(v.as_object().size(), 100u);
  EXPECT_EQ(v.as_object().Find("k7")->as_string(), "last");
  EXPECT_EQ(v.as_object().members()[7].key, "k7");
}

TEST(JsonParserTest, ObjectsRecordClosingBracePositions) {
  const std::string text = "{\"run_id\":\"x\"}";
  const JsonValue v = ParseOk(text);
  const JsonTextPosition end = JsonTextPositionAt(text, v.as_object().end_offset());
  EXPECT_EQ(end.line, 1u);
  EXPECT_EQ(end.column, 14u);
  EXPECT_EQ(v.as_object().members()[0].value_end_offset, 13u);

  const std::string multi = "{\n  \"a\": [1,\n 2]\n}";
  const JsonValue m = ParseOk(multi);
  const JsonTextPosition multi_end = JsonTextPositionAt(multi, m.as_object().end_offset());
  EXPECT_EQ(multi_end.line, 4u);
  EXPECT_EQ(multi_end.column, 1u);
}

struct ErrorCase {
  const char* text;
  const char* message;
};

// serde_json wording and positions for the common syntax errors.
constexpr ErrorCase kErrorCases[] = {
    {"", "EOF while parsing a value at line 1 column 0"},
    {"   ", "EOF while parsing a value at line 1 column 3"},
    {"x", "expected value at line 1 column 1"},
    {"[1,2", "EOF while parsing a list at line 1 column 4"},
    {"{", "EOF while parsing an object at line 1 column 1"},
    {"{\"a\"", "EOF while parsing an object at line 1 column 4"},
    {"{\"a\" 1}", "expected `:` at line 1 column 6"},
    {"{\"a\":1 \"b\":2}", "expected `,` or `}` at line 1 column 8"},
    {"[1 2]", "expected `,` or `]` at line 1 column 4"},
    {"{1:2}", "key must be a string at line 1 column 2"},
    {"[1,]", "trailing comma at line 1 column 4"},
    {"{\"a\":1,}", "trailing comma at line 1 column 8"},
    {"{} x", "trailing characters at line 1 column 4"},
    {"tru", "EOF while parsing a value at line 1 column 3"},
    {"trux", "expected ident at line 1 column 4"},
    {"01", "invalid number at line 1 column 2"},
    {"-x", "invalid number at line 1 column 2"},
    {"1.x", "invalid number at line 1 column 3"},
    {"1e+", "EOF while parsing a value at line 1 column 3"},
    {"\"abc", "EOF while parsing a string at line 1 column 4"},
    {"[\n1,\nx]", "expected value at line 3 column 1"},
};

TEST(JsonParserTest, SyntaxErrorsUseSerdeWordingAndPositions) {
  for (const ErrorCase& c : kErrorCases) EXPECT_EQ(ParseError(c.text), c.message) << c.text;
}

TEST(JsonParserTest, ErrorDetailsAreReported) {
  JsonParseError error;
  ASSERT_FALSE(ParseJson("[1,\n  x]", &error).ok());
  EXPECT_EQ(error.description, "expected value");
  EXPECT_EQ(error.position.line, 2u);
  EXPECT_EQ(error.position.column, 3u);
}

TEST(JsonParserTest, DeepNestingIsRejectedWithoutStackOverflow) {
  const std::string deep(1'000'000, '[');
  EXPECT_EQ(ParseError(deep), "recursion limit exceeded at line 1 column 128");
  const std::string ok_depth = std::string(kJsonMaxNestingDepth, '[') + std::string(kJsonMaxNestingDepth, ']');
  EXPECT_TRUE(ParseJson(ok_depth).ok());
  const std::string too_deep = std::string(kJsonMaxNestingDepth + 1, '{');
  EXPECT_FALSE(ParseJson(too_deep).ok());
}

TEST(JsonParserTest, WhitespaceIsOnlyTheFourJsonCharacters) {
  EXPECT_TRUE(ParseJson(" \t\r\n1 \t\r\n").ok());
  EXPECT_FALSE(ParseJson("\f1").ok());
  EXPECT_FALSE(ParseJson("\xC2\xA0" "1").ok());
}

TEST(JsonParserTest, EqualityDistinguishesKindsAndZeroSigns) {
  EXPECT_FALSE(ParseOk("1") == ParseOk("1.0"));
  EXPECT_FALSE(ParseOk("0.0") == ParseOk("-0.0"));
  EXPECT_TRUE(ParseOk(R"({"a":[1,{"b":null}]})") == ParseOk(R"({"a":[1,{"b":null}]})"));
}

}  // namespace
}  // namespace ridesweep
