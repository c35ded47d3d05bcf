// serde-style decoding messages (spec/sweep.md §1.3).
#include "decode_messages.h"

#include <cstdio>
#include <limits>

#include "ridesweep/base/json_number_format.h"

namespace ridesweep::sweep::internal {

std::string DebugQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\0': out += "\\0"; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      char buffer[16];
      std::snprintf(buffer, sizeof(buffer), "\\u{%x}", static_cast<unsigned>(c));
      out += buffer;
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      // C1 controls U+0080–U+009F are not printable either.
      char buffer[16];
      std::snprintf(buffer, sizeof(buffer), "\\u{%x}", static_cast<unsigned>(static_cast<unsigned char>(s[i + 1])));
      out += buffer;
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  return out;
}

std::string DescribeUnexpected(const JsonValue& value) {
  switch (value.kind()) {
    case JsonValue::Kind::kNull: return "null";
    case JsonValue::Kind::kBool: return value.as_bool() ? "boolean `true`" : "boolean `false`";
    case JsonValue::Kind::kUnsigned: return "integer `" + std::to_string(value.as_unsigned()) + "`";
    case JsonValue::Kind::kSigned: return "integer `" + std::to_string(value.as_signed()) + "`";
    case JsonValue::Kind::kDouble: return "floating point `" + FormatPlainDecimal(value.as_double()) + "`";
    case JsonValue::Kind::kString: return "string " + DebugQuote(value.as_string());
    case JsonValue::Kind::kArray: return "sequence";
    case JsonValue::Kind::kObject: return "map";
  }
  return "unknown";
}

std::string InvalidType(const JsonValue& found, std::string_view wanted) {
  std::string out = "invalid type: ";
  out += DescribeUnexpected(found);
  out += ", expected ";
  out += wanted;
  return out;
}

std::string MissingField(std::string_view name) {
  std::string out = "missing field `";
  out += name;
  out += "`";
  return out;
}

std::optional<std::string> ReadString(const JsonValue& v, std::string* out) {
  if (!v.is_string()) return InvalidType(v, kExpectString);
  *out = v.as_string();
  return std::nullopt;
}

std::optional<std::string> ReadUsize(const JsonValue& v, uint64_t* out) {
  if (v.is_unsigned()) {
    *out = v.as_unsigned();
    return std::nullopt;
  }
  if (v.is_signed()) return "invalid value: integer `" + std::to_string(v.as_signed()) + "`, expected usize";
  return InvalidType(v, kExpectUsize);
}

std::optional<std::string> ReadI64(const JsonValue& v, int64_t* out) {
  if (v.is_signed()) {
    *out = v.as_signed();
    return std::nullopt;
  }
  if (v.is_unsigned()) {
    if (v.as_unsigned() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return "invalid value: integer `" + std::to_string(v.as_unsigned()) + "`, expected i64";
    }
    *out = static_cast<int64_t>(v.as_unsigned());
    return std::nullopt;
  }
  return InvalidType(v, kExpectI64);
}

std::optional<std::string> ReadUsizeList(const JsonValue& v, std::vector<uint64_t>* out) {
  if (!v.is_array()) return InvalidType(v, kExpectSequence);
  std::vector<uint64_t> values;
  values.reserve(v.as_array().size());
  for (const JsonValue& item : v.as_array()) {
    uint64_t n = 0;
    if (auto error = ReadUsize(item, &n)) return error;
    values.push_back(n);
  }
  *out = std::move(values);
  return std::nullopt;
}

}  // namespace ridesweep::sweep::internal
