// AwsError is what an AWS (or S3-compatible) endpoint said when a request failed, and the one place where such
// an answer becomes a Status (style.md item 16): throttling, 5xx and transport failures are retryable and end as
// kUnavailable once retries are exhausted; 404 is kNotFound; 409 and 412 are kConflict; 401/403 are
// kFailedPrecondition (credentials or permissions: retrying cannot help); 3xx (wrong region or endpoint) is
// kFailedPrecondition; any other 4xx is kInvalidArgument. Messages read "<HTTP status> <code>: <message>"
// (or "transport error: …"), which callers prefix with what they were doing. Pure functions.
#ifndef RIDESWEEP_AWS_AWS_ERROR_H_
#define RIDESWEEP_AWS_AWS_ERROR_H_

#include <string>
#include <string_view>

#include "ridesweep/aws/http_message.h"
#include "ridesweep/base/status.h"

namespace ridesweep::aws {

// How a service reports errors in a response body.
enum class ErrorFormat : uint8_t {
  kXml,   // S3 REST: <Error><Code>…</Code><Message>…</Message></Error> (HEAD answers carry no body).
  kJson,  // JSON 1.0/1.1 (SQS, Athena): {"__type": "prefix#Code", "message": …}; SQS also sends
          // x-amzn-query-error: "AWS.SimpleQueueService.Code;Sender".
};

struct AwsError {
  long http_status = 0;   // NOLINT(google-runtime-int): 0 for a transport failure.
  std::string code = {};  // "SlowDown", "AccessDenied", "ThrottlingException", … (may be empty).
  std::string message = {};
  bool transport = false;  // No HTTP answer: connection refused or reset, timeout, TLS failure.
};

// Reads the error code and message of a non-2xx response. Never fails: an unparsable body leaves them empty.
AwsError ParseAwsError(const HttpResponse& response, ErrorFormat format);

// Error codes that mean "slow down", whatever the HTTP status (botocore's throttling list).
bool IsThrottlingCode(std::string_view code);
// Worth another attempt: transport failures, throttling codes, HTTP 429 and every 5xx.
bool IsRetryable(const AwsError& error);
// "<status> <code>: <message>", "<status> <code>", "<status>" or "transport error: <message>".
std::string DescribeAwsError(const AwsError& error);
// The mapping above. Retryable errors give kUnavailable.
Status AwsErrorToStatus(const AwsError& error);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_AWS_ERROR_H_
