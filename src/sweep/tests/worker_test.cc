// The shard worker (spec/sweep.md §7.2, §7.3, §7.5) against an in-memory store, the real Parquet encoder and the
// real engine on tiny points: objects and their order, outcome rows, pre-check and injected failures with their
// classification, idempotent reruns, stale failure cleanup, attempts, truncation, reference-form payloads and the
// in-memory Parquet rule (T16).
#include "ridesweep/sweep/worker.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/sim/params.h"
#include "ridesweep/store/fault_injecting_store.h"
#include "ridesweep/store/memory_store.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/fingerprint.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/run_manifest.h"
#include "worker_test_support.h"

namespace ridesweep::sweep {
namespace {

using store::FaultInjectingStore;
using store::MemoryStore;
using store::StoreOp;
using testing::AttemptFor;
using testing::IsParquet;
using testing::LogCapture;
using testing::ReadmeTime;
using testing::RecordingEncoder;
using testing::Snapshot;
using testing::Validate;

constexpr std::string_view kPrefix = "serverless-sweeps/outcomes";
constexpr std::string_view kDate = "2026-02-14";
// Two tiny points (a few thousand events each), one shard.
constexpr std::string_view kTwoPoints =
    R"({"run_id":"worker-run","dimensions":{"num_drivers":[2],"num_riders":[4,5]},"shard_count":1,"seed":7})";
// Four points in two shards of two.
constexpr std::string_view kFourPoints =
    R"({"run_id":"worker-run","dimensions":{"num_drivers":[2,3],"num_riders":[4,5]},"shard_count":2,"seed":7})";

// One point of ~22,000 events (30 simulated hours), long enough for the engine to poll its stop check.
constexpr std::string_view kLongPoint =
    R"({"run_id":"worker-run","dimensions":{"num_drivers":[2],"num_riders":[4],"simulation_duration_hours":[30]},)"
    R"("shard_count":1})";

class WorkerTest : public ::testing::Test {
 protected:
  WorkerTest() {
    ctx_.store = &store_;
    ctx_.clock = &clock_;
    ctx_.log = logs_.log();
    ctx_.manifests = &manifests_;
    ctx_.config.results_prefix = std::string(kPrefix);
  }

  std::vector<std::string> PointKeys(std::string_view run_id, uint64_t shard, uint64_t point) const {
    std::vector<std::string> keys;
    for (Dataset d : {Dataset::kShardMetrics, Dataset::kTripData, Dataset::kSnapshotCounts,
                      Dataset::kEffectiveParameters}) {
      keys.push_back(layout_.PointKey(d, kDate, run_id, shard, point));
    }
    return keys;
  }
  std::string OutcomeKey(std::string_view run_id, RecordStatus status, uint64_t shard) const {
    return layout_.ShardOutcomeKey(kDate, run_id, status, shard);
  }

