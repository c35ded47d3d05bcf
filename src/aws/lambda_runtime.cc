// Lambda Runtime API client and the invocation loop.
#include "ridesweep/aws/lambda_runtime.h"

#include <stdlib.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <thread>
#include <utility>

#include "ridesweep/aws/uri_encode.h"
#include "ridesweep/base/exception_text.h"
#include "ridesweep/base/json_writer.h"

namespace ridesweep::aws {
namespace {

// "http://127.0.0.1:9001/" → "127.0.0.1:9001" (AWS_LAMBDA_RUNTIME_API is normally the bare "host:port").
std::string StripScheme(std::string_view endpoint) {
  constexpr std::string_view kHttp = "http://";
  if (endpoint.starts_with(kHttp)) endpoint.remove_prefix(kHttp.size());
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.remove_suffix(1);
  return std::string(endpoint);
}

std::string HeaderOr(const HttpResponse& response, std::string_view name) {
  const std::string* value = response.FindHeader(name);
  return value != nullptr ? *value : std::string();
}

std::optional<std::chrono::system_clock::time_point> ParseDeadline(const std::string& text) {
  int64_t ms = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, ms);
  if (text.empty() || ec != std::errc() || ptr != end || ms <= 0) return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

std::string InvocationPath(std::string_view request_id, std::string_view leaf) {
  std::string path(lambda::kApiVersionPath);
  path += "/invocation/";
  path += UriEncode(request_id);
  path += '/';
  path += leaf;
  return path;
}


void ExportTraceId(const std::string& trace_id) {
  const std::string name(lambda::kTraceIdVariable);
  if (trace_id.empty()) {
    unsetenv(name.c_str());
  } else {
    setenv(name.c_str(), trace_id.c_str(), 1);
  }
}

}  // namespace

LambdaOutcome LambdaOutcome::Response(std::string payload) {
  LambdaOutcome out;
  out.payload = std::move(payload);
  return out;
}

LambdaOutcome LambdaOutcome::Error(std::string error_type, std::string error_message) {
  LambdaOutcome out;
  out.is_error = true;
  out.error_type = std::move(error_type);
  out.error_message = std::move(error_message);
  return out;
}

std::string LambdaErrorBody(std::string_view error_type, std::string_view error_message) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("errorMessage").String(error_message).Key("errorType").String(error_type);
  w.Key("stackTrace").BeginArray().EndArray().EndObject();
  return out;
}

CurlTransportOptions RuntimeApiTransportOptions() {
  CurlTransportOptions options;
  options.connect_timeout = std::chrono::milliseconds(2'000);
  options.request_timeout = std::chrono::milliseconds(0);  // libcurl: 0 = no timeout (long poll)
  return options;
}

LambdaRuntimeClient::LambdaRuntimeClient(std::string endpoint, std::shared_ptr<HttpTransport> transport)
    : endpoint_(StripScheme(std::move(endpoint))), transport_(std::move(transport)) {}

LambdaRuntimeClient LambdaRuntimeClient::WithCurl(std::string endpoint) {
  return LambdaRuntimeClient(std::move(endpoint), std::make_shared<CurlTransport>(RuntimeApiTransportOptions()));
}

Result<LambdaInvocation> LambdaRuntimeClient::Next() {
  HttpRequest request;
  request.method = "GET";
  request.scheme = "http";
  request.host = endpoint_;
  request.path = std::string(lambda::kApiVersionPath) + "/invocation/next";
  RIDESWEEP_ASSIGN_OR_RETURN(HttpResponse response, transport_->Send(request));
  if (response.status != 200) {
    return UnavailableError("runtime API next invocation answered HTTP " + std::to_string(response.status) + ": " +
                            response.body.substr(0, 256));
  }
  LambdaInvocation invocation;
  invocation.request_id = HeaderOr(response, lambda::kRequestIdHeader);
  if (invocation.request_id.empty()) {
    return UnavailableError("runtime API next invocation lacks the " + std::string(lambda::kRequestIdHeader) +
                            " header");
  }
  invocation.deadline = ParseDeadline(HeaderOr(response, lambda::kDeadlineHeader));
  invocation.invoked_function_arn = HeaderOr(response, lambda::kFunctionArnHeader);
  invocation.trace_id = HeaderOr(response, lambda::kTraceIdHeader);
  invocation.event = std::move(response.body);
  return invocation;
}

Result<HttpResponse> LambdaRuntimeClient::Post(std::string path, std::string body, std::string_view error_type) {
  HttpRequest request;
  request.method = "POST";
  request.scheme = "http";
  request.host = endpoint_;
  request.path = std::move(path);
  request.headers.push_back({"Content-Type", "application/json"});
  if (!error_type.empty()) request.headers.push_back({std::string(lambda::kErrorTypeHeader), std::string(error_type)});
  request.body = std::move(body);
  RIDESWEEP_ASSIGN_OR_RETURN(HttpResponse response, transport_->Send(request));
  if (response.status < 200 || response.status > 299) {
    return UnavailableError("runtime API " + request.path + " answered HTTP " + std::to_string(response.status) +
                            ": " + response.body.substr(0, 256));
  }
  return response;
}

Status LambdaRuntimeClient::PostResponse(std::string_view request_id, std::string payload) {
  return Post(InvocationPath(request_id, "response"), std::move(payload), {}).status();
}

Status LambdaRuntimeClient::PostError(std::string_view request_id, std::string_view error_type,
                                      std::string_view error_message) {
  return Post(InvocationPath(request_id, "error"), LambdaErrorBody(error_type, error_message), error_type).status();
}

Status LambdaRuntimeClient::PostInitError(std::string_view error_type, std::string_view error_message) {
  return Post(std::string(lambda::kApiVersionPath) + "/init/error", LambdaErrorBody(error_type, error_message),
              error_type)
      .status();
}

uint64_t RunLambdaLoop(LambdaRuntimeClient& client, const LambdaHandler& handler, const LambdaLoopOptions& options) {
  auto sleep = [&](std::chrono::milliseconds d) {
    if (options.sleep) {
      options.sleep(d);
    } else {
      std::this_thread::sleep_for(d);
    }
  };
  auto report = [&](std::string_view operation, const Status& status) {
    if (options.on_runtime_error && !status.ok()) options.on_runtime_error(operation, status);
  };

  uint64_t handled = 0;
  std::chrono::milliseconds backoff = options.initial_backoff;
  while (!(options.should_stop && options.should_stop())) {
    Result<LambdaInvocation> next = client.Next();
    if (!next.ok()) {
      report("next", next.status());
      sleep(backoff);
      backoff = std::min(backoff * 2, options.max_backoff);
      continue;
    }
    backoff = options.initial_backoff;
    const LambdaInvocation& invocation = *next;
    if (options.export_trace_id) ExportTraceId(invocation.trace_id);

    // The one top-level catch of this invocation: nothing a handler throws ends the process.
    LambdaOutcome outcome;
    try {
      outcome = handler(invocation);
    } catch (...) {
      outcome = LambdaOutcome::Error(std::string(lambda::kUnhandledErrorType), CurrentExceptionText());
    }
    ++handled;
    if (outcome.is_error) {
      report("error", client.PostError(invocation.request_id, outcome.error_type, outcome.error_message));
    } else {
      report("response", client.PostResponse(invocation.request_id, std::move(outcome.payload)));
    }
  }
  return handled;
}

}  // namespace ridesweep::aws
