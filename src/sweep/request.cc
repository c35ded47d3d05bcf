// Request decoding with the message grammar of spec/sweep.md §1.3.
#include "ridesweep/sweep/request.h"

#include <algorithm>
#include <utility>

#include "decode_messages.h"
#include "ridesweep/sweep/errors.h"

namespace ridesweep::sweep {
namespace {

using internal::InvalidType;
using internal::ReadI64;
using internal::ReadString;
using internal::ReadUsize;
using internal::ReadUsizeList;

ApiError Malformed(std::string message) {
  return MakeValidationError(std::string(errors::kMalformedRequestPrefix) + message);
}

// BTreeMap<String, Vec<Value>>: entries in key order, each value a sequence.
std::optional<std::string> ReadDimensions(JsonValue& v, Dimensions* out,
                                          std::map<std::string, JsonValue, std::less<>>* ranges) {
  if (!v.is_object()) return InvalidType(v, internal::kExpectMap);
  std::vector<JsonMember>& members = v.as_object().mutable_members();
  std::sort(members.begin(), members.end(), [](const JsonMember& a, const JsonMember& b) { return a.key < b.key; });
  Dimensions dimensions;
  dimensions.reserve(members.size());
  ranges->clear();
  for (JsonMember& member : members) {
    if (member.value.is_object()) {  // a range; checked and expanded by NormalizeRequest
      ranges->emplace(member.key, std::move(member.value));
      dimensions.push_back(Dimension{std::move(member.key), {}});
      continue;
    }
    if (!member.value.is_array()) return InvalidType(member.value, internal::kExpectSequence);
    dimensions.push_back(Dimension{std::move(member.key), std::move(member.value.as_array())});
  }
  *out = std::move(dimensions);
  return std::nullopt;
}

std::optional<std::string> ReadOptionalUsize(const JsonValue& v, std::optional<uint64_t>* out) {
  if (v.is_null()) {
    out->reset();
    return std::nullopt;
  }
  uint64_t n = 0;
  if (auto error = ReadUsize(v, &n)) return error;
  *out = n;
  return std::nullopt;
}

// Field visitor shared by the object and array forms.
enum class Field {
  kRunId,
  kDimensions,
  kShardCount,
  kShardSize,
  kMaxShards,
  kSeed,
  kFailureInjectionShards,
  kReplications,
  kDesign,
  kLayout,
};

std::optional<std::string> ReadField(Field field, JsonValue& v, SweepRequest* r) {
  switch (field) {
    case Field::kRunId: return ReadString(v, &r->run_id);
    case Field::kDimensions: return ReadDimensions(v, &r->dimensions, &r->dimension_ranges);
    case Field::kShardCount: return ReadOptionalUsize(v, &r->shard_count);
    case Field::kShardSize: return ReadOptionalUsize(v, &r->shard_size);
    case Field::kMaxShards: return ReadUsize(v, &r->max_shards);
    case Field::kSeed: return ReadI64(v, &r->seed);
    case Field::kFailureInjectionShards: return ReadUsizeList(v, &r->failure_injection_shards);
    case Field::kReplications: return ReadUsize(v, &r->replications);
    case Field::kDesign: r->design = std::move(v); return std::nullopt;
    case Field::kLayout: {
      std::string layout;
      if (auto error = ReadString(v, &layout)) return error;
      r->layout = std::move(layout);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<Field> FieldByName(std::string_view name) {
  if (name == "run_id") return Field::kRunId;
  if (name == "dimensions") return Field::kDimensions;
  if (name == "shard_count") return Field::kShardCount;
  if (name == "shard_size") return Field::kShardSize;
  if (name == "max_shards") return Field::kMaxShards;
  if (name == "seed") return Field::kSeed;
  if (name == "failure_injection_shards") return Field::kFailureInjectionShards;
  if (name == "replications") return Field::kReplications;
  if (name == "design") return Field::kDesign;
  if (name == "layout") return Field::kLayout;
  return std::nullopt;
}

ApiResult<SweepRequest> DecodeObject(JsonObject& object) {
  SweepRequest request;
  std::vector<JsonMember*> members;
  members.reserve(object.size());
  for (JsonMember& member : object.mutable_members()) members.push_back(&member);
  std::sort(members.begin(), members.end(), [](const JsonMember* a, const JsonMember* b) { return a->key < b->key; });
  bool has_run_id = false;
  bool has_dimensions = false;
  for (JsonMember* member : members) {
    const std::optional<Field> field = FieldByName(member->key);
    if (!field.has_value()) continue;
    if (auto error = ReadField(*field, member->value, &request)) return Malformed(*error);
    has_run_id |= *field == Field::kRunId;
    has_dimensions |= *field == Field::kDimensions;
  }
  if (!has_run_id) return Malformed(internal::MissingField("run_id"));
  if (!has_dimensions) return Malformed(internal::MissingField("dimensions"));
  return request;
}

ApiResult<SweepRequest> DecodeArray(JsonArray& items) {
  static constexpr Field kOrder[] = {Field::kRunId,     Field::kDimensions, Field::kShardCount,
                                     Field::kShardSize, Field::kMaxShards,  Field::kSeed,
                                     Field::kFailureInjectionShards};
  constexpr size_t kFields = std::size(kOrder);
  constexpr size_t kRequired = 2;
  SweepRequest request;
  for (size_t i = 0; i < kFields; ++i) {
    if (i >= items.size()) {
      if (i < kRequired) {
        return Malformed("invalid length " + std::to_string(items.size()) +
                         ", expected struct SweepRequest with 7 elements");
      }
      break;
    }
    if (auto error = ReadField(kOrder[i], items[i], &request)) return Malformed(*error);
  }
  if (items.size() > kFields) {
    return Malformed("invalid length " + std::to_string(items.size()) + ", expected fewer elements in array");
  }
  return request;
}

}  // namespace

ApiResult<SweepRequest> DecodeSweepRequest(JsonValue request) {
  if (request.is_object()) return DecodeObject(request.as_object());
  if (request.is_array()) return DecodeArray(request.as_array());
  return Malformed(InvalidType(request, "struct SweepRequest"));
}

}  // namespace ridesweep::sweep
