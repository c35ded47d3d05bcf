// JSON for command output (`--json` documents, JSON-lines files): the same value rules as the canonical writer
// (strings, integers and doubles written identically) but object members in their insertion order, either one
// member or item per line indented by two spaces, or all on one line. JsonOf turns C++ values (integers, doubles,
// bools, strings, optionals as null) into JsonValues of the matching kind. Not for hashing or storage: use
// json_writer.h for that.
#ifndef RIDESWEEP_BASE_JSON_INDENTED_H_
#define RIDESWEEP_BASE_JSON_INDENTED_H_

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "ridesweep/base/json_value.h"

namespace ridesweep {

void AppendIndentedJson(std::string* out, const JsonValue& value);
std::string ToIndentedJson(const JsonValue& value);
// Members in insertion order, no whitespace (one JSON-lines record).
std::string ToOneLineJson(const JsonValue& value);

template <typename T>
JsonValue JsonOf(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return JsonValue::Bool(v);
  } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
    return JsonValue::Unsigned(v);
  } else if constexpr (std::is_integral_v<T>) {
    return JsonValue::Signed(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    return JsonValue::Double(v);
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return JsonValue::String(std::string(std::string_view(v)));
  } else {
    return v ? JsonOf(*v) : JsonValue::Null();  // std::optional
  }
}

// Builds an object member by member, in order: `JsonObjectBuilder().Add("a", JsonValue::Unsigned(1)).Build()`.
class JsonObjectBuilder {
 public:
  JsonObjectBuilder& Add(std::string key, JsonValue value);
  JsonValue Build();  // Moves the members out: the builder is empty afterwards.

 private:
  JsonObject object_;
};

}  // namespace ridesweep

#endif  // RIDESWEEP_BASE_JSON_INDENTED_H_
