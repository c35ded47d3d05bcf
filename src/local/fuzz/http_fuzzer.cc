// libFuzzer target for the request path of `ridesweep serve` without sockets: bytes as a client would send them
// (pipelined requests, chunked or fixed bodies) go through HttpRequestParser and RouteRequest, with the real
// request validation behind POST /sweep-run. Invariants (__builtin_trap on violation): the parser's findings do
// not depend on how the bytes are split into reads; no body passes the limit; every answer is well-formed HTTP
// with a Content-Length equal to its body; every 4xx/5xx body is a JSON object with string `error` and
// `message`. Crashes and sanitizer reports are findings.
// Build: preset `fuzz`; run with tests/fuzz/corpus/http (scripts/run_fuzzers.sh, docs/fuzzing.md).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/local/http_request_parser.h"
#include "ridesweep/local/http_routing.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/identifiers.h"

namespace {

using ridesweep::local::HttpAnswer;
using ridesweep::local::HttpRequestParser;

// Small, so that bodies over the limit are reachable by data and not only by declared lengths.
constexpr size_t kFuzzBodyLimit = 4096;

void Require(bool condition) {
  if (!condition) __builtin_trap();
}

ridesweep::local::ServerRoutes Routes() {
  ridesweep::local::ServerRoutes routes;
  routes.submit = [](std::string_view body) {
    ridesweep::sweep::IngressConfig config;
    auto validated = ridesweep::sweep::ParseAndValidateRequestBytes(body, config);
    if (!validated.ok()) return HttpAnswer{validated.error().status_code, "application/json", validated.error().Body()};
    return HttpAnswer{202, "application/json", validated->normalized_json};
  };
  routes.run_progress = [](std::string_view run_id) {
    if (!ridesweep::sweep::MatchesRunIdPattern(run_id)) {
      return HttpAnswer{400, "application/json", R"({"error":"validation_error","message":"bad run_id"})"};
    }
    return HttpAnswer{404, "application/json", R"({"error":"not_found","message":"no such run"})"};
  };
  // A route that answers errors in plain text: the router must turn them into JSON.
  routes.run_report = [](std::string_view run_id) {
    if (run_id.size() % 2 == 0) return HttpAnswer{500, "text/plain", std::string(run_id)};
    return HttpAnswer{200, "text/html; charset=utf-8", "<html>" + std::string(run_id) + "</html>"};
  };
  return routes;
}

void CheckAnswer(const HttpAnswer& answer, bool keep_alive) {
  const std::string wire = ridesweep::local::SerializeAnswer(answer, keep_alive);
  Require(wire.starts_with("HTTP/1.1 " + std::to_string(answer.status) + " "));
  const size_t head_end = wire.find("\r\n\r\n");
  Require(head_end != std::string::npos && wire.size() - head_end - 4 == answer.body.size());
  Require(wire.find("\r\nContent-Length: " + std::to_string(answer.body.size()) + "\r\n") < head_end);
  if (answer.status >= 400) {
    Require(answer.content_type == "application/json");
    auto json = ridesweep::ParseJson(answer.body);
    Require(json.ok() && json->is_object());
    const ridesweep::JsonValue* error = json->as_object().Find("error");
    const ridesweep::JsonValue* message = json->as_object().Find("message");
    Require(error != nullptr && error->is_string() && message != nullptr && message->is_string());
  }
}

// What a connection would answer, one line per request or error, from the bytes fed in the given pieces.
std::vector<std::string> Run(std::string_view input, const std::vector<size_t>& pieces,
                             const ridesweep::local::ServerRoutes& routes) {
  std::vector<std::string> outcomes;
  HttpRequestParser parser(kFuzzBodyLimit);
  size_t offset = 0;
  for (size_t piece : pieces) {
    std::string_view chunk = input.substr(offset, piece);
    offset += chunk.size();
    while (!chunk.empty() && parser.state() != HttpRequestParser::State::kError) {
      chunk.remove_prefix(parser.Feed(chunk));
      if (parser.state() != HttpRequestParser::State::kComplete) continue;
      const ridesweep::local::HttpRequest& request = parser.request();
      Require(request.body.size() <= kFuzzBodyLimit);
      const HttpAnswer answer = ridesweep::local::RouteRequest(request, routes);
      CheckAnswer(answer, request.keep_alive);
      std::string line = request.method + " " + request.target + " " + std::to_string(request.headers.size()) + " " +
                         std::to_string(request.keep_alive) + " " + request.body + " -> " +
                         std::to_string(answer.status) + " " + answer.body;
      outcomes.push_back(std::move(line));
      parser.Next();
    }
  }
  parser.FinishInput();
  if (parser.state() == HttpRequestParser::State::kError) {
    const HttpAnswer answer = ridesweep::local::ParseErrorAnswer(parser.error());
    CheckAnswer(answer, false);
    outcomes.push_back("error " + std::to_string(parser.error().status) + " " + parser.error().message);
  }
  return outcomes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte seeds how the rest is split into reads.
  uint32_t state = data[0] * 2654435761u + 1;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<size_t> whole{input.size()};
  std::vector<size_t> split;
  for (size_t covered = 0; covered < input.size();) {
    state = state * 1103515245u + 12345u;
    const size_t piece = 1 + (state >> 16) % 24;
    split.push_back(piece);
    covered += piece;
  }
  static const ridesweep::local::ServerRoutes routes = Routes();
  Require(Run(input, whole, routes) == Run(input, split, routes));
  return 0;
}
