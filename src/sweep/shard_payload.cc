// Shard payload encoding and decoding (spec/sweep.md §5.5, §7.1).
#include "ridesweep/sweep/shard_payload.h"

#include <algorithm>
#include <array>
#include <utility>

#include "decode_messages.h"
#include "ridesweep/base/json_number_format.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/identifiers.h"
#include "ridesweep/sweep/limits.h"

namespace ridesweep::sweep {

bool ShardPayload::ShouldInjectFailure() const {
  // Linear: a decoded list is not guaranteed to be sorted.
  return std::find(failure_injection_shards.begin(), failure_injection_shards.end(), shard_id) !=
         failure_injection_shards.end();
}

std::string_view PayloadFormName(PayloadForm form) {
  return form == PayloadForm::kInline ? "inline" : "reference";
}

std::string EncodeShardPayload(const ShardPayload& p) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("run_id").String(p.run_id);
  if (p.run_date.has_value()) w.Key("run_date").String(*p.run_date);
  if (p.dimensions.has_value()) {
    std::string dimensions;
    AppendDimensionsJson(&dimensions, *p.dimensions);
    w.Key("dimensions").Raw(dimensions);
  }
  w.Key("total_points")
      .Unsigned(p.total_points)
      .Key("shard_id")
      .Unsigned(p.shard_id)
      .Key("start_index")
      .Unsigned(p.start_index)
      .Key("end_index_exclusive")
      .Unsigned(p.end_index_exclusive)
      .Key("seed")
      .Signed(p.seed)
      .Key("failure_injection_shards")
      .BeginArray();
  for (uint64_t shard : p.failure_injection_shards) w.Unsigned(shard);
  w.EndArray();
  if (!p.dimensions.has_value()) {
    w.Key("request_key").OptionalString(p.request_key).Key("request_fingerprint").OptionalString(p.request_fingerprint);
  }
  if (p.replications != kDefaultReplications) w.Key("replications").Unsigned(p.replications);
  if (!p.design.is_grid()) {
    std::string design;
    AppendDesignJson(&design, p.design);
    w.Key("design").Raw(design);
  }
  if (p.layout != kDefaultOutputLayout) w.Key("layout").String(OutputLayoutName(p.layout));
  w.EndObject();
  return out;
}

