// The accept path (spec/sweep.md §5): exact 202 bytes on a fixed clock, what is written before dispatch and what
// a rejected request leaves behind (nothing), conflicts (T9), partial dispatch and resubmission a day later (T8),
// a throwing dispatcher and other exceptions, misconfiguration and the envelope's request_source (T27), store and
// encoder failures, the payload form and the parent_handler log events.
#include "ridesweep/sweep/submit.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "golden_data.h"
#include "ridesweep/base/build_info.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/store/fault_injecting_store.h"
#include "ridesweep/store/memory_store.h"
#include "ridesweep/sweep/config.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/run_manifest.h"
#include "ridesweep/sweep/worker.h"
#include "worker_test_support.h"

namespace ridesweep::sweep {
namespace {

using store::FaultInjectingStore;
using store::MemoryStore;
using store::StoreOp;
using testing::FakeDispatcher;
using testing::IsParquet;
using testing::LogCapture;
using testing::ReadmeTime;
using testing::RecordingEncoder;
using testing::Snapshot;

constexpr std::string_view kReadmeRequest =
    R"({"run_id":"demo-run-001","dimensions":{"commission_rate":[0.1,0.2],"num_drivers":[100,200],)"
    R"("num_riders":[500,800]},"shard_count":4,"seed":42,"failure_injection_shards":[1]})";
// spec/sweep.md §5.6, README request on 2026-02-14.
constexpr std::string_view kReadme202 =
    R"({"run_id":"demo-run-001","total_points":8,"shards_dispatched":4,"dispatches":[{"shard_id":0,"status_code":202},)"
    R"({"shard_id":1,"status_code":202},{"shard_id":2,"status_code":202},{"shard_id":3,"status_code":202}],)"
    R"("status":"dispatch_submitted","schema_version":"v1","run_date":"2026-02-14",)"
    R"("request_fingerprint":"2e4a112fbb933b9bc47bfb5002c170036d550d6fe001227f304ab7bb50d45ea3",)"
    R"("config_fingerprint":"4f99775f5f389204a2285dffb8d0dcdef13c4a0e7ffe5c82d7d041a116ca5971",)"
    R"("shard_ranges":[[0,2],[2,4],[4,6],[6,8]]})";
constexpr std::string_view kReadmeFingerprint = "2e4a112fbb933b9bc47bfb5002c170036d550d6fe001227f304ab7bb50d45ea3";
constexpr std::string_view kPrefix = "serverless-sweeps/outcomes";

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t chunk = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out.push_back(kAlphabet[(chunk >> 18) & 63]);
    out.push_back(kAlphabet[(chunk >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=');
  }
  return out;
}

// An API Gateway proxy event carrying `request` as its body.
std::string ProxyEvent(std::string_view request, bool base64) {
  std::string event = R"({"resource":"/sweep-run","httpMethod":"POST","body":)";
  AppendJsonString(&event, base64 ? Base64(request) : std::string(request));
  event += base64 ? R"(,"isBase64Encoded":true})" : R"(,"isBase64Encoded":false})";
  return event;
}

class SubmitTest : public ::testing::Test {
 protected:
  SubmitTest() {
    ctx_.store = &store_;
    ctx_.encoder = &encoder_;
    ctx_.dispatcher = &dispatcher_;
    ctx_.clock = &clock_;
    ctx_.log = logs_.log();
  }

  SubmitResponse Submit(std::string_view request, RequestSource source = RequestSource::kLocalHttp) {
    return SubmitRequestBytes(request, source, ctx_);
  }
  RunManifest StoredManifest(std::string_view run_id) {
    Result<std::string> text = memory_.Get(layout_.RunManifestKey(run_id));
    EXPECT_TRUE(text.ok());
    if (!text.ok()) return {};
    Result<RunManifest> m = DecodeRunManifest(*text);
    EXPECT_TRUE(m.ok());
    return m.ok() ? *m : RunManifest{};
  }

  FakeClock clock_{ReadmeTime()};
  MemoryStore memory_;
  FaultInjectingStore store_{&memory_};
  LogCapture logs_{&clock_};
  RecordingEncoder encoder_;
  FakeDispatcher dispatcher_;
  SubmitContext ctx_;
  StorageLayout layout_{kPrefix};
};

// 18.2, T4: the README request answers the §5.6 bytes; manifest and run_context exist before dispatch.
TEST_F(SubmitTest, ReadmeRequestAnswersTheExact202) {
  const SubmitResponse r = Submit(kReadmeRequest);
  ASSERT_EQ(r.status_code, 202) << r.body;
  EXPECT_EQ(r.body, kReadme202);
  ASSERT_TRUE(r.accepted.has_value());
  EXPECT_FALSE(r.accepted->resubmission);
  EXPECT_EQ(r.accepted->dispatch.enqueued_shard_ids, (std::vector<uint64_t>{0, 1, 2, 3}));

  // The payloads are the golden inline bodies.
  ASSERT_EQ(dispatcher_.sent.size(), 4u);
  EXPECT_EQ(dispatcher_.sent[1].shard_id, 1u);
  EXPECT_EQ(dispatcher_.sent[1].body,
            testing::StringField(testing::Field(testing::Golden(), "sqs_payload_example"), "body_text"));

  // Exactly the manifest and the run_context object, both written before the dispatch.
  const std::string manifest_key = layout_.RunManifestKey("demo-run-001");
  const std::string run_context_key = layout_.RunContextKey("2026-02-14", "demo-run-001");
  const auto objects = Snapshot(memory_);
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_TRUE(IsParquet(objects.at(run_context_key)));
  EXPECT_EQ(*memory_.ContentType(manifest_key), "application/json");
  EXPECT_EQ(*memory_.ContentType(run_context_key), kParquetContentType);
  EXPECT_EQ(store_.SucceededKeys(StoreOp::kPutIfAbsent), std::vector<std::string>{manifest_key});
  EXPECT_EQ(store_.SucceededKeys(StoreOp::kPut), std::vector<std::string>{run_context_key});

  const RunManifest m = StoredManifest("demo-run-001");
  EXPECT_EQ(m.run_date, "2026-02-14");
  EXPECT_EQ(m.created_at, "2026-02-14T10:11:12.123456+00:00");
  EXPECT_EQ(m.request_source, "local_http");
  EXPECT_EQ(m.request_fingerprint, kReadmeFingerprint);
  EXPECT_EQ(m.shard_ranges.size(), 4u);

  ASSERT_EQ(encoder_.run_contexts().size(), 1u);
  const RunContextRow& row = encoder_.run_contexts()[0];
  EXPECT_EQ(row.run_id, "demo-run-001");
  EXPECT_EQ(row.run_date, "2026-02-14");
  EXPECT_EQ(row.status, "accepted");
  EXPECT_EQ(row.request_source, "local_http");
  EXPECT_EQ(row.record_schema, "v1");
  EXPECT_EQ(row.request_fingerprint, kReadmeFingerprint);
  EXPECT_EQ(row.config_fingerprint, "4f99775f5f389204a2285dffb8d0dcdef13c4a0e7ffe5c82d7d041a116ca5971");
  EXPECT_EQ(row.total_points, 8);
  EXPECT_EQ(row.shard_count, 4);
  EXPECT_EQ(row.shard_strategy, "explicit_shard_count");
  EXPECT_EQ(row.max_shards, 1000);
  EXPECT_EQ(row.max_shards_ceiling, 1000);
  // The accepting build, as the manifest records it.
  EXPECT_EQ(row.build_version, std::string(GetBuildInfo().version));
  EXPECT_EQ(row.build_git_revision, std::string(GetBuildInfo().git_revision));
}

// §9: run_accepted and dispatch_completed carry exactly their detail keys.
TEST_F(SubmitTest, LogsRunAcceptedAndDispatchCompleted) {
  ctx_.config.ingress.max_shards_ceiling = 50;
  ASSERT_EQ(Submit(kReadmeRequest).status_code, 202);
  const JsonObject accepted = logs_.OnlyDetails("run_accepted");
  EXPECT_EQ(LogCapture::Keys(accepted),
            (std::set<std::string>{"max_shards", "max_shards_ceiling", "request_fingerprint", "run_date", "run_id",
                                   "shard_count", "shard_strategy", "total_points"}));
  EXPECT_EQ(accepted.Find("run_date")->as_string(), "2026-02-14");
  EXPECT_EQ(accepted.Find("total_points")->as_unsigned(), 8u);
  EXPECT_EQ(accepted.Find("shard_count")->as_unsigned(), 4u);
  EXPECT_EQ(accepted.Find("shard_strategy")->as_string(), "explicit_shard_count");
  EXPECT_EQ(accepted.Find("max_shards")->as_unsigned(), 1000u);
  EXPECT_EQ(accepted.Find("max_shards_ceiling")->as_unsigned(), 50u);
  EXPECT_EQ(accepted.Find("request_fingerprint")->as_string(), kReadmeFingerprint);

  const JsonObject completed = logs_.OnlyDetails("dispatch_completed");
  EXPECT_EQ(LogCapture::Keys(completed),
            (std::set<std::string>{"dispatch_duration_ms", "dispatch_target", "payload_form", "run_id",
                                   "send_batch_calls", "shard_dispatch_per_second", "shards_dispatched"}));
  EXPECT_EQ(completed.Find("shards_dispatched")->as_unsigned(), 4u);
  EXPECT_EQ(completed.Find("dispatch_duration_ms")->as_unsigned(), 0u);
  EXPECT_EQ(completed.Find("shard_dispatch_per_second")->as_double(), 4.0);  // the shard count at 0 ms
  EXPECT_EQ(completed.Find("dispatch_target")->as_string(), "local");
  EXPECT_EQ(completed.Find("send_batch_calls")->as_unsigned(), 1u);
  EXPECT_EQ(completed.Find("payload_form")->as_string(), "inline");
  EXPECT_TRUE(logs_.Events("run_resubmitted").empty());
  EXPECT_TRUE(logs_.Events("dispatch_failed").empty());
}

// Golden accepted_202_reference_fields: the first six fields are byte-identical with the earlier implementation.
TEST_F(SubmitTest, ReferenceFieldsPrefixIsGolden) {
  const SubmitResponse r = Submit(
      R"({"run_id":"dispatch-run","dimensions":{"num_drivers":[1,2],"num_riders":[3,4]},"shard_count":2})");
  ASSERT_EQ(r.status_code, 202);
  std::string reference = testing::StringField(
      testing::Field(testing::Field(testing::Golden(), "response_bodies"), "accepted_202_reference_fields"),
      "body_text");
  ASSERT_TRUE(reference.ends_with("}"));
  reference.back() = ',';
  EXPECT_TRUE(r.body.starts_with(reference)) << r.body;
}

// 18.1 #20: one run_context object (with its partition names) and one manifest.
TEST_F(SubmitTest, AcceptedRunHasOneRunContextAndOneManifest) {
  const SubmitResponse r = Submit(R"({"run_id":"context-run","dimensions":{"num_riders":[1,2]},"shard_count":2,)"
                                  R"("seed":7})",
                                  RequestSource::kLocalCli);
  ASSERT_EQ(r.status_code, 202);
  const Result<std::vector<std::string>> run_contexts = memory_.List(layout_.DatasetPrefix(Dataset::kRunContext));
  ASSERT_EQ(run_contexts->size(), 1u);
  const std::string& key = run_contexts->front();
  EXPECT_NE(key.find("dataset=run_context"), std::string::npos);
  EXPECT_NE(key.find("run_id_partition=context-run"), std::string::npos);
  EXPECT_NE(key.find("status_partition=accepted"), std::string::npos);
  EXPECT_EQ(memory_.List(std::string(kPrefix) + "/runs/")->size(), 1u);
  EXPECT_EQ(memory_.size(), 2u);
  EXPECT_EQ(encoder_.run_contexts().at(0).request_source, "local_cli");
}

// 18.1 #21: two payloads with the run_id, one run_date, adjacent ranges and the injection list.
TEST_F(SubmitTest, PayloadsOfATwoShardRun) {
  ASSERT_EQ(Submit(R"({"run_id":"payload-run","dimensions":{"num_drivers":[1,2],"num_riders":[3,4]},)"
                   R"("shard_count":2,"failure_injection_shards":[1]})")
                .status_code,
            202);
  ASSERT_EQ(dispatcher_.sent.size(), 2u);
  std::vector<ShardPayload> payloads;
  for (const ShardMessage& m : dispatcher_.sent) {
    Result<ShardPayload> p = DecodeShardPayload(m.body, "1999-01-01");
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_EQ(p->shard_id, m.shard_id);
    payloads.push_back(*p);
  }
  for (const ShardPayload& p : payloads) {
    EXPECT_EQ(p.run_id, "payload-run");
    EXPECT_EQ(p.run_date, "2026-02-14");
    EXPECT_EQ(p.failure_injection_shards, std::vector<uint64_t>{1});
    EXPECT_FALSE(p.is_reference());
  }
  EXPECT_EQ(payloads[0].end_index_exclusive, payloads[1].start_index);
}

// 18.1 #19, T1: a rejected request writes and enqueues nothing.
TEST_F(SubmitTest, RejectedRequestsWriteNothing) {
  struct Case {
    std::string_view request;
    std::string_view body;
  } const cases[] = {
      {R"({"run_id":"x","shard_count":1})",
       R"({"error":"validation_error","message":"Malformed request: missing field `dimensions`"})"},
      {R"({"run_id":"x","dimensions":{"foo":[1]},"shard_count":1})",
       R"({"error":"validation_error","message":"Unsupported dimension 'foo'"})"},
      {R"({"run_id":"x","dimensions":{"num_riders":["5"]},"shard_count":1})",
       R"({"error":"validation_error","message":"Dimension 'num_riders' must be an unsigned integer"})"},
      {R"({"run_id":"a/b","dimensions":{"num_riders":[5]},"shard_count":1})",
       R"({"error":"validation_error","message":"run_id must match [A-Za-z0-9._-]{1,128}"})"},
      {"{", R"({"error":"validation_error","message":"Malformed JSON body: )"
            R"(EOF while parsing an object at line 1 column 1"})"},
  };
  for (const auto& c : cases) {
    const SubmitResponse r = Submit(c.request);
    EXPECT_EQ(r.status_code, 400) << c.request;
    EXPECT_EQ(r.body, c.body);
    EXPECT_FALSE(r.accepted.has_value());
  }
  EXPECT_EQ(memory_.size(), 0u);
  EXPECT_TRUE(store_.Calls().empty());
  EXPECT_EQ(dispatcher_.calls, 0);
  EXPECT_TRUE(logs_.lines().empty());
}

// T9: same run_id, different request → 409; nothing new is written or enqueued.
TEST_F(SubmitTest, ConflictingResubmissionIs409) {
  ASSERT_EQ(Submit(kReadmeRequest).status_code, 202);
  const auto before = Snapshot(memory_);
  clock_.Advance(std::chrono::hours(1));
  const SubmitResponse r = Submit(
      R"({"run_id":"demo-run-001","dimensions":{"num_riders":[500]},"shard_count":1,"seed":42})");
  EXPECT_EQ(r.status_code, 409);
  EXPECT_EQ(r.body,
            R"({"error":"run_id_conflict","existing_request_fingerprint":")" + std::string(kReadmeFingerprint) +
                R"(","message":"run_id 'demo-run-001' was already submitted with a different request",)"
                R"("run_date":"2026-02-14"})");
  EXPECT_FALSE(r.accepted.has_value());
  EXPECT_EQ(Snapshot(memory_), before);
  EXPECT_EQ(dispatcher_.calls, 1);
  const std::vector<JsonValue> conflicts = logs_.Events("run_conflict");
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].as_object().Find("level")->as_string(), "warn");
  const JsonObject& details = conflicts[0].as_object().Find("details")->as_object();
  EXPECT_EQ(LogCapture::Keys(details),
            (std::set<std::string>{"existing_request_fingerprint", "request_fingerprint", "run_id"}));
  EXPECT_EQ(details.Find("existing_request_fingerprint")->as_string(), kReadmeFingerprint);
  EXPECT_EQ(logs_.Events("run_accepted").size(), 1u);
}

