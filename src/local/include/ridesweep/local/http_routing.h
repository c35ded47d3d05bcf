// The request side of `ridesweep serve` without sockets: which route a parsed request goes to, the JSON error
// bodies of everything the server itself refuses (404, 405, 408, 413, 431, 5xx…), and the bytes of an answer on
// the wire. The server feeds it requests from HttpRequestParser; the fuzzer feeds it the same. Pure functions.
#ifndef RIDESWEEP_LOCAL_HTTP_ROUTING_H_
#define RIDESWEEP_LOCAL_HTTP_ROUTING_H_

#include <functional>
#include <string>
#include <string_view>

#include "ridesweep/local/http_request_parser.h"

namespace ridesweep::local {

struct HttpAnswer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// What each route does, injected (the server knows nothing of executors or stores). Called on the server's
// handler threads, several at once.
struct ServerRoutes {
  std::function<HttpAnswer(std::string_view body)> submit;          // POST /sweep-run
  std::function<HttpAnswer(std::string_view run_id)> run_progress;  // GET /runs/{run_id}
  std::function<HttpAnswer(std::string_view run_id)> run_report;    // GET /runs/{run_id}/report (may be empty)
  std::function<HttpAnswer()> list_runs;                            // GET /runs (may be empty)
  std::function<HttpAnswer(std::string_view run_id)> cancel_run;    // DELETE /runs/{run_id} (may be empty)
};

// Routes one request: POST /sweep-run; GET /runs; GET /runs/{run_id}, GET /runs/{run_id}/report and
// DELETE /runs/{run_id} (run_id percent-decoded); any other method on /sweep-run or /runs is 405; anything else 404. A 4xx/5xx answer that a route gave in another
// content type is turned into a JSON error body.
HttpAnswer RouteRequest(const HttpRequest& request, const ServerRoutes& routes);

// {"error":<kind>,"message":<message>} with the status: the body of every error the server answers itself.
// 404, 405 and 413 carry the API's texts; parse errors (400, 431, 501, 505) and timeouts (408) their own.
HttpAnswer ErrorAnswer(int status, std::string_view message);
HttpAnswer ParseErrorAnswer(const HttpParseError& error);

// "HTTP/1.1 <status> <reason>" with Content-Type, Content-Length and Connection headers, then the body.
std::string SerializeAnswer(const HttpAnswer& answer, bool keep_alive);

}  // namespace ridesweep::local

#endif  // RIDESWEEP_LOCAL_HTTP_ROUTING_H_
