// SqsDispatcher against a scripted SQS: batching, partial failures, retries, the time budget and the report.
#include "ridesweep/aws/sqs_dispatcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "md5_hex.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/sweep/errors.h"
#include "tests/fake_transport.h"

namespace ridesweep::aws {
namespace {

using std::chrono::milliseconds;
using sweep::DispatchReport;
using sweep::ShardMessage;
using testing::FakeTime;
using testing::FakeTransport;
using testing::MakeResponse;

constexpr std::string_view kQueueUrl = "http://127.0.0.1:9324/123456789012/shards";

struct Entry {
  std::string id;
  std::string body;
};

std::vector<Entry> Entries(const HttpRequest& request) {
  std::vector<Entry> out;
  const JsonValue doc = ParseJson(request.body).value();
  for (const JsonValue& e : doc.as_object().Find("Entries")->as_array()) {
    out.push_back({e.as_object().Find("Id")->as_string(), e.as_object().Find("MessageBody")->as_string()});
  }
  return out;
}

std::string Answer(const std::vector<Entry>& ok, const std::vector<std::string>& failed_ids, bool sender_fault) {
  std::string body = R"({"Successful":[)";
  for (size_t i = 0; i < ok.size(); ++i) {
    if (i > 0) body += ",";
    body += R"({"Id":")" + ok[i].id + R"(","MessageId":"m-)" + ok[i].id + R"(","MD5OfMessageBody":")" +
            Md5Hex(ok[i].body) + R"("})";
  }
  body += R"(],"Failed":[)";
  for (size_t i = 0; i < failed_ids.size(); ++i) {
    if (i > 0) body += ",";
    body += R"({"Id":")" + failed_ids[i] + R"(","SenderFault":)" + (sender_fault ? "true" : "false") + R"(,"Code":")" +
            (sender_fault ? "InvalidMessageContents" : "InternalError") + R"(","Message":"entry failed"})";
  }
  return body + "]}";
}

Result<HttpResponse> AcceptAll(const HttpRequest& request) {
  return MakeResponse(200, Answer(Entries(request), {}, false));
}

std::vector<ShardMessage> Messages(size_t n) {
  std::vector<ShardMessage> out;
  for (size_t i = 0; i < n; ++i) out.push_back({i, R"({"shard_id":)" + std::to_string(i) + "}"});
  return out;
}

class SqsDispatcherTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqsDispatcher> MakeDispatcher(size_t concurrency = 8, double unit_random = 0.5) {
    SqsDispatcherOptions options;
    options.queue_url = std::string(kQueueUrl);
    options.region = "us-east-1";
    options.endpoint_url = "http://127.0.0.1:9324";
    options.concurrency = concurrency;
    options.http = time_.Options(DispatchRetryPolicy(), unit_random);
    auto dispatcher = SqsDispatcher::Create(std::move(options), {"AKID", "SECRET", ""}, transport_);
    EXPECT_TRUE(dispatcher.ok()) << dispatcher.status().ToString();
    return std::move(dispatcher).value();
  }

  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  FakeTime time_;
};

TEST_F(SqsDispatcherTest, SendsTenPerCallWithShardIdsAndTheJsonProtocol) {
  transport_->SetHandler(AcceptAll);
  const std::vector<ShardMessage> messages = Messages(25);
  const DispatchReport report = MakeDispatcher()->Dispatch(messages);
  EXPECT_EQ(report.enqueued_shard_ids.size(), 25u);
  EXPECT_TRUE(report.failed_shard_ids.empty());
  EXPECT_EQ(report.send_calls, 3u);
  std::set<std::string> ids;
  for (const HttpRequest& request : transport_->requests()) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.Url(), "http://127.0.0.1:9324/");
    EXPECT_EQ(*request.FindHeader("Content-Type"), "application/x-amz-json-1.0");
    EXPECT_EQ(*request.FindHeader("X-Amz-Target"), "AmazonSQS.SendMessageBatch");
    EXPECT_NE(request.FindHeader("Authorization")->find("/us-east-1/sqs/aws4_request"), std::string::npos);
    const JsonValue doc = ParseJson(request.body).value();
    EXPECT_EQ(doc.as_object().Find("QueueUrl")->as_string(), kQueueUrl);
    const std::vector<Entry> entries = Entries(request);
    EXPECT_LE(entries.size(), 10u);
    for (const Entry& e : entries) {
      ids.insert(e.id);
      EXPECT_EQ(e.body, R"({"shard_id":)" + e.id.substr(1) + "}");
    }
  }
  EXPECT_EQ(ids.size(), 25u);
  EXPECT_TRUE(ids.contains("s0") && ids.contains("s24"));
  EXPECT_EQ(MakeDispatcher()->target(), kQueueUrl);
}

