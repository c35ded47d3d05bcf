// S3Store's requests and answer handling against a scripted transport (the wire contract with a real
// S3-compatible server is exercised by tests/aws against moto).
#include "ridesweep/aws/s3_store.h"

#include <gtest/gtest.h>

#include "tests/fake_transport.h"

namespace ridesweep::aws {
namespace {

using testing::FakeTime;
using testing::FakeTransport;
using testing::MakeResponse;
using testing::S3ErrorResponse;

class S3StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<S3Store> MakeStore(std::optional<std::string> endpoint = "http://127.0.0.1:9000",
                                     int page_size = 1000) {
    S3StoreOptions options;
    options.bucket = "results";
    options.region = "eu-west-1";
    options.endpoint_url = std::move(endpoint);
    options.list_page_size = page_size;
    options.http = time_.Options(StoreRetryPolicy());
    Result<std::unique_ptr<S3Store>> store = S3Store::Create(std::move(options), {"AKID", "SECRET", ""}, transport_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(store).value();
  }
  HttpRequest Last() const { return transport_->requests().back(); }

  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  FakeTime time_;
};

TEST_F(S3StoreTest, PutSendsPathStyleRequestWithContentTypeAndEncodedKey) {
  transport_->Push(MakeResponse(200));
  ASSERT_TRUE(MakeStore()->Put("runs/run_id=r 1/manifest.json", "{}", "application/json").ok());
  const HttpRequest sent = Last();
  EXPECT_EQ(sent.method, "PUT");
  EXPECT_EQ(sent.Url(), "http://127.0.0.1:9000/results/runs/run_id%3Dr%201/manifest.json");
  EXPECT_EQ(*sent.FindHeader("Content-Type"), "application/json");
  EXPECT_EQ(sent.FindHeader("If-None-Match"), nullptr);
  EXPECT_EQ(sent.body, "{}");
  EXPECT_NE(sent.FindHeader("Authorization")->find("/eu-west-1/s3/aws4_request"), std::string::npos);
}

TEST_F(S3StoreTest, VirtualHostedOnAwsByDefault) {
  transport_->Push(MakeResponse(200, "bytes"));
  EXPECT_EQ(MakeStore(std::nullopt)->Get("a/b.parquet").value(), "bytes");
  EXPECT_EQ(Last().Url(), "https://results.s3.eu-west-1.amazonaws.com/a/b.parquet");
}

TEST_F(S3StoreTest, PutIfAbsentSendsIfNoneMatchAndMaps412ToConflict) {
  transport_->Push(S3ErrorResponse(412, "PreconditionFailed", "At least one of the pre-conditions did not hold"));
  const Status status = MakeStore()->PutIfAbsent("m.json", "v2", "");
  EXPECT_EQ(status.code(), StatusCode::kConflict);
  EXPECT_EQ(*Last().FindHeader("If-None-Match"), "*");
  EXPECT_EQ(*Last().FindHeader("Content-Type"), "application/octet-stream");
  EXPECT_EQ(transport_->request_count(), 1u);  // Never retried.
}

TEST_F(S3StoreTest, GetOfAnAbsentKeyIsNotFoundNamingTheKey) {
  transport_->Push(S3ErrorResponse(404, "NoSuchKey", "The specified key does not exist."));
  const Result<std::string> result = MakeStore()->Get("runs/run_id=x/manifest.json");
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_NE(result.status().message().find("runs/run_id=x/manifest.json"), std::string::npos);
}

TEST_F(S3StoreTest, HeadReportsSizeOrAbsence) {
  transport_->Push(MakeResponse(200, "", {{"Content-Length", "1234"}, {"ETag", "\"x\""}}));
  transport_->Push(MakeResponse(404));
  auto store = MakeStore();
  EXPECT_EQ(store->Head("k").value(), (ObjectInfo{.exists = true, .size = 1234}));
  EXPECT_EQ(Last().method, "HEAD");
  EXPECT_EQ(store->Head("k").value(), ObjectInfo{});
}

TEST_F(S3StoreTest, DeleteOfAnAbsentKeyIsOk) {
  transport_->Push(MakeResponse(204));
  transport_->Push(MakeResponse(404));
  auto store = MakeStore();
  EXPECT_TRUE(store->Delete("k").ok());
  EXPECT_TRUE(store->Delete("k").ok());
  EXPECT_EQ(Last().method, "DELETE");
}

TEST_F(S3StoreTest, AccessDeniedIsAPermanentPermissionError) {
  transport_->Push(S3ErrorResponse(403, "AccessDenied", "Access Denied"));
  const Status status = MakeStore()->Delete("dataset=shard_metrics/x");
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "S3 DeleteObject 'dataset=shard_metrics/x': 403 AccessDenied: Access Denied");
}

TEST_F(S3StoreTest, RetriesSlowDownUpToFiveAttempts) {
  for (int i = 0; i < 4; ++i) transport_->Push(S3ErrorResponse(503, "SlowDown", "Please reduce your request rate."));
  transport_->Push(MakeResponse(200));
  EXPECT_TRUE(MakeStore()->Put("k", "v", "").ok());
  EXPECT_EQ(transport_->request_count(), 5u);
  for (int i = 0; i < 5; ++i) transport_->Push(S3ErrorResponse(503, "SlowDown", "slow"));
  const Status status = MakeStore()->Put("k", "v", "");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(transport_->request_count(), 10u);
}

std::string ListPage(const std::vector<std::string>& keys, const std::string& next_token) {
  std::string xml = "<?xml version=\"1.0\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  xml += "<Name>results</Name><IsTruncated>" + std::string(next_token.empty() ? "false" : "true") + "</IsTruncated>";
  if (!next_token.empty()) xml += "<NextContinuationToken>" + next_token + "</NextContinuationToken>";
  for (const std::string& key : keys) xml += "<Contents><Key>" + key + "</Key><Size>1</Size></Contents>";
  return xml + "</ListBucketResult>";
}

TEST_F(S3StoreTest, ListFollowsContinuationTokensAndSorts) {
  transport_->Push(MakeResponse(200, ListPage({"p/b", "p/c"}, "tok+1/=")));
  transport_->Push(MakeResponse(200, ListPage({"p/a&amp;z"}, "")));
  const Result<std::vector<std::string>> keys = MakeStore(std::string("http://127.0.0.1:9000"), 2)->List("p/");
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(keys.value(), (std::vector<std::string>{"p/a&z", "p/b", "p/c"}));
  const std::vector<HttpRequest> sent = transport_->requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].Url(), "http://127.0.0.1:9000/results?list-type=2&max-keys=2&prefix=p%2F");
  EXPECT_EQ(sent[1].Url(),
            "http://127.0.0.1:9000/results?list-type=2&max-keys=2&prefix=p%2F&continuation-token=tok%2B1%2F%3D");
}

TEST_F(S3StoreTest, ListRejectsATruncatedPageWithoutToken) {
  std::string page = ListPage({"a"}, "x");
  page.replace(page.find("<NextContinuationToken>x</NextContinuationToken>"),
               std::string("<NextContinuationToken>x</NextContinuationToken>").size(), "");
  transport_->Push(MakeResponse(200, page));
  EXPECT_EQ(MakeStore()->List("").status().code(), StatusCode::kInternal);
}

TEST_F(S3StoreTest, InvalidKeysFailBeforeAnythingIsSent) {
  auto store = MakeStore();
  EXPECT_EQ(store->Put("/absolute", "v", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Get("a/../b").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(transport_->request_count(), 0u);
}

TEST_F(S3StoreTest, CreateValidatesOptions) {
  S3StoreOptions options;
  options.region = "us-east-1";
  EXPECT_EQ(S3Store::Create(options, {}, transport_).status().code(), StatusCode::kInvalidArgument);
  options.bucket = "b";
  options.endpoint_url = "localhost:9000";
  EXPECT_EQ(S3Store::Create(options, {}, transport_).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ridesweep::aws
