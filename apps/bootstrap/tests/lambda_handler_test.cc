// The unified Lambda handler with in-memory collaborators (MemoryStore, the real Parquet encoder, a recording
// dispatch function, a fake clock): event detection, proxy responses on every API outcome (202, 400, 500
// misconfiguration, 500 internal_error), the dispatch time budget from the request start, the SQS path with its
// deadline guard and partial batch response, the Misconfiguration invocation error, the runtime log events, and
// init from environment maps (missing settings and credentials are reported per invocation, never at init).
#include "lambda_handler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "ridesweep/aws/credentials.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/store/memory_store.h"
#include "ridesweep/store/object_store_wrapper.h"
#include "ridesweep/store/parquet_dataset_encoder.h"
#include "worker_test_support.h"

namespace ridesweep::bootstrap {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::string_view kReadmeRequest =
    R"({"run_id":"demo-run-001","dimensions":{"commission_rate":[0.1,0.2],"num_drivers":[100,200],)"
    R"("num_riders":[500,800]},"shard_count":4,"seed":42,"failure_injection_shards":[1]})";
constexpr std::string_view kQueueUrl = "https://sqs.us-east-1.amazonaws.com/000000000000/ridesweep-shards";

sweep::WallTime ReadmeTime() {
  using namespace std::chrono;
  return sweep::WallTime(sys_days{year{2026} / February / 14}.time_since_epoch() + hours(10) + minutes(11) +
                         seconds(12));
}

JsonObject ParseObject(std::string_view text) {
  Result<JsonValue> v = ParseJson(text);
  EXPECT_TRUE(v.ok() && v->is_object()) << text;
  return v.ok() && v->is_object() ? v->as_object() : JsonObject();
}

// Integers parse as unsigned when non-negative.
int64_t Int(const JsonValue* v) {
  EXPECT_NE(v, nullptr);
  if (v == nullptr) return -1;
  return v->is_unsigned() ? static_cast<int64_t>(v->as_unsigned()) : v->as_signed();
}

std::string Quoted(std::string_view text) {
  std::string out;
  AppendJsonString(&out, text);
  return out;
}

// A proxy response: {"statusCode":n,"headers":{"Content-Type":"application/json"},"body":"…"}.
struct Proxy {
  int64_t status = 0;
  std::string content_type;
  JsonObject body;
};
Proxy ParseProxy(const aws::LambdaOutcome& outcome) {
  EXPECT_FALSE(outcome.is_error) << outcome.error_type << ": " << outcome.error_message;
  const JsonObject top = ParseObject(outcome.payload);
  Proxy p;
  EXPECT_EQ(top.size(), 3u) << outcome.payload;
  if (const JsonValue* s = top.Find("statusCode"); s != nullptr) p.status = Int(s);
  if (const JsonValue* h = top.Find("headers"); h != nullptr) p.content_type = h->as_object().Find("Content-Type")->as_string();
  if (const JsonValue* b = top.Find("body"); b != nullptr) p.body = ParseObject(b->as_string());
  return p;
}

// A store whose create-if-absent throws (the manifest write), to reach the "unexpected exception" path.
class ThrowingStore final : public store::ObjectStoreWrapper {
 public:
  using ObjectStoreWrapper::ObjectStoreWrapper;
  Status PutIfAbsent(std::string_view, std::string_view, std::string_view) override {
    throw std::runtime_error("disk on fire");
  }
};

class LambdaHandlerTest : public ::testing::Test {
 protected:
  LambdaHandlerTest() {
    Result<std::unique_ptr<store::ParquetDatasetEncoder>> encoder = store::ParquetDatasetEncoder::Create();
    EXPECT_TRUE(encoder.ok());
    encoder_ = std::move(encoder).value();
  }

  HandlerComponents Components() {
    HandlerComponents c;
    c.config = sweep::LoadSweepConfig(sweep::DeploymentMode::kCloud,
                                      sweep::EnvironmentFromMap({{"SWEEP_RESULTS_BUCKET", "results"},
                                                                 {"SHARD_QUEUE_URL", std::string(kQueueUrl)}}));
    c.store = &memory_;
    c.encoder = encoder_.get();
    c.manifests = &manifests_;
    c.dispatch_target = std::string(kQueueUrl);
    c.dispatch = [this](std::span<const sweep::ShardMessage> messages, std::chrono::steady_clock::time_point until) {
      no_call_after_.push_back(until);
      sweep::DispatchReport report;
      report.send_calls = 1;
      for (const sweep::ShardMessage& m : messages) {
        report.enqueued_shard_ids.push_back(m.shard_id);
        sent_.push_back(m);
      }
      return report;
    };
    c.clock = &clock_;
    c.steady_now = [this] { return steady_; };
    c.log = &log_;
    return c;
  }

