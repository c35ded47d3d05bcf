// JsonValue and JsonObject accessors, lookup and structural equality.
#include "ridesweep/base/json_value.h"

#include <algorithm>
#include <cmath>

#include "ridesweep/base/check.h"

namespace ridesweep {

const JsonValue* JsonObject::Find(std::string_view key) const {
  const JsonMember* member = FindMember(key);
  return member == nullptr ? nullptr : &member->value;
}

JsonValue* JsonObject::Find(std::string_view key) {
  for (JsonMember& member : members_) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

const JsonMember* JsonObject::FindMember(std::string_view key) const {
  for (const JsonMember& member : members_) {
    if (member.key == key) return &member;
  }
  return nullptr;
}

JsonValue& JsonObject::Set(std::string key, JsonValue value) {
  if (JsonValue* existing = Find(key); existing != nullptr) {
    *existing = std::move(value);
    return *existing;
  }
  members_.push_back(JsonMember{std::move(key), std::move(value), 0});
  return members_.back().value;
}

bool JsonObject::Remove(std::string_view key) {
  auto it = std::find_if(members_.begin(), members_.end(), [key](const JsonMember& m) { return m.key == key; });
  if (it == members_.end()) return false;
  members_.erase(it);
  return true;
}

void JsonObject::AppendUnchecked(std::string key, JsonValue value, size_t value_end_offset) {
  members_.push_back(JsonMember{std::move(key), std::move(value), value_end_offset});
}

std::vector<const JsonMember*> JsonObject::SortedMembers() const {
  std::vector<const JsonMember*> sorted;
  sorted.reserve(members_.size());
  for (const JsonMember& member : members_) sorted.push_back(&member);
  // std::string comparison is byte-wise on unsigned char, which is UTF-8 code point order.
  std::sort(sorted.begin(), sorted.end(), [](const JsonMember* a, const JsonMember* b) { return a->key < b->key; });
  return sorted;
}

bool operator==(const JsonObject& a, const JsonObject& b) {
  if (a.members_.size() != b.members_.size()) return false;
  for (size_t i = 0; i < a.members_.size(); ++i) {
    if (a.members_[i].key != b.members_[i].key || !(a.members_[i].value == b.members_[i].value)) return false;
  }
  return true;
}

bool JsonValue::as_bool() const {
  RIDESWEEP_CHECK(is_bool());
  return std::get<bool>(storage_);
}

uint64_t JsonValue::as_unsigned() const {
  RIDESWEEP_CHECK(is_unsigned());
  return std::get<uint64_t>(storage_);
}

int64_t JsonValue::as_signed() const {
  RIDESWEEP_CHECK(is_signed());
  return std::get<int64_t>(storage_);
}

double JsonValue::as_double() const {
  RIDESWEEP_CHECK(is_double());
  return std::get<double>(storage_);
}

const std::string& JsonValue::as_string() const {
  RIDESWEEP_CHECK(is_string());
  return std::get<std::string>(storage_);
}

const JsonArray& JsonValue::as_array() const {
  RIDESWEEP_CHECK(is_array());
  return std::get<JsonArray>(storage_);
}

JsonArray& JsonValue::as_array() {
  RIDESWEEP_CHECK(is_array());
  return std::get<JsonArray>(storage_);
}

const JsonObject& JsonValue::as_object() const {
  RIDESWEEP_CHECK(is_object());
  return std::get<JsonObject>(storage_);
}

JsonObject& JsonValue::as_object() {
  RIDESWEEP_CHECK(is_object());
  return std::get<JsonObject>(storage_);
}

double JsonValue::NumberAsDouble() const {
  switch (kind()) {
    case Kind::kUnsigned: return static_cast<double>(std::get<uint64_t>(storage_));
    case Kind::kSigned: return static_cast<double>(std::get<int64_t>(storage_));
    case Kind::kDouble: return std::get<double>(storage_);
    default: break;
  }
  RIDESWEEP_CHECK(false) << "NumberAsDouble on a non-number";
  return 0;
}

bool operator==(const JsonValue& a, const JsonValue& b) {
  if (a.storage_.index() != b.storage_.index()) return false;
  if (a.is_double()) {
    // Bitwise-distinct zeros differ: -0.0 and 0.0 print differently (§2.2).
    const double x = a.as_double();
    const double y = b.as_double();
    return x == y && std::signbit(x) == std::signbit(y);
  }
  return a.storage_ == b.storage_;
}

}  // namespace ridesweep
