// The §7.1 SQS batch handler against an in-memory store, the real Parquet encoder, the real engine on tiny points
// and a fake clock: one `now` per batch, attempts from ApproximateReceiveCount, rejected records (nothing written,
// listed, payload_rejected), permanent vs transient outcomes, duplicate delivery and a deadline reached mid-batch.
#include "ridesweep/sweep/sqs_batch.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/store/fault_injecting_store.h"
#include "ridesweep/store/memory_store.h"
#include "ridesweep/sweep/dead_letter.h"
#include "ridesweep/sweep/keys.h"
#include "worker_test_support.h"

namespace ridesweep::sweep {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using store::FaultInjectingStore;
using store::MemoryStore;
using testing::LogCapture;
using testing::ReadmeTime;
using testing::RecordingEncoder;
using testing::Snapshot;
using testing::Validate;

constexpr std::string_view kPrefix = "serverless-sweeps/outcomes";
// Four one-point shards of tiny points; shard 2 is listed for failure injection.
constexpr std::string_view kFourShards =
    R"({"run_id":"batch-run","dimensions":{"num_drivers":[2,3],"num_riders":[4,5]},"shard_count":4,"seed":3,)"
    R"("failure_injection_shards":[2]})";

JsonValue Parse(std::string_view text) {
  Result<JsonValue> v = ParseJson(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? std::move(v).value() : JsonValue::Null();
}

// The inline body of one shard; run_date omitted when empty (the worker then uses the batch's date).
std::string BodyFor(const ValidatedRequest& v, uint64_t shard_id, std::string_view run_date) {
  const ShardPayloadEncoder encoder(v.request, v.plan, run_date.empty() ? "2000-01-01" : run_date, "unused",
                                    v.request_fingerprint, 1 << 20);
  std::string body = encoder.Encode(v.plan.shards.at(shard_id));
  if (run_date.empty()) {
    Result<ShardPayload> p = DecodeShardPayload(body, "2000-01-01");
    EXPECT_TRUE(p.ok());
    p->run_date.reset();
    body = EncodeShardPayload(*p);
  }
  return body;
}

// An SQS record whose body is the given JSON value text (a string literal for real messages).
constexpr std::string_view kShardQueueArn = "arn:aws:sqs:us-east-1:000000000000:shards";
constexpr std::string_view kDeadLetterQueueArn = "arn:aws:sqs:us-east-1:000000000000:shards-dlq";

std::string RecordJson(std::string_view message_id, std::string_view body_json,
                       std::string_view receive_count = "\"1\"", std::string_view source_arn = kShardQueueArn) {
  std::string out = R"({"messageId":)";
  AppendJsonString(&out, message_id);
  out += R"(,"receiptHandle":"rh","body":)";
  out += body_json;
  out += R"(,"attributes":{"ApproximateReceiveCount":)";
  out += receive_count;
  out += R"(,"SentTimestamp":"1771063872000"},"messageAttributes":{},"md5OfBody":"x","eventSource":"aws:sqs",)";
  out += R"("eventSourceARN":")";
  out += source_arn;
  out += R"(","awsRegion":"us-east-1"})";
  return out;
}
std::string StringRecord(std::string_view message_id, std::string_view body, std::string_view receive_count = "\"1\"",
                         std::string_view source_arn = kShardQueueArn) {
  std::string quoted;
  AppendJsonString(&quoted, body);
  return RecordJson(message_id, quoted, receive_count, source_arn);
}
std::string DeadLetterRecord(std::string_view message_id, std::string_view body) {
  return StringRecord(message_id, body, R"("6")", kDeadLetterQueueArn);
}
JsonValue Event(const std::vector<std::string>& records) {
  std::string out = R"({"Records":[)";
  for (size_t i = 0; i < records.size(); ++i) out += (i > 0 ? "," : "") + records[i];
  return Parse(out + "]}");
}

