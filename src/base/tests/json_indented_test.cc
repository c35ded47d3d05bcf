// The indented writer keeps insertion order, writes scalars as the canonical writer does, and its output parses
// back to the same value.
#include "ridesweep/base/json_indented.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"

namespace ridesweep {
namespace {

TEST(JsonIndentedTest, KeepsInsertionOrderAndIndentsByTwo) {
  JsonValue v = JsonObjectBuilder()
                    .Add("z", JsonValue::Unsigned(1))
                    .Add("a", JsonValue::Array({JsonValue::Double(0.5), JsonValue::Null()}))
                    .Add("m", JsonValue::Object())
                    .Add("e", JsonValue::Array())
                    .Build();
  EXPECT_EQ(ToIndentedJson(v), "{\n  \"z\": 1,\n  \"a\": [\n    0.5,\n    null\n  ],\n  \"m\": {},\n  \"e\": []\n}");
}

TEST(JsonIndentedTest, RoundTripsThroughTheParser) {
  const std::string text = R"({"b":{"z":-1,"a":[{"y":true,"x":"q\"\n"}]},"a":1e300,"c":0.1})";
  Result<JsonValue> parsed = ParseJson(text);
  ASSERT_TRUE(parsed.ok());
  Result<JsonValue> again = ParseJson(ToIndentedJson(*parsed));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, *parsed);
  EXPECT_EQ(ToCanonicalJson(*again), ToCanonicalJson(*parsed));
}

TEST(JsonIndentedTest, BuilderReplacesARepeatedKeyInPlace) {
  JsonValue v = JsonObjectBuilder().Add("a", JsonValue::Unsigned(1)).Add("b", JsonValue::Bool(true))
                    .Add("a", JsonValue::Unsigned(2)).Build();
  EXPECT_EQ(ToIndentedJson(v), "{\n  \"a\": 2,\n  \"b\": true\n}");
}

TEST(JsonIndentedTest, OneLineKeepsOrderWithoutWhitespace) {
  JsonValue v = JsonObjectBuilder().Add("z", JsonValue::Array({JsonValue::Unsigned(1), JsonValue::Object()}))
                    .Add("a", JsonValue::String("x y")).Build();
  EXPECT_EQ(ToOneLineJson(v), R"({"z":[1,{}],"a":"x y"})");
}

TEST(JsonIndentedTest, JsonOfPicksTheKindOfTheCxxType) {
  EXPECT_EQ(JsonOf(uint32_t{7}), JsonValue::Unsigned(7));
  EXPECT_EQ(JsonOf(int64_t{-7}), JsonValue::Signed(-7));
  EXPECT_EQ(JsonOf(int64_t{7}), JsonValue::Unsigned(7));
  EXPECT_EQ(JsonOf(0.25), JsonValue::Double(0.25));
  EXPECT_EQ(JsonOf(true), JsonValue::Bool(true));
  EXPECT_EQ(JsonOf(std::string("s")), JsonValue::String("s"));
  EXPECT_EQ(JsonOf(std::optional<double>()), JsonValue::Null());
  EXPECT_EQ(JsonOf(std::optional<int64_t>(-3)), JsonValue::Signed(-3));
}

}  // namespace
}  // namespace ridesweep