  FakeClock clock_{ReadmeTime()};
  MemoryStore memory_;
  FaultInjectingStore store_{&memory_};
  LogCapture logs_{&clock_};
  ManifestCache manifests_;
  RecordingEncoder encoder_;
  WorkerContext ctx_;
  StorageLayout layout_{kPrefix};
};

// 18.1 #23: a 2-point shard writes exactly 4 objects per point plus the success outcome, all Parquet.
TEST_F(WorkerTest, TwoPointShardWritesNineParquetObjects) {
  const ShardRunOutcome outcome = RunShard(AttemptFor(Validate(kTwoPoints), 0), encoder_, ctx_);
  ASSERT_TRUE(outcome.succeeded) << outcome.error->message;
  EXPECT_FALSE(outcome.retry);
  EXPECT_EQ(outcome.points_processed, 2u);
  EXPECT_EQ(outcome.points_skipped, 0u);

  const auto objects = Snapshot(memory_);
  ASSERT_EQ(objects.size(), 9u);
  for (const auto& [key, bytes] : objects) {
    EXPECT_TRUE(key.ends_with(".parquet")) << key;
    EXPECT_TRUE(IsParquet(bytes)) << key;
    EXPECT_EQ(*memory_.ContentType(key), kParquetContentType);
  }
  EXPECT_EQ(objects.count(OutcomeKey("worker-run", RecordStatus::kSuccess, 0)), 1u);
}

// 18.2: per point shard_metrics → trip_data → snapshot_counts → effective_parameters; the success outcome last.
TEST_F(WorkerTest, WritesPointsInContractOrderAndTheSuccessOutcomeLast) {
  ASSERT_TRUE(RunShard(AttemptFor(Validate(kFourPoints), 1), encoder_, ctx_).succeeded);
  std::vector<std::string> expected = PointKeys("worker-run", 1, 2);
  for (const std::string& key : PointKeys("worker-run", 1, 3)) expected.push_back(key);
  expected.push_back(OutcomeKey("worker-run", RecordStatus::kSuccess, 1));
  EXPECT_EQ(store_.SucceededKeys(StoreOp::kPut), expected);
  // Nothing else is written: no PutIfAbsent, no delete (there was no stale failure record).
  for (const store::StoreCall& call : store_.Calls()) {
    EXPECT_TRUE(call.op == StoreOp::kPut || call.op == StoreOp::kHead) << store::StoreOpName(call.op) << call.key;
  }
}

// §10.7: the success row names the metrics object of point start_index; points_processed = end − start.
TEST_F(WorkerTest, SuccessOutcomeRow) {
  clock_.Advance(std::chrono::milliseconds(1500));
  ASSERT_TRUE(RunShard(AttemptFor(Validate(kFourPoints), 1, kDate, 2), encoder_, ctx_).succeeded);
  ASSERT_EQ(encoder_.outcomes().size(), 1u);
  const ShardOutcomeRow& row = encoder_.outcomes()[0];
  EXPECT_EQ(row.run_id, "worker-run");
  EXPECT_EQ(row.shard_id, 1);
  EXPECT_EQ(row.start_index, 2);
  EXPECT_EQ(row.end_index_exclusive, 4);
  EXPECT_EQ(row.status, "success");
  EXPECT_EQ(row.event_time, "2026-02-14T10:11:12.123456+00:00");
  EXPECT_EQ(row.record_schema, "v1");
  EXPECT_EQ(row.result_key, layout_.PointKey(Dataset::kShardMetrics, kDate, "worker-run", 1, 2));
  EXPECT_EQ(row.points_processed, 2);
  EXPECT_EQ(row.format, "parquet");
  EXPECT_EQ(row.error_code, std::nullopt);
  EXPECT_EQ(row.error_message, std::nullopt);
  EXPECT_EQ(row.attempt, 2);
  EXPECT_EQ(row.completed_time, "2026-02-14T10:11:13.623456+00:00");

  const JsonObject completed = logs_.OnlyDetails("shard_completed");
  EXPECT_EQ(LogCapture::Keys(completed),
            (std::set<std::string>{"attempt", "duration_ms", "message_id", "outcome_key", "points_per_second",
                                   "points_processed", "points_skipped", "run_id", "shard_id"}));
  EXPECT_EQ(completed.Find("outcome_key")->as_string(), OutcomeKey("worker-run", RecordStatus::kSuccess, 1));
  EXPECT_EQ(completed.Find("points_processed")->as_unsigned(), 2u);
  EXPECT_EQ(completed.Find("attempt")->as_unsigned(), 2u);
  EXPECT_EQ(completed.Find("message_id")->as_string(), "msg-1");
  const JsonObject started = logs_.OnlyDetails("shard_started");
  EXPECT_EQ(LogCapture::Keys(started),
            (std::set<std::string>{"attempt", "end_index_exclusive", "message_id", "planned_points", "run_id",
                                   "shard_id", "start_index"}));
  EXPECT_EQ(started.Find("planned_points")->as_unsigned(), 2u);
}

// 18.1 #28, #30: the real engine runs each point once; point 0's effective parameters are the defaults plus the
// selected values.
TEST_F(WorkerTest, RealEngineOnePointAndItsEffectiveParameters) {
  ShardAttempt attempt = AttemptFor(
      Validate(R"({"run_id":"r","dimensions":{"commission_rate":[0.1,0.2],"num_drivers":[2],"num_riders":[4]},)"
               R"("shard_count":2})"),
      0);
  ASSERT_EQ(attempt.payload.start_index, 0u);
  ASSERT_EQ(attempt.payload.end_index_exclusive, 1u);
  ASSERT_TRUE(RunShard(attempt, encoder_, ctx_).succeeded);
  EXPECT_EQ(encoder_.metrics().size(), 1u);
  ASSERT_EQ(encoder_.effective().size(), 1u);
  const EffectiveParametersRow& row = encoder_.effective()[0];
  EXPECT_EQ(row.point_index, 0);
  EXPECT_EQ(row.status, "success");
  EXPECT_EQ(row.parameter_fingerprint.size(), 64u);
  Result<JsonValue> json = ParseJson(row.effective_parameters_json);
  ASSERT_TRUE(json.ok());
  const JsonObject& selected = json->as_object().Find("selected_dimensions")->as_object();
  EXPECT_EQ(selected.Find("num_riders")->as_unsigned(), 4u);
  EXPECT_EQ(selected.Find("commission_rate")->as_double(), 0.1);
  const JsonObject& resolved = json->as_object().Find("resolved_scenario_parameters")->as_object();
  EXPECT_EQ(resolved.Find("num_riders")->as_unsigned(), 4u);
  EXPECT_EQ(resolved.Find("simulation_end_time_ms")->as_unsigned(), 10'800'000u);
  EXPECT_EQ(resolved.Find("matching_algorithm_type")->as_string(), "hungarian");
  EXPECT_TRUE(resolved.Find("batch_matching_enabled")->as_bool());
  EXPECT_EQ(resolved.Find("seed")->as_unsigned(), 0u);
}

// 18.1 #27: the join identity of a point is the same in every per-point dataset.
TEST_F(WorkerTest, MetricsAndEffectiveParameterKeysShareTheirIdentity) {
  ASSERT_TRUE(RunShard(AttemptFor(Validate(kFourPoints), 1), encoder_, ctx_).succeeded);
  int compared = 0;
  const Result<std::vector<std::string>> metrics_keys = memory_.List(layout_.DatasetPrefix(Dataset::kShardMetrics));
  ASSERT_TRUE(metrics_keys.ok());
  for (const std::string& key : *metrics_keys) {
    Result<PartitionIdentity> metrics = ParseStorageKey(key, kPrefix);
    ASSERT_TRUE(metrics.ok()) << key;
    const std::string effective_key = layout_.PointKey(Dataset::kEffectiveParameters, metrics->run_date,
                                                       metrics->run_id, *metrics->shard_id, *metrics->point_index);
    ASSERT_TRUE(memory_.Head(effective_key)->exists) << effective_key;
    Result<PartitionIdentity> effective = ParseStorageKey(effective_key, kPrefix);
    ASSERT_TRUE(effective.ok());
    effective->dataset = metrics->dataset;
    EXPECT_EQ(*effective, *metrics);
    ++compared;
  }
  EXPECT_EQ(compared, 2);
}

// 18.2 and 18.1 #24, #29, T10: every pre-check writes exactly one failure record with its code and is acknowledged.
TEST_F(WorkerTest, PreCheckFailuresWriteOneFailureRecordAndAreAcknowledged) {
  struct Case {
    const char* name;
    std::function<void(ShardPayload&)> edit;
    ShardErrorCode code;
    std::string message;
  };
  const Case cases[] = {
      {"bounds", [](ShardPayload& p) { p.start_index = p.end_index_exclusive; }, ShardErrorCode::kInvalidShard,
       "Invalid shard bounds"},
      {"shard_id", [](ShardPayload& p) { p.shard_id = 4; }, ShardErrorCode::kInvalidShard,
       "shard_id must be less than total_points"},
      {"end", [](ShardPayload& p) { p.end_index_exclusive = 5; }, ShardErrorCode::kInvalidShard,
       "end_index_exclusive exceeds total_points"},
      {"product", [](ShardPayload& p) { p.dimensions->at(0).values.pop_back(); }, ShardErrorCode::kInvalidShard,
       "total_points does not match the dimension product"},
      {"unknown_dimension",
       [](ShardPayload& p) {
         p.dimensions = Dimensions{{"num_drivers", {JsonValue::Unsigned(2), JsonValue::Unsigned(3)}},
                                   {"unknown_dimension", {JsonValue::Unsigned(1), JsonValue::Unsigned(2)}}};
       },
       ShardErrorCode::kInvalidDimension, "Unsupported dimension 'unknown_dimension'"},
      {"value_kind",
       [](ShardPayload& p) { p.dimensions->at(1).values[0] = JsonValue::String("4"); },
       ShardErrorCode::kInvalidDimension, "Dimension 'num_riders' must be an unsigned integer"},
      {"design_samples", [](ShardPayload& p) { p.design = Design{DesignType::kSobol, 3}; },
       ShardErrorCode::kInvalidShard, "total_points does not match the dimension product"},
      {"range_in_grid", [](ShardPayload& p) { p.dimensions->at(0).is_range = true; },
       ShardErrorCode::kInvalidDimension, R"(Dimension 'num_drivers' range needs "steps" in a grid design)"},
      {"injected", [](ShardPayload& p) { p.failure_injection_shards = {0, 1}; }, ShardErrorCode::kInjectedFailure,
       "Injected shard failure for verification"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    MemoryStore memory;
    RecordingEncoder encoder;
    LogCapture logs(&clock_);
    WorkerContext ctx = ctx_;
    ctx.store = &memory;
    ctx.log = logs.log();
    ShardAttempt attempt = AttemptFor(Validate(kFourPoints), 1, kDate, 3);
    c.edit(attempt.payload);

    const ShardRunOutcome outcome = RunShard(attempt, encoder, ctx);
    EXPECT_FALSE(outcome.succeeded);
    ASSERT_TRUE(outcome.error.has_value());
    EXPECT_EQ(outcome.error->code, c.code);
    EXPECT_EQ(outcome.error->message, c.message);
    EXPECT_TRUE(outcome.failure_recorded);
    EXPECT_FALSE(outcome.retry);  // permanent: acknowledged, never redelivered

    const auto objects = Snapshot(memory);
    ASSERT_EQ(objects.size(), 1u);
    const std::string& key = objects.begin()->first;
    EXPECT_EQ(key, layout_.ShardOutcomeKey(kDate, "worker-run", RecordStatus::kFailure, attempt.payload.shard_id));
    EXPECT_NE(key.find("dataset=shard_outcomes/"), std::string::npos);
    EXPECT_NE(key.find("status_partition=failure"), std::string::npos);
    EXPECT_TRUE(IsParquet(objects.begin()->second));

    ASSERT_EQ(encoder.outcomes().size(), 1u);
    const ShardOutcomeRow& row = encoder.outcomes()[0];
    EXPECT_EQ(row.status, "failure");
    EXPECT_EQ(row.error_code, std::string(ShardErrorCodeName(c.code)));
    EXPECT_EQ(row.error_message, c.message);
    EXPECT_EQ(row.points_processed, 0);
    EXPECT_EQ(row.result_key, std::nullopt);
    EXPECT_EQ(row.format, std::nullopt);
    EXPECT_EQ(row.attempt, 3);
    EXPECT_EQ(row.completed_time, Rfc3339Micros(clock_.Now()));

    const JsonObject failed = logs.OnlyDetails("shard_failed");
    EXPECT_EQ(LogCapture::Keys(failed),
              (std::set<std::string>{"attempt", "duration_ms", "error", "error_code", "failure_key", "message_id",
                                     "retryable", "run_id", "shard_id"}));
    EXPECT_EQ(failed.Find("error")->as_string(), c.message);
    EXPECT_FALSE(failed.Find("retryable")->as_bool());
    EXPECT_EQ(failed.Find("failure_key")->as_string(), key);
    EXPECT_EQ(failed.Find("attempt")->as_unsigned(), 3u);
  }
}

TEST(ShardErrorCodeTest, NamesAndClasses) {
  struct Case {
    ShardErrorCode code;
    std::string_view name;
    bool transient;
  } const cases[] = {
      {ShardErrorCode::kInvalidShard, "invalid_shard", false},
      {ShardErrorCode::kInvalidDimension, "invalid_dimension", false},
      {ShardErrorCode::kInjectedFailure, "injected_failure", false},
      {ShardErrorCode::kRequestReferenceError, "request_reference_error", false},
      {ShardErrorCode::kSimulationError, "simulation_error", false},
      {ShardErrorCode::kStorageError, "storage_error", true},
      {ShardErrorCode::kTimeout, "timeout", true},
      {ShardErrorCode::kInternalError, "internal_error", true},
      {ShardErrorCode::kCancelled, "cancelled", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ShardErrorCodeName(c.code), c.name);
    EXPECT_EQ(IsTransient(c.code), c.transient) << c.name;
  }
}

// §7.3: parameters the engine rejects (dimension kinds are fine, the §14.3 range is not) are permanent.
// Ingress rejects out-of-range values, so only a message queued by an earlier release can carry one: the worker's
// up-front check stops it as a permanent invalid_dimension with the ingress text, before any simulation.
TEST_F(WorkerTest, OutOfRangeValueInAQueuedMessageIsAPermanentInvalidDimension) {
  ShardAttempt attempt =
      AttemptFor(Validate(R"({"run_id":"worker-run","dimensions":{"commission_rate":[0.5]},"shard_count":1})"), 0);
  ASSERT_TRUE(attempt.payload.dimensions.has_value());
  attempt.payload.dimensions->at(0).values.at(0) = JsonValue::Double(1.5);
  const ShardRunOutcome outcome = RunShard(attempt, encoder_, ctx_);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kInvalidDimension);
  EXPECT_EQ(outcome.error->message, "Dimension 'commission_rate' value 1.5 is outside the allowed range [0, 1]");
  EXPECT_FALSE(outcome.retry);
  EXPECT_EQ(memory_.size(), 1u);  // the failure record only
}

// T10: a store fault is a transient storage_error; the redelivery succeeds and removes the failure record (T14).
TEST_F(WorkerTest, StoreFaultIsTransientAndRedeliverySucceeds) {
  const ValidatedRequest v = Validate(kTwoPoints);
  store_.FailPutsUnderPrefix(layout_.DatasetPrefix(Dataset::kTripData), UnavailableError("503 Slow Down"));
  const ShardRunOutcome failed = RunShard(AttemptFor(v, 0, kDate, 1), encoder_, ctx_);
  ASSERT_TRUE(failed.error.has_value());
  EXPECT_EQ(failed.error->code, ShardErrorCode::kStorageError);
  EXPECT_EQ(failed.error->message, "Failed to persist trip data artifact: 503 Slow Down");
  EXPECT_TRUE(failed.retry);
  EXPECT_TRUE(failed.failure_recorded);
  EXPECT_EQ(failed.points_processed, 0u);
  const std::string failure_key = OutcomeKey("worker-run", RecordStatus::kFailure, 0);
  ASSERT_TRUE(memory_.Head(failure_key)->exists);
  EXPECT_EQ(encoder_.outcomes().back().error_code, "storage_error");
  EXPECT_EQ(encoder_.outcomes().back().points_processed, 0);
  EXPECT_TRUE(logs_.OnlyDetails("shard_failed").Find("retryable")->as_bool());

  store_.ClearRules();
  const ShardRunOutcome retried = RunShard(AttemptFor(v, 0, kDate, 2), encoder_, ctx_);
  ASSERT_TRUE(retried.succeeded);
  EXPECT_FALSE(memory_.Head(failure_key)->exists);
  EXPECT_TRUE(memory_.Head(OutcomeKey("worker-run", RecordStatus::kSuccess, 0))->exists);
  const JsonObject removed = logs_.OnlyDetails("stale_failure_removed");
  EXPECT_EQ(removed.Find("failure_key")->as_string(), failure_key);
  EXPECT_EQ(LogCapture::Keys(removed),
            (std::set<std::string>{"attempt", "failure_key", "message_id", "run_id", "shard_id"}));
  EXPECT_EQ(Snapshot(memory_).size(), 9u);
}

// §7.2: points_processed of a failure record counts the points committed in this attempt.
TEST_F(WorkerTest, FailureRecordCountsPointsCommittedInThisAttempt) {
  // The second point's metrics write fails: point 2 (the shard's first) was committed.
  store_.AddRule({.ops = {StoreOp::kPut},
                  .key_prefix = layout_.DatasetPrefix(Dataset::kShardMetrics),
                  .nth = 2,
                  .error = UnavailableError("connection reset")});
  const ShardRunOutcome outcome = RunShard(AttemptFor(Validate(kFourPoints), 1), encoder_, ctx_);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->message, "Failed to persist shard metrics artifact: connection reset");
  EXPECT_EQ(outcome.points_processed, 1u);
  EXPECT_EQ(encoder_.outcomes().back().points_processed, 1);
}

// 18.1 #25: a failing retry leaves the success objects byte-identical; its failure record is stored separately.
TEST_F(WorkerTest, FailingRetryLeavesSuccessObjectsByteIdentical) {
  const ValidatedRequest v = Validate(kTwoPoints);
  ASSERT_TRUE(RunShard(AttemptFor(v, 0), encoder_, ctx_).succeeded);
  const auto before = Snapshot(memory_);

  // A late duplicate recomputes every point and fails when committing the second one.
  ctx_.config.skip_existing_points = false;
  store_.AddRule({.ops = {StoreOp::kPut},
                  .key_prefix = layout_.DatasetPrefix(Dataset::kEffectiveParameters),
                  .nth = 2,
                  .error = UnavailableError("throttled")});
  const ShardRunOutcome outcome = RunShard(AttemptFor(v, 0, kDate, 2), encoder_, ctx_);
  ASSERT_FALSE(outcome.succeeded);
  EXPECT_TRUE(outcome.failure_recorded);

  auto after = Snapshot(memory_);
  const std::string failure_key = OutcomeKey("worker-run", RecordStatus::kFailure, 0);
  ASSERT_EQ(after.count(failure_key), 1u);
  EXPECT_TRUE(IsParquet(after[failure_key]));
  after.erase(failure_key);
  EXPECT_EQ(after, before);
}

// 18.1 #26: a failed success-outcome write is transient; the failure record is written and the points remain.
TEST_F(WorkerTest, SuccessOutcomeWriteFailure) {
  const std::string success_key = OutcomeKey("worker-run", RecordStatus::kSuccess, 0);
  store_.FailPutsUnderPrefix(success_key, UnavailableError("internal error"));
  const ShardRunOutcome outcome = RunShard(AttemptFor(Validate(kTwoPoints), 0), encoder_, ctx_);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kStorageError);
  EXPECT_EQ(outcome.error->message, "Failed to persist success outcome: internal error");
  EXPECT_TRUE(outcome.retry);
  EXPECT_TRUE(outcome.failure_recorded);
  EXPECT_EQ(outcome.points_processed, 2u);

