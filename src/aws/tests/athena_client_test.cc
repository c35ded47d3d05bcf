// AthenaClient requests (JSON 1.1, X-Amz-Target) and answer parsing against a scripted transport.
#include "ridesweep/aws/athena_client.h"

#include <gtest/gtest.h>

#include "ridesweep/base/json_parser.h"
#include "tests/fake_transport.h"

namespace ridesweep::aws {
namespace {

using testing::FakeTime;
using testing::FakeTransport;
using testing::MakeResponse;

class AthenaClientTest : public ::testing::Test {
 protected:
  std::unique_ptr<AthenaClient> MakeClient() {
    AthenaClientOptions options;
    options.region = "eu-central-1";
    options.http = time_.Options(StoreRetryPolicy());
    auto client = AthenaClient::Create(std::move(options), {"AKID", "SECRET", "TOKEN"}, transport_);
    EXPECT_TRUE(client.ok());
    return std::move(client).value();
  }
  JsonValue LastBody() const { return ParseJson(transport_->requests().back().body).value(); }

  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  FakeTime time_;
};

TEST_F(AthenaClientTest, StartQueryExecutionSendsContextAndOutput) {
  transport_->Push(MakeResponse(200, R"({"QueryExecutionId":"q-1"})"));
  StartQueryRequest request{.query = "SELECT 1",
                            .database = "ride_sim_analytics",
                            .workgroup = "primary",
                            .output_location = "s3://bucket/athena/",
                            .client_request_token = ""};
  EXPECT_EQ(MakeClient()->StartQueryExecution(request).value(), "q-1");
  const HttpRequest sent = transport_->requests().back();
  EXPECT_EQ(sent.Url(), "https://athena.eu-central-1.amazonaws.com/");
  EXPECT_EQ(*sent.FindHeader("X-Amz-Target"), "AmazonAthena.StartQueryExecution");
  EXPECT_EQ(*sent.FindHeader("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(*sent.FindHeader("X-Amz-Security-Token"), "TOKEN");
  const JsonValue body_value = LastBody();
  const JsonObject& body = body_value.as_object();
  EXPECT_EQ(body.Find("QueryString")->as_string(), "SELECT 1");
  EXPECT_EQ(body.Find("QueryExecutionContext")->as_object().Find("Database")->as_string(), "ride_sim_analytics");
  EXPECT_EQ(body.Find("ResultConfiguration")->as_object().Find("OutputLocation")->as_string(), "s3://bucket/athena/");
  EXPECT_EQ(body.Find("WorkGroup")->as_string(), "primary");
  EXPECT_EQ(body.Find("ClientRequestToken"), nullptr);
}

TEST_F(AthenaClientTest, GetQueryExecutionReadsStateAndReason) {
  transport_->Push(MakeResponse(
      200,
      R"({"QueryExecution":{"QueryExecutionId":"q-1","Status":{"State":"FAILED","StateChangeReason":"SYNTAX_ERROR"}}})"));
  const QueryExecution e = MakeClient()->GetQueryExecution("q-1").value();
  EXPECT_EQ(e.state, QueryState::kFailed);
  EXPECT_EQ(e.state_name, "FAILED");
  EXPECT_EQ(e.state_change_reason, "SYNTAX_ERROR");
  EXPECT_TRUE(e.IsFinal());
  EXPECT_EQ(LastBody().as_object().Find("QueryExecutionId")->as_string(), "q-1");
  EXPECT_EQ(ParseQueryState("RUNNING"), QueryState::kRunning);
  EXPECT_EQ(ParseQueryState("QUEUED"), QueryState::kQueued);
  EXPECT_EQ(ParseQueryState("CANCELLED"), QueryState::kCancelled);
  EXPECT_EQ(ParseQueryState("odd"), QueryState::kUnknown);
}

TEST_F(AthenaClientTest, GetQueryResultsReadsColumnsRowsNullsAndToken) {
  transport_->Push(MakeResponse(200, R"({"ResultSet":{"Rows":[
      {"Data":[{"VarCharValue":"run_id"},{"VarCharValue":"n"}]},
      {"Data":[{"VarCharValue":"demo"},{}]}],
      "ResultSetMetadata":{"ColumnInfo":[{"Name":"run_id","Type":"varchar"},{"Name":"n","Type":"bigint"}]}},
      "NextToken":"next-1"})"));
  const QueryResultsPage page = MakeClient()->GetQueryResults("q-1", "tok", 50).value();
  EXPECT_EQ(page.column_names, (std::vector<std::string>{"run_id", "n"}));
  EXPECT_EQ(page.column_types, (std::vector<std::string>{"varchar", "bigint"}));
  ASSERT_EQ(page.rows.size(), 2u);
  EXPECT_EQ(page.rows[1][0], "demo");
  EXPECT_EQ(page.rows[1][1], std::nullopt);
  EXPECT_EQ(page.next_token, "next-1");
  const JsonValue body_value = LastBody();
  const JsonObject& body = body_value.as_object();
  EXPECT_EQ(body.Find("NextToken")->as_string(), "tok");
  EXPECT_EQ(body.Find("MaxResults")->as_unsigned(), 50u);
  EXPECT_EQ(MakeClient()->GetQueryResults("q", "", 0).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AthenaClientTest, ApiErrorsKeepStatusTypeAndMessage) {
  transport_->Push(MakeResponse(400, R"({"__type":"InvalidRequestException","Message":"line 1:1: bad"})"));
  const Result<std::string> result = MakeClient()->StartQueryExecution({.query = "x"});
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), "400 InvalidRequestException: line 1:1: bad");
}

TEST_F(AthenaClientTest, ThrottlingIsRetried) {
  transport_->Push(MakeResponse(400, R"({"__type":"TooManyRequestsException","Message":"Rate exceeded"})"));
  transport_->Push(MakeResponse(200, "{}"));
  EXPECT_TRUE(MakeClient()->StopQueryExecution("q-1").ok());
  EXPECT_EQ(transport_->request_count(), 2u);
  EXPECT_EQ(*transport_->requests().back().FindHeader("X-Amz-Target"), "AmazonAthena.StopQueryExecution");
}

}  // namespace
}  // namespace ridesweep::aws
