// ConfigurationStats → JSON.
#include "ridesweep/analytics/configuration_summary_json.h"

#include "ridesweep/base/json_parser.h"

namespace ridesweep::analytics {
namespace {

JsonValue OptionalDouble(const std::optional<double>& v) { return v ? JsonValue::Double(*v) : JsonValue::Null(); }

JsonValue StatsJson(const MeanInterval& m) {
  JsonObject o;
  o.Set("n", JsonValue::Unsigned(m.n));
  o.Set("missing", JsonValue::Unsigned(m.missing));
  o.Set("mean", m.n > 0 ? JsonValue::Double(m.mean) : JsonValue::Null());
  o.Set("sd", OptionalDouble(m.sd));
  o.Set("ci95_low", OptionalDouble(m.low()));
  o.Set("ci95_high", OptionalDouble(m.high()));
  return JsonValue::Object(std::move(o));
}

}  // namespace

JsonValue ConfigurationSummaryJson(std::span<const ConfigurationStats> configurations) {
  JsonArray out;
  uint64_t rank = 0;
  for (const ConfigurationStats& c : configurations) {
    JsonObject o;
    o.Set("rank", JsonValue::Unsigned(++rank));
    o.Set("first_point_index", JsonValue::Unsigned(c.first_point_index));
    JsonObject dimensions;
    for (const DimensionValue& d : c.dimensions) {
      Result<JsonValue> value = ParseJson(d.value_json);
      dimensions.Set(d.name, value.ok() ? std::move(value).value() : JsonValue::String(d.value_json));
    }
    o.Set("dimensions", JsonValue::Object(std::move(dimensions)));
    o.Set("n", JsonValue::Unsigned(c.n));
    o.Set("health_score", StatsJson(c.health_score));
    o.Set("not_distinguishable_from_best",
          c.not_distinguishable_from_best ? JsonValue::Bool(*c.not_distinguishable_from_best) : JsonValue::Null());
    JsonObject metrics;
    for (const MetricStats& m : c.metrics) metrics.Set(std::string(m.name), StatsJson(m.stats));
    o.Set("metrics", JsonValue::Object(std::move(metrics)));
    out.push_back(JsonValue::Object(std::move(o)));
  }
  return JsonValue::Array(std::move(out));
}

}  // namespace ridesweep::analytics