  aws::LambdaInvocation Invocation(std::string event, std::optional<sweep::WallTime> deadline = std::nullopt) {
    aws::LambdaInvocation inv;
    inv.request_id = "req-" + std::to_string(++requests_);
    inv.event = std::move(event);
    inv.deadline = deadline;
    return inv;
  }

  std::vector<JsonObject> Events(std::string_view event) const {
    std::vector<JsonObject> out;
    for (const std::string& line : lines_) {
      JsonObject o = ParseObject(line);
      if (o.Find("event") != nullptr && o.Find("event")->as_string() == event) out.push_back(std::move(o));
    }
    return out;
  }
  static const JsonObject& Details(const JsonObject& line) { return line.Find("details")->as_object(); }

  // The inline SQS record of shard `shard_id` of the README request (after an accepted submission).
  std::string SqsRecord(std::string_view message_id, std::string_view body) {
    return std::string(R"({"messageId":)") + Quoted(message_id) + R"(,"body":)" + Quoted(body) +
           R"(,"attributes":{"ApproximateReceiveCount":"1"},"eventSource":"aws:sqs"})";
  }

  sweep::FakeClock clock_{ReadmeTime()};
  std::chrono::steady_clock::time_point steady_ = std::chrono::steady_clock::time_point(seconds(1000));
  std::vector<std::string> lines_;
  sweep::StructuredLog log_{[this](std::string_view line) { lines_.emplace_back(line); }, &clock_};
  store::MemoryStore memory_;
  std::unique_ptr<store::ParquetDatasetEncoder> encoder_;
  sweep::ManifestCache manifests_;
  std::vector<sweep::ShardMessage> sent_;
  std::vector<std::chrono::steady_clock::time_point> no_call_after_;
  int requests_ = 0;
};

// §6 API path: a proxy event is accepted (202 proxy response) and dispatch may not start calls after start + 20 s.
TEST_F(LambdaHandlerTest, ApiGatewayEventIsAcceptedWithinTheDispatchBudget) {
  LambdaHandler handler(Components());
  const std::string event = std::string(R"({"resource":"/sweep-run","httpMethod":"POST","body":)") +
                            Quoted(kReadmeRequest) + R"(,"isBase64Encoded":false})";
  const Proxy p = ParseProxy(handler.Handle(Invocation(event)));
  EXPECT_EQ(p.status, 202);
  EXPECT_EQ(p.content_type, "application/json");
  EXPECT_EQ(p.body.Find("status")->as_string(), "dispatch_submitted");
  EXPECT_EQ(p.body.Find("shards_dispatched")->as_unsigned(), 4u);
  EXPECT_EQ(sent_.size(), 4u);
  ASSERT_EQ(no_call_after_.size(), 1u);
  EXPECT_EQ(no_call_after_[0], steady_ + seconds(20));

  const std::vector<JsonObject> received = Events("request_received");
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].Find("component")->as_string(), "sweep_runtime");
  EXPECT_EQ(Details(received[0]).Find("event_kind")->as_string(), "api_gateway");
  EXPECT_EQ(Details(received[0]).Find("request_id")->as_string(), "req-1");
  const std::vector<JsonObject> completed = Events("request_completed");
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(Int(Details(completed[0]).Find("status_code")), 202);
  EXPECT_EQ(Details(completed[0]).Find("event_kind")->as_string(), "api_gateway");
  EXPECT_NE(Details(completed[0]).Find("duration_ms"), nullptr);
}

TEST_F(LambdaHandlerTest, DirectInvocationAndBase64BodiesAreAccepted) {
  LambdaHandler handler(Components());
  EXPECT_EQ(ParseProxy(handler.Handle(Invocation(std::string(kReadmeRequest)))).status, 202);
  EXPECT_EQ(Details(Events("request_received")[0]).Find("event_kind")->as_string(), "lambda_invoke");

  // base64 of {"run_id":"b64-run","dimensions":{"num_drivers":[2]},"shard_count":1}
  const std::string event =
      R"({"body":"eyJydW5faWQiOiJiNjQtcnVuIiwiZGltZW5zaW9ucyI6eyJudW1fZHJpdmVycyI6WzJdfSwic2hhcmRfY291bnQiOjF9",)"
      R"("isBase64Encoded":true})";
  const Proxy p = ParseProxy(handler.Handle(Invocation(event)));
  EXPECT_EQ(p.status, 202);
  EXPECT_EQ(p.body.Find("run_id")->as_string(), "b64-run");
}