// T8: a partial dispatch answers 502 with both id lists; resubmitting a day later fills the gaps on the first day.
TEST_F(SubmitTest, PartialDispatchThenResubmissionADayLater) {
  dispatcher_.fail = {1};
  const SubmitResponse partial = Submit(kReadmeRequest);
  EXPECT_EQ(partial.status_code, 502);
  EXPECT_EQ(partial.body,
            R"({"dispatch_target":"local","enqueued_shard_ids":[0,2,3],"error":"dispatch_failed",)"
            R"("failed_shard_ids":[1],"message":"failed to enqueue shard message: boom",)"
            R"("run_context":{"request_fingerprint":")" +
                std::string(kReadmeFingerprint) + R"(","run_id":"demo-run-001","schema_version":"v1"},)"
                                                  R"("run_date":"2026-02-14"})");
  ASSERT_TRUE(partial.accepted.has_value());
  EXPECT_EQ(partial.accepted->dispatch.failed_shard_ids, std::vector<uint64_t>{1});
  const JsonObject failed = logs_.OnlyDetails("dispatch_failed");
  EXPECT_EQ(LogCapture::Keys(failed), (std::set<std::string>{"dispatch_target", "error", "run_id", "shard_ids"}));
  EXPECT_EQ(failed.Find("error")->as_string(), "boom");
  EXPECT_EQ(logs_.OnlyDetails("dispatch_completed").Find("shards_dispatched")->as_unsigned(), 3u);
  const auto after_first = Snapshot(memory_);

  clock_.Advance(std::chrono::hours(24));
  dispatcher_.fail.clear();
  const SubmitResponse again = Submit(kReadmeRequest);
  ASSERT_EQ(again.status_code, 202);
  EXPECT_EQ(again.body, kReadme202);  // run_date stays 2026-02-14
  ASSERT_TRUE(again.accepted.has_value());
  EXPECT_TRUE(again.accepted->resubmission);
  const JsonObject resubmitted = logs_.OnlyDetails("run_resubmitted");
  EXPECT_EQ(LogCapture::Keys(resubmitted), (std::set<std::string>{"request_fingerprint", "run_date", "run_id"}));
  EXPECT_EQ(resubmitted.Find("run_date")->as_string(), "2026-02-14");
  // Same manifest and an identical run_context row: nothing new.
  EXPECT_EQ(Snapshot(memory_), after_first);
  ASSERT_EQ(encoder_.run_contexts().size(), 2u);
  EXPECT_EQ(encoder_.run_contexts()[0], encoder_.run_contexts()[1]);
  ASSERT_EQ(dispatcher_.sent.size(), 3u + 4u);  // every shard again

  // Running every delivery writes each (D, R, S, I) once, all under the first day.
  ManifestCache manifests;
  WorkerContext worker;
  worker.store = &memory_;
  worker.clock = &clock_;
  worker.manifests = &manifests;
  for (const ShardMessage& m : dispatcher_.sent) {
    Result<ShardPayload> payload = DecodeShardPayload(m.body, UtcDate(clock_.Now()));
    ASSERT_TRUE(payload.ok());
    EXPECT_EQ(payload->run_date, "2026-02-14");
    ShardAttempt attempt;
    attempt.payload = std::move(payload).value();
    attempt.event_time = Rfc3339Micros(clock_.Now());
    RunShard(attempt, encoder_, worker);
  }
  const auto objects = Snapshot(memory_);
  // 4 objects per point of shards 0, 2, 3; their success outcomes; shard 1's injected failure; manifest, run_context.
  EXPECT_EQ(objects.size(), 6u * 4u + 3u + 1u + 2u);
  for (const auto& [key, bytes] : objects) EXPECT_EQ(key.find("2026-02-15"), std::string::npos) << key;
}