TEST_F(SqsDispatcherTest, ThousandShardsInAHundredParallelCalls) {
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
  transport_->SetHandler([&](const HttpRequest& request) {
    const int now = ++in_flight;
    int seen = max_in_flight.load();
    while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(milliseconds(2));
    --in_flight;
    return AcceptAll(request);
  });
  const DispatchReport report = MakeDispatcher(8)->Dispatch(Messages(1'000));
  EXPECT_EQ(report.enqueued_shard_ids.size(), 1'000u);
  EXPECT_EQ(report.send_calls, 100u);
  EXPECT_LE(max_in_flight.load(), 8);
  EXPECT_GE(max_in_flight.load(), 2);  // Really parallel.
  for (size_t i = 0; i < report.enqueued_shard_ids.size(); ++i) EXPECT_EQ(report.enqueued_shard_ids[i], i);
}

TEST_F(SqsDispatcherTest, RetriesOnlyEntriesWithoutSenderFault) {
  int call = 0;
  transport_->SetHandler([&](const HttpRequest& request) {
    const std::vector<Entry> entries = Entries(request);
    ++call;
    if (call == 1) {
      // s0 ok, s1 server-side failure (retry), s2 sender fault (final).
      std::string body = Answer({entries[0]}, {"s1"}, false);
      body.insert(body.size() - 2,
                  R"(,{"Id":"s2","SenderFault":true,"Code":"InvalidMessageContents","Message":"bad"})");
      return MakeResponse(200, body);
    }
    EXPECT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].id, "s1");
    return MakeResponse(200, Answer(entries, {}, false));
  });
  const DispatchReport report = MakeDispatcher()->Dispatch(Messages(3));
  EXPECT_EQ(report.enqueued_shard_ids, (std::vector<uint64_t>{0, 1}));
  EXPECT_EQ(report.failed_shard_ids, (std::vector<uint64_t>{2}));
  EXPECT_EQ(report.first_error, "entry s2 failed: InvalidMessageContents: bad (sender fault)");
  EXPECT_EQ(report.send_calls, 2u);
  EXPECT_EQ(time_.sleeps(), (std::vector<milliseconds>{milliseconds(50)}));
}

TEST_F(SqsDispatcherTest, EntryRetriesStopAfterThree) {
  transport_->SetHandler([](const HttpRequest& request) {
    std::vector<std::string> ids;
    for (const Entry& e : Entries(request)) ids.push_back(e.id);
    return MakeResponse(200, Answer({}, ids, false));
  });
  const DispatchReport report = MakeDispatcher()->Dispatch(Messages(2));
  EXPECT_EQ(report.failed_shard_ids, (std::vector<uint64_t>{0, 1}));
  EXPECT_EQ(report.send_calls, 4u);  // First call + 3 retries.
  EXPECT_EQ(report.first_error, "entry s0 failed: InternalError: entry failed");
  EXPECT_EQ(time_.sleeps(), (std::vector<milliseconds>{milliseconds(50), milliseconds(100), milliseconds(200)}));
}

TEST_F(SqsDispatcherTest, WholeCallFailuresAreRetriedThenReported) {
  transport_->Push(MakeResponse(500, R"({"__type":"com.amazonaws.sqs#InternalError","message":"boom"})"));
  transport_->PushTransportError("Connection reset by peer");
  transport_->SetHandler(AcceptAll);
  DispatchReport report = MakeDispatcher()->Dispatch(Messages(5));
  EXPECT_EQ(report.enqueued_shard_ids.size(), 5u);
  EXPECT_EQ(report.send_calls, 3u);

  transport_ = std::make_shared<FakeTransport>();
  for (int i = 0; i < 4; ++i) transport_->Push(MakeResponse(503));
  report = MakeDispatcher()->Dispatch(Messages(5));
  EXPECT_EQ(report.failed_shard_ids.size(), 5u);
  EXPECT_EQ(report.send_calls, 4u);
  EXPECT_EQ(report.first_error, "SendMessageBatch: after 4 attempts: 503");
}

TEST_F(SqsDispatcherTest, ClientErrorsAreNotRetried) {
  transport_->SetHandler([](const HttpRequest&) {
    return MakeResponse(400, R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"no queue"})",
                        {{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}});
  });
  const DispatchReport report = MakeDispatcher()->Dispatch(Messages(12));
  EXPECT_EQ(report.failed_shard_ids.size(), 12u);
  EXPECT_EQ(report.send_calls, 2u);
  EXPECT_EQ(report.first_error, "SendMessageBatch: 400 AWS.SimpleQueueService.NonExistentQueue: no queue");
}

TEST_F(SqsDispatcherTest, Md5MismatchIsRetried) {
  int call = 0;
  transport_->SetHandler([&](const HttpRequest& request) {
    std::vector<Entry> entries = Entries(request);
    if (++call == 1) entries[0].body += "corrupted";
    return MakeResponse(200, Answer(entries, {}, false));
  });
  const DispatchReport report = MakeDispatcher()->Dispatch(Messages(1));
  EXPECT_EQ(report.enqueued_shard_ids, (std::vector<uint64_t>{0}));
  EXPECT_EQ(report.send_calls, 2u);
}

TEST_F(SqsDispatcherTest, NoCallStartsAfterTheBudget) {
  transport_->SetHandler([&](const HttpRequest& request) {
    time_.Advance(milliseconds(8'000));  // Each call takes 8 s.
    return AcceptAll(request);
  });
  // One call at a time: calls start at 0, 8 and 16 s; the fourth would start at 24 s > 20 s.
  const DispatchReport report = MakeDispatcher(1)->Dispatch(Messages(45));
  EXPECT_EQ(report.enqueued_shard_ids.size(), 30u);
  EXPECT_EQ(report.failed_shard_ids.size(), 15u);
  EXPECT_EQ(report.failed_shard_ids.front(), 30u);
  EXPECT_EQ(report.first_error, sweep::errors::kDispatchBudgetExhausted);
  EXPECT_EQ(report.send_calls, 3u);
}

TEST_F(SqsDispatcherTest, OversizedMessagesFailWithoutACall) {
  transport_->SetHandler(AcceptAll);
  std::vector<ShardMessage> messages = Messages(2);
  messages[1].body = std::string(262'145, 'x');
  const DispatchReport report = MakeDispatcher()->Dispatch(messages);
  EXPECT_EQ(report.enqueued_shard_ids, (std::vector<uint64_t>{0}));
  EXPECT_EQ(report.failed_shard_ids, (std::vector<uint64_t>{1}));
  EXPECT_EQ(report.first_error, "shard message of 262145 bytes exceeds the SQS limit of 262144 bytes");
  EXPECT_EQ(report.send_calls, 1u);
}

TEST_F(SqsDispatcherTest, EmptyDispatchMakesNoCall) {
  const DispatchReport report = MakeDispatcher()->Dispatch({});
  EXPECT_EQ(report.send_calls, 0u);
  EXPECT_TRUE(report.enqueued_shard_ids.empty() && report.failed_shard_ids.empty());
}

TEST_F(SqsDispatcherTest, CreateValidatesOptions) {
  SqsDispatcherOptions options;
  options.queue_url = std::string(kQueueUrl);
  options.region = "us-east-1";
  options.concurrency = 65;
  EXPECT_EQ(SqsDispatcher::Create(options, {}, transport_).status().code(), StatusCode::kInvalidArgument);
  options.concurrency = 0;
  EXPECT_EQ(SqsDispatcher::Create(options, {}, transport_).status().code(), StatusCode::kInvalidArgument);
  options.concurrency = 1;
  options.queue_url.clear();
  EXPECT_EQ(SqsDispatcher::Create(options, {}, transport_).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ridesweep::aws