  const auto objects = Snapshot(memory_);
  EXPECT_EQ(objects.size(), 9u);  // 8 point objects + the failure record
  EXPECT_EQ(objects.count(success_key), 0u);
  EXPECT_EQ(objects.count(OutcomeKey("worker-run", RecordStatus::kFailure, 0)), 1u);
  for (uint64_t point : {0u, 1u}) {
    for (const std::string& key : PointKeys("worker-run", 0, point)) EXPECT_EQ(objects.count(key), 1u) << key;
  }
}

// §7.3: encoder failures are internal_error (transient) with the §7.2 texts.
TEST_F(WorkerTest, SerializationFailuresAreInternalErrors) {
  struct Case {
    RecordingEncoder::Which which;
    std::string message;
  } const cases[] = {
      {RecordingEncoder::kMetrics, "Failed to serialize shard metrics to parquet: boom"},
      {RecordingEncoder::kTrips, "Failed to persist trip data artifact: boom"},
      {RecordingEncoder::kSnapshots, "Failed to persist snapshot counts artifact: boom"},
      {RecordingEncoder::kEffective, "Failed to serialize effective-parameter parquet: boom"},
  };
  for (const Case& c : cases) {
    RecordingEncoder encoder;
    encoder.Fail(c.which);
    const ShardRunOutcome outcome = RunShard(AttemptFor(Validate(kTwoPoints), 0), encoder, ctx_);
    ASSERT_TRUE(outcome.error.has_value());
    EXPECT_EQ(outcome.error->code, ShardErrorCode::kInternalError);
    EXPECT_EQ(outcome.error->message, c.message);
    EXPECT_TRUE(outcome.retry);
  }
}

