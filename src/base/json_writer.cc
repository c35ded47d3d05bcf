// Canonical JSON writer (spec/sweep.md §2.2).
#include "ridesweep/base/json_writer.h"

#include "ridesweep/base/json_number_format.h"

namespace ridesweep {

void AppendJsonString(std::string* out, std::string_view utf8) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(utf8.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xF]);
        break;
    }
  }
  out->append(utf8.data() + run_start, utf8.size() - run_start);
  out->push_back('"');
}

void AppendCanonicalJson(std::string* out, const JsonValue& value) {
  switch (value.kind()) {
    case JsonValue::Kind::kNull: out->append("null"); return;
    case JsonValue::Kind::kBool: out->append(value.as_bool() ? "true" : "false"); return;
    case JsonValue::Kind::kUnsigned: AppendJsonUnsigned(out, value.as_unsigned()); return;
    case JsonValue::Kind::kSigned: AppendJsonSigned(out, value.as_signed()); return;
    case JsonValue::Kind::kDouble: AppendJsonDouble(out, value.as_double()); return;
    case JsonValue::Kind::kString: AppendJsonString(out, value.as_string()); return;
    case JsonValue::Kind::kArray: {
      out->push_back('[');
      bool first = true;
      for (const JsonValue& item : value.as_array()) {
        if (!first) out->push_back(',');
        first = false;
        AppendCanonicalJson(out, item);
      }
      out->push_back(']');
      return;
    }
    case JsonValue::Kind::kObject: {
      out->push_back('{');
      bool first = true;
      for (const JsonMember* member : value.as_object().SortedMembers()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(out, member->key);
        out->push_back(':');
        AppendCanonicalJson(out, member->value);
      }
      out->push_back('}');
      return;
    }
  }
}

std::string ToCanonicalJson(const JsonValue& value) {
  std::string out;
  AppendCanonicalJson(&out, value);
  return out;
}

void JsonWriter::BeforeValue() {
  if (need_comma_) out_->push_back(',');
  need_comma_ = true;
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_->push_back('{');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_->push_back('}');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_->push_back('[');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_->push_back(']');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  if (need_comma_) out_->push_back(',');
  AppendJsonString(out_, key);
  out_->push_back(':');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_->append("null");
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_->append(value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Unsigned(uint64_t value) {
  BeforeValue();
  AppendJsonUnsigned(out_, value);
  return *this;
}

JsonWriter& JsonWriter::Signed(int64_t value) {
  BeforeValue();
  AppendJsonSigned(out_, value);
  return *this;
}

JsonWriter& JsonWriter::Double(double value) {
  BeforeValue();
  AppendJsonDouble(out_, value);
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(out_, value);
  return *this;
}

JsonWriter& JsonWriter::OptionalUnsigned(const std::optional<uint64_t>& value) {
  return value.has_value() ? Unsigned(*value) : Null();
}

JsonWriter& JsonWriter::OptionalString(const std::optional<std::string>& value) {
  return value.has_value() ? String(*value) : Null();
}

JsonWriter& JsonWriter::Value(const JsonValue& value) {
  BeforeValue();
  AppendCanonicalJson(out_, value);
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_->append(json);
  return *this;
}

}  // namespace ridesweep
