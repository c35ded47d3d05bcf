// Error parsing and the single HTTP/AWS-error → Status mapping of the aws layer.
#include "ridesweep/aws/aws_error.h"

#include <algorithm>

#include "ridesweep/base/json_parser.h"
#include "xml_reader.h"

namespace ridesweep::aws {
namespace {

// botocore's throttling codes (retryhandler / standard retry mode) plus S3's SlowDown and SQS's spellings.
constexpr std::string_view kThrottlingCodes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "AWS.SimpleQueueService.RequestThrottled",
};

// Transient even when sent with a 4xx status (botocore's transient error codes).
constexpr std::string_view kTransientCodes[] = {
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "ServiceUnavailable",
};

// Credentials or signature rejected, whatever the status code (S3 answers 400 InvalidToken, for one): retrying
// with the same credentials cannot help, so these are permission problems (kFailedPrecondition).
constexpr std::string_view kCredentialCodes[] = {
    "AccessDenied",
    "AccessDeniedException",
    "InvalidAccessKeyId",
    "InvalidClientTokenId",
    "InvalidToken",
    "ExpiredToken",
    "ExpiredTokenException",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
    "MissingAuthenticationToken",
    "IncompleteSignature",
    "AuthFailure",
    "RequestExpired",
    "InvalidSecurity",
};

void ParseXmlBody(std::string_view body, AwsError* error) {
  Result<XmlElement> doc = ParseXml(body);
  if (!doc.ok()) return;
  // S3: <Error>…</Error>; query protocols: <ErrorResponse><Error>…</Error></ErrorResponse>, or with an
  // <Errors> level in between (EC2/IAM style, also what moto answers on authentication failures).
  const XmlElement* node = &doc.value();
  if (node->name != "Error") {
    const XmlElement* errors = node->Child("Errors");
    node = errors != nullptr ? errors->Child("Error") : node->Child("Error");
  }
  if (node == nullptr) return;
  error->code = node->ChildText("Code");
  error->message = node->ChildText("Message");
}

void ParseJsonBody(const HttpResponse& response, AwsError* error) {
  // SQS in JSON mode also names the legacy query-protocol code: "AWS.SimpleQueueService.NonExistentQueue;Sender".
  if (const std::string* query_error = response.FindHeader("x-amzn-query-error")) {
    error->code = query_error->substr(0, query_error->find(';'));
  }
  Result<JsonValue> doc = ParseJson(response.body);
  if (!doc.ok() || !doc->is_object()) {
    if (error->code.empty()) {
      if (const std::string* type = response.FindHeader("x-amzn-ErrorType")) {
        error->code = type->substr(0, type->find(':'));
      }
    }
    return;
  }
  const JsonObject& object = doc->as_object();
  if (error->code.empty()) {
    for (const std::string_view key : {"__type", "code", "Code"}) {
      const JsonValue* type = object.Find(key);
      if (type != nullptr && type->is_string()) {
        const std::string& text = type->as_string();
        const size_t hash = text.rfind('#');
        error->code = hash == std::string::npos ? text : text.substr(hash + 1);
        break;
      }
    }
  }
  for (const std::string_view key : {"message", "Message", "errorMessage"}) {
    const JsonValue* message = object.Find(key);
    if (message != nullptr && message->is_string()) {
      error->message = message->as_string();
      break;
    }
  }
}

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view code) {
  return std::find(std::begin(list), std::end(list), code) != std::end(list);
}

}  // namespace

AwsError ParseAwsError(const HttpResponse& response, ErrorFormat format) {
  AwsError error;
  error.http_status = response.status;
  // Answers from proxies, gateways and emulators do not always follow the service's protocol (moto, for one,
  // rejects bad signatures with an XML body on every protocol), so the body's first character decides.
  const size_t first = response.body.find_first_not_of(" \t\r\n");
  const bool looks_xml = first != std::string::npos && response.body[first] == '<';
  const bool looks_json = first != std::string::npos && response.body[first] == '{';
  if (looks_xml || (format == ErrorFormat::kXml && !looks_json)) {
    ParseXmlBody(response.body, &error);
    if (format == ErrorFormat::kJson && error.code.empty()) ParseJsonBody(response, &error);
  } else {
    ParseJsonBody(response, &error);
  }
  return error;
}

bool IsThrottlingCode(std::string_view code) { return Contains(kThrottlingCodes, code); }

bool IsRetryable(const AwsError& error) {
  if (error.transport) return true;
  if (IsThrottlingCode(error.code) || Contains(kTransientCodes, error.code)) return true;
  return error.http_status == 429 || (error.http_status >= 500 && error.http_status <= 599);
}

std::string DescribeAwsError(const AwsError& error) {
  if (error.transport) return "transport error: " + error.message;
  std::string out = std::to_string(error.http_status);
  if (!error.code.empty()) out += " " + error.code;
  if (!error.message.empty()) out += (error.code.empty() ? " " : ": ") + error.message;
  return out;
}

Status AwsErrorToStatus(const AwsError& error) {
  std::string text = DescribeAwsError(error);
  if (IsRetryable(error)) return UnavailableError(std::move(text));
  const long status = error.http_status;  // NOLINT(google-runtime-int)
  if (status == 404) return NotFoundError(std::move(text));
  if (status == 409 || status == 412) return ConflictError(std::move(text));
  if (status == 401 || status == 403 || Contains(kCredentialCodes, error.code)) {
    return FailedPreconditionError(std::move(text));
  }
  if (status >= 300 && status <= 399) return FailedPreconditionError(std::move(text));
  if (status >= 400 && status <= 499) return InvalidArgumentError(std::move(text));
  return InternalError("unexpected HTTP answer: " + std::move(text));
}

}  // namespace ridesweep::aws