// §7.2: when the failure record itself cannot be encoded or stored, the message comes back whatever its class.
TEST_F(WorkerTest, UnwritableFailureRecordSendsTheMessageBack) {
  ShardAttempt attempt = AttemptFor(Validate(kTwoPoints), 0);
  attempt.payload.failure_injection_shards = {0};  // permanent
  store_.FailPutsUnderPrefix(layout_.DatasetPrefix(Dataset::kShardOutcomes), UnavailableError("down"));
  ShardRunOutcome outcome = RunShard(attempt, encoder_, ctx_);
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kInjectedFailure);
  EXPECT_FALSE(outcome.failure_recorded);
  EXPECT_TRUE(outcome.retry);
  EXPECT_EQ(logs_.OnlyDetails("failure_record_persist_failed").Find("error")->as_string(),
            "Failed to persist failure outcome: down");
  EXPECT_TRUE(logs_.OnlyDetails("shard_failed").Find("retryable")->as_bool());

  store_.ClearRules();
  RecordingEncoder encoder;
  encoder.Fail(RecordingEncoder::kOutcome, "no memory");
  LogCapture logs(&clock_);
  ctx_.log = logs.log();
  outcome = RunShard(attempt, encoder, ctx_);
  EXPECT_FALSE(outcome.failure_recorded);
  EXPECT_TRUE(outcome.retry);
  EXPECT_EQ(logs.OnlyDetails("failure_record_persist_failed").Find("error")->as_string(),
            "Failed to serialize failure outcome parquet: no memory");
  EXPECT_EQ(logs.Events("failure_record_persist_failed")[0].as_object().Find("level")->as_string(), "error");
}