class SqsBatchTest : public ::testing::Test {
 protected:
  SqsBatchTest() {
    ctx_.store = &store_;
    ctx_.clock = &clock_;
    ctx_.log = logs_.log();
    ctx_.manifests = &manifests_;
    ctx_.config.results_prefix = std::string(kPrefix);
  }

  std::string SuccessKey(std::string_view date, uint64_t shard) const {
    return layout_.ShardOutcomeKey(date, "batch-run", RecordStatus::kSuccess, shard);
  }
  std::string FailureKey(std::string_view date, uint64_t shard) const {
    return layout_.ShardOutcomeKey(date, "batch-run", RecordStatus::kFailure, shard);
  }

  ValidatedRequest request_ = Validate(kFourShards);
  FakeClock clock_{ReadmeTime()};
  MemoryStore memory_;
  FaultInjectingStore store_{&memory_};
  LogCapture logs_{&clock_};
  ManifestCache manifests_;
  RecordingEncoder encoder_;
  WorkerContext ctx_;
  StorageLayout layout_{kPrefix};
};

TEST(SqsBatchResultTest, ResponseJsonListsMessageIdsInOrder) {
  SqsBatchResult result;
  EXPECT_EQ(result.ResponseJson(), R"({"batchItemFailures":[]})");
  result.failed_message_ids = {"m-2", "m\"1"};
  EXPECT_EQ(result.ResponseJson(),
            R"({"batchItemFailures":[{"itemIdentifier":"m-2"},{"itemIdentifier":"m\"1"}]})");
}

TEST(SqsBatchResultTest, ApproximateReceiveCountDefaultsToOne) {
  auto count = [](std::string_view attributes) {
    return ApproximateReceiveCount(Parse(std::string(R"({"attributes":)") + std::string(attributes) + "}"));
  };
  EXPECT_EQ(count(R"({"ApproximateReceiveCount":"3"})"), 3u);
  EXPECT_EQ(count(R"({"ApproximateReceiveCount":4})"), 4u);
  EXPECT_EQ(count(R"({})"), 1u);
  EXPECT_EQ(count(R"({"ApproximateReceiveCount":"0"})"), 1u);
  EXPECT_EQ(count(R"({"ApproximateReceiveCount":""})"), 1u);
  EXPECT_EQ(count(R"({"ApproximateReceiveCount":"2x"})"), 1u);
  EXPECT_EQ(count(R"({"ApproximateReceiveCount":"-2"})"), 1u);
  EXPECT_EQ(count(R"({"ApproximateReceiveCount":-2})"), 1u);
  EXPECT_EQ(count(R"({"ApproximateReceiveCount":2.5})"), 1u);
  EXPECT_EQ(count(R"({"ApproximateReceiveCount":null})"), 1u);
  EXPECT_EQ(count(R"("nope")"), 1u);
  EXPECT_EQ(ApproximateReceiveCount(Parse(R"({"messageId":"m"})")), 1u);
}