namespace {

// DO NOT REORDER: wire order, which is also the order in which missing fields are reported.
enum class PayloadField : uint8_t {
  kRunId,
  kRunDate,
  kDimensions,
  kTotalPoints,
  kShardId,
  kStartIndex,
  kEndIndexExclusive,
  kSeed,
  kFailureInjectionShards,
  kRequestKey,
  kRequestFingerprint,
  kReplications,
  kDesign,
  kLayout,
};
constexpr std::array<std::string_view, 14> kPayloadFieldNames = {
    "run_id", "run_date", "dimensions", "total_points", "shard_id", "start_index", "end_index_exclusive",
    "seed",   "failure_injection_shards", "request_key", "request_fingerprint", "replications", "design",
    "layout",
};

Status Reject(std::string_view detail) {
  return InvalidArgumentError(std::string(errors::kInvalidPayloadPrefix) + std::string(detail));
}

std::string At(std::string_view body, size_t end_offset) {
  const JsonTextPosition position = JsonTextPositionAt(body, end_offset);
  return " at line " + std::to_string(position.line) + " column " + std::to_string(position.column);
}

std::optional<std::string> ReadOptionalString(const JsonValue& v, std::optional<std::string>* out) {
  if (v.is_null()) {
    out->reset();
    return std::nullopt;
  }
  std::string s;
  if (auto error = internal::ReadString(v, &s)) return error;
  *out = std::move(s);
  return std::nullopt;
}

std::optional<std::string> ReadPayloadDimensions(const JsonValue& v, std::optional<Dimensions>* out) {
  if (!v.is_object()) return internal::InvalidType(v, internal::kExpectMap);
  Dimensions dimensions;
  dimensions.reserve(v.as_object().size());
  for (const JsonMember* member : v.as_object().SortedMembers()) {
    Dimension dimension;
    if (auto error = ReadCanonicalDimension(member->key, member->value, &dimension)) return error;
    dimensions.push_back(std::move(dimension));
  }
  *out = std::move(dimensions);
  return std::nullopt;
}

std::optional<std::string> ReadPayloadField(PayloadField field, const JsonValue& v, ShardPayload* p) {
  switch (field) {
    case PayloadField::kRunId: return internal::ReadString(v, &p->run_id);
    case PayloadField::kRunDate: return ReadOptionalString(v, &p->run_date);
    case PayloadField::kDimensions: return ReadPayloadDimensions(v, &p->dimensions);
    case PayloadField::kTotalPoints: return internal::ReadUsize(v, &p->total_points);
    case PayloadField::kShardId: return internal::ReadUsize(v, &p->shard_id);
    case PayloadField::kStartIndex: return internal::ReadUsize(v, &p->start_index);
    case PayloadField::kEndIndexExclusive: return internal::ReadUsize(v, &p->end_index_exclusive);
    case PayloadField::kSeed: return internal::ReadI64(v, &p->seed);
    case PayloadField::kFailureInjectionShards: return internal::ReadUsizeList(v, &p->failure_injection_shards);
    case PayloadField::kRequestKey: return ReadOptionalString(v, &p->request_key);
    case PayloadField::kRequestFingerprint: return ReadOptionalString(v, &p->request_fingerprint);
    case PayloadField::kReplications: return internal::ReadUsize(v, &p->replications);
    case PayloadField::kDesign: {
      Result<Design> design = DesignFromJson(v);
      if (!design.ok()) return design.status().message();
      p->design = *design;
      return std::nullopt;
    }
    case PayloadField::kLayout: {
      std::string name;
      if (auto error = internal::ReadString(v, &name)) return error;
      const std::optional<OutputLayout> layout = OutputLayoutFromName(name);
      if (!layout.has_value()) return errors::UnknownLayout(name);
      p->layout = *layout;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// One past the last non-whitespace byte: where serde reports an error about the whole top-level value.
size_t EndOfValue(std::string_view body) {
  size_t end = body.size();
  while (end > 0 && (body[end - 1] == ' ' || body[end - 1] == '\n' || body[end - 1] == '\t' || body[end - 1] == '\r')) {
    --end;
  }
  return end;
}

}  // namespace

Result<ShardPayload> DecodeShardPayload(std::string_view body, std::string_view fallback_run_date) {
  JsonParseError parse_error;
  Result<JsonValue> parsed = ParseJson(body, &parse_error);
  if (!parsed.ok()) return Reject(parse_error.ToString());
  const JsonValue& value = *parsed;
  if (!value.is_object()) {
    return Reject(internal::InvalidType(value, "struct ShardPayload") + At(body, EndOfValue(body)));
  }

  const JsonObject& object = value.as_object();
  ShardPayload payload;
  std::array<bool, kPayloadFieldNames.size()> seen{};
  for (const JsonMember& member : object.members()) {
    const auto it = std::find(kPayloadFieldNames.begin(), kPayloadFieldNames.end(), member.key);
    if (it == kPayloadFieldNames.end()) continue;
    const auto field = static_cast<PayloadField>(it - kPayloadFieldNames.begin());
    if (auto error = ReadPayloadField(field, member.value, &payload)) {
      return Reject(*error + At(body, member.value_end_offset));
    }
    seen[static_cast<size_t>(field)] = true;
  }

  const bool has_reference = payload.request_key.has_value() && payload.request_fingerprint.has_value();
  for (size_t i = 0; i < kPayloadFieldNames.size(); ++i) {
    const auto field = static_cast<PayloadField>(i);
    const bool optional = field == PayloadField::kRunDate || field == PayloadField::kRequestKey ||
                          field == PayloadField::kRequestFingerprint || field == PayloadField::kReplications ||
                          field == PayloadField::kDesign || field == PayloadField::kLayout ||
                          (field == PayloadField::kDimensions && has_reference);
    if (!seen[i] && !optional) {
      return Reject(internal::MissingField(kPayloadFieldNames[i]) + At(body, object.end_offset()));
    }
  }

  if (!payload.run_date.has_value()) payload.run_date = std::string(fallback_run_date);
  if (!MatchesRunIdPattern(payload.run_id) || !IsRunDate(*payload.run_date)) {
    return InvalidArgumentError(std::string(errors::kPayloadNotAddressable));
  }
  return payload;
}

Result<ShardPayload> DecodeShardPayloadRecordBody(const JsonValue& record_body, std::string_view fallback_run_date) {
  if (!record_body.is_string()) return InvalidArgumentError(std::string(errors::kSqsBodyNotString));
  return DecodeShardPayload(record_body.as_string(), fallback_run_date);
}

ShardPayloadEncoder::ShardPayloadEncoder(const NormalizedRequest& request, const ShardPlan& plan,
                                         std::string_view run_date, std::string_view request_key,
                                         std::string_view request_fingerprint, size_t inline_max_bytes)
    : failure_injection_shards_(request.failure_injection_shards) {
  if (request.replications != kDefaultReplications) {
    extras_json_ = ",\"replications\":";
    AppendJsonUnsigned(&extras_json_, request.replications);
  }
  if (!request.design.is_grid()) {
    extras_json_ += ",\"design\":";
    AppendDesignJson(&extras_json_, request.design);
  }
  if (request.layout != kDefaultOutputLayout) {
    extras_json_ += ",\"layout\":";
    AppendJsonString(&extras_json_, OutputLayoutName(request.layout));
  }
  RIDESWEEP_CHECK(!plan.shards.empty());
  std::string common = "{\"run_id\":";
  AppendJsonString(&common, request.run_id);
  common += ",\"run_date\":";
  AppendJsonString(&common, run_date);

  std::string total_and_shard = ",\"total_points\":";
  AppendJsonUnsigned(&total_and_shard, request.total_points);
  total_and_shard += ",\"shard_id\":";

  inline_head_ = common + ",\"dimensions\":";
  AppendDimensionsJson(&inline_head_, request.dimensions);
  inline_head_ += total_and_shard;
  reference_head_ = common + total_and_shard;

  AppendJsonSigned(&seed_json_, request.seed);
  // append() rather than assignment from a literal: GCC 12 -O3 reports a false -Wrestrict on the latter.
  inline_injection_json_.append("[");
  for (size_t i = 0; i < request.failure_injection_shards.size(); ++i) {
    if (i > 0) inline_injection_json_ += ",";
    AppendJsonUnsigned(&inline_injection_json_, request.failure_injection_shards[i]);
  }
  inline_injection_json_ += "]";

  reference_tail_.append(",\"request_key\":");
  AppendJsonString(&reference_tail_, request_key);
  reference_tail_ += ",\"request_fingerprint\":";
  AppendJsonString(&reference_tail_, request_fingerprint);
  reference_tail_ += extras_json_;
  reference_tail_ += "}";

  const size_t limit = std::min(inline_max_bytes, kSqsMessageLimitBytes);
  form_ = EncodeAs(PayloadForm::kInline, plan.shards.back()).size() <= limit ? PayloadForm::kInline
                                                                             : PayloadForm::kReference;
}

std::string ShardPayloadEncoder::EncodeAs(PayloadForm form, const ShardRange& shard) const {
  std::string out;
  const std::string& head = form == PayloadForm::kInline ? inline_head_ : reference_head_;
  out.reserve(head.size() + inline_injection_json_.size() + reference_tail_.size() + 128);
  out += head;
  AppendJsonUnsigned(&out, shard.shard_id);
  out += ",\"start_index\":";
  AppendJsonUnsigned(&out, shard.start_index);
  out += ",\"end_index_exclusive\":";
  AppendJsonUnsigned(&out, shard.end_index_exclusive);
  out += ",\"seed\":";
  out += seed_json_;
  out += ",\"failure_injection_shards\":";
  if (form == PayloadForm::kInline) {
    out += inline_injection_json_;
    out += extras_json_;
    out += "}";
  } else {
    if (std::binary_search(failure_injection_shards_.begin(), failure_injection_shards_.end(), shard.shard_id)) {
      out += "[";
      AppendJsonUnsigned(&out, shard.shard_id);
      out += "]";
    } else {
      out += "[]";
    }
    out += reference_tail_;
  }
  return out;
}

std::string ShardPayloadEncoder::Encode(const ShardRange& shard) const { return EncodeAs(form_, shard); }

std::vector<std::string> ShardPayloadEncoder::EncodeAll(const ShardPlan& plan) const {
  std::vector<std::string> bodies;
  bodies.reserve(plan.shards.size());
  for (const ShardRange& shard : plan.shards) bodies.push_back(Encode(shard));
  return bodies;
}

}  // namespace ridesweep::sweep