// 18.1 #22: a dispatcher that throws gives 500 dispatch_panicked.
TEST_F(SubmitTest, ThrowingDispatcherIsDispatchPanicked) {
  dispatcher_.throw_text = "queue client exploded";
  const SubmitResponse r = Submit(kReadmeRequest);
  EXPECT_EQ(r.status_code, 500);
  EXPECT_EQ(r.body, R"({"details":"queue client exploded","dispatch_target":"local","error":"dispatch_panicked",)"
                    R"("message":"Child dispatch panicked before completion","run_context":{"request_fingerprint":")" +
                        std::string(kReadmeFingerprint) + R"(","run_id":"demo-run-001","schema_version":"v1"}})");
  const JsonObject details = logs_.OnlyDetails("dispatch_panicked");
  EXPECT_EQ(LogCapture::Keys(details), (std::set<std::string>{"details", "dispatch_target", "run_id", "shard_id"}));
  EXPECT_TRUE(logs_.Events("dispatch_completed").empty());
}

// §5.1: any other exception is a 500 internal_error, and the next request is served normally.
TEST_F(SubmitTest, UnexpectedExceptionIsInternalError) {
  encoder_.Throw(RecordingEncoder::kRunContext, "out of memory");
  SubmitResponse r = Submit(kReadmeRequest);
  EXPECT_EQ(r.status_code, 500);
  EXPECT_EQ(r.body, R"({"details":"out of memory","error":"internal_error",)"
                    R"("message":"Parent handler panicked while processing the request"})");
  EXPECT_EQ(dispatcher_.calls, 0);
  encoder_.ClearFaults();
  r = Submit(kReadmeRequest);
  EXPECT_EQ(r.status_code, 202) << r.body;  // the manifest of the failed attempt makes this a resubmission
  EXPECT_TRUE(r.accepted->resubmission);
}

