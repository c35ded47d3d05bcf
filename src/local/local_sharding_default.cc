// The shard_count default of local runs.
#include "ridesweep/local/local_sharding_default.h"

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"

namespace ridesweep::local {

std::optional<std::string> WithLocalShardingDefault(std::string_view body) {
  Result<JsonValue> parsed = ParseJson(body);
  if (!parsed.ok() || !parsed->is_object()) return std::nullopt;
  JsonObject& object = parsed->as_object();
  for (std::string_view field : {"shard_count", "shard_size"}) {
    const JsonValue* value = object.Find(field);
    if (value != nullptr && !value->is_null()) return std::nullopt;
  }
  object.Set("shard_count", JsonValue::Unsigned(kLocalDefaultShardCount));
  return ToCanonicalJson(*parsed);
}

}  // namespace ridesweep::local
