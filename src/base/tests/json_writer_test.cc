// The canonical writer escapes strings like the earlier implementation, sorts map keys byte-wise and writes
// typed records in the order their fields are written.
#include "ridesweep/base/json_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "ridesweep/base/json_parser.h"

namespace ridesweep {
namespace {

std::string Quoted(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

TEST(JsonWriterTest, EscapesOnlyWhatTheSpecLists) {
  EXPECT_EQ(Quoted("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Quoted("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Quoted(std::string("\x00\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  EXPECT_EQ(Quoted("\x0b"), R"("\u000b")");
  EXPECT_EQ(Quoted("/\x7f"), "\"/\x7f\"");
  EXPECT_EQ(Quoted("\xC3\xA9\xE3\x80\x80"), "\"\xC3\xA9\xE3\x80\x80\"");
}

TEST(JsonWriterTest, CanonicalFormSortsKeysAtEveryDepth) {
  Result<JsonValue> v = ParseJson(R"({"b":{"z":1,"a":[{"y":true,"x":null}]},"a":-5,"Z":"s","é":1,"e":2})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(ToCanonicalJson(*v), "{\"Z\":\"s\",\"a\":-5,\"b\":{\"a\":[{\"x\":null,\"y\":true}],\"z\":1},\"e\":2,\"\xC3\xA9\":1}");
}

TEST(JsonWriterTest, RecordsKeepWrittenFieldOrder) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject()
      .Key("z")
      .Unsigned(1)
      .Key("a")
      .BeginArray()
      .Signed(-2)
      .Double(0.5)
      .Null()
      .Bool(false)
      .EndArray()
      .Key("m")
      .BeginObject()
      .EndObject()
      .Key("o")
      .OptionalUnsigned(std::nullopt)
      .Key("s")
      .OptionalString(std::string("x"))
      .Key("r")
      .Raw("[1]")
      .Key("v")
      .Value(JsonValue::Double(1e16))
      .EndObject();
  EXPECT_EQ(out, R"({"z":1,"a":[-2,0.5,null,false],"m":{},"o":null,"s":"x","r":[1],"v":1e16})");
}

TEST(JsonWriterTest, NestedArraysOfObjects) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  for (int i = 0; i < 2; ++i) w.BeginObject().Key("i").Signed(i).EndObject();
  w.BeginArray().EndArray().EndArray();
  EXPECT_EQ(out, R"([{"i":0},{"i":1},[]])");
}

TEST(JsonWriterTest, ParseThenWriteIsStableForCanonicalText) {
  const char* kTexts[] = {
      R"({"dimensions":{"commission_rate":[0.1,0.2]},"seed":42})",
      R"([null,true,"x",{"a":2,"b":1},[1],-0.0,1e-7,18446744073709551615,-9223372036854775808])",
  };
  for (const char* text : kTexts) {
    Result<JsonValue> v = ParseJson(text);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(ToCanonicalJson(*v), text);
  }
}

}  // namespace
}  // namespace ridesweep
