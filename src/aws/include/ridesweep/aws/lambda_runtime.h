// The Lambda Runtime API client and invocation loop of a custom runtime (provided.al2023, spec/sweep.md §6):
// `GET /2018-06-01/runtime/invocation/next` (a long poll, so no request timeout) gives the event and its request
// id, deadline, trace id and function ARN; the handler's answer goes to `…/invocation/{id}/response`, or to
// `…/invocation/{id}/error` as {"errorMessage","errorType","stackTrace":[]} with the
// Lambda-Runtime-Function-Error-Type header; failures before the loop go to `/runtime/init/error`. The loop has
// one top-level catch per invocation, so no exception ends the process, and backs off when `next` fails. Plain
// HTTP to the local endpoint named by AWS_LAMBDA_RUNTIME_API through an HttpTransport (CurlTransport in Lambda).
// Single-threaded: one loop per process.
#ifndef RIDESWEEP_AWS_LAMBDA_RUNTIME_H_
#define RIDESWEEP_AWS_LAMBDA_RUNTIME_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/aws/curl_transport.h"
#include "ridesweep/aws/http_transport.h"
#include "ridesweep/base/result.h"
#include "ridesweep/base/status.h"

namespace ridesweep::aws {

// DO NOT CHANGE: names fixed by the Lambda Runtime API (version 2018-06-01).
namespace lambda {
inline constexpr std::string_view kRuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";
inline constexpr std::string_view kTraceIdVariable = "_X_AMZN_TRACE_ID";
inline constexpr std::string_view kRequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
inline constexpr std::string_view kDeadlineHeader = "Lambda-Runtime-Deadline-Ms";
inline constexpr std::string_view kFunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
inline constexpr std::string_view kTraceIdHeader = "Lambda-Runtime-Trace-Id";
inline constexpr std::string_view kErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
inline constexpr std::string_view kApiVersionPath = "/2018-06-01/runtime";
// errorType of an invocation whose handler threw (the loop's catch).
inline constexpr std::string_view kUnhandledErrorType = "Runtime.UnhandledException";
}  // namespace lambda

// One event as delivered by `next`.
struct LambdaInvocation {
  std::string request_id;
  // Lambda-Runtime-Deadline-Ms (Unix epoch milliseconds); nullopt when absent or not a number.
  std::optional<std::chrono::system_clock::time_point> deadline;
  std::string invoked_function_arn;
  std::string trace_id;
  std::string event;  // The event JSON, as received.
};

// What a handler returns: a response payload, or an invocation error.
struct LambdaOutcome {
  bool is_error = false;
  std::string payload;  // Response body (when !is_error).
  std::string error_type;
  std::string error_message;

  static LambdaOutcome Response(std::string payload);
  static LambdaOutcome Error(std::string error_type, std::string error_message);
};

using LambdaHandler = std::function<LambdaOutcome(const LambdaInvocation&)>;

// {"errorMessage":…,"errorType":…,"stackTrace":[]} (the body of /error and /init/error).
std::string LambdaErrorBody(std::string_view error_type, std::string_view error_message);

// The transport options the runtime client needs: no total timeout (`next` blocks until an event arrives, for as
// long as the environment stays frozen), a short connect timeout (the endpoint is local).
CurlTransportOptions RuntimeApiTransportOptions();

class LambdaRuntimeClient {
 public:
  // `endpoint` is the value of AWS_LAMBDA_RUNTIME_API ("host:port"); the transport must not time out long polls.
  LambdaRuntimeClient(std::string endpoint, std::shared_ptr<HttpTransport> transport);

  // A client on a CurlTransport with RuntimeApiTransportOptions().
  static LambdaRuntimeClient WithCurl(std::string endpoint);

  // The next invocation. kUnavailable when the request failed, returned a non-200 status, or lacked a request id.
  Result<LambdaInvocation> Next();
  // kUnavailable on transport failures or a non-2xx answer (e.g. 413 for a response above 6 MB).
  Status PostResponse(std::string_view request_id, std::string payload);
  Status PostError(std::string_view request_id, std::string_view error_type, std::string_view error_message);
  Status PostInitError(std::string_view error_type, std::string_view error_message);

  const std::string& endpoint() const { return endpoint_; }

 private:
  Result<HttpResponse> Post(std::string path, std::string body, std::string_view error_type);

  std::string endpoint_;
  std::shared_ptr<HttpTransport> transport_;
};

struct LambdaLoopOptions {
  // Checked before every `next`; the loop returns once it says true. Empty: run forever (Lambda freezes or kills
  // the process; it never returns in production).
  std::function<bool()> should_stop;
  // Backoff after a failed `next`: initial, doubling, capped; reset after a success.
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{5'000};
  // Seam for tests; default std::this_thread::sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
  // Told about Runtime API failures (next, response or error posts). May be empty.
  std::function<void(std::string_view operation, const Status& status)> on_runtime_error;
  // Sets (or clears) _X_AMZN_TRACE_ID from Lambda-Runtime-Trace-Id before each handler call.
  bool export_trace_id = true;
};

// next → handler → response/error, until should_stop. A handler that throws becomes an invocation error
// (kUnhandledErrorType with the exception's text). Returns the number of invocations handled.
uint64_t RunLambdaLoop(LambdaRuntimeClient& client, const LambdaHandler& handler, const LambdaLoopOptions& options);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_LAMBDA_RUNTIME_H_