// T27: misconfiguration answers 500 (after the request-shape checks) and writes nothing.
TEST_F(SubmitTest, MisconfigurationIs500AndWritesNothing) {
  ctx_.config =
      LoadSweepConfig(DeploymentMode::kCloud, EnvironmentFromMap({{"SHARD_QUEUE_URL", "https://q"}})).submit();
  SubmitResponse r = SubmitLambdaEvent(ProxyEvent(kReadmeRequest, false), ctx_);
  EXPECT_EQ(r.status_code, 500);
  EXPECT_EQ(r.body, R"({"error":"misconfiguration","message":"SWEEP_RESULTS_BUCKET must be configured"})");

  ctx_.config = LoadSweepConfig(DeploymentMode::kCloud,
                                EnvironmentFromMap({{"SWEEP_RESULTS_BUCKET", "b"},
                                                    {"SHARD_QUEUE_URL", "https://q"},
                                                    {"MAX_SHARDS", "0"}}))
                    .submit();
  r = SubmitLambdaEvent(ProxyEvent(kReadmeRequest, false), ctx_);
  EXPECT_EQ(r.status_code, 500);
  EXPECT_EQ(r.body, R"({"error":"misconfiguration","message":"MAX_SHARDS must be an integer between 1 and 200000"})");
  // A bad request still gets its 400 first (step 13 follows steps 1–12).
  r = SubmitLambdaEvent(ProxyEvent(R"({"run_id":" "})", false), ctx_);
  EXPECT_EQ(r.status_code, 400);
  EXPECT_EQ(memory_.size(), 0u);
  EXPECT_EQ(dispatcher_.calls, 0);
}

