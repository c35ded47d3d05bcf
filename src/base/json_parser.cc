// Recursive-descent JSON parser with bounded depth (spec/sweep.md §2.1). Error descriptions copy serde_json's.
#include "ridesweep/base/json_parser.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>

namespace ridesweep {
namespace {

// serde_json error descriptions (DO NOT CHANGE: quoted in 400 bodies and payload rejections).
constexpr std::string_view kEofValue = "EOF while parsing a value";
constexpr std::string_view kEofList = "EOF while parsing a list";
constexpr std::string_view kEofObject = "EOF while parsing an object";
constexpr std::string_view kEofString = "EOF while parsing a string";
constexpr std::string_view kExpectedColon = "expected `:`";
constexpr std::string_view kExpectedListCommaOrEnd = "expected `,` or `]`";
constexpr std::string_view kExpectedObjectCommaOrEnd = "expected `,` or `}`";
constexpr std::string_view kExpectedIdent = "expected ident";
constexpr std::string_view kExpectedValue = "expected value";
constexpr std::string_view kInvalidEscape = "invalid escape";
constexpr std::string_view kInvalidNumber = "invalid number";
constexpr std::string_view kNumberOutOfRange = "number out of range";
constexpr std::string_view kInvalidCodePoint = "invalid unicode code point";
constexpr std::string_view kControlCharacter = "control character (\\u0000-\\u001F) found while parsing a string";
constexpr std::string_view kKeyMustBeString = "key must be a string";
constexpr std::string_view kLoneLeadingSurrogate = "lone leading surrogate in hex escape";
constexpr std::string_view kUnexpectedEndOfHexEscape = "unexpected end of hex escape";
constexpr std::string_view kTrailingComma = "trailing comma";
constexpr std::string_view kTrailingCharacters = "trailing characters";
constexpr std::string_view kRecursionLimit = "recursion limit exceeded";

// Objects with more members than this use a hash index to find repeated keys (keeps parsing linear).
constexpr size_t kLinearKeySearchLimit = 16;

bool IsJsonWhitespace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  bool ParseDocument(JsonValue* out) {
    if (!ParseValue(out, 0)) return false;
    SkipWhitespace();
    if (pos_ < text_.size()) return Fail(kTrailingCharacters, pos_ + 1);
    return true;
  }

  const std::string& error_description() const { return error_description_; }
  size_t error_end() const { return error_end_; }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  bool Fail(std::string_view description, size_t consumed_end) {
    error_description_.assign(description);
    error_end_ = consumed_end > text_.size() ? text_.size() : consumed_end;
    return false;
  }

  void SkipWhitespace() {
    while (pos_ < text_.size() && IsJsonWhitespace(text_[pos_])) ++pos_;
  }

  bool ParseValue(JsonValue* out, size_t depth) {
    SkipWhitespace();
    if (AtEnd()) return Fail(kEofValue, text_.size());
    const char c = Peek();
    switch (c) {
      case 'n': return ParseIdent("null", JsonValue::Null(), out);
      case 't': return ParseIdent("true", JsonValue::Bool(true), out);
      case 'f': return ParseIdent("false", JsonValue::Bool(false), out);
      case '"': {
        ++pos_;
        std::string s;
        if (!ParseStringBody(&s)) return false;
        *out = JsonValue::String(std::move(s));
        return true;
      }
      case '[': return ParseArray(out, depth);
      case '{': return ParseObject(out, depth);
      default: break;
    }
    if (c == '-' || IsDigit(c)) return ParseNumber(out);
    return Fail(kExpectedValue, pos_ + 1);
  }

  bool ParseIdent(std::string_view word, JsonValue value, JsonValue* out) {
    for (size_t i = 0; i < word.size(); ++i) {
      if (pos_ + i >= text_.size()) return Fail(kEofValue, text_.size());
      if (text_[pos_ + i] != word[i]) return Fail(kExpectedIdent, pos_ + i + 1);
    }
    pos_ += word.size();
    *out = std::move(value);
    return true;
  }

