// Indented JSON writer for command output.
#include "ridesweep/base/json_indented.h"

#include <utility>

#include "ridesweep/base/json_writer.h"

namespace ridesweep {
namespace {

// depth < 0: everything on one line.
void NewLine(std::string* out, int depth) {
  if (depth < 0) return;
  out->push_back('\n');
  out->append(static_cast<size_t>(depth) * 2, ' ');
}

int Deeper(int depth) { return depth < 0 ? depth : depth + 1; }

void Append(std::string* out, const JsonValue& value, int depth) {
  switch (value.kind()) {
    case JsonValue::Kind::kArray: {
      const JsonArray& items = value.as_array();
      if (items.empty()) {
        out->append("[]");
        return;
      }
      out->push_back('[');
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out->push_back(',');
        NewLine(out, Deeper(depth));
        Append(out, items[i], Deeper(depth));
      }
      NewLine(out, depth);
      out->push_back(']');
      return;
    }
    case JsonValue::Kind::kObject: {
      const std::vector<JsonMember>& members = value.as_object().members();
      if (members.empty()) {
        out->append("{}");
        return;
      }
      out->push_back('{');
      for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out->push_back(',');
        NewLine(out, Deeper(depth));
        AppendJsonString(out, members[i].key);
        out->append(depth < 0 ? ":" : ": ");
        Append(out, members[i].value, Deeper(depth));
      }
      NewLine(out, depth);
      out->push_back('}');
      return;
    }
    default:
      AppendCanonicalJson(out, value);  // Scalars are written as the canonical writer writes them.
      return;
  }
}

}  // namespace

void AppendIndentedJson(std::string* out, const JsonValue& value) { Append(out, value, 0); }

std::string ToIndentedJson(const JsonValue& value) {
  std::string out;
  AppendIndentedJson(&out, value);
  return out;
}

std::string ToOneLineJson(const JsonValue& value) {
  std::string out;
  Append(&out, value, -1);
  return out;
}

JsonObjectBuilder& JsonObjectBuilder::Add(std::string key, JsonValue value) {
  object_.Set(std::move(key), std::move(value));
  return *this;
}

JsonValue JsonObjectBuilder::Build() { return JsonValue::Object(std::move(object_)); }

}  // namespace ridesweep