// §7.3: any other exception becomes a transient internal_error; the process keeps going.
TEST_F(WorkerTest, ExceptionsBecomeInternalErrors) {
  encoder_.Throw(RecordingEncoder::kSnapshots, "std::bad_alloc");
  const ShardRunOutcome outcome = RunShard(AttemptFor(Validate(kTwoPoints), 0), encoder_, ctx_);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kInternalError);
  EXPECT_EQ(outcome.error->message, "std::bad_alloc");
  EXPECT_TRUE(outcome.retry);
  EXPECT_TRUE(outcome.failure_recorded);
  EXPECT_EQ(encoder_.outcomes().back().error_code, "internal_error");
}

// §7.5: a rerun with recomputation writes the same keys with the same bytes.
TEST_F(WorkerTest, RerunIsIdempotent) {
  const ValidatedRequest v = Validate(kFourPoints);
  ctx_.config.skip_existing_points = false;
  for (uint64_t shard : {0u, 1u}) ASSERT_TRUE(RunShard(AttemptFor(v, shard), encoder_, ctx_).succeeded);
  const auto first = Snapshot(memory_);
  EXPECT_EQ(first.size(), 4u * 4u + 2u);
  store_.ClearCalls();
  for (uint64_t shard : {1u, 0u}) ASSERT_TRUE(RunShard(AttemptFor(v, shard), encoder_, ctx_).succeeded);
  EXPECT_EQ(Snapshot(memory_), first);
  EXPECT_EQ(store_.SucceededKeys(StoreOp::kPut).size(), 18u);  // everything was recomputed and rewritten
}

