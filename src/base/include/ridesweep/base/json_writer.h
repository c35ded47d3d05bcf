// Canonical compact JSON writing (spec/sweep.md §2.2): no whitespace, strings escaped like the earlier
// implementation's writer, doubles in the §2.2 layout. JsonValue objects (maps) are written with keys sorted
// byte-wise; typed records are written field by field, in declaration order, through JsonWriter.
// JsonWriter appends to a caller-owned string and is not thread-safe. Fingerprints hash these bytes, so every
// change here is a compatibility break (golden: spec/golden.json).
#ifndef RIDESWEEP_BASE_JSON_WRITER_H_
#define RIDESWEEP_BASE_JSON_WRITER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/base/json_value.h"

namespace ridesweep {

// Appends `"…"`: escapes `"` `\`, \b \f \n \r \t, other U+0000–U+001F as \u00xx (lowercase hex); every other
// byte raw (including `/`, U+007F and non-ASCII UTF-8). REQUIRES: valid UTF-8 (not checked).
void AppendJsonString(std::string* out, std::string_view utf8);

// Canonical form of any value: object keys sorted byte-wise at every depth.
void AppendCanonicalJson(std::string* out, const JsonValue& value);
std::string ToCanonicalJson(const JsonValue& value);

// Streaming writer for typed records: fields come out in the order they are written. Commas are inserted
// automatically; the caller keeps Begin/End calls balanced and calls Key() before every object member.
//   JsonWriter w(&out);
//   w.BeginObject().Key("run_id").String(id).Key("seed").Signed(seed).EndObject();
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);

  JsonWriter& Null();
  JsonWriter& Bool(bool value);
  JsonWriter& Unsigned(uint64_t value);
  JsonWriter& Signed(int64_t value);
  JsonWriter& Double(double value);
  JsonWriter& String(std::string_view value);
  JsonWriter& OptionalUnsigned(const std::optional<uint64_t>& value);
  JsonWriter& OptionalString(const std::optional<std::string>& value);
  // A JsonValue in canonical form.
  JsonWriter& Value(const JsonValue& value);
  // Text that already is canonical JSON (e.g. a cached fragment). Not validated.
  JsonWriter& Raw(std::string_view json);

 private:
  void BeforeValue();

  std::string* out_;
  bool need_comma_ = false;
};

}  // namespace ridesweep

#endif  // RIDESWEEP_BASE_JSON_WRITER_H_
