// The single mapping from HTTP status and AWS error code to Status (style.md item 16).
#include "ridesweep/aws/aws_error.h"

#include <gtest/gtest.h>

#include "tests/fake_transport.h"

namespace ridesweep::aws {
namespace {

using testing::MakeResponse;
using testing::S3ErrorResponse;

TEST(AwsErrorTest, MapsStatusAndCodeOnce) {
  struct Case {
    long status;  // NOLINT(google-runtime-int)
    std::string code;
    bool transport;
    StatusCode expected;
    bool retryable;
  } kCases[] = {
      {0, "", true, StatusCode::kUnavailable, true},
      {500, "InternalError", false, StatusCode::kUnavailable, true},
      {502, "", false, StatusCode::kUnavailable, true},
      {503, "SlowDown", false, StatusCode::kUnavailable, true},
      {503, "ServiceUnavailable", false, StatusCode::kUnavailable, true},
      {429, "", false, StatusCode::kUnavailable, true},
      {400, "ThrottlingException", false, StatusCode::kUnavailable, true},  // Throttling whatever the status.
      {400, "RequestThrottled", false, StatusCode::kUnavailable, true},
      {400, "RequestTimeout", false, StatusCode::kUnavailable, true},
      {404, "NoSuchKey", false, StatusCode::kNotFound, false},
      {404, "", false, StatusCode::kNotFound, false},
      {409, "ConditionalRequestConflict", false, StatusCode::kConflict, false},
      {412, "PreconditionFailed", false, StatusCode::kConflict, false},
      {403, "AccessDenied", false, StatusCode::kFailedPrecondition, false},
      {403, "SignatureDoesNotMatch", false, StatusCode::kFailedPrecondition, false},
      {401, "", false, StatusCode::kFailedPrecondition, false},
      {301, "PermanentRedirect", false, StatusCode::kFailedPrecondition, false},
      {400, "InvalidRequest", false, StatusCode::kInvalidArgument, false},
      {400, "AWS.SimpleQueueService.NonExistentQueue", false, StatusCode::kInvalidArgument, false},
      {413, "", false, StatusCode::kInvalidArgument, false},
      {400, "InvalidToken", false, StatusCode::kFailedPrecondition, false},  // Credentials, whatever the status.
      {400, "ExpiredTokenException", false, StatusCode::kFailedPrecondition, false},
      {400, "UnrecognizedClientException", false, StatusCode::kFailedPrecondition, false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::to_string(c.status) + " " + c.code);
    const AwsError error{.http_status = c.status, .code = c.code, .message = "m", .transport = c.transport};
    EXPECT_EQ(IsRetryable(error), c.retryable);
    EXPECT_EQ(AwsErrorToStatus(error).code(), c.expected);
  }
}

TEST(AwsErrorTest, DescribesErrorsForOperators) {
  EXPECT_EQ(DescribeAwsError({.http_status = 400, .code = "InvalidRequestException", .message = "bad SQL"}),
            "400 InvalidRequestException: bad SQL");
  EXPECT_EQ(DescribeAwsError({.http_status = 404, .code = "", .message = ""}), "404");
  EXPECT_EQ(DescribeAwsError({.http_status = 0, .code = "", .message = "Connection refused", .transport = true}),
            "transport error: Connection refused");
}

TEST(AwsErrorTest, ParsesS3XmlErrors) {
  const AwsError e = ParseAwsError(S3ErrorResponse(503, "SlowDown", "Reduce your rate"), ErrorFormat::kXml);
  EXPECT_EQ(e.http_status, 503);
  EXPECT_EQ(e.code, "SlowDown");
  EXPECT_EQ(e.message, "Reduce your rate");
  // HEAD answers carry no body; garbage bodies leave code and message empty.
  EXPECT_EQ(ParseAwsError(MakeResponse(404), ErrorFormat::kXml).code, "");
  EXPECT_EQ(ParseAwsError(MakeResponse(500, "<html>oops"), ErrorFormat::kXml).code, "");
  // Query-protocol wrapper.
  EXPECT_EQ(ParseAwsError(MakeResponse(400, "<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>"),
                          ErrorFormat::kXml)
                .code,
            "X");
}

TEST(AwsErrorTest, ParsesJsonErrorsOfSqsAndAthena) {
  const AwsError athena =
      ParseAwsError(MakeResponse(400, R"({"__type":"InvalidRequestException","Message":"line 1:8: mismatched input"})"),
                    ErrorFormat::kJson);
  EXPECT_EQ(athena.code, "InvalidRequestException");
  EXPECT_EQ(athena.message, "line 1:8: mismatched input");
  const AwsError sqs = ParseAwsError(
      MakeResponse(
          400, R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})",
          {{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}}),
      ErrorFormat::kJson);
  EXPECT_EQ(sqs.code, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(sqs.message, "The specified queue does not exist.");
  const AwsError throttled = ParseAwsError(
      MakeResponse(400, R"({"__type":"com.amazonaws.sqs#RequestThrottled","message":"slow"})"), ErrorFormat::kJson);
  EXPECT_EQ(throttled.code, "RequestThrottled");
  EXPECT_TRUE(IsRetryable(throttled));
}

TEST(AwsErrorTest, ReadsXmlErrorsOnJsonProtocolsAndViceVersa) {
  // moto rejects a bad signature with an XML body even on SQS's and Athena's JSON protocols.
  const AwsError xml_on_json = ParseAwsError(
      MakeResponse(403,
                   "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we "
                   "calculated does not match</Message></Error></ErrorResponse>"),
      ErrorFormat::kJson);
  EXPECT_EQ(xml_on_json.code, "SignatureDoesNotMatch");
  const AwsError iam_style = ParseAwsError(
      MakeResponse(403,
                   "<?xml version=\"1.0\"?><ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code>"
                   "<Message>The security token included in the request is invalid.</Message></Error></Errors>"
                   "</ErrorResponse>"),
      ErrorFormat::kJson);
  EXPECT_EQ(iam_style.code, "InvalidClientTokenId");
  EXPECT_EQ(iam_style.message, "The security token included in the request is invalid.");
  const AwsError json_on_xml = ParseAwsError(MakeResponse(503, R"({"__type":"SlowDown"})"), ErrorFormat::kXml);
  EXPECT_EQ(json_on_xml.code, "SlowDown");
}

}  // namespace
}  // namespace ridesweep::aws