  // Reads four hex digits at pos_. On failure reports like serde_json.
  bool ReadHex4(uint32_t* cp) {
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      if (AtEnd()) return Fail(kEofString, text_.size());
      const char h = text_[pos_++];
      uint32_t digit;
      if (h >= '0' && h <= '9') {
        digit = static_cast<uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        digit = static_cast<uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        digit = static_cast<uint32_t>(h - 'A' + 10);
      } else {
        return Fail(kInvalidEscape, pos_);
      }
      value = (value << 4) | digit;
    }
    *cp = value;
    return true;
  }

  bool ParseEscape(std::string* out) {
    if (AtEnd()) return Fail(kEofString, text_.size());
    const char e = text_[pos_++];
    switch (e) {
      case '"': out->push_back('"'); return true;
      case '\\': out->push_back('\\'); return true;
      case '/': out->push_back('/'); return true;
      case 'b': out->push_back('\b'); return true;
      case 'f': out->push_back('\f'); return true;
      case 'n': out->push_back('\n'); return true;
      case 'r': out->push_back('\r'); return true;
      case 't': out->push_back('\t'); return true;
      case 'u': break;
      default: return Fail(kInvalidEscape, pos_);
    }
    uint32_t cp;
    if (!ReadHex4(&cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return Fail(kLoneLeadingSurrogate, pos_);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (AtEnd()) return Fail(kEofString, text_.size());
      if (text_[pos_] != '\\') return Fail(kUnexpectedEndOfHexEscape, pos_ + 1);
      ++pos_;
      if (AtEnd()) return Fail(kEofString, text_.size());
      if (text_[pos_] != 'u') return Fail(kUnexpectedEndOfHexEscape, pos_ + 1);
      ++pos_;
      uint32_t low;
      if (!ReadHex4(&low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return Fail(kLoneLeadingSurrogate, pos_);
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(out, cp);
    return true;
  }

  // Validates one multi-byte UTF-8 sequence starting at pos_ and returns its length, or 0 if invalid.
  size_t Utf8SequenceLength() const {
    const auto byte = [this](size_t i) { return static_cast<unsigned char>(text_[pos_ + i]); };
    const size_t left = text_.size() - pos_;
    const unsigned char b0 = byte(0);
    const auto cont = [&](size_t i) { return i < left && (byte(i) & 0xC0) == 0x80; };
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
      if (!cont(1) || !cont(2)) return 0;
      if (b0 == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
      if (b0 == 0xED && byte(1) >= 0xA0) return 0;  // UTF-16 surrogate
      return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
      if (!cont(1) || !cont(2) || !cont(3)) return 0;
      if (b0 == 0xF0 && byte(1) < 0x90) return 0;   // overlong
      if (b0 == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
      return 4;
    }
    return 0;
  }

  // pos_ is just after the opening quote.
  bool ParseStringBody(std::string* out) {
    size_t run_start = pos_;
    while (true) {
      if (AtEnd()) return Fail(kEofString, text_.size());
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        out->append(text_.data() + run_start, pos_ - run_start);
        ++pos_;
        return true;
      }
      if (c == '\\') {
        out->append(text_.data() + run_start, pos_ - run_start);
        ++pos_;
        if (!ParseEscape(out)) return false;
        run_start = pos_;
        continue;
      }
      if (c < 0x20) return Fail(kControlCharacter, pos_ + 1);
      if (c < 0x80) {
        ++pos_;
        continue;
      }
      const size_t length = Utf8SequenceLength();
      if (length == 0) return Fail(kInvalidCodePoint, pos_ + 1);
      pos_ += length;
    }
  }

  // Decimal exponent estimate of a token that from_chars reported out of range: > 0 means overflow.
  static int64_t DecimalMagnitude(std::string_view token) {
    size_t i = 0;
    if (i < token.size() && token[i] == '-') ++i;
    int64_t integer_digits = 0;
    int64_t leading_fraction_zeros = 0;
    bool seen_nonzero = false;
    for (; i < token.size() && IsDigit(token[i]); ++i) {
      if (token[i] != '0') seen_nonzero = true;
      if (seen_nonzero) ++integer_digits;
    }
    if (i < token.size() && token[i] == '.') {
      for (++i; i < token.size() && IsDigit(token[i]); ++i) {
        if (!seen_nonzero && token[i] == '0') ++leading_fraction_zeros;
        if (token[i] != '0') seen_nonzero = true;
      }
    }
    int64_t exponent = 0;
    if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
      ++i;
      bool negative = false;
      if (i < token.size() && (token[i] == '+' || token[i] == '-')) negative = token[i++] == '-';
      for (; i < token.size() && IsDigit(token[i]); ++i) {
        if (exponent < 1'000'000'000) exponent = exponent * 10 + (token[i] - '0');
      }
      if (negative) exponent = -exponent;
    }
    return (integer_digits > 0 ? integer_digits : -leading_fraction_zeros) + exponent;
  }

  bool ParseNumber(JsonValue* out) {
    const size_t start = pos_;
    bool negative = false;
    if (Peek() == '-') {
      negative = true;
      ++pos_;
    }
    if (AtEnd()) return Fail(kEofValue, text_.size());
    if (!IsDigit(Peek())) return Fail(kInvalidNumber, pos_ + 1);
    const size_t int_start = pos_;
    if (Peek() == '0') {
      ++pos_;
      if (!AtEnd() && IsDigit(Peek())) return Fail(kInvalidNumber, pos_ + 1);
    } else {
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    }
    const size_t int_end = pos_;
    bool is_integer_token = true;
    if (!AtEnd() && Peek() == '.') {
      is_integer_token = false;
      ++pos_;
      if (AtEnd()) return Fail(kEofValue, text_.size());
      if (!IsDigit(Peek())) return Fail(kInvalidNumber, pos_ + 1);
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    }
    if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
      is_integer_token = false;
      ++pos_;
      if (!AtEnd() && (Peek() == '+' || Peek() == '-')) ++pos_;
      if (AtEnd()) return Fail(kEofValue, text_.size());
      if (!IsDigit(Peek())) return Fail(kInvalidNumber, pos_ + 1);
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    }
    const std::string_view token = text_.substr(start, pos_ - start);

    if (is_integer_token) {
      uint64_t magnitude = 0;
      const char* first = text_.data() + int_start;
      const char* last = text_.data() + int_end;
      const auto [ptr, ec] = std::from_chars(first, last, magnitude);
      if (ec == std::errc() && ptr == last) {
        constexpr uint64_t kMinSignedMagnitude = uint64_t{1} << 63;
        if (!negative) {
          *out = JsonValue::Unsigned(magnitude);
          return true;
        }
        if (magnitude != 0 && magnitude <= kMinSignedMagnitude) {
          // -(magnitude) computed without overflowing for -2^63.
          *out = JsonValue::Signed(static_cast<int64_t>(~magnitude + 1));
          return true;
        }
        // -0 and magnitudes beyond -2^63 are doubles (§2.1).
      }
    }
    double value = 0;
    const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec == std::errc::result_out_of_range) {
      if (DecimalMagnitude(token) > 0) return Fail(kNumberOutOfRange, pos_);
      value = negative ? -0.0 : 0.0;  // Underflow rounds to zero, as serde_json does.
    } else if (ec != std::errc() || ptr != token.data() + token.size()) {
      return Fail(kInvalidNumber, pos_);
    }
    *out = JsonValue::Double(value);
    return true;
  }

  bool EnterNested(size_t depth) {
    if (depth + 1 > kJsonMaxNestingDepth) return Fail(kRecursionLimit, pos_);
    return true;
  }

  bool ParseArray(JsonValue* out, size_t depth) {
    ++pos_;  // '['
    if (!EnterNested(depth)) return false;
    JsonArray items;
    SkipWhitespace();
    if (AtEnd()) return Fail(kEofList, text_.size());
    if (Peek() == ']') {
      ++pos_;
      *out = JsonValue::Array(std::move(items));
      return true;
    }
    while (true) {
      JsonValue item;
      if (!ParseValue(&item, depth + 1)) return false;
      items.push_back(std::move(item));
      SkipWhitespace();
      if (AtEnd()) return Fail(kEofList, text_.size());
      const char c = text_[pos_++];
      if (c == ']') break;
      if (c != ',') return Fail(kExpectedListCommaOrEnd, pos_);
      SkipWhitespace();
      if (AtEnd()) return Fail(kEofValue, text_.size());
      if (Peek() == ']') return Fail(kTrailingComma, pos_ + 1);
    }
    *out = JsonValue::Array(std::move(items));
    return true;
  }

  bool ParseObject(JsonValue* out, size_t depth) {
    ++pos_;  // '{'
    if (!EnterNested(depth)) return false;
    JsonObject object;
    std::unordered_map<std::string, size_t> index;  // Used once the object outgrows a linear search.
    SkipWhitespace();
    if (AtEnd()) return Fail(kEofObject, text_.size());
    if (Peek() == '}') {
      ++pos_;
      object.set_end_offset(pos_);
      *out = JsonValue::Object(std::move(object));
      return true;
    }
    while (true) {
      if (AtEnd()) return Fail(kEofObject, text_.size());
      if (Peek() != '"') return Fail(kKeyMustBeString, pos_ + 1);
      ++pos_;
      std::string key;
      if (!ParseStringBody(&key)) return false;
      SkipWhitespace();
      if (AtEnd()) return Fail(kEofObject, text_.size());
      if (text_[pos_++] != ':') return Fail(kExpectedColon, pos_);
      JsonValue value;
      if (!ParseValue(&value, depth + 1)) return false;
      InsertMember(&object, &index, std::move(key), std::move(value), pos_);
      SkipWhitespace();
      if (AtEnd()) return Fail(kEofObject, text_.size());
      const char c = text_[pos_++];
      if (c == '}') break;
      if (c != ',') return Fail(kExpectedObjectCommaOrEnd, pos_);
      SkipWhitespace();
      if (AtEnd()) return Fail(kEofValue, text_.size());
      if (Peek() == '}') return Fail(kTrailingComma, pos_ + 1);
    }
    object.set_end_offset(pos_);
    *out = JsonValue::Object(std::move(object));
    return true;
  }

  // Last occurrence wins; the member keeps its first position.
  static void InsertMember(JsonObject* object, std::unordered_map<std::string, size_t>* index, std::string key,
                           JsonValue value, size_t value_end) {
    std::vector<JsonMember>& members = object->mutable_members();
    if (members.size() < kLinearKeySearchLimit) {
      for (JsonMember& member : members) {
        if (member.key == key) {
          member.value = std::move(value);
          member.value_end_offset = value_end;
          return;
        }
      }
    } else {
      if (index->empty()) {
        for (size_t i = 0; i < members.size(); ++i) index->emplace(members[i].key, i);
      }
      const auto [it, inserted] = index->emplace(key, members.size());
      if (!inserted) {
        members[it->second].value = std::move(value);
        members[it->second].value_end_offset = value_end;
        return;
      }
    }
    object->AppendUnchecked(std::move(key), std::move(value), value_end);
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_description_;
  size_t error_end_ = 0;
};

}  // namespace

JsonTextPosition JsonTextPositionAt(std::string_view text, size_t end_offset) {
  if (end_offset > text.size()) end_offset = text.size();
  JsonTextPosition position;
  size_t line_start = 0;
  for (size_t i = 0; i < end_offset; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      line_start = i + 1;
    }
  }
  position.column = end_offset - line_start;
  return position;
}

std::string JsonParseError::ToString() const {
  std::string out = description;
  out += " at line ";
  out += std::to_string(position.line);
  out += " column ";
  out += std::to_string(position.column);
  return out;
}

Result<JsonValue> ParseJson(std::string_view text, JsonParseError* error) {
  Parser parser(text);
  JsonValue value;
  if (parser.ParseDocument(&value)) return value;
  JsonParseError parse_error;
  parse_error.description = parser.error_description();
  parse_error.end_offset = parser.error_end();
  parse_error.position = JsonTextPositionAt(text, parse_error.end_offset);
  std::string message = parse_error.ToString();
  if (error != nullptr) *error = std::move(parse_error);
  return InvalidArgumentError(std::move(message));
}

}  // namespace ridesweep
