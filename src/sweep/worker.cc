// The shard worker (spec/sweep.md §7.2–§7.5): preparation and pre-checks, per-point resolve → simulate → write in
// the contract order, the success outcome that commits the shard, failure records with the §7.3 classification,
// stale failure cleanup and the §7.4 deadline guard.
#include "ridesweep/sweep/worker.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "ridesweep/base/check.h"
#include "ridesweep/base/exception_text.h"
#include "ridesweep/sim/point_collector.h"
#include "ridesweep/sim/simulation.h"
#include "ridesweep/sweep/dimension_mapping.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/point_resolution.h"

namespace ridesweep::sweep {
namespace {

constexpr std::string_view kComponent = "child_handler";
// DO NOT CHANGE: shard_outcomes.format of a success outcome.
constexpr std::string_view kOutcomeFormat = "parquet";
// Not a contract text: a failed existence check of a point's commit object (§7.2 step 4.2).
constexpr std::string_view kCheckCommittedPointPrefix = "Failed to check committed point: ";
// Not a contract text: RunPoint's own text for a point stopped by its StopCheck (RunShard replaces it with §7.4's).
constexpr std::string_view kPointCancelledPrefix = "Point cancelled: ";
// Not a contract text: the per_shard layout's spill refused a point's rows.
constexpr std::string_view kSpillPointPrefix = "Failed to spill the point's rows: ";
constexpr std::string_view kCheckCommittedShardPrefix = "Failed to check committed shard: ";
constexpr std::string_view kStartSpillPrefix = "Failed to start the shard spill: ";
constexpr std::string_view kNoSpillConfigured = "This worker has no shard spill, which the per_shard layout needs";
constexpr Dataset kPointDatasets[] = {Dataset::kShardMetrics, Dataset::kTripData, Dataset::kSnapshotCounts,
                                      Dataset::kEffectiveParameters};

using std::chrono::milliseconds;

JsonValue Text(std::string_view s) { return JsonValue::String(std::string(s)); }
JsonValue Count(uint64_t v) { return JsonValue::Unsigned(v); }

// run_id, shard_id, attempt and message_id (when known): the keys every child_handler event carries.
JsonObject ShardDetails(const ShardAttempt& attempt) {
  JsonObject d;
  d.Set("run_id", Text(attempt.payload.run_id));
  d.Set("shard_id", Count(attempt.payload.shard_id));
  d.Set("attempt", Count(attempt.attempt));
  if (!attempt.message_id.empty()) d.Set("message_id", Text(attempt.message_id));
  return d;
}

void Log(WorkerContext& ctx, LogLevel level, std::string_view event, JsonObject details) {
  if (ctx.log != nullptr) ctx.log->Emit(kComponent, event, level, std::move(details));
}

uint64_t ElapsedMs(WallTime from, WallTime to) {
  const int64_t ms = std::chrono::duration_cast<milliseconds>(to - from).count();
  return ms > 0 ? static_cast<uint64_t>(ms) : 0;
}

// The payload's run_date (always set by DecodeShardPayload); today's date as a defensive fallback.
std::string RunDateOf(const ShardAttempt& attempt, const WorkerContext& ctx) {
  return attempt.payload.run_date.has_value() ? *attempt.payload.run_date : UtcDate(ctx.clock->Now());
}

std::string EventTimeOf(const ShardAttempt& attempt, WallTime now) {
  return attempt.event_time.empty() ? Rfc3339Micros(now) : attempt.event_time;
}

ShardError Error(ShardErrorCode code, std::string message) { return ShardError{code, std::move(message)}; }
ShardError Prefixed(ShardErrorCode code, std::string_view prefix, const Status& status) {
  return ShardError{code, std::string(prefix) + status.message()};
}

// How RunPointBody writes: every object, or (verifying a committed point) only those whose stored bytes differ.
struct PointWrites {
  bool only_changed = false;
  uint64_t rewritten = 0;  // objects written in only_changed mode
};

// Writes one encoded object. An encoder failure is internal_error, a store failure storage_error (§7.3).
std::optional<ShardError> WriteObject(ObjectStore& store, const std::string& key, Result<std::string> bytes,
                                      std::string_view serialize_prefix, std::string_view persist_prefix,
                                      PointWrites* writes = nullptr) {
  if (!bytes.ok()) return Prefixed(ShardErrorCode::kInternalError, serialize_prefix, bytes.status());
  if (writes != nullptr && writes->only_changed) {
    Result<std::string> stored = store.Get(key);
    if (stored.ok() && *stored == *bytes) return std::nullopt;
    if (!stored.ok() && stored.status().code() != StatusCode::kNotFound) {
      return Prefixed(ShardErrorCode::kStorageError, persist_prefix, stored.status());
    }
    ++writes->rewritten;
  }
  if (Status put = store.Put(key, *bytes, kParquetContentType); !put.ok()) {
    return Prefixed(ShardErrorCode::kStorageError, persist_prefix, put);
  }
  return std::nullopt;
}

// §7.2 step 4.2: the point is committed when its effective_parameters object exists; in the per_shard layout
// when its shard is (PrepareShard decided).
Result<bool> PointCommitted(const PreparedShard& shard, uint64_t point_index, const StorageLayout& layout,
                            const std::string& run_date, WorkerContext& ctx) {
  if (shard.layout == OutputLayout::kPerShard) return shard.shard_committed;
  const ShardPayload& p = shard.attempt.payload;
  Result<ObjectInfo> info =
      ctx.store->Head(layout.PointKey(Dataset::kEffectiveParameters, run_date, p.run_id, p.shard_id, point_index));
  if (!info.ok()) return info.status();
  return info->exists;
}

// The cancel check (cancel_marker.h): before a shard it always asks the store, before a point through the
// context's CancelWatch. `where` completes the message ("before point 7", "before the shard started").
std::optional<ShardError> CheckCancelled(WorkerContext& ctx, std::string_view run_id, bool shard_start,
                                         std::string_view where) {
  Result<bool> cancelled = false;
  if (ctx.cancels != nullptr) {
    cancelled = ctx.cancels->Cancelled(*ctx.store, ctx.config.results_prefix, run_id, ctx.clock->Now(), shard_start);
  } else {
    Result<ObjectInfo> info = ctx.store->Head(StorageLayout(ctx.config.results_prefix).CancelMarkerKey(run_id));
    cancelled = info.ok() ? Result<bool>(info->exists) : Result<bool>(info.status());
  }
  if (!cancelled.ok()) {
    return Prefixed(ShardErrorCode::kStorageError, "Failed to check the run's cancel marker: ", cancelled.status());
  }
  if (!*cancelled) return std::nullopt;
  return Error(ShardErrorCode::kCancelled, "Run " + std::string(run_id) + " was cancelled; stopped " +
                                               std::string(where) + " (not retried)");
}

void LogRepaired(WorkerContext& ctx, const PreparedShard& shard, uint64_t point_index, std::string_view reason) {
  JsonObject details = ShardDetails(shard.attempt);
  details.Set("point_index", Count(point_index));
  details.Set("reason", JsonValue::String(std::string(reason)));
  Log(ctx, LogLevel::kWarn, "committed_point_repaired", std::move(details));
}

// Whether a committed point's shard_metrics, trip_data and snapshot_counts objects all exist.
Result<bool> PointObjectsExist(const PreparedShard& shard, uint64_t point_index, const StorageLayout& layout,
                               const std::string& run_date, WorkerContext& ctx) {
  if (shard.layout == OutputLayout::kPerShard) return shard.shard_committed;
  const ShardPayload& p = shard.attempt.payload;
  for (Dataset dataset : {Dataset::kShardMetrics, Dataset::kTripData, Dataset::kSnapshotCounts}) {
    Result<ObjectInfo> info = ctx.store->Head(layout.PointKey(dataset, run_date, p.run_id, p.shard_id, point_index));
    if (!info.ok()) return info.status();
    if (!info->exists) return false;
  }
  return true;
}

// The effective_parameters row of a point (its JSON text is moved out of `resolved`).
EffectiveParametersRow EffectiveParametersRowOf(const ShardPayload& p, uint64_t point_index, ResolvedPoint& resolved) {
  EffectiveParametersRow row;
  row.run_id = p.run_id;
  row.shard_id = static_cast<int64_t>(p.shard_id);
  row.point_index = static_cast<int64_t>(point_index);
  row.config_index = static_cast<int64_t>(resolved.config_index);
  row.replicate = static_cast<int64_t>(resolved.replicate);
  row.parameter_fingerprint = resolved.parameter_fingerprint;
  row.effective_parameters_json = std::move(resolved.effective_parameters_json);
  return row;
}

// The per_point layout's four objects of one point, in the contract order (§7.2 step 4.4); the
// effective_parameters object commits the point.
std::optional<ShardError> WritePointObjects(const PreparedShard& shard, uint64_t point_index, DatasetEncoder& encoder,
                                            WorkerContext& ctx, const StorageLayout& layout,
                                            const std::string& run_date, const sim::PointMetrics& metrics,
                                            const sim::PointCollector& collector, ResolvedPoint& resolved_point,
                                            PointWrites* writes) {
  const ShardPayload& p = shard.attempt.payload;
  ResolvedPoint* const resolved = &resolved_point;
  // Contract order (§7.2 step 4.4); the effective_parameters object commits the point.
  ObjectStore& store = *ctx.store;
  auto key = [&](Dataset dataset) { return layout.PointKey(dataset, run_date, p.run_id, p.shard_id, point_index); };
  if (auto e = WriteObject(store, key(Dataset::kShardMetrics), encoder.EncodeShardMetrics(ShardMetricsRow(
                               metrics, static_cast<int64_t>(resolved->config_index),
                               static_cast<int64_t>(resolved->replicate))),
                           errors::kSerializeShardMetricsPrefix, errors::kPersistShardMetricsPrefix, writes)) {
    return e;
  }
  // The spec names no serialization texts for these two; an encoder failure keeps the persist text but is
  // classified internal_error.
  if (auto e = WriteObject(store, key(Dataset::kTripData), encoder.EncodeTripData(collector.trips()),
                           errors::kPersistTripDataPrefix, errors::kPersistTripDataPrefix, writes)) {
    return e;
  }
  if (auto e = WriteObject(store, key(Dataset::kSnapshotCounts), encoder.EncodeSnapshotCounts(collector.snapshots()),
                           errors::kPersistSnapshotCountsPrefix, errors::kPersistSnapshotCountsPrefix, writes)) {
    return e;
  }
  EffectiveParametersRow row = EffectiveParametersRowOf(p, point_index, *resolved);
  if (auto e = WriteObject(store, key(Dataset::kEffectiveParameters), encoder.EncodeEffectiveParameters(row),
                           errors::kSerializeEffectiveParametersPrefix, errors::kPersistEffectiveParametersPrefix, writes)) {
    return e;
  }
  return std::nullopt;
}

// §7.2 steps 4.3–4.5 (no skip check). With `writes` in only_changed mode, objects equal to the stored ones are
// not written again.
std::optional<ShardError> RunPointBody(const PreparedShard& shard, uint64_t point_index, DatasetEncoder& encoder,
                                       WorkerContext& ctx, const StopCheck& stop, const StorageLayout& layout,
                                       const std::string& run_date, PointResult* out, PointWrites* writes = nullptr) {
  const ShardPayload& p = shard.attempt.payload;
  const WallTime started = ctx.clock->Now();
  if (auto cancelled = CheckCancelled(ctx, p.run_id, false, "before point " + std::to_string(point_index))) {
    return cancelled;
  }

  Result<ResolvedPoint> resolved = ResolvePoint(shard.dimensions, p.seed, point_index, shard.replications, shard.design);
  if (!resolved.ok()) {
    // Unreachable after the pre-checks; the texts are §1.5's (or the grid's defensive one).
    const bool index = resolved.status().message() == errors::kIndexExceedsProduct;
    return Error(index ? ShardErrorCode::kInvalidShard : ShardErrorCode::kInvalidDimension,
                 resolved.status().message());
  }
  sim::SimParams params = resolved->params;
  if (ctx.config.max_steps_override.has_value()) params.max_steps = *ctx.config.max_steps_override;

  sim::PointCollector collector;
  sim::RunControl control;
  if (stop) control.should_stop = stop;
  Result<sim::SimOutput> run = sim::RunSimulation(params, &collector, control);
  if (!run.ok()) {
    if (run.status().code() == StatusCode::kCancelled) {
      out->cancelled = true;
      return Prefixed(ShardErrorCode::kTimeout, kPointCancelledPrefix, run.status());
    }
    return Error(ShardErrorCode::kSimulationError, run.status().message());
  }
  const sim::PointMetrics& metrics = run->metrics;

  if (shard.spill != nullptr) {  // per_shard: the rows wait in the spill until CommitShard
    EffectiveParametersRow row = EffectiveParametersRowOf(p, point_index, *resolved);
    const ShardMetricsRow metrics_row(metrics, static_cast<int64_t>(resolved->config_index),
                                      static_cast<int64_t>(resolved->replicate));
    if (Status spilled =
            shard.spill->AppendPoint(point_index, metrics_row, collector.trips(), collector.snapshots(), row);
        !spilled.ok()) {
      return Prefixed(ShardErrorCode::kInternalError, kSpillPointPrefix, spilled);
    }
  } else if (auto e = WritePointObjects(shard, point_index, encoder, ctx, layout, run_date, metrics, collector,
                                        *resolved, writes)) {
    return e;
  }
  if (metrics.truncated) {
    out->truncated = true;
    JsonObject details = ShardDetails(shard.attempt);
    details.Set("point_index", Count(point_index));
    details.Set("events_processed", JsonValue::Signed(metrics.events_processed));
    Log(ctx, LogLevel::kWarn, "point_truncated", std::move(details));
  }
  out->duration_ms =
      std::chrono::duration<double, std::milli>(ctx.clock->Now() - started).count();
  return std::nullopt;
}

// per_shard: the shard's success outcome and its four objects all exist.
Result<bool> ShardCommitted(const PreparedShard& shard, WorkerContext& ctx) {
  const ShardPayload& p = shard.attempt.payload;
  const StorageLayout layout(ctx.config.results_prefix);
  const std::string run_date = RunDateOf(shard.attempt, ctx);
  std::vector<std::string> keys = {layout.ShardOutcomeKey(run_date, p.run_id, RecordStatus::kSuccess, p.shard_id)};
  for (Dataset dataset : kPointDatasets) keys.push_back(layout.ShardKey(dataset, run_date, p.run_id, p.shard_id));
  for (const std::string& key : keys) {
    Result<ObjectInfo> info = ctx.store->Head(key);
    if (!info.ok()) return info.status();
    if (!info->exists) return false;
  }
  return true;
}

// per_shard: one object per dataset from the spill, in the contract's dataset order, before the success outcome.
std::optional<ShardError> WriteShardObjects(const PreparedShard& shard, const StorageLayout& layout,
                                            const std::string& run_date, WorkerContext& ctx) {
  const ShardPayload& p = shard.attempt.payload;
  struct Texts {
    Dataset dataset;
    std::string_view serialize;
    std::string_view persist;
  };
  static constexpr Texts kTexts[] = {
      {Dataset::kShardMetrics, errors::kSerializeShardMetricsPrefix, errors::kPersistShardMetricsPrefix},
      {Dataset::kTripData, errors::kPersistTripDataPrefix, errors::kPersistTripDataPrefix},
      {Dataset::kSnapshotCounts, errors::kPersistSnapshotCountsPrefix, errors::kPersistSnapshotCountsPrefix},
      {Dataset::kEffectiveParameters, errors::kSerializeEffectiveParametersPrefix,
       errors::kPersistEffectiveParametersPrefix},
  };
  for (const Texts& texts : kTexts) {
    if (auto e = WriteObject(*ctx.store, layout.ShardKey(texts.dataset, run_date, p.run_id, p.shard_id),
                             shard.spill->Encode(texts.dataset), texts.serialize, texts.persist)) {
      return e;
    }
  }
  return std::nullopt;
}

// Through the per-environment cache when there is one.
Result<RunManifest> LoadManifest(WorkerContext& ctx, std::string_view key) {
  if (ctx.manifests != nullptr) return ctx.manifests->Get(*ctx.store, key);
  Result<std::string> text = ctx.store->Get(key);
  if (!text.ok()) return text.status();
  return DecodeRunManifest(*text);
}

// The margin M and the longest point E the guard decided with are logged too, so the decision can be checked
// exactly (remaining_ms < M + E before a point, < M / 2 while one runs) without timing assumptions.
void LogDeadlineGuard(WorkerContext& ctx, const ShardAttempt& attempt, uint64_t point_index, int64_t remaining_ms,
                      const DeadlineGuard& guard) {
  JsonObject details = ShardDetails(attempt);
  details.Set("point_index", Count(point_index));
  details.Set("remaining_ms", JsonValue::Signed(remaining_ms));
  details.Set("margin_ms", Count(guard.margin_ms()));
  details.Set("longest_point_ms", Count(guard.longest_point_ms()));
  Log(ctx, LogLevel::kWarn, "deadline_guard_triggered", std::move(details));
}

// §7.2 step 4 (SWEEP_POINT_THREADS): points [begin, end) on one thread per encoder, the calling thread being the
// first (one encoder: in index order on the calling thread alone); each thread takes the next point index and
// writes it with its own encoder, in the point's own order. Once a point fails no thread starts another; points
// already running finish. Returns the error of the lowest failing point (every lower point was started before it,
// so the choice does not depend on timing); an exception becomes internal_error. A helper thread that cannot be
// started leaves its share to the others.
template <typename RunOne>
std::optional<ShardError> RunPoints(uint64_t begin, uint64_t end, std::span<DatasetEncoder* const> encoders,
                                    RunOne& run_one) {
  std::mutex mu;
  uint64_t next = begin;
  std::optional<ShardError> error;
  uint64_t error_point = end;
  auto loop = [&](DatasetEncoder& encoder) {
    for (;;) {
      uint64_t point = 0;
      {
        std::lock_guard lock(mu);
        if (error || next == end) return;
        point = next++;
      }
      std::optional<ShardError> point_error;
      try {
        point_error = run_one(point, encoder);
      } catch (...) {
        point_error = Error(ShardErrorCode::kInternalError, ExceptionText(std::current_exception()));
      }
      if (point_error) {
        std::lock_guard lock(mu);
        if (point < error_point) {
          error = std::move(point_error);
          error_point = point;
        }
        return;
      }
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(encoders.size() - 1);
  for (size_t i = 1; i < encoders.size(); ++i) {
    try {
      helpers.emplace_back(loop, std::ref(*encoders[i]));
    } catch (const std::system_error&) {
      break;
    }
  }
  loop(*encoders[0]);
  for (std::thread& helper : helpers) helper.join();
  return error;
}

}  // namespace

std::string_view ShardErrorCodeName(ShardErrorCode code) {
  switch (code) {
    case ShardErrorCode::kInvalidShard: return "invalid_shard";
    case ShardErrorCode::kInvalidDimension: return "invalid_dimension";
    case ShardErrorCode::kInjectedFailure: return "injected_failure";
    case ShardErrorCode::kRequestReferenceError: return "request_reference_error";
    case ShardErrorCode::kSimulationError: return "simulation_error";
    case ShardErrorCode::kStorageError: return "storage_error";
    case ShardErrorCode::kTimeout: return "timeout";
    case ShardErrorCode::kInternalError: return "internal_error";
    case ShardErrorCode::kCancelled: return "cancelled";
  }
  return "internal_error";
}

std::optional<ShardErrorCode> ShardErrorCodeFromName(std::string_view name) {
  for (uint8_t i = 0; i <= static_cast<uint8_t>(ShardErrorCode::kCancelled); ++i) {
    const auto code = static_cast<ShardErrorCode>(i);
    if (ShardErrorCodeName(code) == name) return code;
  }
  return std::nullopt;
}

bool IsTransient(ShardErrorCode code) {
  return code == ShardErrorCode::kStorageError || code == ShardErrorCode::kTimeout ||
         code == ShardErrorCode::kInternalError;
}

// ---------------------------------------------------------------------------------------------------------------
// DeadlineGuard

DeadlineGuard::DeadlineGuard(const Clock* clock, WallTime deadline, uint64_t margin_ms)
    : clock_(clock), deadline_(deadline), margin_ms_(margin_ms) {
  RIDESWEEP_CHECK(clock_ != nullptr);
}

int64_t DeadlineGuard::RemainingMs() const {
  return std::chrono::duration_cast<milliseconds>(deadline_ - clock_->Now()).count();
}

bool DeadlineGuard::ShouldStopBeforePoint(int64_t* remaining_ms) const {
  const int64_t remaining = RemainingMs();
  if (remaining_ms != nullptr) *remaining_ms = remaining;
  const uint64_t needed = margin_ms_ + longest_point_ms();
  return remaining < 0 || static_cast<uint64_t>(remaining) < needed;
}

bool DeadlineGuard::ShouldCancelRunningPoint(int64_t* remaining_ms) const {
  const int64_t remaining = RemainingMs();
  if (remaining_ms != nullptr) *remaining_ms = remaining;
  // deadline − now < M / 2, without rounding M.
  return remaining < 0 || 2 * static_cast<uint64_t>(remaining) < margin_ms_;
}

void DeadlineGuard::RecordPointDuration(milliseconds duration) {
  const uint64_t ms = duration.count() > 0 ? static_cast<uint64_t>(duration.count()) : 0;
  uint64_t seen = longest_point_ms_.load(std::memory_order_relaxed);
  while (ms > seen && !longest_point_ms_.compare_exchange_weak(seen, ms, std::memory_order_relaxed)) {
  }
}

ShardError DeadlineGuard::StoppedBeforePoint(uint64_t point_index, int64_t remaining_ms, uint64_t written,
                                             uint64_t planned) {
  return Error(ShardErrorCode::kTimeout,
               errors::DeadlineStoppedBeforePoint(point_index, remaining_ms, written, planned));
}

ShardError DeadlineGuard::CancelledPoint(uint64_t point_index, int64_t remaining_ms, uint64_t written,
                                         uint64_t planned) {
  return Error(ShardErrorCode::kTimeout, errors::DeadlineCancelledPoint(point_index, remaining_ms, written, planned));
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

std::optional<ShardError> PrepareShard(const ShardAttempt& attempt, WorkerContext& ctx, PreparedShard* out) {
  RIDESWEEP_CHECK(ctx.store != nullptr && ctx.clock != nullptr && out != nullptr);
  const WallTime started = ctx.clock->Now();
  const ShardPayload& p = attempt.payload;
  {
    JsonObject details = ShardDetails(attempt);
    details.Set("start_index", Count(p.start_index));
    details.Set("end_index_exclusive", Count(p.end_index_exclusive));
    details.Set("planned_points", Count(p.end_index_exclusive > p.start_index ? p.end_index_exclusive - p.start_index
                                                                              : 0));
    Log(ctx, LogLevel::kInfo, "shard_started", std::move(details));
  }

  if (auto cancelled = CheckCancelled(ctx, p.run_id, true, "before the shard started")) return cancelled;

  // Step 2: dimensions, inline or through the run manifest.
  Dimensions dimensions;
  uint64_t replications = p.replications;
  Design design = p.design;
  OutputLayout output_layout = p.layout;
  if (p.dimensions.has_value()) {
    dimensions = *p.dimensions;
  } else {
    const std::string key = p.request_key.value_or("");
    if (!p.request_key.has_value() || !p.request_fingerprint.has_value()) {
      return Error(ShardErrorCode::kRequestReferenceError, errors::RequestReferenceNotFound(key));
    }
    // The manifest of a run lives at one key under the results prefix; a payload naming any other key is not
    // read (it could reach objects the worker must not touch, and a denied read would be retried in vain).
    const std::string expected_key = StorageLayout(ctx.config.results_prefix).RunManifestKey(p.run_id);
    if (key != expected_key) {
      return Error(ShardErrorCode::kRequestReferenceError, errors::RequestReferenceOutsidePrefix(key, expected_key));
    }
    Result<RunManifest> manifest = LoadManifest(ctx, key);
    if (!manifest.ok()) {
      switch (manifest.status().code()) {
        case StatusCode::kNotFound:
          return Error(ShardErrorCode::kRequestReferenceError, errors::RequestReferenceNotFound(key));
        case StatusCode::kInvalidArgument:  // unparsable: no retry can fix it
          return Error(ShardErrorCode::kRequestReferenceError, manifest.status().message());
        default:
          return Error(ShardErrorCode::kStorageError, manifest.status().message());
      }
    }
    if (Status verified = VerifyManifestReference(*manifest, *p.request_fingerprint); !verified.ok()) {
      return Error(ShardErrorCode::kRequestReferenceError, verified.message());
    }
    dimensions = std::move(manifest->normalized_request.dimensions);
    replications = manifest->normalized_request.replications;
    design = manifest->normalized_request.design;
    output_layout = manifest->normalized_request.layout;
  }

  // Step 3: pre-checks, in the spec's order.
  if (p.start_index >= p.end_index_exclusive) {
    return Error(ShardErrorCode::kInvalidShard, std::string(errors::kInvalidShardBounds));
  }
  if (p.shard_id >= p.total_points) {
    return Error(ShardErrorCode::kInvalidShard, std::string(errors::kShardIdOutOfRange));
  }
  if (p.end_index_exclusive > p.total_points) {
    return Error(ShardErrorCode::kInvalidShard, std::string(errors::kEndExceedsTotalPoints));
  }
  const uint64_t configurations = DesignConfigurations(design, dimensions);
  if (replications == 0 || replications > kMaxReplications ||
      configurations > std::numeric_limits<uint64_t>::max() / replications ||
      configurations * replications != p.total_points) {
    return Error(ShardErrorCode::kInvalidShard, std::string(errors::kTotalPointsMismatch));
  }
  if (Status checked = CheckDimensions(dimensions); !checked.ok()) {
    return Error(ShardErrorCode::kInvalidDimension, checked.message());
  }
  for (const Dimension& dimension : dimensions) {  // a grid has only lists (ingress expands its ranges)
    if (dimension.is_range && design.is_grid()) {
      return Error(ShardErrorCode::kInvalidDimension, errors::RangeNeedsSteps(dimension.name));
    }
  }
  if (p.ShouldInjectFailure()) {
    return Error(ShardErrorCode::kInjectedFailure, std::string(errors::kInjectedShardFailure));
  }

  out->attempt = attempt;
  out->dimensions = std::move(dimensions);
  out->replications = replications;
  out->design = design;
  out->layout = output_layout;
  out->spill.reset();
  out->shard_committed = false;
  out->started_at = started;
  if (output_layout == OutputLayout::kPerShard) {
    // Resume granularity is the shard: committed (outcome and objects present) means every point is skipped;
    // `--verify` (kContent) recomputes the shard instead.
    if (ctx.config.skip_existing_points && ctx.config.committed_point_check != CommittedPointCheck::kContent) {
      Result<bool> committed = ShardCommitted(*out, ctx);
      if (!committed.ok()) return Prefixed(ShardErrorCode::kStorageError, kCheckCommittedShardPrefix, committed.status());
      out->shard_committed = *committed;
    }
    if (!out->shard_committed) {
      if (!ctx.spills) return Error(ShardErrorCode::kInternalError, std::string(kNoSpillConfigured));
      Result<std::unique_ptr<ShardSpill>> spill = ctx.spills();
      if (!spill.ok()) return Prefixed(ShardErrorCode::kInternalError, kStartSpillPrefix, spill.status());
      out->spill = std::move(spill).value();
    }
  }
  return std::nullopt;
}

std::optional<ShardError> RunPoint(const PreparedShard& shard, uint64_t point_index, DatasetEncoder& encoder,
                                   WorkerContext& ctx, const StopCheck& stop, PointResult* out) {
  RIDESWEEP_CHECK(out != nullptr);
  const ShardPayload& p = shard.attempt.payload;
  RIDESWEEP_CHECK(point_index >= p.start_index && point_index < p.end_index_exclusive) << point_index;
  *out = PointResult{};
  const StorageLayout layout(ctx.config.results_prefix);
  const std::string run_date = RunDateOf(shard.attempt, ctx);
  if (ctx.config.skip_existing_points) {
    Result<bool> committed = PointCommitted(shard, point_index, layout, run_date, ctx);
    if (!committed.ok()) return Prefixed(ShardErrorCode::kStorageError, kCheckCommittedPointPrefix, committed.status());
    if (*committed) {
      switch (ctx.config.committed_point_check) {
        case CommittedPointCheck::kMarker:
          out->skipped = true;
          return std::nullopt;
        case CommittedPointCheck::kObjects: {
          Result<bool> complete = PointObjectsExist(shard, point_index, layout, run_date, ctx);
          if (!complete.ok()) {
            return Prefixed(ShardErrorCode::kStorageError, kCheckCommittedPointPrefix, complete.status());
          }
          if (*complete) {
            out->skipped = true;
            return std::nullopt;
          }
          // Rerun the point: every object is written again, the commit marker last.
          std::optional<ShardError> error = RunPointBody(shard, point_index, encoder, ctx, stop, layout, run_date, out);
          if (!error) LogRepaired(ctx, shard, point_index, "missing objects");
          out->repaired = !error;
          return error;
        }
        case CommittedPointCheck::kContent: {
          PointWrites writes{.only_changed = true};
          std::optional<ShardError> error =
              RunPointBody(shard, point_index, encoder, ctx, stop, layout, run_date, out, &writes);
          if (error) return error;
          out->repaired = writes.rewritten > 0;
          out->skipped = writes.rewritten == 0;
          if (out->repaired) LogRepaired(ctx, shard, point_index, "objects missing or different");
          return std::nullopt;
        }
      }
    }
  }
  return RunPointBody(shard, point_index, encoder, ctx, stop, layout, run_date, out);
}

std::optional<ShardError> CommitShard(const PreparedShard& shard, uint64_t points_skipped, DatasetEncoder& encoder,
                                      WorkerContext& ctx) {
  const ShardAttempt& attempt = shard.attempt;
  const ShardPayload& p = attempt.payload;
  const StorageLayout layout(ctx.config.results_prefix);
  const std::string run_date = RunDateOf(attempt, ctx);
  const WallTime now = ctx.clock->Now();
  const uint64_t points = p.end_index_exclusive - p.start_index;

  if (shard.spill != nullptr) {
    if (auto e = WriteShardObjects(shard, layout, run_date, ctx)) return e;
  }

  // Step 5: the success outcome, the shard's commit marker.
  ShardOutcomeRow row;
  row.run_id = p.run_id;
  row.shard_id = static_cast<int64_t>(p.shard_id);
  row.start_index = static_cast<int64_t>(p.start_index);
  row.end_index_exclusive = static_cast<int64_t>(p.end_index_exclusive);
  row.status = std::string(RecordStatusName(RecordStatus::kSuccess));
  row.event_time = EventTimeOf(attempt, now);
  row.result_key = shard.layout == OutputLayout::kPerShard
                       ? layout.ShardKey(Dataset::kShardMetrics, run_date, p.run_id, p.shard_id)
                       : layout.PointKey(Dataset::kShardMetrics, run_date, p.run_id, p.shard_id, p.start_index);
  row.points_processed = static_cast<int64_t>(points);
  row.format = std::string(kOutcomeFormat);
  row.attempt = static_cast<int64_t>(attempt.attempt);
  row.completed_time = Rfc3339Micros(now);
  const std::string outcome_key = layout.ShardOutcomeKey(run_date, p.run_id, RecordStatus::kSuccess, p.shard_id);
  if (auto e = WriteObject(*ctx.store, outcome_key, encoder.EncodeShardOutcome(row),
                           errors::kSerializeSuccessOutcomePrefix, errors::kPersistSuccessOutcomePrefix)) {
    return e;
  }

  // Step 6: stale failure cleanup; never fails the shard.
  const std::string failure_key = layout.ShardOutcomeKey(run_date, p.run_id, RecordStatus::kFailure, p.shard_id);
  Result<ObjectInfo> stale = ctx.store->Head(failure_key);
  Status cleanup = stale.ok() ? Status::Ok() : stale.status();
  if (stale.ok() && stale->exists) cleanup = ctx.store->Delete(failure_key);
  if (!cleanup.ok()) {
    JsonObject details = ShardDetails(attempt);
    details.Set("failure_key", Text(failure_key));
    details.Set("error", Text(cleanup.message()));
    Log(ctx, LogLevel::kWarn, "stale_failure_cleanup_failed", std::move(details));
  } else if (stale->exists) {
    JsonObject details = ShardDetails(attempt);
    details.Set("failure_key", Text(failure_key));
    Log(ctx, LogLevel::kInfo, "stale_failure_removed", std::move(details));
  }

  // Step 7.
  const uint64_t duration_ms = ElapsedMs(shard.started_at, ctx.clock->Now());
  JsonObject details = ShardDetails(attempt);
  details.Set("points_processed", Count(points));
  details.Set("points_skipped", Count(points_skipped));
  details.Set("duration_ms", Count(duration_ms));
  // Like shard_dispatch_per_second: the count itself when no whole millisecond passed.
  const double per_second = duration_ms == 0 ? static_cast<double>(points)
                                             : static_cast<double>(points) * 1000.0 / static_cast<double>(duration_ms);
  details.Set("points_per_second", JsonValue::Double(per_second));
  details.Set("outcome_key", Text(outcome_key));
  Log(ctx, LogLevel::kInfo, "shard_completed", std::move(details));
  return std::nullopt;
}

bool RecordShardFailure(const ShardAttempt& attempt, const ShardError& error, uint64_t points_committed,
                        DatasetEncoder& encoder, WorkerContext& ctx, std::optional<WallTime> started_at) {
  const ShardPayload& p = attempt.payload;
  const StorageLayout layout(ctx.config.results_prefix);
  const std::string run_date = RunDateOf(attempt, ctx);
  const WallTime now = ctx.clock->Now();

  ShardOutcomeRow row;
  row.run_id = p.run_id;
  row.shard_id = static_cast<int64_t>(p.shard_id);
  row.start_index = static_cast<int64_t>(p.start_index);
  row.end_index_exclusive = static_cast<int64_t>(p.end_index_exclusive);
  row.status = std::string(RecordStatusName(RecordStatus::kFailure));
  row.event_time = EventTimeOf(attempt, now);
  row.points_processed = static_cast<int64_t>(points_committed);
  row.error_code = std::string(ShardErrorCodeName(error.code));
  row.error_message = error.message;
  row.attempt = static_cast<int64_t>(attempt.attempt);
  row.completed_time = Rfc3339Micros(now);
  const std::string failure_key = layout.ShardOutcomeKey(run_date, p.run_id, RecordStatus::kFailure, p.shard_id);

  std::optional<std::string> persist_error;
  Result<std::string> bytes = encoder.EncodeShardOutcome(row);
  if (!bytes.ok()) {
    persist_error = std::string(errors::kSerializeFailureOutcomePrefix) + bytes.status().message();
  } else if (Status put = ctx.store->Put(failure_key, *bytes, kParquetContentType); !put.ok()) {
    persist_error = std::string(errors::kPersistFailureOutcomePrefix) + put.message();
  }
  if (persist_error.has_value()) {
    JsonObject details = ShardDetails(attempt);
    details.Set("error", Text(*persist_error));
    Log(ctx, LogLevel::kError, "failure_record_persist_failed", std::move(details));
  }

  const bool recorded = !persist_error.has_value();
  JsonObject details = ShardDetails(attempt);
  details.Set("duration_ms", Count(started_at.has_value() ? ElapsedMs(*started_at, ctx.clock->Now()) : 0));
  details.Set("error", Text(error.message));
  details.Set("error_code", Text(ShardErrorCodeName(error.code)));
  details.Set("retryable", JsonValue::Bool(IsTransient(error.code) || !recorded));
  details.Set("failure_key", Text(failure_key));
  Log(ctx, LogLevel::kError, "shard_failed", std::move(details));
  return recorded;
}

// ---------------------------------------------------------------------------------------------------------------
// RunShard

ShardRunOutcome RunShard(const ShardAttempt& attempt, DatasetEncoder& encoder, WorkerContext& ctx,
                         std::optional<WallTime> deadline) {
  if (!deadline.has_value()) return RunShard(attempt, encoder, ctx, static_cast<DeadlineGuard*>(nullptr));
  DeadlineGuard guard(ctx.clock, *deadline, ctx.config.deadline_margin_ms);
  return RunShard(attempt, encoder, ctx, &guard);
}

ShardRunOutcome RunShard(const ShardAttempt& attempt, DatasetEncoder& encoder, WorkerContext& ctx,
                         DeadlineGuard* guard) {
  DatasetEncoder* const one[] = {&encoder};
  return RunShard(attempt, one, ctx, guard);
}

ShardRunOutcome RunShard(const ShardAttempt& attempt, std::span<DatasetEncoder* const> encoders,
                         WorkerContext& ctx, DeadlineGuard* guard) {
  RIDESWEEP_CHECK(!encoders.empty() && encoders[0] != nullptr);
  DatasetEncoder& encoder = *encoders[0];
  ShardRunOutcome outcome;
  std::atomic<uint64_t> written{0};  // points committed by this attempt
  std::atomic<uint64_t> skipped{0};  // points committed earlier
  std::optional<WallTime> started_at;
  bool commit_by_shard = false;  // per_shard: a failed attempt has committed no point

  auto fail = [&](const ShardError& error) {
    const uint64_t committed = commit_by_shard ? 0 : written.load();
    outcome.succeeded = false;
    outcome.error = error;
    outcome.points_processed = committed;
    outcome.points_skipped = skipped;
    try {
      outcome.failure_recorded = RecordShardFailure(attempt, error, committed, encoder, ctx, started_at);
    } catch (...) {
      outcome.failure_recorded = false;
    }
    outcome.retry = IsTransient(error.code) || !outcome.failure_recorded;
    return outcome;
  };

  try {
    PreparedShard shard;
    if (std::optional<ShardError> error = PrepareShard(attempt, ctx, &shard)) return fail(*error);
    started_at = shard.started_at;
    commit_by_shard = shard.spill != nullptr;
    const ShardPayload& p = shard.attempt.payload;
    const uint64_t planned = p.end_index_exclusive - p.start_index;
    const StorageLayout layout(ctx.config.results_prefix);
    const std::string run_date = RunDateOf(attempt, ctx);

    // Step 4 for one point, on any thread (the store, log and guard are thread-safe; the encoder is the thread's).
    auto run_point = [&](uint64_t point, DatasetEncoder& point_encoder) -> std::optional<ShardError> {
      // Step 4.2 before 4.1: the guard applies to points that are not skipped (§7.4).
      if (ctx.config.skip_existing_points) {
        Result<bool> committed = PointCommitted(shard, point, layout, run_date, ctx);
        if (!committed.ok()) {
          return Prefixed(ShardErrorCode::kStorageError, kCheckCommittedPointPrefix, committed.status());
        }
        if (*committed) {
          ++skipped;
          return std::nullopt;
        }
      }
      int64_t remaining_ms = 0;
      if (guard != nullptr && guard->ShouldStopBeforePoint(&remaining_ms)) {
        LogDeadlineGuard(ctx, attempt, point, remaining_ms, *guard);
        return DeadlineGuard::StoppedBeforePoint(point, remaining_ms, written + skipped, planned);
      }
      StopCheck stop;
      if (guard != nullptr) stop = [guard, &remaining_ms] { return guard->ShouldCancelRunningPoint(&remaining_ms); };
      PointResult result;
      if (std::optional<ShardError> error =
              RunPointBody(shard, point, point_encoder, ctx, stop, layout, run_date, &result)) {
        if (result.cancelled && guard != nullptr) {
          LogDeadlineGuard(ctx, attempt, point, remaining_ms, *guard);
          return DeadlineGuard::CancelledPoint(point, remaining_ms, written + skipped, planned);
        }
        return error;
      }
      ++written;
      if (guard != nullptr) {
        guard->RecordPointDuration(std::chrono::duration_cast<milliseconds>(
            std::chrono::duration<double, std::milli>(result.duration_ms)));
      }
      return std::nullopt;
    };

    const size_t threads = static_cast<size_t>(std::clamp<uint64_t>(planned, 1, encoders.size()));
    if (std::optional<ShardError> error =
            RunPoints(p.start_index, p.end_index_exclusive, encoders.first(threads), run_point)) {
      return fail(*error);
    }

    if (std::optional<ShardError> commit_error = CommitShard(shard, skipped, encoder, ctx)) {
      return fail(*commit_error);
    }
    outcome.succeeded = true;
    outcome.points_processed = written + skipped;
    outcome.points_skipped = skipped;
    return outcome;
  } catch (...) {
    return fail(Error(ShardErrorCode::kInternalError, ExceptionText(std::current_exception())));
  }
}

}  // namespace ridesweep::sweep