TEST_F(LambdaHandlerTest, MalformedEventsGetA400ProxyResponse) {
  LambdaHandler handler(Components());
  Proxy p = ParseProxy(handler.Handle(Invocation("this is not json")));
  EXPECT_EQ(p.status, 400);
  EXPECT_EQ(p.body.Find("message")->as_string(), "Request payload must be a JSON object");
  p = ParseProxy(handler.Handle(Invocation(R"({"Records":[{"eventSource":"aws:s3"}]})")));
  EXPECT_EQ(p.status, 400);  // not an SQS event: the API path rejects it
  EXPECT_EQ(Details(Events("request_received")[1]).Find("event_kind")->as_string(), "lambda_invoke");
}

// §8: a missing setting is a 500 misconfiguration on the API path, after the request checks (a bad request still
// gets its 400), and a `misconfiguration` log line.
TEST_F(LambdaHandlerTest, ApiMisconfigurationIsA500AfterRequestChecks) {
  HandlerComponents c = Components();
  c.api_problem = "SHARD_QUEUE_URL must be configured";
  c.dispatch = nullptr;
  LambdaHandler handler(std::move(c));
  Proxy p = ParseProxy(handler.Handle(Invocation(std::string(kReadmeRequest))));
  EXPECT_EQ(p.status, 500);
  EXPECT_EQ(p.body.Find("error")->as_string(), "misconfiguration");
  EXPECT_EQ(p.body.Find("message")->as_string(), "SHARD_QUEUE_URL must be configured");
  const std::vector<JsonObject> misconfig = Events("misconfiguration");
  ASSERT_EQ(misconfig.size(), 1u);
  EXPECT_EQ(misconfig[0].Find("level")->as_string(), "error");
  EXPECT_EQ(Details(misconfig[0]).Find("message")->as_string(), "SHARD_QUEUE_URL must be configured");

  p = ParseProxy(handler.Handle(Invocation(R"({"dimensions":{}})")));
  EXPECT_EQ(p.status, 400);
  EXPECT_TRUE(memory_.List("")->empty());
  EXPECT_TRUE(sent_.empty());
}

TEST_F(LambdaHandlerTest, UnexpectedExceptionsBecome500InternalError) {
  ThrowingStore throwing(&memory_);
  HandlerComponents c = Components();
  c.store = &throwing;
  LambdaHandler handler(std::move(c));
  const Proxy p = ParseProxy(handler.Handle(Invocation(std::string(kReadmeRequest))));
  EXPECT_EQ(p.status, 500);
  EXPECT_EQ(p.body.Find("error")->as_string(), "internal_error");
  EXPECT_EQ(p.body.Find("details")->as_string(), "disk on fire");
}

// §6/§7.1: the SQS path answers with the partial batch response; the invocation deadline feeds the guard.
TEST_F(LambdaHandlerTest, SqsBatchRunsShardsUnderTheInvocationDeadline) {
  LambdaHandler handler(Components());
  ASSERT_EQ(ParseProxy(handler.Handle(Invocation(std::string(kReadmeRequest)))).status, 202);
  ASSERT_EQ(sent_.size(), 4u);
  lines_.clear();

  // Plenty of time: shard 0 succeeds, shard 1 (injected) fails permanently, a garbage body is rejected.
  std::string event = R"({"Records":[)" + SqsRecord("m0", sent_[0].body) + "," + SqsRecord("m1", sent_[1].body) +
                      "," + SqsRecord("bad", R"({"run_id":"x"})") + "]}";
  aws::LambdaOutcome out = handler.Handle(Invocation(event, clock_.Now() + seconds(600)));
  ASSERT_FALSE(out.is_error);
  EXPECT_EQ(out.payload, R"({"batchItemFailures":[{"itemIdentifier":"bad"}]})");
  const std::vector<JsonObject> completed = Events("request_completed");
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(Details(completed[0]).Find("event_kind")->as_string(), "sqs_batch");
  EXPECT_EQ(Details(completed[0]).Find("decoded_payloads")->as_unsigned(), 2u);
  EXPECT_EQ(Details(completed[0]).Find("failed_items")->as_unsigned(), 1u);
  EXPECT_EQ(Details(Events("request_received")[0]).Find("event_kind")->as_string(), "sqs_batch");

  // 10 s left, below the 20 s margin: the guard stops shard 2 before its first point; the record comes back.
  event = R"({"Records":[)" + SqsRecord("m2", sent_[2].body) + "]}";
  out = handler.Handle(Invocation(event, clock_.Now() + seconds(10)));
  ASSERT_FALSE(out.is_error);
  EXPECT_EQ(out.payload, R"({"batchItemFailures":[{"itemIdentifier":"m2"}]})");
  EXPECT_EQ(Events("deadline_guard_triggered").size(), 1u);
}