// §7.2 step 4.2: committed points are skipped and still counted as processed.
TEST_F(WorkerTest, RedeliverySkipsCommittedPoints) {
  const ValidatedRequest v = Validate(kTwoPoints);
  ASSERT_TRUE(RunShard(AttemptFor(v, 0), encoder_, ctx_).succeeded);
  const auto first = Snapshot(memory_);
  store_.ClearCalls();
  LogCapture logs(&clock_);
  ctx_.log = logs.log();
  const ShardRunOutcome again = RunShard(AttemptFor(v, 0, kDate, 2), encoder_, ctx_);
  ASSERT_TRUE(again.succeeded);
  EXPECT_EQ(again.points_processed, 2u);
  EXPECT_EQ(again.points_skipped, 2u);
  EXPECT_EQ(store_.SucceededKeys(StoreOp::kPut),
            std::vector<std::string>{OutcomeKey("worker-run", RecordStatus::kSuccess, 0)});
  EXPECT_EQ(encoder_.metrics().size(), 2u);  // no new simulation
  EXPECT_EQ(logs.OnlyDetails("shard_completed").Find("points_skipped")->as_unsigned(), 2u);
  EXPECT_EQ(logs.OnlyDetails("shard_completed").Find("points_processed")->as_unsigned(), 2u);
  EXPECT_EQ(Snapshot(memory_).size(), first.size());
}

// T14: a failing delete of the stale failure record does not fail the shard.
TEST_F(WorkerTest, FailingStaleFailureCleanupStillSucceeds) {
  ShardAttempt attempt = AttemptFor(Validate(kTwoPoints), 0);
  ShardAttempt injected = attempt;
  injected.payload.failure_injection_shards = {0};
  ASSERT_FALSE(RunShard(injected, encoder_, ctx_).succeeded);
  const std::string failure_key = OutcomeKey("worker-run", RecordStatus::kFailure, 0);
  ASSERT_TRUE(memory_.Head(failure_key)->exists);

  store_.FailCallsContaining({StoreOp::kDelete}, "status_partition=failure", UnavailableError("denied"));
  const ShardRunOutcome outcome = RunShard(attempt, encoder_, ctx_);
  EXPECT_TRUE(outcome.succeeded);
  EXPECT_FALSE(outcome.retry);
  EXPECT_TRUE(memory_.Head(failure_key)->exists);  // coexists; the success outcome is authoritative
  const std::vector<JsonValue> warned = logs_.Events("stale_failure_cleanup_failed");
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(warned[0].as_object().Find("level")->as_string(), "warn");
  const JsonObject& details = warned[0].as_object().Find("details")->as_object();
  EXPECT_EQ(details.Find("error")->as_string(), "denied");
  EXPECT_EQ(details.Find("failure_key")->as_string(), failure_key);
  EXPECT_TRUE(logs_.Events("stale_failure_removed").empty());
}

// T15: ApproximateReceiveCount reaches the record and every log line of the attempt.
TEST_F(WorkerTest, AttemptIsRecordedAndLogged) {
  ShardAttempt attempt = AttemptFor(Validate(kTwoPoints), 0, kDate, 3);
  attempt.payload.failure_injection_shards = {0};
  ASSERT_FALSE(RunShard(attempt, encoder_, ctx_).succeeded);
  EXPECT_EQ(encoder_.outcomes().back().attempt, 3);
  for (std::string_view event : {"shard_started", "shard_failed"}) {
    const JsonObject details = logs_.OnlyDetails(event);
    EXPECT_EQ(details.Find("attempt")->as_unsigned(), 3u) << event;
    EXPECT_EQ(details.Find("message_id")->as_string(), "msg-0") << event;
  }
}

// T18: a point that hits the step cap is committed with truncated = true and logged.
TEST_F(WorkerTest, TruncatedPointIsCommittedAndLogged) {
  ctx_.config.max_steps_override = 1000;
  ASSERT_TRUE(RunShard(AttemptFor(Validate(kTwoPoints), 0), encoder_, ctx_).succeeded);
  ASSERT_EQ(encoder_.metrics().size(), 2u);
  for (const sim::PointMetrics& m : encoder_.metrics()) {
    EXPECT_TRUE(m.truncated);
    EXPECT_EQ(m.events_processed, 1000);
  }
  EXPECT_TRUE(memory_.Head(PointKeys("worker-run", 0, 1)[3])->exists);
  const std::vector<JsonValue> truncated = logs_.Events("point_truncated");
  ASSERT_EQ(truncated.size(), 2u);
  EXPECT_EQ(truncated[0].as_object().Find("level")->as_string(), "warn");
  const JsonObject& details = truncated[1].as_object().Find("details")->as_object();
  EXPECT_EQ(LogCapture::Keys(details), (std::set<std::string>{"attempt", "events_processed", "message_id",
                                                                "point_index", "run_id", "shard_id"}));
  EXPECT_EQ(details.Find("point_index")->as_unsigned(), 1u);
  EXPECT_EQ(details.Find("events_processed")->as_unsigned(), 1000u);

  // Without the override the same points run to their end time.
  RecordingEncoder encoder;
  ctx_.config.max_steps_override.reset();
  ctx_.config.skip_existing_points = false;
  ASSERT_TRUE(RunShard(AttemptFor(Validate(kTwoPoints), 0), encoder, ctx_).succeeded);
  EXPECT_FALSE(encoder.metrics()[0].truncated);
  EXPECT_GT(encoder.metrics()[0].events_processed, 1000);
}