// 18.1 #15–16 and §7.1 step 3: rejected records write nothing, are logged and listed; the others still run.
TEST_F(SqsBatchTest, RejectedRecordsAreListedAndWriteNothingWhileOthersRun) {
  const JsonValue event = Event({
      StringRecord("ok-0", BodyFor(request_, 0, "2026-02-14"), R"("2")"),
      RecordJson("not-a-string", "42"),
      StringRecord("missing-field", R"({"run_id":"x"})"),
      StringRecord("bad-run-id", R"({"run_id":"a b","run_date":"2026-02-14","dimensions":{"num_drivers":[2]},)"
                                 R"("total_points":1,"shard_id":0,"start_index":0,"end_index_exclusive":1,"seed":0,)"
                                 R"("failure_injection_shards":[]})"),
      RecordJson("no-body", "null"),
      StringRecord("ok-1", BodyFor(request_, 1, "2026-02-14")),
  });
  const SqsBatchResult result = HandleSqsBatch(event, encoder_, ctx_, nullptr);

  EXPECT_EQ(result.record_count, 6u);
  EXPECT_EQ(result.decoded_payloads, 2u);
  EXPECT_EQ(result.rejected_payloads, 4u);
  EXPECT_EQ(result.succeeded_shards, 2u);
  EXPECT_EQ(result.failed_message_ids,
            (std::vector<std::string>{"not-a-string", "missing-field", "bad-run-id", "no-body"}));
  EXPECT_EQ(result.ResponseJson(),
            R"({"batchItemFailures":[{"itemIdentifier":"not-a-string"},{"itemIdentifier":"missing-field"},)"
            R"({"itemIdentifier":"bad-run-id"},{"itemIdentifier":"no-body"}]})");

  // Only the two good shards wrote: 4 point objects + a success outcome each.
  const auto objects = Snapshot(memory_);
  EXPECT_EQ(objects.size(), 10u);
  EXPECT_EQ(objects.count(SuccessKey("2026-02-14", 0)), 1u);
  EXPECT_EQ(objects.count(SuccessKey("2026-02-14", 1)), 1u);
  for (const auto& [key, bytes] : objects) EXPECT_NE(key.find("=batch-run/"), std::string::npos) << key;

  const std::vector<JsonValue> rejected = logs_.Events("payload_rejected");
  ASSERT_EQ(rejected.size(), 4u);
  std::vector<std::string> errors;
  for (const JsonValue& line : rejected) {
    EXPECT_EQ(line.as_object().Find("component")->as_string(), "child_handler");
    EXPECT_EQ(line.as_object().Find("level")->as_string(), "error");
    const JsonObject& details = line.as_object().Find("details")->as_object();
    EXPECT_EQ(LogCapture::Keys(details), (std::set<std::string>{"attempt", "error", "message_id"}));
    errors.push_back(details.Find("error")->as_string());
  }
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "SQS record body must be a string",
                        "invalid child shard payload: missing field `dimensions` at line 1 column 14",
                        "invalid child shard payload: run_id or run_date is not addressable",
                        "SQS record body must be a string",
                    }));
  const JsonObject decoded = logs_.OnlyDetails("sqs_payloads_decoded");
  EXPECT_EQ(decoded.Find("payload_count")->as_unsigned(), 2u);
  EXPECT_EQ(decoded.Find("rejected_count")->as_unsigned(), 4u);
  EXPECT_EQ(logs_.Events("sqs_payloads_decoded")[0].as_object().Find("component")->as_string(), "sweep_runtime");

  // attempt from ApproximateReceiveCount; event_time is the batch's `now`.
  ASSERT_EQ(encoder_.outcomes().size(), 2u);
  EXPECT_EQ(encoder_.outcomes()[0].attempt, 2);
  EXPECT_EQ(encoder_.outcomes()[1].attempt, 1);
  EXPECT_EQ(encoder_.outcomes()[0].event_time, "2026-02-14T10:11:12.123456+00:00");
}

// §7.3: a permanent failure (injected) is recorded and acknowledged; a transient one (storage) is listed.
TEST_F(SqsBatchTest, PermanentFailuresAreAcknowledgedTransientOnesListed) {
  // Point objects of shard 3 cannot be written (the failure record, under shard_id_partition=3, can).
  store_.FailCallsContaining({store::StoreOp::kPut}, "/shard_id=3/", UnavailableError("S3 503 SlowDown"));
  const JsonValue event = Event({
      StringRecord("injected", BodyFor(request_, 2, "2026-02-14"), R"("5")"),
      StringRecord("storage", BodyFor(request_, 3, "2026-02-14")),
      StringRecord("fine", BodyFor(request_, 0, "2026-02-14")),
  });
  const SqsBatchResult result = HandleSqsBatch(event, encoder_, ctx_, nullptr);
  EXPECT_EQ(result.failed_message_ids, (std::vector<std::string>{"storage"}));
  EXPECT_EQ(result.succeeded_shards, 1u);
  EXPECT_EQ(result.rejected_payloads, 0u);

  const auto objects = Snapshot(memory_);
  EXPECT_EQ(objects.count(FailureKey("2026-02-14", 2)), 1u);
  EXPECT_EQ(objects.count(SuccessKey("2026-02-14", 0)), 1u);
  EXPECT_EQ(objects.count(SuccessKey("2026-02-14", 3)), 0u);
  ASSERT_FALSE(encoder_.outcomes().empty());
  EXPECT_EQ(encoder_.outcomes()[0].error_code, "injected_failure");
  EXPECT_EQ(encoder_.outcomes()[0].attempt, 5);
}

