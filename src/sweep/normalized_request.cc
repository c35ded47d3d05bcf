// Normalization (spec/sweep.md §1.4 steps 2–10) and the §1.6 canonical form.
#include "ridesweep/sweep/normalized_request.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "decode_messages.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/dimension_range.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/identifiers.h"

namespace ridesweep::sweep {

ApiResult<NormalizedRequest> NormalizeRequest(SweepRequest request) {
  NormalizedRequest out;
  // Step 2.
  out.run_id = std::string(TrimUnicodeWhiteSpace(request.run_id));
  if (out.run_id.empty()) return MakeValidationError(std::string(errors::kRunIdEmpty));
  // Step 3.
  if (request.dimensions.empty()) return MakeValidationError(std::string(errors::kDimensionsEmpty));
  // The design decides what a range means (grid levels or a sampled interval).
  Design design;
  if (request.design.has_value()) {
    Result<Design> parsed = DesignFromJson(*request.design);
    if (!parsed.ok()) return MakeValidationError(parsed.status().message());
    design = *parsed;
  }
  // Steps 4–7, per dimension in sorted order; the running product is checked inside the loop.
  uint64_t product = 1;
  for (Dimension& dimension : request.dimensions) {
    if (TrimUnicodeWhiteSpace(dimension.name).empty()) {
      return MakeValidationError(std::string(errors::kDimensionNamesBlank));
    }
    if (auto range = request.dimension_ranges.find(dimension.name);
        range != request.dimension_ranges.end() && !design.is_grid()) {
      Result<Dimension> sampled = SamplingRange(dimension.name, range->second, DesignTypeName(design.type));
      if (!sampled.ok()) return MakeValidationError(sampled.status().message());
      dimension = std::move(sampled).value();
      continue;
    } else if (range != request.dimension_ranges.end()) {
      Result<std::vector<JsonValue>> levels = ExpandGridRange(dimension.name, range->second);
      if (!levels.ok()) return MakeValidationError(levels.status().message());
      dimension.values = std::move(levels).value();
    }
    const uint64_t n = dimension.values.size();
    if (n == 0) return MakeValidationError(errors::DimensionNotNonEmptyList(dimension.name));
    if (n > kMaxDimensionValues) return MakeValidationError(errors::DimensionTooManyValues(dimension.name));
    if (!design.is_grid()) continue;  // a sampling design's configurations are its samples
    product = product > std::numeric_limits<uint64_t>::max() / n ? std::numeric_limits<uint64_t>::max() : product * n;
    if (product > kMaxTotalParameterPoints) {
      return MakeValidationError(std::string(errors::kParameterSpaceTooLarge));
    }
  }
  if (!design.is_grid()) product = design.samples;
  // Replications multiply the points; the 200 000 limit counts configurations × replications.
  if (request.replications < 1 || request.replications > kMaxReplications) {
    return MakeValidationError(std::string(errors::kReplicationsOutOfRange));
  }
  if (product > kMaxTotalParameterPoints / request.replications) {
    return MakeValidationError(std::string(errors::kParameterSpaceTooLarge));
  }
  product *= request.replications;
  // The output layout: a known name, else 400 listing the names.
  OutputLayout layout = kDefaultOutputLayout;
  if (request.layout.has_value()) {
    const std::optional<OutputLayout> named = OutputLayoutFromName(*request.layout);
    if (!named.has_value()) return MakeValidationError(errors::UnknownLayout(*request.layout));
    layout = *named;
  }
  // Steps 8–9.
  if (!request.shard_count.has_value() && !request.shard_size.has_value()) {
    return MakeValidationError(std::string(errors::kShardingRequired));
  }
  if (request.shard_count.has_value() && *request.shard_count == 0) {
    return MakeValidationError(std::string(errors::kShardCountNotPositive));
  }
  if (request.shard_size.has_value() && *request.shard_size == 0) {
    return MakeValidationError(std::string(errors::kShardSizeNotPositive));
  }
  if (request.max_shards == 0) return MakeValidationError(std::string(errors::kMaxShardsNotPositive));
  // Step 10.
  std::vector<uint64_t>& injection = request.failure_injection_shards;
  std::sort(injection.begin(), injection.end());
  injection.erase(std::unique(injection.begin(), injection.end()), injection.end());

  out.dimensions = std::move(request.dimensions);
  out.total_points = product;
  out.shard_count = request.shard_count;
  out.shard_size = request.shard_size;
  out.max_shards = request.max_shards;
  out.seed = request.seed;
  out.failure_injection_shards = std::move(injection);
  out.replications = request.replications;
  out.design = design;
  out.layout = layout;
  return out;
}

void AppendNormalizedRequestJson(std::string* out, const NormalizedRequest& r) {
  JsonWriter w(out);
  w.BeginObject().Key("run_id").String(r.run_id).Key("dimensions");
  std::string dimensions;
  AppendDimensionsJson(&dimensions, r.dimensions);
  w.Raw(dimensions)
      .Key("total_points")
      .Unsigned(r.total_points)
      .Key("shard_count")
      .OptionalUnsigned(r.shard_count)
      .Key("shard_size")
      .OptionalUnsigned(r.shard_size)
      .Key("max_shards")
      .Unsigned(r.max_shards)
      .Key("seed")
      .Signed(r.seed)
      .Key("failure_injection_shards")
      .BeginArray();
  for (uint64_t shard : r.failure_injection_shards) w.Unsigned(shard);
  w.EndArray();
  if (r.replications != kDefaultReplications) w.Key("replications").Unsigned(r.replications);
  if (!r.design.is_grid()) {
    std::string design;
    AppendDesignJson(&design, r.design);
    w.Key("design").Raw(design);
  }
  if (r.layout != kDefaultOutputLayout) w.Key("layout").String(OutputLayoutName(r.layout));
  w.EndObject();
}

std::string NormalizedRequestJson(const NormalizedRequest& request) {
  std::string out;
  AppendNormalizedRequestJson(&out, request);
  return out;
}

namespace {

Status FieldError(std::string_view field, std::string_view detail) {
  return InvalidArgumentError("normalized_request." + std::string(field) + ": " + std::string(detail));
}

}  // namespace

Result<NormalizedRequest> NormalizedRequestFromJson(const JsonValue& value) {
  if (!value.is_object()) return InvalidArgumentError("normalized_request: " + internal::InvalidType(value, "a map"));
  const JsonObject& object = value.as_object();
  NormalizedRequest r;
  const auto require = [&object](std::string_view name) -> Result<const JsonValue*> {
    const JsonValue* v = object.Find(name);
    if (v == nullptr) return InvalidArgumentError("normalized_request: " + internal::MissingField(name));
    return v;
  };
  RIDESWEEP_ASSIGN_OR_RETURN(const JsonValue* run_id, require("run_id"));
  if (auto e = internal::ReadString(*run_id, &r.run_id)) return FieldError("run_id", *e);
  RIDESWEEP_ASSIGN_OR_RETURN(const JsonValue* dimensions, require("dimensions"));
  if (!dimensions->is_object()) return FieldError("dimensions", internal::InvalidType(*dimensions, "a map"));
  for (const JsonMember* member : dimensions->as_object().SortedMembers()) {
    Dimension dimension;
    if (auto e = ReadCanonicalDimension(member->key, member->value, &dimension)) return FieldError("dimensions", *e);
    r.dimensions.push_back(std::move(dimension));
  }
  RIDESWEEP_ASSIGN_OR_RETURN(const JsonValue* total_points, require("total_points"));
  if (auto e = internal::ReadUsize(*total_points, &r.total_points)) return FieldError("total_points", *e);
  using OptionalField = std::pair<std::string_view, std::optional<uint64_t>*>;
  for (const auto& [name, slot] :
       {OptionalField{"shard_count", &r.shard_count}, OptionalField{"shard_size", &r.shard_size}}) {
    RIDESWEEP_ASSIGN_OR_RETURN(const JsonValue* v, require(name));
    if (!v->is_null()) {
      uint64_t n = 0;
      if (auto e = internal::ReadUsize(*v, &n)) return FieldError(name, *e);
      *slot = n;
    }
  }
  RIDESWEEP_ASSIGN_OR_RETURN(const JsonValue* max_shards, require("max_shards"));
  if (auto e = internal::ReadUsize(*max_shards, &r.max_shards)) return FieldError("max_shards", *e);
  RIDESWEEP_ASSIGN_OR_RETURN(const JsonValue* seed, require("seed"));
  if (auto e = internal::ReadI64(*seed, &r.seed)) return FieldError("seed", *e);
  RIDESWEEP_ASSIGN_OR_RETURN(const JsonValue* injection, require("failure_injection_shards"));
  if (auto e = internal::ReadUsizeList(*injection, &r.failure_injection_shards)) {
    return FieldError("failure_injection_shards", *e);
  }
  if (const JsonValue* replications = object.Find("replications"); replications != nullptr) {
    if (auto e = internal::ReadUsize(*replications, &r.replications)) return FieldError("replications", *e);
    if (r.replications < 1 || r.replications > kMaxReplications) {
      return FieldError("replications", errors::kReplicationsOutOfRange);
    }
  }
  if (const JsonValue* design = object.Find("design"); design != nullptr) {
    Result<Design> parsed = DesignFromJson(*design);
    if (!parsed.ok()) return FieldError("design", parsed.status().message());
    r.design = *parsed;
  }
  if (const JsonValue* layout = object.Find("layout"); layout != nullptr) {
    std::string name;
    if (auto e = internal::ReadString(*layout, &name)) return FieldError("layout", *e);
    const std::optional<OutputLayout> named = OutputLayoutFromName(name);
    if (!named.has_value()) return FieldError("layout", errors::UnknownLayout(name));
    r.layout = *named;
  }
  return r;
}

}  // namespace ridesweep::sweep
