// Routing, error bodies and response bytes of `ridesweep serve` (http_routing.h).
#include "ridesweep/local/http_routing.h"

#include <optional>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/responses.h"

namespace ridesweep::local {
namespace {

std::string_view Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return status < 400 ? "OK" : "Error";
  }
}

std::string_view ErrorKind(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 404: return sweep::kErrorNotFound;
    case 405: return sweep::kErrorMethodNotAllowed;
    case 408: return "request_timeout";
    case 413: return sweep::kErrorPayloadTooLarge;
    case 431: return "headers_too_large";
    case 501: return "not_implemented";
    case 503: return "unavailable";
    case 505: return "http_version_not_supported";
    default: return status < 500 ? "bad_request" : sweep::kErrorInternal;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The path of an origin-form target, query removed and %XX decoded; nullopt for a bad escape.
std::optional<std::string> DecodedPath(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::string out;
  out.reserve(target.size());
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] != '%') {
      out += target[i];
      continue;
    }
    if (i + 2 >= target.size() || HexValue(target[i + 1]) < 0 || HexValue(target[i + 2]) < 0) return std::nullopt;
    out += static_cast<char>(HexValue(target[i + 1]) * 16 + HexValue(target[i + 2]));
    i += 2;
  }
  return out;
}

// Whether `text` is valid UTF-8 by the rules of our JSON reader (a JSON body must be, and paths end up in them).
bool IsValidUtf8(std::string_view text) {
  return ParseJson(ToCanonicalJson(JsonValue::String(std::string(text)))).ok();
}

HttpAnswer FromApiError(const sweep::ApiError& error) {
  return HttpAnswer{error.status_code, "application/json", error.Body()};
}

}  // namespace

HttpAnswer ErrorAnswer(int status, std::string_view message) {
  if (status == 413) return FromApiError(sweep::MakePayloadTooLargeError());
  sweep::ApiError error;
  error.status_code = status;
  error.error = std::string(ErrorKind(status));
  error.message = std::string(message);
  return FromApiError(error);
}

HttpAnswer ParseErrorAnswer(const HttpParseError& error) { return ErrorAnswer(error.status, error.message); }

HttpAnswer RouteRequest(const HttpRequest& request, const ServerRoutes& routes) {
  const std::optional<std::string> decoded = DecodedPath(request.target);
  if (!decoded.has_value()) return ErrorAnswer(400, "Malformed percent-encoding in the request path");
  const std::string& path = *decoded;
  if (!IsValidUtf8(path)) return ErrorAnswer(400, "The request path is not valid UTF-8");
  const auto not_found = [&] { return FromApiError(sweep::MakeNotFoundError(request.method, path)); };
  HttpAnswer answer;
  constexpr std::string_view kRuns = "/runs/";
  constexpr std::string_view kReport = "/report";
  if (path == "/sweep-run") {
    if (request.method != "POST") return FromApiError(sweep::MakeMethodNotAllowedError());
    answer = routes.submit(request.body);
  } else if (path == "/runs" || path == kRuns) {
    if (request.method != "GET") return ErrorAnswer(405, "Use GET /runs");
    if (!routes.list_runs) return not_found();
    answer = routes.list_runs();
  } else if (path.starts_with(kRuns) && request.method == "DELETE") {
    const std::string_view rest = std::string_view(path).substr(kRuns.size());
    if (rest.empty() || rest.find('/') != std::string_view::npos || !routes.cancel_run) return not_found();
    answer = routes.cancel_run(rest);
  } else if (path.starts_with(kRuns) && request.method == "GET") {
    std::string_view rest = std::string_view(path).substr(kRuns.size());
    const bool report = rest.ends_with(kReport);
    if (report) rest.remove_suffix(kReport.size());
    if (rest.empty() || rest.find('/') != std::string_view::npos) return not_found();
    if (!report) {
      answer = routes.run_progress(rest);
    } else if (routes.run_report) {
      answer = routes.run_report(rest);
    } else {
      return not_found();
    }
  } else {
    return not_found();
  }
  if (answer.status >= 400 && answer.content_type != "application/json") {
    return ErrorAnswer(answer.status, answer.body.substr(0, 1024));
  }
  return answer;
}

std::string SerializeAnswer(const HttpAnswer& answer, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(answer.status) + " " + std::string(Reason(answer.status)) +
                    "\r\nContent-Type: " + answer.content_type +
                    "\r\nContent-Length: " + std::to_string(answer.body.size()) +
                    (keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
  out += answer.body;
  return out;
}

}  // namespace ridesweep::local