// §7.5: the same message delivered twice (in one batch, then again in a later batch) leaves the same objects as one
// delivery; the repeats skip the committed point and acknowledge.
TEST_F(SqsBatchTest, DuplicateDeliveryWritesTheSameObjectsOnce) {
  const std::string record = StringRecord("dup", BodyFor(request_, 1, "2026-02-14"));
  MemoryStore single_memory;
  {
    WorkerContext single = ctx_;
    single.store = &single_memory;
    single.log = nullptr;
    const SqsBatchResult once = HandleSqsBatch(Event({record}), encoder_, single, nullptr);
    EXPECT_TRUE(once.failed_message_ids.empty());
  }
  const SqsBatchResult twice = HandleSqsBatch(Event({record, record}), encoder_, ctx_, nullptr);
  EXPECT_TRUE(twice.failed_message_ids.empty());
  EXPECT_EQ(twice.succeeded_shards, 2u);
  const SqsBatchResult later = HandleSqsBatch(Event({record}), encoder_, ctx_, nullptr);
  EXPECT_TRUE(later.failed_message_ids.empty());

  EXPECT_EQ(Snapshot(memory_), Snapshot(single_memory));
  const std::vector<JsonValue> completed = logs_.Events("shard_completed");
  ASSERT_EQ(completed.size(), 3u);
  EXPECT_EQ(completed[0].as_object().Find("details")->as_object().Find("points_skipped")->as_unsigned(), 0u);
  EXPECT_EQ(completed[1].as_object().Find("details")->as_object().Find("points_skipped")->as_unsigned(), 1u);
  EXPECT_EQ(completed[2].as_object().Find("details")->as_object().Find("points_skipped")->as_unsigned(), 1u);
}

