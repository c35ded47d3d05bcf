// HttpClient's retry loop with a scripted transport and a fake clock: what is retried, how often, how long it
// waits, and that every attempt is signed.
#include "ridesweep/aws/http_client.h"

#include <gtest/gtest.h>

#include <memory>

#include "tests/fake_transport.h"

namespace ridesweep::aws {
namespace {

using std::chrono::milliseconds;
using testing::FakeTime;
using testing::FakeTransport;
using testing::MakeResponse;
using testing::S3ErrorResponse;

class HttpClientTest : public ::testing::Test {
 protected:
  HttpClient MakeClient(RetryPolicy policy = StoreRetryPolicy(), double unit_random = 0.5) {
    return HttpClient(transport_, Credentials{"AKID", "SECRET", ""}, "us-east-1", "s3", ErrorFormat::kXml,
                      time_.Options(policy, unit_random));
  }
  static HttpRequest Request() {
    HttpRequest request;
    request.method = "GET";
    request.scheme = "http";
    request.host = "127.0.0.1:9000";
    request.path = "/bucket/key";
    return request;
  }

  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  FakeTime time_;
};

TEST_F(HttpClientTest, SuccessNeedsOneSignedAttempt) {
  transport_->Push(MakeResponse(200, "hello"));
  SendStats stats;
  const Result<HttpResponse> response = MakeClient().Send(Request(), std::nullopt, &stats);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(stats.attempts, 1);
  const HttpRequest sent = transport_->requests().at(0);
  EXPECT_EQ(*sent.FindHeader("Host"), "127.0.0.1:9000");
  ASSERT_NE(sent.FindHeader("Authorization"), nullptr);
  EXPECT_EQ(sent.FindHeader("Authorization")->rfind("AWS4-HMAC-SHA256 Credential=AKID/", 0), 0u);
  EXPECT_NE(sent.FindHeader("X-Amz-Content-SHA256"), nullptr);
  EXPECT_TRUE(time_.sleeps().empty());
}

TEST_F(HttpClientTest, RetriesSlowDown5xxThrottlingAndTransportErrorsThenSucceeds) {
  transport_->Push(S3ErrorResponse(503, "SlowDown", "Please reduce your request rate."));
  transport_->PushTransportError("Connection reset by peer");
  transport_->Push(MakeResponse(429));
  transport_->Push(S3ErrorResponse(400, "ThrottlingException", "Rate exceeded"));
  transport_->Push(MakeResponse(200, "ok"));
  SendStats stats;
  const Result<HttpResponse> response = MakeClient().Send(Request(), std::nullopt, &stats);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(stats.attempts, 5);
  // Full jitter with u = 0.5: half of 100, 200, 400, 800 ms.
  EXPECT_EQ(time_.sleeps(),
            (std::vector<milliseconds>{milliseconds(50), milliseconds(100), milliseconds(200), milliseconds(400)}));
  // Every attempt carries exactly one Authorization header.
  for (const HttpRequest& sent : transport_->requests()) {
    int count = 0;
    for (const HttpHeader& h : sent.headers) count += HeaderNameEquals(h.name, "Authorization") ? 1 : 0;
    EXPECT_EQ(count, 1);
  }
}

TEST_F(HttpClientTest, GivesUpAfterFiveAttemptsWithUnavailable) {
  for (int i = 0; i < 10; ++i) transport_->Push(S3ErrorResponse(500, "InternalError", "We encountered an error"));
  const Result<HttpResponse> response = MakeClient().Send(Request());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(response.status().message(), "after 5 attempts: 500 InternalError: We encountered an error");
  EXPECT_EQ(transport_->request_count(), 5u);
  EXPECT_EQ(time_.sleeps().size(), 4u);
}

TEST_F(HttpClientTest, NeverRetriesOtherClientErrors) {
  struct Case {
    HttpResponse response;
    StatusCode expected;
  } kCases[] = {
      {S3ErrorResponse(400, "InvalidArgument", "bad"), StatusCode::kInvalidArgument},
      {S3ErrorResponse(403, "AccessDenied", "Access Denied"), StatusCode::kFailedPrecondition},
      {S3ErrorResponse(403, "SignatureDoesNotMatch", "sig"), StatusCode::kFailedPrecondition},
      {S3ErrorResponse(404, "NoSuchKey", "none"), StatusCode::kNotFound},
      {S3ErrorResponse(412, "PreconditionFailed", "exists"), StatusCode::kConflict},
      {S3ErrorResponse(409, "ConditionalRequestConflict", "race"), StatusCode::kConflict},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.response.body);
    transport_ = std::make_shared<FakeTransport>();
    transport_->Push(c.response);
    const Result<HttpResponse> response = MakeClient().Send(Request());
    EXPECT_EQ(response.status().code(), c.expected);
    EXPECT_EQ(transport_->request_count(), 1u);
  }
  EXPECT_TRUE(time_.sleeps().empty());
}

TEST_F(HttpClientTest, NoAttemptStartsAfterTheDeadline) {
  for (int i = 0; i < 10; ++i) transport_->Push(MakeResponse(503));
  const HttpClient client = MakeClient(StoreRetryPolicy(), 0.999);
  // Waits of ~100 and ~200 ms fit in 350 ms; the third (~400 ms) would cross it.
  const auto deadline = client.SteadyNow() + milliseconds(350);
  const Result<HttpResponse> response = client.Send(Request(), deadline);
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(response.status().message().find("time budget"), std::string::npos);
  EXPECT_EQ(transport_->request_count(), 3u);
}

TEST_F(HttpClientTest, SingleAttemptPolicyReportsTheErrorAsIs) {
  transport_->Push(MakeResponse(503));
  const Result<HttpResponse> response = MakeClient(RetryPolicy{.max_attempts = 1}).Send(Request());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(response.status().message(), "503");
}

}  // namespace
}  // namespace ridesweep::aws