// The executor-facing steps compose like RunShard and keep RunPoint's skip and cancellation contracts.
TEST_F(WorkerTest, StepByStepApiMatchesRunShard) {
  const ShardAttempt attempt = AttemptFor(Validate(kFourPoints), 1);
  PreparedShard shard;
  ASSERT_EQ(PrepareShard(attempt, ctx_, &shard), std::nullopt);
  EXPECT_EQ(memory_.size(), 0u);  // preparing writes nothing
  PointResult result;
  ASSERT_EQ(RunPoint(shard, 2, encoder_, ctx_, StopCheck{}, &result), std::nullopt);
  EXPECT_FALSE(result.skipped);
  EXPECT_FALSE(result.cancelled);
  ASSERT_EQ(RunPoint(shard, 2, encoder_, ctx_, StopCheck{}, &result), std::nullopt);
  EXPECT_TRUE(result.skipped);
  ASSERT_EQ(RunPoint(shard, 3, encoder_, ctx_, StopCheck{}, &result), std::nullopt);
  ASSERT_EQ(CommitShard(shard, 1, encoder_, ctx_), std::nullopt);
  EXPECT_EQ(Snapshot(memory_).size(), 9u);
  EXPECT_EQ(logs_.OnlyDetails("shard_completed").Find("points_skipped")->as_unsigned(), 1u);
}

// A point stopped by its StopCheck (polled by the engine every 8,192 events) is discarded: no objects.
TEST_F(WorkerTest, StopCheckCancelsAPointWithoutWritingIt) {
  const ShardAttempt attempt = AttemptFor(Validate(kLongPoint), 0);
  PreparedShard shard;
  ASSERT_EQ(PrepareShard(attempt, ctx_, &shard), std::nullopt);
  int polls = 0;
  PointResult result;
  const std::optional<ShardError> cancelled = RunPoint(shard, 0, encoder_, ctx_, [&] { return ++polls == 2; }, &result);
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(cancelled->code, ShardErrorCode::kTimeout);
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(polls, 2);
  EXPECT_EQ(memory_.size(), 0u);
  EXPECT_TRUE(encoder_.metrics().empty());
}

// §7.2 step 2 and T7: reference-form payloads read the manifest (once per environment) and are verified.
class ReferencePayloadTest : public WorkerTest {
 protected:
  ShardAttempt ReferenceAttempt(const ValidatedRequest& v, uint64_t shard_id) {
    // An inline limit of 1 byte forces the reference form.
    const ShardPayloadEncoder encoder(v.request, v.plan, kDate, manifest_key_, v.request_fingerprint, 1);
    Result<ShardPayload> payload = DecodeShardPayload(encoder.Encode(v.plan.shards[shard_id]), "1999-01-01");
    EXPECT_TRUE(payload.ok());
    ShardAttempt a;
    a.payload = std::move(payload).value();
    a.event_time = Rfc3339Micros(clock_.Now());
    return a;
  }
  void StoreManifest(const RunManifest& m) {
    ASSERT_TRUE(memory_.Put(manifest_key_, EncodeRunManifest(m), "application/json").ok());
  }

  const std::string manifest_key_ = layout_.RunManifestKey("worker-run");
};

TEST_F(ReferencePayloadTest, ResolvesDimensionsThroughTheManifest) {
  const ValidatedRequest v = Validate(kFourPoints);
  StoreManifest(BuildRunManifest(v, kDate, "t", RequestSource::kLocalCli));
  ShardAttempt attempt = ReferenceAttempt(v, 0);
  ASSERT_TRUE(attempt.payload.is_reference());
  ASSERT_TRUE(RunShard(attempt, encoder_, ctx_).succeeded);
  ASSERT_TRUE(RunShard(ReferenceAttempt(v, 1), encoder_, ctx_).succeeded);
  // Read once, then served from the cache.
  int gets = 0;
  for (const store::StoreCall& call : store_.Calls()) gets += call.op == StoreOp::kGet ? 1 : 0;
  EXPECT_EQ(gets, 1);

  // The outputs equal those of the inline form.
  MemoryStore inline_memory;
  WorkerContext inline_ctx = ctx_;
  inline_ctx.store = &inline_memory;
  for (uint64_t shard : {0u, 1u}) ASSERT_TRUE(RunShard(AttemptFor(v, shard), encoder_, inline_ctx).succeeded);
  auto reference_objects = Snapshot(memory_);
  reference_objects.erase(manifest_key_);
  EXPECT_EQ(reference_objects, Snapshot(inline_memory));
}

TEST_F(ReferencePayloadTest, MissingManifestIsAPermanentReferenceError) {
  const ShardRunOutcome outcome = RunShard(ReferenceAttempt(Validate(kFourPoints), 0), encoder_, ctx_);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kRequestReferenceError);
  EXPECT_EQ(outcome.error->message, "Request reference not found: " + manifest_key_);
  EXPECT_FALSE(outcome.retry);
  EXPECT_TRUE(outcome.failure_recorded);
}

TEST_F(ReferencePayloadTest, TamperedManifestIsAPermanentReferenceError) {
  const ValidatedRequest v = Validate(kFourPoints);
  RunManifest m = BuildRunManifest(v, kDate, "t", RequestSource::kLocalCli);
  m.normalized_request.seed = 8;
  StoreManifest(m);
  const ShardRunOutcome outcome = RunShard(ReferenceAttempt(v, 0), encoder_, ctx_);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kRequestReferenceError);
  EXPECT_EQ(outcome.error->message, "Request reference mismatch: expected " + v.request_fingerprint + ", found " +
                                        RequestFingerprint(m.normalized_request));
  EXPECT_FALSE(outcome.retry);

  ASSERT_TRUE(memory_.Put(manifest_key_, "{not json", "application/json").ok());
  ManifestCache fresh;
  ctx_.manifests = &fresh;
  const ShardRunOutcome unparsable = RunShard(ReferenceAttempt(v, 0), encoder_, ctx_);
  EXPECT_EQ(unparsable.error->code, ShardErrorCode::kRequestReferenceError);
  EXPECT_TRUE(unparsable.error->message.starts_with("Malformed run manifest: ")) << unparsable.error->message;
}

