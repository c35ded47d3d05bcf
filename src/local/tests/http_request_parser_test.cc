// HttpRequestParser and RouteRequest on bytes: framing, limits (checked before buffering), pipelining, truncation
// and the JSON error bodies.
#include "ridesweep/local/http_request_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "ridesweep/local/http_routing.h"

namespace ridesweep::local {
namespace {

using State = HttpRequestParser::State;

// Feeds `bytes` one byte at a time; returns the parser's state afterwards.
State FeedByteByByte(HttpRequestParser& parser, std::string_view bytes) {
  for (char c : bytes) {
    if (parser.state() == State::kComplete || parser.state() == State::kError) break;
    EXPECT_EQ(parser.Feed(std::string_view(&c, 1)), 1u);
  }
  return parser.state();
}

TEST(HttpRequestParserTest, FixedBodyWholeOrByteByByte) {
  const std::string raw = "POST /sweep-run HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  HttpRequestParser whole;
  EXPECT_EQ(whole.Feed(raw), raw.size());
  ASSERT_EQ(whole.state(), State::kComplete);
  EXPECT_EQ(whole.request().method, "POST");
  EXPECT_EQ(whole.request().target, "/sweep-run");
  EXPECT_EQ(whole.request().body, "hello");
  EXPECT_EQ(*whole.request().Header("host"), "x");
  EXPECT_TRUE(whole.request().keep_alive);

  HttpRequestParser bytes;
  ASSERT_EQ(FeedByteByByte(bytes, raw), State::kComplete);
  EXPECT_EQ(bytes.request().body, "hello");
}

TEST(HttpRequestParserTest, ChunkedBodyWithExtensionsAndTrailers) {
  const std::string raw =
      "POST /sweep-run HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n3;x=y\r\nabc\r\nA\r\n0123456789\r\n0\r\n"
      "X-T: 1\r\n\r\n";
  HttpRequestParser parser;
  ASSERT_EQ(FeedByteByByte(parser, raw), State::kComplete);
  EXPECT_EQ(parser.request().body, "abc0123456789");
}

TEST(HttpRequestParserTest, ChunkedBodyOverTheLimitFailsBeforeItsBytesArrive) {
  HttpRequestParser parser(/*max_body_bytes=*/10);
  const std::string head = "POST /sweep-run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(parser.Feed(head + "6\r\nabcdef\r\n"), head.size() + 11);
  ASSERT_EQ(parser.state(), State::kPartial);
  // Another 5 would make 11 > 10: refused at the size line, nothing of the chunk is read.
  const std::string more = "5\r\nghijk\r\n0\r\n\r\n";
  EXPECT_EQ(parser.Feed(more), 3u);
  ASSERT_EQ(parser.state(), State::kError);
  EXPECT_EQ(parser.error().status, 413);
  EXPECT_TRUE(parser.request().body.empty());  // Freed with the error.
  // A size beyond 64 bits is a 413 too, not an overflow.
  HttpRequestParser huge(10);
  huge.Feed(head + "fffffffffffffffffffffffff\r\n");
  EXPECT_EQ(huge.error().status, 413);
}

TEST(HttpRequestParserTest, DeclaredLengthOverTheLimitFailsAtTheHeaders) {
  HttpRequestParser parser(10);
  const std::string head = "POST /x HTTP/1.1\r\nContent-Length: 11\r\n\r\n";
  EXPECT_EQ(parser.Feed(head + "01234567890"), head.size());
  EXPECT_EQ(parser.error().status, 413);
  EXPECT_EQ(ParseErrorAnswer(parser.error()).body,
            R"({"error":"payload_too_large","message":"Request body exceeds 10485760 bytes"})");
}

TEST(HttpRequestParserTest, HeadersOverTheLimitAre431) {
  HttpRequestParser parser;
  parser.Feed("GET / HTTP/1.1\r\nX: " + std::string(kMaxHeaderBytes, 'a'));
  EXPECT_EQ(parser.state(), State::kError);
  EXPECT_EQ(parser.error().status, 431);
}

TEST(HttpRequestParserTest, PipelinedRequestsAreReadOneAtATime) {
  const std::string raw = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.0\r\n\r\n";
  HttpRequestParser parser;
  const size_t used = parser.Feed(raw);
  EXPECT_EQ(used, raw.find("GET /b"));
  EXPECT_EQ(parser.request().target, "/a");
  parser.Next();
  EXPECT_EQ(parser.Feed(std::string_view(raw).substr(used)), raw.size() - used);
  ASSERT_EQ(parser.state(), State::kComplete);
  EXPECT_EQ(parser.request().target, "/b");
  EXPECT_FALSE(parser.request().keep_alive);  // HTTP/1.0 default.
}

TEST(HttpRequestParserTest, TruncationIsA400AndIdleCloseIsNothing) {
  HttpRequestParser body;
  body.Feed("POST /x HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc");
  body.FinishInput();
  EXPECT_EQ(body.error().status, 400);
  EXPECT_EQ(body.error().message, "Request truncated: the connection closed before the end of the body");
  HttpRequestParser idle;
  idle.Feed("\r\n");
  idle.FinishInput();
  EXPECT_EQ(idle.state(), State::kIdle);
}

TEST(HttpRequestParserTest, MalformedFraming) {
  for (const std::string raw : {
           "GET /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
           "GET /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
           "POST /x HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
           "GET x HTTP/1.1\r\n\r\n",
           "GET /x HTTP/1.1\r\n folded\r\n\r\n",
           "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
       }) {
    HttpRequestParser parser;
    parser.Feed(raw);
    EXPECT_EQ(parser.state(), State::kError) << raw;
    EXPECT_EQ(parser.error().status, 400) << raw;
  }
  HttpRequestParser gzip;
  gzip.Feed("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
  EXPECT_EQ(gzip.error().status, 501);
}

TEST(HttpRequestParserTest, ExpectContinueIsReportedOnceTheHeadersAreIn) {
  HttpRequestParser parser;
  parser.Feed("POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_TRUE(parser.WantsContinue());
  parser.Feed("{}");
  EXPECT_FALSE(parser.WantsContinue());
  EXPECT_EQ(parser.state(), State::kComplete);
}

ServerRoutes EchoRoutes() {
  ServerRoutes routes;
  routes.submit = [](std::string_view body) { return HttpAnswer{202, "application/json", std::string(body)}; };
  routes.run_progress = [](std::string_view id) { return HttpAnswer{200, "application/json", std::string(id)}; };
  routes.run_report = [](std::string_view id) { return HttpAnswer{500, "text/plain", "boom " + std::string(id)}; };
  routes.list_runs = [] { return HttpAnswer{200, "application/json", "[]"}; };
  routes.cancel_run = [](std::string_view id) { return HttpAnswer{202, "application/json", "cancel " + std::string(id)}; };
  return routes;
}

HttpAnswer Route(std::string method, std::string target, std::string body = "") {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  return RouteRequest(request, EchoRoutes());
}

TEST(HttpRoutingTest, RoutesAndErrors) {
  EXPECT_EQ(Route("POST", "/sweep-run", "{}").status, 202);
  EXPECT_EQ(Route("GET", "/runs/a%2Db?x=1").body, "a-b");
  EXPECT_EQ(Route("GET", "/sweep-run").body, R"({"error":"method_not_allowed","message":"Use POST /sweep-run"})");
  EXPECT_EQ(Route("POST", "/runs/x").body, R"({"error":"not_found","message":"No route for POST /runs/x"})");
  EXPECT_EQ(Route("GET", "/runs/a/b").status, 404);
  EXPECT_EQ(Route("GET", "/runs").body, "[]");
  EXPECT_EQ(Route("GET", "/runs/").body, "[]");
  EXPECT_EQ(Route("POST", "/runs").body, R"({"error":"method_not_allowed","message":"Use GET /runs"})");
  EXPECT_EQ(Route("DELETE", "/runs/a%2Db").body, "cancel a-b");
  EXPECT_EQ(Route("DELETE", "/runs/a/report").status, 404);
  EXPECT_EQ(Route("GET", "/runs/%zz").status, 400);
  // Found by ridesweep_http_fuzzer: a path that is not UTF-8 made the 404 body invalid JSON.
  EXPECT_EQ(Route("PUT", "/swee\xF0-run").body,
            R"({"error":"bad_request","message":"The request path is not valid UTF-8"})");
  EXPECT_EQ(Route("GET", "/runs/%C3").status, 400);
  // A route's plain-text error becomes a JSON body.
  const HttpAnswer report = Route("GET", "/runs/r/report");
  EXPECT_EQ(report.status, 500);
  EXPECT_EQ(report.body, R"({"error":"internal_error","message":"boom r"})");
}

TEST(HttpRoutingTest, SerializedAnswer) {
  EXPECT_EQ(SerializeAnswer(HttpAnswer{404, "application/json", "{}"}, false),
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n"
            "{}");
}

}  // namespace
}  // namespace ridesweep::local
