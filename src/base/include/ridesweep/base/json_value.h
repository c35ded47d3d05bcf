// JsonValue is a parsed or built JSON document that keeps number kinds apart (spec/sweep.md §2.1): unsigned
// 64-bit integers, signed 64-bit integers (negative tokens only) and doubles (`-0`, out-of-range integer tokens,
// any token with a fraction or exponent). Objects keep their members in first-appearance order; a repeated key
// keeps its first position and takes the last value. Objects and members built by the parser remember byte
// offsets into the source text, so decoders can report serde-style line/column positions (ParseJson,
// JsonTextPositionAt in json_parser.h). Plain value type: copy or move freely; not synchronised.
#ifndef RIDESWEEP_BASE_JSON_VALUE_H_
#define RIDESWEEP_BASE_JSON_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ridesweep {

class JsonValue;
struct JsonMember;

using JsonArray = std::vector<JsonValue>;

// An object: members in first-appearance order, unique keys.
class JsonObject {
 public:
  JsonObject() = default;

  const std::vector<JsonMember>& members() const { return members_; }
  std::vector<JsonMember>& mutable_members() { return members_; }
  size_t size() const;
  bool empty() const;

  // nullptr when absent. Linear in the number of members.
  const JsonValue* Find(std::string_view key) const;
  JsonValue* Find(std::string_view key);
  const JsonMember* FindMember(std::string_view key) const;

  // Replaces the value of an existing key in place, else appends. Returns the stored value.
  JsonValue& Set(std::string key, JsonValue value);
  // Returns true if the key was present.
  bool Remove(std::string_view key);
  // Appends without looking for an existing key. REQUIRES: the key is not present.
  void AppendUnchecked(std::string key, JsonValue value, size_t value_end_offset = 0);

  // Members ordered byte-wise by key (UTF-8 byte order), for canonical writing.
  std::vector<const JsonMember*> SortedMembers() const;

  // One past the closing `}` in the source text (0 for objects built in code).
  size_t end_offset() const { return end_offset_; }
  void set_end_offset(size_t offset) { end_offset_ = offset; }

  friend bool operator==(const JsonObject& a, const JsonObject& b);

 private:
  std::vector<JsonMember> members_;
  size_t end_offset_ = 0;
};

class JsonValue {
 public:
  // Order equals the alternatives of Storage below (kind() is the variant index).
  enum class Kind : uint8_t { kNull, kBool, kUnsigned, kSigned, kDouble, kString, kArray, kObject };

  JsonValue() = default;  // null
  static JsonValue Null();
  static JsonValue Bool(bool v);
  static JsonValue Unsigned(uint64_t v);
  // A signed integer. Non-negative values are stored as Unsigned, as the parser would (§2.1).
  static JsonValue Signed(int64_t v);
  static JsonValue Double(double v);
  static JsonValue String(std::string v);
  static JsonValue Array();  // empty
  static JsonValue Array(JsonArray v);
  static JsonValue Object();  // empty
  static JsonValue Object(JsonObject v);

  Kind kind() const { return static_cast<Kind>(storage_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_unsigned() const { return kind() == Kind::kUnsigned; }
  bool is_signed() const { return kind() == Kind::kSigned; }
  bool is_integer() const { return is_unsigned() || is_signed(); }
  bool is_double() const { return kind() == Kind::kDouble; }
  bool is_number() const { return is_integer() || is_double(); }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_array() const { return kind() == Kind::kArray; }
  bool is_object() const { return kind() == Kind::kObject; }

  // REQUIRES: the matching kind (checked; a mismatch is a bug and aborts).
  bool as_bool() const;
  uint64_t as_unsigned() const;
  int64_t as_signed() const;
  double as_double() const;
  const std::string& as_string() const;
  const JsonArray& as_array() const;
  JsonArray& as_array();
  const JsonObject& as_object() const;
  JsonObject& as_object();

  // Any number as a double (integers convert, rounding to nearest). REQUIRES: is_number().
  double NumberAsDouble() const;

  // Structural equality; number kinds must match (1 and 1.0 differ).
  friend bool operator==(const JsonValue& a, const JsonValue& b);

 private:
  using Storage = std::variant<std::monostate, bool, uint64_t, int64_t, double, std::string, JsonArray, JsonObject>;
  explicit JsonValue(Storage storage);

  Storage storage_;
};

struct JsonMember {
  std::string key;
  JsonValue value;
  // One past the last byte of the value in the source text (0 for members built in code).
  size_t value_end_offset = 0;
};

// Inline definitions that need JsonMember to be complete (JsonObject, JsonValue and JsonMember are mutually
// recursive, so no function body above may touch a member vector or build a JsonValue).
inline size_t JsonObject::size() const { return members_.size(); }
inline bool JsonObject::empty() const { return members_.empty(); }

inline JsonValue::JsonValue(Storage storage) : storage_(std::move(storage)) {}
inline JsonValue JsonValue::Null() { return JsonValue(); }
inline JsonValue JsonValue::Bool(bool v) { return JsonValue(Storage(std::in_place_index<1>, v)); }
inline JsonValue JsonValue::Unsigned(uint64_t v) { return JsonValue(Storage(std::in_place_index<2>, v)); }
inline JsonValue JsonValue::Signed(int64_t v) {
  return v >= 0 ? Unsigned(static_cast<uint64_t>(v)) : JsonValue(Storage(std::in_place_index<3>, v));
}
inline JsonValue JsonValue::Double(double v) { return JsonValue(Storage(std::in_place_index<4>, v)); }
inline JsonValue JsonValue::String(std::string v) {
  return JsonValue(Storage(std::in_place_index<5>, std::move(v)));
}
inline JsonValue JsonValue::Array() { return Array(JsonArray()); }
inline JsonValue JsonValue::Object() { return Object(JsonObject()); }
inline JsonValue JsonValue::Array(JsonArray v) { return JsonValue(Storage(std::in_place_index<6>, std::move(v))); }
inline JsonValue JsonValue::Object(JsonObject v) {
  return JsonValue(Storage(std::in_place_index<7>, std::move(v)));
}

}  // namespace ridesweep

#endif  // RIDESWEEP_BASE_JSON_VALUE_H_