TEST_F(ReferencePayloadTest, Issue0013ReferenceOutsideTheResultsPrefixIsPermanentAndNotRead) {
  const ValidatedRequest v = Validate(kFourPoints);
  StoreManifest(BuildRunManifest(v, kDate, "t", RequestSource::kLocalCli));
  for (const std::string& key : {std::string("other-bucket-prefix/runs/run_id=worker-run/manifest.json"),
                                manifest_key_ + "/../../../secret.json", layout_.RunManifestKey("another-run")}) {
    ShardAttempt attempt = ReferenceAttempt(v, 0);
    attempt.payload.request_key = key;
    const size_t calls_before = store_.Calls().size();
    const ShardRunOutcome outcome = RunShard(attempt, encoder_, ctx_);
    ASSERT_TRUE(outcome.error.has_value()) << key;
    EXPECT_EQ(outcome.error->code, ShardErrorCode::kRequestReferenceError) << key;
    EXPECT_EQ(outcome.error->message, "Request reference is not this run's manifest under the results prefix: " +
                                          key + " (expected " + manifest_key_ + ")");
    EXPECT_FALSE(outcome.retry);
    for (size_t i = calls_before; i < store_.Calls().size(); ++i) {
      EXPECT_NE(store_.Calls()[i].op, StoreOp::kGet) << "the referenced object must not be read: " << key;
    }
  }
}

TEST_F(ReferencePayloadTest, ManifestReadFailureIsTransient) {
  const ValidatedRequest v = Validate(kFourPoints);
  StoreManifest(BuildRunManifest(v, kDate, "t", RequestSource::kLocalCli));
  store_.FailCallsContaining({StoreOp::kGet}, "manifest.json", UnavailableError("timeout"));
  const ShardRunOutcome outcome = RunShard(ReferenceAttempt(v, 0), encoder_, ctx_);
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ShardErrorCode::kStorageError);
  EXPECT_TRUE(outcome.retry);
}

TEST(ManifestCacheTest, KeepsTheMostRecentRuns) {
  MemoryStore memory;
  FaultInjectingStore store(&memory);
  const StorageLayout layout(kPrefix);
  for (const char* run : {"a", "b", "c"}) {
    const ValidatedRequest v =
        Validate(std::string(R"({"run_id":")") + run + R"(","dimensions":{"num_riders":[1]},"shard_count":1})");
    ASSERT_TRUE(memory.Put(layout.RunManifestKey(run), EncodeRunManifest(BuildRunManifest(v, kDate, "t",
                                                                                           RequestSource::kLocalCli)),
                           "application/json")
                    .ok());
  }
  ManifestCache cache(2);
  auto gets = [&] { return store.SucceededKeys(StoreOp::kGet).size(); };
  ASSERT_TRUE(cache.Get(store, layout.RunManifestKey("a")).ok());
  ASSERT_EQ(cache.Get(store, layout.RunManifestKey("a"))->run_id, "a");
  EXPECT_EQ(gets(), 1u);
  ASSERT_TRUE(cache.Get(store, layout.RunManifestKey("b")).ok());
  ASSERT_TRUE(cache.Get(store, layout.RunManifestKey("a")).ok());  // a is now the most recent
  ASSERT_TRUE(cache.Get(store, layout.RunManifestKey("c")).ok());  // evicts b
  EXPECT_EQ(gets(), 3u);
  ASSERT_TRUE(cache.Get(store, layout.RunManifestKey("a")).ok());
  EXPECT_EQ(gets(), 3u);
  ASSERT_TRUE(cache.Get(store, layout.RunManifestKey("b")).ok());
  EXPECT_EQ(gets(), 4u);

  EXPECT_EQ(cache.Get(store, layout.RunManifestKey("zz")).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(memory.Put("bad/manifest.json", "[]", "application/json").ok());
  EXPECT_EQ(cache.Get(store, "bad/manifest.json").status().code(), StatusCode::kInvalidArgument);
}

// T16: the worker's Parquet never touches the temporary directory.
TEST(InMemoryParquetTest, WorkerRunLeavesTheTemporaryDirectoryEmpty) {
  std::string pattern = ::testing::TempDir() + "ridesweep_worker_tmp_XXXXXX";
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const std::filesystem::path tmp = pattern;
  const char* old = std::getenv("TMPDIR");
  const std::optional<std::string> saved = old != nullptr ? std::optional<std::string>(old) : std::nullopt;
  ASSERT_EQ(::setenv("TMPDIR", tmp.c_str(), 1), 0);
  {
    FakeClock clock(ReadmeTime());
    MemoryStore memory;
    ManifestCache manifests;
    WorkerContext ctx;
    ctx.store = &memory;
    ctx.clock = &clock;
    ctx.manifests = &manifests;
    RecordingEncoder encoder;  // created after TMPDIR was set
    ASSERT_TRUE(RunShard(AttemptFor(Validate(kTwoPoints), 0), encoder, ctx).succeeded);
    EXPECT_EQ(memory.size(), 9u);
  }
  EXPECT_TRUE(std::filesystem::is_empty(tmp));
  if (saved.has_value()) {
    ::setenv("TMPDIR", saved->c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  std::filesystem::remove_all(tmp);
}

}  // namespace
}  // namespace ridesweep::sweep
