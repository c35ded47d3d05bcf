// Text, JSON, Markdown and JSON-schema renderings of the sweepable-parameter table.
#include "ridesweep/sweep/parameter_listing.h"

#include <algorithm>
#include <array>
#include <vector>

#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/sweep_parameters.h"

namespace ridesweep::sweep {
namespace {

std::string AllowedText(const SweepParameter& p) {
  std::string out;
  if (p.kind == ValueKind::kBoolean) {
    out = "true, false";
  } else if (p.kind == ValueKind::kEnum) {
    for (std::string_view level : p.levels) {
      if (!out.empty()) out += ", ";
      out += level;
    }
  } else {
    out = RangeText(p);
  }
  if (p.nullable) out += ", or null";
  return out;
}

std::string DefaultText(const SweepParameter& p, const sim::SimParams& defaults) {
  return ToCanonicalJson(p.default_value(defaults));
}

std::string_view KindText(const SweepParameter& p) { return ValueKindName(p.kind); }

}  // namespace

std::string ParametersText(const sim::SimParams& defaults) {
  const std::array<std::string_view, 6> headers = {"name", "kind", "unit", "default", "allowed", "meaning"};
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({std::string(headers[0]), std::string(headers[1]), std::string(headers[2]), std::string(headers[3]),
                  std::string(headers[4]), std::string(headers[5])});
  for (const SweepParameter& p : SweepParameters()) {
    rows.push_back({std::string(p.name), std::string(KindText(p)), p.unit.empty() ? "-" : std::string(p.unit),
                    DefaultText(p, defaults), AllowedText(p), std::string(p.meaning)});
  }
  std::array<size_t, 6> width{};
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out.append(width[i] - row[i].size() + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

std::string ParametersJson(const sim::SimParams& defaults) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("parameters").BeginArray();
  for (const SweepParameter& p : SweepParameters()) {
    w.BeginObject()
        .Key("name")
        .String(p.name)
        .Key("kind")
        .String(KindText(p))
        .Key("nullable")
        .Bool(p.nullable)
        .Key("unit")
        .String(p.unit)
        .Key("default")
        .Value(p.default_value(defaults))
        .Key("range");
    const std::string range = RangeText(p);
    if (range.empty()) {
      w.Null();
    } else {
      w.String(range);
    }
    w.Key("minimum");
    if (p.range.min.has_value()) {
      w.Double(*p.range.min);
    } else {
      w.Null();
    }
    w.Key("maximum");
    if (p.range.max.has_value()) {
      w.Double(*p.range.max);
    } else {
      w.Null();
    }
    w.Key("minimum_exclusive").Bool(p.range.min_exclusive).Key("levels").BeginArray();
    for (std::string_view level : p.levels) w.String(level);
    w.EndArray().Key("meaning").String(p.meaning).EndObject();
  }
  w.EndArray().EndObject();
  return out;
}

std::string ParametersMarkdown(const sim::SimParams& defaults) {
  std::string out = "| name | kind | unit | default | allowed values | meaning |\n|---|---|---|---|---|---|\n";
  for (const SweepParameter& p : SweepParameters()) {
    out += "| `" + std::string(p.name) + "` | " + std::string(KindText(p)) + " | " + std::string(p.unit) + " | `" +
           DefaultText(p, defaults) + "` | " + AllowedText(p) + " | " + std::string(p.meaning) + " |\n";
  }
  return out;
}

std::string DimensionsJsonSchema() {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject()
      .Key("type")
      .String("object")
      .Key("minProperties")
      .Unsigned(1)
      .Key("additionalProperties")
      .BeginObject()
      .Key("type")
      .BeginArray()
      .String("array")
      .String("object")
      .EndArray()
      .Key("minItems")
      .Unsigned(1)
      .EndObject()
      .Key("properties")
      .BeginObject();
  for (const SweepParameter& p : SweepParameters()) {
    std::string description(p.meaning);
    if (!p.unit.empty()) description += " [" + std::string(p.unit) + "]";
    description += "; allowed: " + AllowedText(p);
    const bool ranged = p.kind != ValueKind::kBoolean && p.kind != ValueKind::kEnum;
    w.Key(p.name).BeginObject().Key("description").String(description).Key("type");
    if (ranged) {  // a list, or a {"min","max","log","steps"} range (draft 4: items apply to arrays only)
      w.BeginArray().String("array").String("object").EndArray();
      w.Key("required").BeginArray().String("min").String("max").EndArray();
      w.Key("additionalProperties").Bool(false).Key("properties").BeginObject();
      w.Key("min").BeginObject().Key("type").String("number").EndObject();
      w.Key("max").BeginObject().Key("type").String("number").EndObject();
      w.Key("log").BeginObject().Key("type").String("boolean").EndObject();
      w.Key("steps").BeginObject().Key("type").String("integer").Key("minimum").Unsigned(0).EndObject();
      w.EndObject();
    } else {
      w.String("array");
    }
    w.Key("minItems").Unsigned(1).Key("items").BeginObject().Key("type");
    std::string_view type;
    switch (p.kind) {
      case ValueKind::kUnsigned:
      case ValueKind::kUnsigned32:
      case ValueKind::kSigned: type = "integer"; break;
      case ValueKind::kNumber: type = "number"; break;
      case ValueKind::kBoolean: type = "boolean"; break;
      case ValueKind::kEnum: type = "string"; break;
    }
    if (p.nullable) {
      w.BeginArray().String(type).String("null").EndArray();
    } else {
      w.String(type);
    }
    if (p.kind == ValueKind::kUnsigned || p.kind == ValueKind::kUnsigned32) w.Key("minimum").Unsigned(0);
    w.EndObject().EndObject();
  }
  w.EndObject().EndObject();
  return out;
}

}  // namespace ridesweep::sweep
