// Run manifest encoding, decoding and reference verification (spec/sweep.md §5.2, §7.2).
#include "ridesweep/sweep/run_manifest.h"

#include <utility>

#include "decode_messages.h"
#include "ridesweep/base/build_info.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/fingerprint.h"

namespace ridesweep::sweep {

RunManifest BuildRunManifest(const ValidatedRequest& validated, std::string_view run_date,
                             std::string_view created_at, RequestSource source) {
  RunManifest m;
  m.run_id = validated.request.run_id;
  m.run_date = std::string(run_date);
  m.request_fingerprint = validated.request_fingerprint;
  m.config_fingerprint = validated.config_fingerprint;
  m.created_at = std::string(created_at);
  m.request_source = std::string(RequestSourceName(source));
  m.shard_strategy = std::string(ShardStrategyName(validated.plan.strategy));
  m.max_shards_ceiling = validated.max_shards_ceiling;
  m.shard_ranges = validated.plan.shards;
  m.normalized_request = validated.request;
  m.build_version = std::string(GetBuildInfo().version);
  m.build_git_revision = std::string(GetBuildInfo().git_revision);
  return m;
}

std::string EncodeRunManifest(const RunManifest& m) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject()
      .Key("schema_version")
      .String(m.schema_version)
      .Key("run_id")
      .String(m.run_id)
      .Key("run_date")
      .String(m.run_date)
      .Key("request_fingerprint")
      .String(m.request_fingerprint)
      .Key("config_fingerprint")
      .String(m.config_fingerprint)
      .Key("created_at")
      .String(m.created_at)
      .Key("request_source")
      .String(m.request_source)
      .Key("shard_strategy")
      .String(m.shard_strategy)
      .Key("max_shards_ceiling")
      .Unsigned(m.max_shards_ceiling)
      .Key("shard_ranges");
  std::string ranges;
  AppendShardRangesJson(&ranges, m.shard_ranges);
  w.Raw(ranges).Key("normalized_request").Raw(NormalizedRequestJson(m.normalized_request));
  if (!m.build_version.empty() || !m.build_git_revision.empty()) {
    w.Key("build").BeginObject().Key("version").String(m.build_version).Key("git_revision").String(
        m.build_git_revision).EndObject();
  }
  w.EndObject();
  return out;
}

namespace {

Status Malformed(std::string_view detail) {
  return InvalidArgumentError("Malformed run manifest: " + std::string(detail));
}

}  // namespace

Result<RunManifest> DecodeRunManifest(std::string_view json) {
  Result<JsonValue> parsed = ParseJson(json);
  if (!parsed.ok()) return Malformed(parsed.status().message());
  if (!parsed->is_object()) return Malformed(internal::InvalidType(*parsed, "a map"));
  const JsonObject& object = parsed->as_object();
  RunManifest m;
  for (const auto& [name, slot] : {
           std::pair<std::string_view, std::string*>{"schema_version", &m.schema_version},
           {"run_id", &m.run_id},
           {"run_date", &m.run_date},
           {"request_fingerprint", &m.request_fingerprint},
           {"config_fingerprint", &m.config_fingerprint},
           {"created_at", &m.created_at},
           {"request_source", &m.request_source},
           {"shard_strategy", &m.shard_strategy},
       }) {
    const JsonValue* v = object.Find(name);
    if (v == nullptr) return Malformed(internal::MissingField(name));
    if (auto e = internal::ReadString(*v, slot)) return Malformed(std::string(name) + ": " + *e);
  }
  const JsonValue* ceiling = object.Find("max_shards_ceiling");
  if (ceiling == nullptr) return Malformed(internal::MissingField("max_shards_ceiling"));
  if (auto e = internal::ReadUsize(*ceiling, &m.max_shards_ceiling)) return Malformed("max_shards_ceiling: " + *e);

  const JsonValue* ranges = object.Find("shard_ranges");
  if (ranges == nullptr) return Malformed(internal::MissingField("shard_ranges"));
  if (!ranges->is_array()) return Malformed("shard_ranges: " + internal::InvalidType(*ranges, "a sequence"));
  for (const JsonValue& range : ranges->as_array()) {
    uint64_t start = 0;
    uint64_t end = 0;
    if (!range.is_array() || range.as_array().size() != 2 || internal::ReadUsize(range.as_array()[0], &start) ||
        internal::ReadUsize(range.as_array()[1], &end)) {
      return Malformed("shard_ranges: expected [start, end_exclusive] pairs");
    }
    m.shard_ranges.push_back(ShardRange{m.shard_ranges.size(), start, end});
  }

  const JsonValue* normalized = object.Find("normalized_request");
  if (normalized == nullptr) return Malformed(internal::MissingField("normalized_request"));
  Result<NormalizedRequest> request = NormalizedRequestFromJson(*normalized);
  if (!request.ok()) return Malformed(request.status().message());
  m.normalized_request = std::move(request).value();
  if (const JsonValue* build = object.Find("build"); build != nullptr && build->is_object()) {
    for (const auto& [name, slot] : {std::pair<std::string_view, std::string*>{"version", &m.build_version},
                                     {"git_revision", &m.build_git_revision}}) {
      const JsonValue* v = build->as_object().Find(name);
      if (v != nullptr && v->is_string()) *slot = v->as_string();
    }
  }
  return m;
}

Status VerifyManifestReference(const RunManifest& manifest, std::string_view payload_request_fingerprint) {
  if (manifest.request_fingerprint != payload_request_fingerprint) {
    return FailedPreconditionError(
        errors::RequestReferenceMismatch(payload_request_fingerprint, manifest.request_fingerprint));
  }
  const std::string stored = RequestFingerprint(manifest.normalized_request);
  if (stored != payload_request_fingerprint) {
    return FailedPreconditionError(errors::RequestReferenceMismatch(payload_request_fingerprint, stored));
  }
  return Status::Ok();
}

}  // namespace ridesweep::sweep