// §7.1 step 1: run_date and event_time come from one `now` per batch, even when the batch crosses midnight.
TEST_F(SqsBatchTest, FallbackRunDateIsTakenOncePerBatch) {
  using namespace std::chrono;
  const WallTime before_midnight = WallTime(sys_days{year{2026} / February / 14}.time_since_epoch() + hours(23) +
                                            minutes(59) + seconds(58));
  clock_.Set(before_midnight);
  encoder_.before_metrics = [this] { clock_.Advance(milliseconds(6'000)); };  // each point takes 6 s
  const JsonValue event = Event({StringRecord("a", BodyFor(request_, 0, "")), StringRecord("b", BodyFor(request_, 1, ""))});
  const SqsBatchResult result = HandleSqsBatch(event, encoder_, ctx_, nullptr);
  EXPECT_TRUE(result.failed_message_ids.empty());
  EXPECT_GT(clock_.Now(), before_midnight + seconds(10));  // the second record ran on 2026-02-15

  const auto objects = Snapshot(memory_);
  EXPECT_EQ(objects.count(SuccessKey("2026-02-14", 0)), 1u);
  EXPECT_EQ(objects.count(SuccessKey("2026-02-14", 1)), 1u);
  for (const auto& [key, bytes] : objects) EXPECT_EQ(key.find("2026-02-15"), std::string::npos) << key;
  ASSERT_EQ(encoder_.outcomes().size(), 2u);
  for (const ShardOutcomeRow& row : encoder_.outcomes()) EXPECT_EQ(row.event_time, "2026-02-14T23:59:58.000000+00:00");
}

// §7.4 with one guard per invocation: the first record's point takes 6 s, so the second record sees 24 s left,
// less than M (20 s) + E (6 s): it stops before its point with a `timeout` record and comes back. Redelivered in
// a fresh invocation it finishes.
TEST_F(SqsBatchTest, DeadlineReachedMidBatchListsTheRemainingRecords) {
  encoder_.before_metrics = [this] { clock_.Advance(milliseconds(6'000)); };
  const JsonValue event = Event({StringRecord("first", BodyFor(request_, 0, "2026-02-14")),
                                 StringRecord("second", BodyFor(request_, 1, "2026-02-14")),
                                 StringRecord("third", BodyFor(request_, 3, "2026-02-14"))});
  DeadlineGuard guard(&clock_, clock_.Now() + seconds(30), 20'000);
  const SqsBatchResult result = HandleSqsBatch(event, encoder_, ctx_, &guard);
  EXPECT_EQ(result.failed_message_ids, (std::vector<std::string>{"second", "third"}));
  EXPECT_EQ(result.succeeded_shards, 1u);
  ASSERT_EQ(encoder_.outcomes().size(), 3u);
  EXPECT_EQ(encoder_.outcomes()[1].error_code, "timeout");
  EXPECT_EQ(encoder_.outcomes()[1].error_message,
            "Deadline guard: stopped before point 1 with 24000 ms left; 0 of 1 points written");
  EXPECT_EQ(logs_.Events("deadline_guard_triggered").size(), 2u);

  // Redelivery (receive count 2) in a new invocation with a fresh deadline: both finish and the failure records go.
  const JsonValue again = Event({StringRecord("second", BodyFor(request_, 1, "2026-02-14"), R"("2")"),
                                 StringRecord("third", BodyFor(request_, 3, "2026-02-14"), R"("2")")});
  DeadlineGuard fresh(&clock_, clock_.Now() + seconds(60), 20'000);
  const SqsBatchResult retry = HandleSqsBatch(again, encoder_, ctx_, &fresh);
  EXPECT_TRUE(retry.failed_message_ids.empty());
  const auto objects = Snapshot(memory_);
  for (uint64_t shard : {0u, 1u, 3u}) {
    EXPECT_EQ(objects.count(SuccessKey("2026-02-14", shard)), 1u) << shard;
    EXPECT_EQ(objects.count(FailureKey("2026-02-14", shard)), 0u) << shard;
  }
}

// Records are handled independently: an exception in one (the encoder throws) does not stop the next.
TEST_F(SqsBatchTest, AnExceptionInOneRecordDoesNotStopTheBatch) {
  encoder_.Throw(RecordingEncoder::kTrips, "encoder exploded");
  const JsonValue event = Event({StringRecord("boom", BodyFor(request_, 0, "2026-02-14")),
                                 StringRecord("after", BodyFor(request_, 1, "2026-02-14"))});
  const SqsBatchResult result = HandleSqsBatch(event, encoder_, ctx_, nullptr);
  // Both hit the throwing encoder: both transient internal_error, both listed, in order.
  EXPECT_EQ(result.failed_message_ids, (std::vector<std::string>{"boom", "after"}));
  const std::vector<JsonValue> failed = logs_.Events("shard_failed");
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0].as_object().Find("details")->as_object().Find("error_code")->as_string(), "internal_error");
}

}  // namespace
}  // namespace ridesweep::sweep

namespace ridesweep::sweep {
namespace {

// Issue 13: a message dead-lettered after attempts that never recorded an outcome gets its failure record from the
// dead-letter path (so the shard reads "failed", not "pending"); a shard with an outcome is left alone; nothing is
// simulated; an unreadable dead letter is logged whole and acknowledged.
TEST_F(SqsBatchTest, Issue0013DeadLettersWithoutAnOutcomeGetAFailureRecord) {
  ctx_.config.dead_letter_queue_arn = std::string(kDeadLetterQueueArn);
  ASSERT_TRUE(HandleSqsBatch(Event({StringRecord("ran", BodyFor(request_, 0, "2026-02-14"))}), encoder_, ctx_,
                             nullptr).failed_message_ids.empty());
  const auto before = Snapshot(memory_);
  const size_t outcomes_before = encoder_.outcomes().size();

  const JsonValue event = Event({
      DeadLetterRecord("dead-done", BodyFor(request_, 0, "2026-02-14")),
      DeadLetterRecord("dead-lost", BodyFor(request_, 1, "2026-02-14")),
      DeadLetterRecord("dead-garbage", R"({"run_id":"x"})"),
  });
  const SqsBatchResult result = HandleSqsBatch(event, encoder_, ctx_, nullptr);
  EXPECT_TRUE(result.failed_message_ids.empty()) << result.ResponseJson();
  EXPECT_EQ(result.succeeded_shards, 0u);

  // Exactly one new object: shard 1's failure record. No point of shard 1 ran.
  const auto after = Snapshot(memory_);
  ASSERT_EQ(after.size(), before.size() + 1);
  EXPECT_EQ(after.count(FailureKey("2026-02-14", 1)), 1u);
  EXPECT_EQ(after.count(FailureKey("2026-02-14", 0)), 0u);
  ASSERT_EQ(encoder_.outcomes().size(), outcomes_before + 1);
  const ShardOutcomeRow& record = encoder_.outcomes().back();
  EXPECT_EQ(record.shard_id, 1);
  EXPECT_EQ(record.error_code, "internal_error");
  EXPECT_EQ(record.error_message, kDeadLetterNoOutcomeMessage);
  EXPECT_EQ(record.attempt, 6);
  EXPECT_EQ(logs_.Events("shard_started").size(), 1u) << "only the first, normal delivery ran a shard";

  const std::vector<JsonValue> settled = logs_.Events("dead_letter_settled");
  ASSERT_EQ(settled.size(), 2u);
  EXPECT_EQ(settled[0].as_object().Find("details")->as_object().Find("result")->as_string(), "already_final");
  EXPECT_EQ(settled[1].as_object().Find("details")->as_object().Find("result")->as_string(), "recorded");
  const JsonObject unreadable = logs_.OnlyDetails("dead_letter_unreadable");
  EXPECT_EQ(unreadable.Find("body")->as_string(), R"({"run_id":"x"})");
  EXPECT_TRUE(logs_.Events("payload_rejected").empty());

  // A second delivery of the same dead letter finds the record and writes nothing more.
  EXPECT_TRUE(HandleSqsBatch(Event({DeadLetterRecord("dead-lost", BodyFor(request_, 1, "2026-02-14"))}), encoder_,
                             ctx_, nullptr).failed_message_ids.empty());
  EXPECT_EQ(Snapshot(memory_), after);
}

// When the failure record cannot be written the dead letter is listed, so it stays on the dead-letter queue.
TEST_F(SqsBatchTest, Issue0013ADeadLetterWhoseRecordCannotBeWrittenComesBack) {
  ctx_.config.dead_letter_queue_arn = std::string(kDeadLetterQueueArn);
  store_.FailCallsContaining({store::StoreOp::kPut}, FailureKey("2026-02-14", 1), UnavailableError("S3 503"));
  const SqsBatchResult result =
      HandleSqsBatch(Event({DeadLetterRecord("dead-lost", BodyFor(request_, 1, "2026-02-14"))}), encoder_, ctx_,
                     nullptr);
  EXPECT_EQ(result.failed_message_ids, (std::vector<std::string>{"dead-lost"}));
  EXPECT_EQ(logs_.OnlyDetails("dead_letter_settled").Find("result")->as_string(), "not_recorded");
  EXPECT_TRUE(Snapshot(memory_).empty());
}

// Without a configured dead-letter queue every record is a shard attempt, whatever queue it names.
TEST_F(SqsBatchTest, WithoutADeadLetterQueueEveryRecordRuns) {
  const SqsBatchResult result =
      HandleSqsBatch(Event({DeadLetterRecord("dead-lost", BodyFor(request_, 1, "2026-02-14"))}), encoder_, ctx_,
                     nullptr);
  EXPECT_EQ(result.succeeded_shards, 1u);
  EXPECT_TRUE(logs_.Events("dead_letter_settled").empty());
}

}  // namespace
}  // namespace ridesweep::sweep
