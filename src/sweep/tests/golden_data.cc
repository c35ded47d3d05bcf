// Golden and contract data loading for tests.
#include "golden_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ridesweep/base/check.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"

namespace ridesweep::sweep::testing {

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  RIDESWEEP_CHECK(in.good()) << "cannot open " << path;
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

const JsonValue& Golden() {
  static const JsonValue* golden = [] {
    // RIDESWEEP_GOLDEN_JSON overrides the location (a checkout that is not next to the shared spec folder).
    const char* override_path = std::getenv("RIDESWEEP_GOLDEN_JSON");
    const std::string text = ReadFileOrDie(override_path != nullptr && *override_path != '\0'
                                               ? std::string(override_path)
                                               : std::string(RIDESWEEP_SOURCE_DIR) + "/../shared/spec/golden.json");
    Result<JsonValue> parsed = ParseJson(text);
    RIDESWEEP_CHECK(parsed.ok()) << parsed.status().message();
    return new JsonValue(std::move(parsed).value());
  }();
  return *golden;
}

std::vector<std::string> ContractCaseFiles() {
  std::vector<std::string> files;
  const std::filesystem::path dir = std::filesystem::path(RIDESWEEP_SOURCE_DIR) / "tests" / "contract";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

const JsonValue& Field(const JsonValue& object, std::string_view name) {
  static const JsonValue kNull;
  if (!object.is_object()) {
    ADD_FAILURE() << "not an object when looking up " << name;
    return kNull;
  }
  const JsonValue* v = object.as_object().Find(name);
  if (v == nullptr) {
    ADD_FAILURE() << "missing field " << name;
    return kNull;
  }
  return *v;
}

std::string StringField(const JsonValue& object, std::string_view name) {
  const JsonValue& v = Field(object, name);
  if (!v.is_string()) {
    ADD_FAILURE() << name << " is not a string";
    return "";
  }
  return v.as_string();
}

uint64_t UnsignedField(const JsonValue& object, std::string_view name) {
  const JsonValue& v = Field(object, name);
  if (!v.is_unsigned()) {
    ADD_FAILURE() << name << " is not an unsigned integer";
    return 0;
  }
  return v.as_unsigned();
}

std::string RequestTextOf(const JsonValue& test_case) {
  if (const JsonValue* text = test_case.as_object().Find("input_request_text")) return text->as_string();
  JsonValue request = Field(test_case, "input_request_template");
  JsonValue* dimensions = request.as_object().Find("dimensions");
  RIDESWEEP_CHECK(dimensions != nullptr);
  for (JsonMember& member : dimensions->as_object().mutable_members()) {
    if (!member.value.is_object()) continue;
    const JsonArray& range = member.value.as_object().Find("range")->as_array();
    JsonArray values;
    for (uint64_t v = range[0].as_unsigned(); v < range[1].as_unsigned(); ++v) values.push_back(JsonValue::Unsigned(v));
    member.value = JsonValue::Array(std::move(values));
  }
  return ToCanonicalJson(request);
}

std::vector<std::pair<uint64_t, uint64_t>> RangesOf(const JsonValue& array) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  for (const JsonValue& pair : array.as_array()) {
    out.emplace_back(pair.as_array()[0].as_unsigned(), pair.as_array()[1].as_unsigned());
  }
  return out;
}

}  // namespace ridesweep::sweep::testing