// SWEEP_POINT_THREADS: the handler hands the point encoders to the worker, so a shard's two points run at once,
// and the shard still succeeds with all its objects.
TEST_F(LambdaHandlerTest, SqsBatchRunsAShardsPointsOnThePointEncoders) {
  LambdaHandler submitter(Components());
  ASSERT_EQ(ParseProxy(submitter.Handle(Invocation(std::string(kReadmeRequest)))).status, 202);
  ASSERT_EQ(sent_.size(), 4u);

  sweep::testing::Rendezvous meeting(2);
  sweep::testing::RecordingEncoder first;
  sweep::testing::RecordingEncoder second;
  first.before_metrics = meeting.OnFirstCall();
  second.before_metrics = meeting.OnFirstCall();
  HandlerComponents c = Components();
  c.encoder = &first;
  c.point_encoders = {&second};
  LambdaHandler handler(std::move(c));
  const std::string event = R"({"Records":[)" + SqsRecord("m0", sent_[0].body) + "]}";
  const aws::LambdaOutcome out = handler.Handle(Invocation(event, clock_.Now() + seconds(600)));
  ASSERT_FALSE(out.is_error);
  EXPECT_EQ(out.payload, R"({"batchItemFailures":[]})");
  EXPECT_EQ(meeting.arrived(), 2);  // both points were inside an encoder at the same time
  EXPECT_EQ(first.metrics().size(), 1u);
  EXPECT_EQ(second.metrics().size(), 1u);
  const Result<std::vector<std::string>> keys = memory_.List("");
  ASSERT_TRUE(keys.ok());
  // manifest + run_context + 2 points × 4 objects + the success outcome.
  EXPECT_EQ(keys->size(), 2u + 2u * 4u + 1u);
}