// T2 at the accept path: the server ceiling caps the plan and is recorded.
TEST_F(SubmitTest, ServerCeilingCapsTheShardCount) {
  ctx_.config.ingress.max_shards_ceiling = 10;
  SubmitResponse r = Submit(R"({"run_id":"big","dimensions":{"num_riders":[1,2,3,4,5,6,7,8,9,10,11]},)"
                            R"("shard_size":1,"max_shards":50})");
  EXPECT_EQ(r.status_code, 400);
  EXPECT_EQ(r.body, R"({"error":"validation_error","message":"Computed shard count 11 exceeds max_shards=10"})");
  r = Submit(R"({"run_id":"big","dimensions":{"num_riders":[1,2,3,4,5,6,7,8,9,10]},"shard_size":1})");
  ASSERT_EQ(r.status_code, 202);
  EXPECT_EQ(r.accepted->manifest.max_shards_ceiling, 10u);
  EXPECT_EQ(encoder_.run_contexts().back().max_shards_ceiling, 10);
}

// T27 and §5.3: request_source follows the entry path; base64 bodies are decoded.
TEST_F(SubmitTest, RequestSourcePerEntryPath) {
  auto request = [](std::string_view run_id) {
    return R"({"run_id":")" + std::string(run_id) + R"(","dimensions":{"num_riders":[1]},"shard_count":1})";
  };
  ASSERT_EQ(SubmitLambdaEvent(ProxyEvent(request("gw"), false), ctx_).status_code, 202);
  ASSERT_EQ(SubmitLambdaEvent(ProxyEvent(request("gw64"), true), ctx_).status_code, 202);
  ASSERT_EQ(SubmitLambdaEvent(request("direct"), ctx_).status_code, 202);
  ASSERT_EQ(Submit(request("http"), RequestSource::kLocalHttp).status_code, 202);
  ASSERT_EQ(Submit(request("cli"), RequestSource::kLocalCli).status_code, 202);
  EXPECT_EQ(StoredManifest("gw").request_source, "api_gateway");
  EXPECT_EQ(StoredManifest("gw64").request_source, "api_gateway");
  EXPECT_EQ(StoredManifest("direct").request_source, "lambda_invoke");
  EXPECT_EQ(StoredManifest("http").request_source, "local_http");
  EXPECT_EQ(StoredManifest("cli").request_source, "local_cli");
  std::vector<std::string> sources;
  for (const RunContextRow& row : encoder_.run_contexts()) sources.push_back(row.request_source);
  EXPECT_EQ(sources, (std::vector<std::string>{"api_gateway", "api_gateway", "lambda_invoke", "local_http",
                                               "local_cli"}));

  const SubmitResponse bad = SubmitLambdaEvent(R"({"body":"***","isBase64Encoded":true})", ctx_);
  EXPECT_EQ(bad.status_code, 400);
  EXPECT_EQ(bad.body, R"({"error":"validation_error","message":"Malformed JSON body: body is not valid base64"})");
}

