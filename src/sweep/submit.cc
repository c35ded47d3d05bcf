// The accept path (spec/sweep.md §5.1–§5.6): run manifest (create-if-absent, resubmission or 409), run_context
// record, payloads, dispatch, 202 — with every failure turned into its exact §5.6 status and body.
#include "ridesweep/sweep/submit.h"

#include <exception>
#include <utility>
#include <vector>

#include "ridesweep/base/check.h"
#include "ridesweep/base/exception_text.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/responses.h"
#include "ridesweep/sweep/shard_payload.h"

namespace ridesweep::sweep {
namespace {

constexpr std::string_view kComponent = "parent_handler";

JsonValue Text(std::string_view s) { return JsonValue::String(std::string(s)); }
JsonValue Count(uint64_t v) { return JsonValue::Unsigned(v); }

JsonValue IdList(const std::vector<uint64_t>& ids) {
  JsonArray array;
  array.reserve(ids.size());
  for (uint64_t id : ids) array.push_back(JsonValue::Unsigned(id));
  return JsonValue::Array(std::move(array));
}

void Log(SubmitContext& ctx, LogLevel level, std::string_view event, JsonObject details) {
  if (ctx.log != nullptr) ctx.log->Emit(kComponent, event, level, std::move(details));
}

SubmitResponse Respond(const ApiError& error) {
  SubmitResponse r;
  r.status_code = error.status_code;
  r.body = error.Body();
  return r;
}


// §5.6: any unexpected exception in the handler is a 500 internal_error; the process keeps running.
template <typename Fn>
SubmitResponse Guarded(Fn&& fn) {
  try {
    return fn();
  } catch (...) {
    return Respond(MakeInternalError(ExceptionText(std::current_exception())));
  }
}

// The run_context row of an accepted submission, built from the manifest so a resubmission rewrites the
// identical row (§5.2).
RunContextRow RunContextRowOf(const RunManifest& m) {
  RunContextRow row;
  row.run_id = m.run_id;
  row.run_date = m.run_date;
  row.status = std::string(RecordStatusName(RecordStatus::kAccepted));
  row.request_source = m.request_source;
  row.request_fingerprint = m.request_fingerprint;
  row.config_fingerprint = m.config_fingerprint;
  row.total_points = static_cast<int64_t>(m.normalized_request.total_points);
  row.shard_count = static_cast<int64_t>(m.shard_ranges.size());
  row.shard_strategy = m.shard_strategy;
  row.max_shards = static_cast<int64_t>(m.normalized_request.max_shards);
  row.max_shards_ceiling = static_cast<int64_t>(m.max_shards_ceiling);
  if (!m.build_version.empty()) row.build_version = m.build_version;
  if (!m.build_git_revision.empty()) row.build_git_revision = m.build_git_revision;
  return row;
}

struct ManifestOutcome {
  std::optional<RunManifest> manifest;  // the run's manifest (new or stored)
  bool resubmission = false;
  std::optional<ApiError> error;
};

// §5.2: create-if-absent; a lost race or an existing manifest is read back and compared.
ManifestOutcome CreateOrLoadManifest(const ValidatedRequest& validated, RequestSource source, WallTime now,
                                     const std::string& manifest_key, SubmitContext& ctx) {
  const std::string& run_id = validated.request.run_id;
  auto failed = [&](const std::string& message) {
    JsonObject details;
    details.Set("run_id", Text(run_id));
    details.Set("run_manifest_key", Text(manifest_key));
    details.Set("error", Text(message));
    Log(ctx, LogLevel::kError, "run_manifest_failed", std::move(details));
    return ManifestOutcome{std::nullopt, false, MakeRunManifestFailedError(manifest_key, message)};
  };

  RunManifest fresh = BuildRunManifest(validated, UtcDate(now), Rfc3339Micros(now), source);
  const Status created = ctx.store->PutIfAbsent(manifest_key, EncodeRunManifest(fresh), kJsonContentType);
  if (created.ok()) return ManifestOutcome{std::move(fresh), false, std::nullopt};
  if (created.code() != StatusCode::kConflict) return failed(created.message());

  Result<std::string> text = ctx.store->Get(manifest_key);
  if (!text.ok()) return failed(text.status().message());
  Result<RunManifest> stored = DecodeRunManifest(*text);
  if (!stored.ok()) return failed(stored.status().message());

  if (stored->request_fingerprint != validated.request_fingerprint) {
    JsonObject details;
    details.Set("run_id", Text(run_id));
    details.Set("request_fingerprint", Text(validated.request_fingerprint));
    details.Set("existing_request_fingerprint", Text(stored->request_fingerprint));
    Log(ctx, LogLevel::kWarn, "run_conflict", std::move(details));
    return ManifestOutcome{std::nullopt, false,
                           MakeRunIdConflictError(run_id, stored->request_fingerprint, stored->run_date)};
  }
  JsonObject details;
  details.Set("run_id", Text(run_id));
  details.Set("run_date", Text(stored->run_date));
  details.Set("request_fingerprint", Text(stored->request_fingerprint));
  Log(ctx, LogLevel::kInfo, "run_resubmitted", std::move(details));
  return ManifestOutcome{std::move(stored).value(), true, std::nullopt};
}

SubmitResponse SubmitValidatedUnguarded(const ValidatedRequest& validated, RequestSource source,
                                        SubmitContext& ctx) {
  RIDESWEEP_CHECK(ctx.store != nullptr && ctx.encoder != nullptr && ctx.dispatcher != nullptr &&
                  ctx.clock != nullptr);
  const NormalizedRequest& request = validated.request;
  const StorageLayout layout(ctx.config.results_prefix);
  const WallTime now = ctx.clock->Now();  // once per request: fixes run_date and created_at

  // Step 2: manifest.
  const std::string manifest_key = layout.RunManifestKey(request.run_id);
  ManifestOutcome m = CreateOrLoadManifest(validated, source, now, manifest_key, ctx);
  if (m.error.has_value()) return Respond(*m.error);
  const RunManifest& manifest = *m.manifest;
  const std::string& run_date = manifest.run_date;

  // Step 3: run_context, before anything is enqueued.
  const std::string run_context_key = layout.RunContextKey(run_date, request.run_id);
  Result<std::string> row_bytes = ctx.encoder->EncodeRunContext(RunContextRowOf(manifest));
  if (!row_bytes.ok()) return Respond(MakeRunContextSerializationError(row_bytes.status().message()));
  if (Status put = ctx.store->Put(run_context_key, *row_bytes, kParquetContentType); !put.ok()) {
    JsonObject details;
    details.Set("run_id", Text(request.run_id));
    details.Set("run_context_key", Text(run_context_key));
    details.Set("error", Text(put.message()));
    Log(ctx, LogLevel::kError, "run_context_persist_failed", std::move(details));
    return Respond(MakeRunContextPersistFailedError(run_context_key, put.message()));
  }
  {
    JsonObject details;
    details.Set("run_id", Text(request.run_id));
    details.Set("run_date", Text(run_date));
    details.Set("total_points", Count(request.total_points));
    details.Set("shard_count", Count(validated.plan.shards.size()));
    details.Set("shard_strategy", Text(ShardStrategyName(validated.plan.strategy)));
    details.Set("max_shards", Count(request.max_shards));
    details.Set("max_shards_ceiling", Count(validated.max_shards_ceiling));
    details.Set("request_fingerprint", Text(validated.request_fingerprint));
    Log(ctx, LogLevel::kInfo, "run_accepted", std::move(details));
  }

  // Step 4: payloads (one form for the whole run) and dispatch.
  const ShardPayloadEncoder payloads(request, validated.plan, run_date, manifest_key, validated.request_fingerprint,
                                     ctx.config.inline_payload_max_bytes);
  std::vector<ShardMessage> messages;
  messages.reserve(validated.plan.shards.size());
  for (const ShardRange& shard : validated.plan.shards) {
    messages.push_back(ShardMessage{shard.shard_id, payloads.Encode(shard)});
  }
  const std::string target(ctx.dispatcher->target());
  const WallTime dispatch_started = ctx.clock->Now();
  DispatchReport report;
  try {
    report = ctx.dispatcher->Dispatch(messages);
  } catch (...) {
    const std::string details_text = ExceptionText(std::current_exception());
    JsonObject details;
    details.Set("run_id", Text(request.run_id));
    details.Set("shard_id", JsonValue::Null());  // the dispatcher does not say which shard it was sending
    details.Set("dispatch_target", Text(target));
    details.Set("details", Text(details_text));
    Log(ctx, LogLevel::kError, "dispatch_panicked", std::move(details));
    return Respond(MakeDispatchPanickedError(details_text, target, request.run_id, validated.request_fingerprint));
  }
  const int64_t dispatch_ms_signed =
      std::chrono::duration_cast<std::chrono::milliseconds>(ctx.clock->Now() - dispatch_started).count();
  const uint64_t dispatch_ms = dispatch_ms_signed > 0 ? static_cast<uint64_t>(dispatch_ms_signed) : 0;
  const uint64_t enqueued = report.enqueued_shard_ids.size();

  if (!report.failed_shard_ids.empty()) {
    JsonObject details;
    details.Set("run_id", Text(request.run_id));
    details.Set("shard_ids", IdList(report.failed_shard_ids));
    details.Set("dispatch_target", Text(target));
    details.Set("error", Text(report.first_error));
    Log(ctx, LogLevel::kError, "dispatch_failed", std::move(details));
  }
  {
    JsonObject details;
    details.Set("run_id", Text(request.run_id));
    details.Set("shards_dispatched", Count(enqueued));
    details.Set("dispatch_duration_ms", Count(dispatch_ms));
    details.Set("shard_dispatch_per_second",
                JsonValue::Double(dispatch_ms == 0 ? static_cast<double>(enqueued)
                                                   : static_cast<double>(enqueued) * 1000.0 /
                                                         static_cast<double>(dispatch_ms)));
    details.Set("dispatch_target", Text(target));
    details.Set("send_batch_calls", Count(report.send_calls));
    details.Set("payload_form", Text(PayloadFormName(payloads.form())));
    Log(ctx, LogLevel::kInfo, "dispatch_completed", std::move(details));
  }

  SubmitResponse response;
  if (!report.failed_shard_ids.empty()) {
    DispatchFailure failure;
    failure.dispatch_target = target;
    failure.run_id = request.run_id;
    failure.request_fingerprint = validated.request_fingerprint;
    failure.run_date = run_date;
    failure.enqueued_shard_ids = report.enqueued_shard_ids;
    failure.failed_shard_ids = report.failed_shard_ids;
    failure.message = errors::FailedToEnqueue(report.first_error);
    response = Respond(MakeDispatchFailedError(failure));
  } else {
    // Step 5.
    AcceptedRun run;
    run.run_id = request.run_id;
    run.total_points = request.total_points;
    run.plan = &validated.plan;
    run.run_date = run_date;
    run.request_fingerprint = validated.request_fingerprint;
    run.config_fingerprint = validated.config_fingerprint;
    response.status_code = 202;
    response.body = AcceptedBody(run);
  }
  response.accepted = AcceptedSubmission{manifest, m.resubmission, std::move(report)};
  return response;
}

}  // namespace

SubmitResponse SubmitValidated(const ValidatedRequest& validated, RequestSource source, SubmitContext& ctx) {
  return Guarded([&] { return SubmitValidatedUnguarded(validated, source, ctx); });
}

SubmitResponse SubmitRequestBytes(std::string_view body, RequestSource source, SubmitContext& ctx) {
  return Guarded([&] {
    ApiResult<ValidatedRequest> validated = ParseAndValidateRequestBytes(body, ctx.config.ingress);
    if (!validated.ok()) return Respond(validated.error());
    return SubmitValidatedUnguarded(*validated, source, ctx);
  });
}

SubmitResponse SubmitLambdaEvent(std::string_view event_json, SubmitContext& ctx) {
  return Guarded([&] {
    ApiResult<ValidatedEvent> validated = ParseAndValidateEventBytes(event_json, ctx.config.ingress);
    if (!validated.ok()) return Respond(validated.error());
    return SubmitValidatedUnguarded(validated->validated, validated->source, ctx);
  });
}

}  // namespace ridesweep::sweep
