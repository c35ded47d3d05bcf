// Response bodies (spec/sweep.md §5.6).
#include "ridesweep/sweep/responses.h"

#include "ridesweep/base/check.h"
#include "ridesweep/base/json_number_format.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/limits.h"

namespace ridesweep::sweep {
namespace {

ApiError Make(int status_code, std::string_view error, std::string message) {
  ApiError e;
  e.status_code = status_code;
  e.error = std::string(error);
  e.message = std::move(message);
  return e;
}

JsonValue IdList(const std::vector<uint64_t>& ids) {
  JsonArray array;
  array.reserve(ids.size());
  for (uint64_t id : ids) array.push_back(JsonValue::Unsigned(id));
  return JsonValue::Array(std::move(array));
}

JsonValue Text(std::string_view s) { return JsonValue::String(std::string(s)); }

}  // namespace

std::string AcceptedBody(const AcceptedRun& run) {
  RIDESWEEP_CHECK(run.plan != nullptr);
  const std::vector<ShardRange>& shards = run.plan->shards;
  std::string out;
  out.reserve(160 + shards.size() * 48 + 160);
  JsonWriter w(&out);
  w.BeginObject()
      .Key("run_id")
      .String(run.run_id)
      .Key("total_points")
      .Unsigned(run.total_points)
      .Key("shards_dispatched")
      .Unsigned(shards.size())
      .Key("dispatches")
      .BeginArray();
  for (const ShardRange& shard : shards) {
    w.BeginObject().Key("shard_id").Unsigned(shard.shard_id).Key("status_code").Unsigned(202).EndObject();
  }
  w.EndArray()
      .Key("status")
      .String("dispatch_submitted")
      .Key("schema_version")
      .String(kOrchestrationSchemaVersion)
      .Key("run_date")
      .String(run.run_date)
      .Key("request_fingerprint")
      .String(run.request_fingerprint)
      .Key("config_fingerprint")
      .String(run.config_fingerprint)
      .Key("shard_ranges");
  std::string ranges;
  AppendShardRangesJson(&ranges, shards);
  w.Raw(ranges).EndObject();
  return out;
}

std::string LambdaProxyResponse(int status_code, std::string_view body) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject()
      .Key("statusCode")
      .Signed(status_code)
      .Key("headers")
      .BeginObject()
      .Key("Content-Type")
      .String(kJsonContentType)
      .EndObject()
      .Key("body")
      .String(body)
      .EndObject();
  return out;
}

JsonValue RunContextObject(std::string_view run_id, std::string_view request_fingerprint) {
  JsonObject object;
  object.AppendUnchecked("request_fingerprint", Text(request_fingerprint));
  object.AppendUnchecked("run_id", Text(run_id));
  object.AppendUnchecked("schema_version", Text(kOrchestrationSchemaVersion));
  return JsonValue::Object(std::move(object));
}

ApiError MakeRunIdConflictError(std::string_view run_id, std::string_view existing_request_fingerprint,
                                std::string_view run_date) {
  ApiError e = Make(409, kErrorRunIdConflict, errors::RunIdConflict(run_id));
  e.extra.Set("existing_request_fingerprint", Text(existing_request_fingerprint));
  e.extra.Set("run_date", Text(run_date));
  return e;
}

ApiError MakeRunContextSerializationError(std::string message) {
  return Make(500, kErrorRunContextSerialization, std::move(message));
}

ApiError MakeRunContextPersistFailedError(std::string_view run_context_key, std::string message) {
  ApiError e = Make(502, kErrorRunContextPersistFailed, std::move(message));
  e.extra.Set("run_context_key", Text(run_context_key));
  return e;
}

ApiError MakeRunManifestFailedError(std::string_view run_manifest_key, std::string message) {
  ApiError e = Make(502, kErrorRunManifestFailed, std::move(message));
  e.extra.Set("run_manifest_key", Text(run_manifest_key));
  return e;
}

ApiError MakeSerializationError(std::string message) { return Make(500, kErrorSerialization, std::move(message)); }

ApiError MakeDispatchFailedError(const DispatchFailure& f) {
  ApiError e = Make(502, kErrorDispatchFailed, f.message);
  e.extra.Set("dispatch_target", Text(f.dispatch_target));
  e.extra.Set("run_context", RunContextObject(f.run_id, f.request_fingerprint));
  e.extra.Set("enqueued_shard_ids", IdList(f.enqueued_shard_ids));
  e.extra.Set("failed_shard_ids", IdList(f.failed_shard_ids));
  e.extra.Set("run_date", Text(f.run_date));
  return e;
}

ApiError MakeDispatchPanickedError(std::string_view details, std::string_view dispatch_target,
                                   std::string_view run_id, std::string_view request_fingerprint) {
  ApiError e = Make(500, kErrorDispatchPanicked, std::string(errors::kDispatchPanicked));
  e.extra.Set("details", Text(details));
  e.extra.Set("dispatch_target", Text(dispatch_target));
  e.extra.Set("run_context", RunContextObject(run_id, request_fingerprint));
  return e;
}

ApiError MakeInternalError(std::string_view details) {
  ApiError e = Make(500, kErrorInternal, std::string(errors::kParentHandlerPanicked));
  e.extra.Set("details", Text(details));
  return e;
}

ApiError MakeNotFoundError(std::string_view method, std::string_view path) {
  return Make(404, kErrorNotFound, errors::NoRoute(method, path));
}

ApiError MakeMethodNotAllowedError() {
  return Make(405, kErrorMethodNotAllowed, std::string(errors::kUsePostSweepRun));
}

ApiError MakePayloadTooLargeError() {
  return Make(413, kErrorPayloadTooLarge, std::string(errors::kRequestBodyTooLarge));
}

}  // namespace ridesweep::sweep
