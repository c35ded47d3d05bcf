// Canonical writing and product of dimensions.
#include "ridesweep/sweep/dimensions.h"

#include <limits>

#include "decode_messages.h"
#include "ridesweep/base/json_writer.h"

namespace ridesweep::sweep {

void AppendDimensionsJson(std::string* out, const Dimensions& dimensions) {
  out->push_back('{');
  bool first_dimension = true;
  for (const Dimension& dimension : dimensions) {
    if (!first_dimension) out->push_back(',');
    first_dimension = false;
    AppendJsonString(out, dimension.name);
    if (dimension.is_range) {
      out->append(dimension.log ? ":{\"log\":true,\"max\":" : ":{\"max\":");
      AppendCanonicalJson(out, dimension.values.at(1));
      out->append(",\"min\":");
      AppendCanonicalJson(out, dimension.values.at(0));
      out->push_back('}');
      continue;
    }
    out->append(":[");
    bool first_value = true;
    for (const JsonValue& value : dimension.values) {
      if (!first_value) out->push_back(',');
      first_value = false;
      AppendCanonicalJson(out, value);
    }
    out->push_back(']');
  }
  out->push_back('}');
}

std::string DimensionsJson(const Dimensions& dimensions) {
  std::string out;
  AppendDimensionsJson(&out, dimensions);
  return out;
}

std::optional<std::string> ReadCanonicalDimension(std::string name, const JsonValue& value, Dimension* out) {
  if (value.is_array()) {
    *out = Dimension{std::move(name), value.as_array()};
    return std::nullopt;
  }
  if (!value.is_object()) return internal::InvalidType(value, internal::kExpectSequence);
  const JsonObject& object = value.as_object();
  const JsonValue* min = object.Find("min");
  const JsonValue* max = object.Find("max");
  const JsonValue* log = object.Find("log");
  bool ok = min != nullptr && max != nullptr && min->is_number() && max->is_number() &&
            (log == nullptr || log->is_bool());
  for (const JsonMember& member : object.members()) ok &= member.key == "min" || member.key == "max" || member.key == "log";
  if (!ok) return "dimension '" + name + "' range must be {\"min\": number, \"max\": number} with optional \"log\"";
  Dimension dimension{std::move(name), {*min, *max}};
  dimension.is_range = true;
  dimension.log = log != nullptr && log->as_bool();
  *out = std::move(dimension);
  return std::nullopt;
}

uint64_t DimensionProduct(const Dimensions& dimensions) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  uint64_t product = 1;
  for (const Dimension& dimension : dimensions) {
    const uint64_t n = dimension.values.size();
    if (n != 0 && product > kMax / n) return kMax;
    product *= n;
  }
  return product;
}

}  // namespace ridesweep::sweep