TEST_F(LambdaHandlerTest, SqsMisconfigurationIsAnInvocationError) {
  HandlerComponents c = Components();
  c.worker_problem = "SWEEP_RESULTS_BUCKET must be configured";
  c.store = nullptr;
  LambdaHandler handler(std::move(c));
  const std::string event = R"({"Records":[)" + SqsRecord("m0", "{}") + "]}";
  const aws::LambdaOutcome out = handler.Handle(Invocation(event));
  ASSERT_TRUE(out.is_error);
  EXPECT_EQ(out.error_type, "Misconfiguration");
  EXPECT_EQ(out.error_message, "SWEEP_RESULTS_BUCKET must be configured");
  ASSERT_EQ(Events("misconfiguration").size(), 1u);
  const std::vector<JsonObject> failed = Events("request_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].Find("level")->as_string(), "error");
  EXPECT_EQ(Details(failed[0]).Find("error")->as_string(), "SWEEP_RESULTS_BUCKET must be configured");
  EXPECT_EQ(Details(failed[0]).Find("event_kind")->as_string(), "sqs_batch");
}

// ------------------------------------------------------------------------------------------------------------------
// Init from the environment (no network: clients connect lazily)

std::map<std::string, std::string, std::less<>> FullEnvironment() {
  return {{"SWEEP_RESULTS_BUCKET", "results"},
          {"SHARD_QUEUE_URL", "http://127.0.0.1:1/000000000000/shards"},
          {"SWEEP_S3_ENDPOINT", "http://127.0.0.1:1"},
          {"SWEEP_SQS_ENDPOINT", "http://127.0.0.1:1"},
          {"AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"},
          {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
          {"AWS_REGION", "us-east-1"}};
}

TEST(LambdaAppTest, CompleteEnvironmentBuildsEveryClient) {
  std::vector<std::string> lines;
  Result<std::unique_ptr<LambdaApp>> app =
      LambdaApp::Create(sweep::EnvironmentFromMap(FullEnvironment()), [&](std::string_view l) { lines.emplace_back(l); });
  ASSERT_TRUE(app.ok()) << app.status().message();
  const HandlerComponents& c = (*app)->components();
  EXPECT_FALSE(c.api_problem.has_value()) << *c.api_problem;
  EXPECT_FALSE(c.worker_problem.has_value()) << *c.worker_problem;
  EXPECT_NE(c.store, nullptr);
  EXPECT_NE(c.encoder, nullptr);
  EXPECT_TRUE(static_cast<bool>(c.dispatch));
  EXPECT_EQ(c.dispatch_target, "http://127.0.0.1:1/000000000000/shards");
  EXPECT_TRUE(c.point_encoders.empty());  // SWEEP_POINT_THREADS defaults to 1
}

TEST(LambdaAppTest, PointThreadsGetOneEncoderEach) {
  std::map<std::string, std::string, std::less<>> env = FullEnvironment();
  env["SWEEP_POINT_THREADS"] = "3";
  Result<std::unique_ptr<LambdaApp>> app = LambdaApp::Create(sweep::EnvironmentFromMap(env), [](std::string_view) {});
  ASSERT_TRUE(app.ok()) << app.status().message();
  const HandlerComponents& c = (*app)->components();
  ASSERT_EQ(c.point_encoders.size(), 2u);
  EXPECT_NE(c.point_encoders[0], nullptr);
  EXPECT_NE(c.point_encoders[1], nullptr);
  EXPECT_NE(c.point_encoders[0], c.point_encoders[1]);
  EXPECT_NE(c.point_encoders[0], c.encoder);
}

// Missing credentials do not fail init: the API path answers 500 misconfiguration, the SQS path an invocation error.
TEST(LambdaAppTest, MissingCredentialsAreReportedPerInvocation) {
  auto env = FullEnvironment();
  env.erase("AWS_SECRET_ACCESS_KEY");
  std::vector<std::string> lines;
  Result<std::unique_ptr<LambdaApp>> app =
      LambdaApp::Create(sweep::EnvironmentFromMap(env), [&](std::string_view l) { lines.emplace_back(l); });
  ASSERT_TRUE(app.ok());
  EXPECT_EQ((*app)->components().api_problem, std::string(aws::kCredentialsMissing));
  EXPECT_EQ((*app)->components().worker_problem, std::string(aws::kCredentialsMissing));

  aws::LambdaInvocation inv;
  inv.request_id = "r1";
  inv.event = std::string(kReadmeRequest);
  const Proxy p = ParseProxy((*app)->handler().Handle(inv));
  EXPECT_EQ(p.status, 500);
  EXPECT_EQ(p.body.Find("error")->as_string(), "misconfiguration");
  EXPECT_EQ(p.body.Find("message")->as_string(), aws::kCredentialsMissing);

  inv.event = R"({"Records":[{"messageId":"m","body":"{}","eventSource":"aws:sqs"}]})";
  const aws::LambdaOutcome sqs = (*app)->handler().Handle(inv);
  ASSERT_TRUE(sqs.is_error);
  EXPECT_EQ(sqs.error_type, "Misconfiguration");
  EXPECT_EQ(sqs.error_message, aws::kCredentialsMissing);
  // Nothing secret is logged.
  for (const std::string& line : lines) EXPECT_EQ(line.find("AKIAIOSFODNN7EXAMPLE"), std::string::npos) << line;
}

// §8 order: the configuration's own message comes first; the queue URL only matters to the API path [fix].
TEST(LambdaAppTest, MissingBucketAndQueue) {
  auto env = FullEnvironment();
  env.erase("SHARD_QUEUE_URL");
  Result<std::unique_ptr<LambdaApp>> app = LambdaApp::Create(sweep::EnvironmentFromMap(env), [](std::string_view) {});
  ASSERT_TRUE(app.ok());
  EXPECT_EQ((*app)->components().api_problem, "SHARD_QUEUE_URL must be configured");
  EXPECT_FALSE((*app)->components().worker_problem.has_value());

  env.erase("SWEEP_RESULTS_BUCKET");
  env.erase("AWS_REGION");
  app = LambdaApp::Create(sweep::EnvironmentFromMap(env), [](std::string_view) {});
  ASSERT_TRUE(app.ok());
  EXPECT_EQ((*app)->components().api_problem, "SWEEP_RESULTS_BUCKET must be configured");
  EXPECT_EQ((*app)->components().worker_problem, "SWEEP_RESULTS_BUCKET must be configured");
  EXPECT_EQ((*app)->components().store, nullptr);
}

TEST(RunBootstrapTest, WithoutTheRuntimeApiItExitsWithALogLine) {
  std::vector<std::string> lines;
  EXPECT_EQ(RunBootstrap(sweep::EnvironmentFromMap(FullEnvironment()), [&](std::string_view l) { lines.emplace_back(l); }),
            1);
  ASSERT_EQ(lines.size(), 1u);
  const JsonObject line = ParseObject(lines[0]);
  EXPECT_EQ(line.Find("event")->as_string(), "runtime_api_error");
  EXPECT_NE(lines[0].find("AWS_LAMBDA_RUNTIME_API"), std::string::npos);
}

}  // namespace
}  // namespace ridesweep::bootstrap