// §5.2: manifest store failures and unreadable manifests are 502 run_manifest_failed; nothing is enqueued.
TEST_F(SubmitTest, ManifestFailures) {
  const std::string key = layout_.RunManifestKey("demo-run-001");
  store_.FailCallsContaining({StoreOp::kPutIfAbsent}, "manifest.json", UnavailableError("disk on fire"));
  SubmitResponse r = Submit(kReadmeRequest);
  EXPECT_EQ(r.status_code, 502);
  EXPECT_EQ(r.body, R"({"error":"run_manifest_failed","message":"disk on fire","run_manifest_key":")" + key + "\"}");
  const JsonObject details = logs_.OnlyDetails("run_manifest_failed");
  EXPECT_EQ(LogCapture::Keys(details), (std::set<std::string>{"error", "run_id", "run_manifest_key"}));
  EXPECT_EQ(logs_.Events("run_manifest_failed")[0].as_object().Find("level")->as_string(), "error");

  store_.ClearRules();
  ASSERT_TRUE(memory_.Put(key, "{\"schema_version\":\"v1\"}", "application/json").ok());
  r = Submit(kReadmeRequest);
  EXPECT_EQ(r.status_code, 502);
  EXPECT_EQ(r.body, R"({"error":"run_manifest_failed","message":"Malformed run manifest: missing field `run_id`",)"
                    R"("run_manifest_key":")" +
                        key + "\"}");

  ASSERT_TRUE(memory_.Delete(key).ok());
  ASSERT_TRUE(memory_.Put(key, "x", "application/json").ok());
  store_.FailCallsContaining({StoreOp::kGet}, "manifest.json", UnavailableError("read timeout"));
  r = Submit(kReadmeRequest);
  EXPECT_EQ(r.status_code, 502);
  EXPECT_EQ(r.body, R"({"error":"run_manifest_failed","message":"read timeout","run_manifest_key":")" + key + "\"}");
  EXPECT_EQ(dispatcher_.calls, 0);
  EXPECT_TRUE(memory_.List(layout_.DatasetPrefix(Dataset::kRunContext))->empty());
}

// §5.3: run_context failures abort before anything is enqueued.
TEST_F(SubmitTest, RunContextFailures) {
  encoder_.Fail(RecordingEncoder::kRunContext, "cannot encode");
  SubmitResponse r = Submit(kReadmeRequest);
  EXPECT_EQ(r.status_code, 500);
  EXPECT_EQ(r.body, R"({"error":"run_context_serialization_error","message":"cannot encode"})");

  encoder_.ClearFaults();
  const std::string key = layout_.RunContextKey("2026-02-14", "demo-run-001");
  store_.FailPutsUnderPrefix(key, UnavailableError("access denied"));
  r = Submit(kReadmeRequest);
  EXPECT_EQ(r.status_code, 502);
  EXPECT_EQ(r.body, R"({"error":"run_context_persist_failed","message":"access denied","run_context_key":")" + key +
                        "\"}");
  const JsonObject details = logs_.OnlyDetails("run_context_persist_failed");
  EXPECT_EQ(LogCapture::Keys(details), (std::set<std::string>{"error", "run_context_key", "run_id"}));
  EXPECT_EQ(dispatcher_.calls, 0);
}

// §5.5, T7: when an inline body would be too large every shard travels in the reference form, and the worker
// produces the same objects from it.
TEST_F(SubmitTest, ReferenceFormWhenInlineBodiesAreTooLarge) {
  constexpr std::string_view kRequest =
      R"({"run_id":"ref-run","dimensions":{"num_drivers":[2,3],"num_riders":[4,5]},"shard_count":2})";
  ctx_.config.inline_payload_max_bytes = 100;
  ASSERT_EQ(Submit(kRequest).status_code, 202);
  EXPECT_EQ(logs_.OnlyDetails("dispatch_completed").Find("payload_form")->as_string(), "reference");
  ASSERT_EQ(dispatcher_.sent.size(), 2u);

  ManifestCache manifests;
  WorkerContext worker;
  worker.store = &memory_;
  worker.clock = &clock_;
  worker.manifests = &manifests;
  for (const ShardMessage& m : dispatcher_.sent) {
    EXPECT_EQ(m.body.find("\"dimensions\""), std::string::npos) << m.body;
    Result<ShardPayload> payload = DecodeShardPayload(m.body, "1999-01-01");
    ASSERT_TRUE(payload.ok()) << payload.status().message();
    EXPECT_EQ(payload->request_key, layout_.RunManifestKey("ref-run"));
    ShardAttempt attempt;
    attempt.payload = std::move(payload).value();
    attempt.event_time = Rfc3339Micros(clock_.Now());
    ASSERT_TRUE(RunShard(attempt, encoder_, worker).succeeded);
  }
  auto reference_objects = Snapshot(memory_);

  // The same request with inline payloads, into a second store.
  MemoryStore inline_memory;
  FakeDispatcher inline_dispatcher;
  SubmitContext inline_ctx = ctx_;
  inline_ctx.store = &inline_memory;
  inline_ctx.dispatcher = &inline_dispatcher;
  inline_ctx.config.inline_payload_max_bytes = 65'536;
  ASSERT_EQ(SubmitRequestBytes(kRequest, RequestSource::kLocalHttp, inline_ctx).status_code, 202);
  worker.store = &inline_memory;
  for (const ShardMessage& m : inline_dispatcher.sent) {
    ShardAttempt attempt;
    attempt.payload = *DecodeShardPayload(m.body, "1999-01-01");
    attempt.event_time = Rfc3339Micros(clock_.Now());
    ASSERT_TRUE(RunShard(attempt, encoder_, worker).succeeded);
  }
  EXPECT_EQ(reference_objects, Snapshot(inline_memory));
  EXPECT_EQ(reference_objects.size(), 4u * 4u + 2u + 2u);  // §10.1: 4 × points + shards + 2
}

}  // namespace
}  // namespace ridesweep::sweep
