// The Lambda Runtime API client and loop against a small in-process HTTP server (cpp-httplib) that plays the
// Runtime API over real HTTP through the real CurlTransport: next-invocation headers, response and error posts,
// init errors, the per-invocation catch, backoff when `next` fails, and a long poll that outlasts any default
// timeout.
#include "ridesweep/aws/lambda_runtime.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "ridesweep/base/json_parser.h"

namespace ridesweep::aws {
namespace {

using std::chrono::milliseconds;

struct QueuedEvent {
  std::string request_id;
  std::string body;
  std::string deadline_ms = "1771063902123";
  std::string trace_id = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  int status = 200;  // 500: the runtime API fails this `next`
  milliseconds delay{0};
};

struct Posted {
  std::string request_id;  // empty for init errors
  std::string kind;        // response | error | init_error
  std::string body;
  std::string error_type_header;
  std::string content_type;
};

// Plays the Runtime API: `next` hands out queued events in order (HTTP 500 entries simulate failures).
class FakeRuntimeApi {
 public:
  FakeRuntimeApi() {
    server_.Get("/2018-06-01/runtime/invocation/next", [this](const httplib::Request&, httplib::Response& res) {
      QueuedEvent event;
      {
        std::lock_guard lock(mu_);
        ++next_calls_;
        if (events_.empty()) {
          res.status = 500;
          res.set_content(R"({"errorMessage":"no more events"})", "application/json");
          return;
        }
        event = events_.front();
        events_.pop_front();
      }
      if (event.delay.count() > 0) std::this_thread::sleep_for(event.delay);
      res.status = event.status;
      if (event.status == 200) {
        if (!event.request_id.empty()) res.set_header("Lambda-Runtime-Aws-Request-Id", event.request_id);
        res.set_header("Lambda-Runtime-Deadline-Ms", event.deadline_ms);
        res.set_header("Lambda-Runtime-Invoked-Function-Arn",
                       "arn:aws:lambda:us-east-1:000000000000:function:ridesweep-runtime");
        res.set_header("Lambda-Runtime-Trace-Id", event.trace_id);
      }
      res.set_content(event.body, "application/json");
    });
    server_.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/(response|error))",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   Record({req.matches[1], req.matches[2], req.body,
                           req.get_header_value("Lambda-Runtime-Function-Error-Type"),
                           req.get_header_value("Content-Type")});
                   res.status = 202;
                   res.set_content(R"({"status":"OK"})", "application/json");
                 });
    server_.Post("/2018-06-01/runtime/init/error", [this](const httplib::Request& req, httplib::Response& res) {
      Record({"", "init_error", req.body, req.get_header_value("Lambda-Runtime-Function-Error-Type"),
              req.get_header_value("Content-Type")});
      res.status = 202;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeRuntimeApi() {
    server_.stop();
    thread_.join();
  }

  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }
  void Queue(QueuedEvent event) {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(event));
  }
  std::vector<Posted> posted() const {
    std::lock_guard lock(mu_);
    return posted_;
  }
  size_t posted_count() const {
    std::lock_guard lock(mu_);
    return posted_.size();
  }
  int next_calls() const {
    std::lock_guard lock(mu_);
    return next_calls_;
  }

 private:
  void Record(Posted p) {
    std::lock_guard lock(mu_);
    posted_.push_back(std::move(p));
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::deque<QueuedEvent> events_;
  std::vector<Posted> posted_;
  int next_calls_ = 0;
};

JsonObject ParseObject(const std::string& text) {
  Result<JsonValue> v = ParseJson(text);
  EXPECT_TRUE(v.ok() && v->is_object()) << text;
  return v.ok() && v->is_object() ? v->as_object() : JsonObject();
}

TEST(LambdaRuntimeTest, ErrorBodyHasTheRuntimeApiShape) {
  EXPECT_EQ(LambdaErrorBody("Misconfiguration", "SWEEP_RESULTS_BUCKET must be configured"),
            R"({"errorMessage":"SWEEP_RESULTS_BUCKET must be configured","errorType":"Misconfiguration",)"
            R"("stackTrace":[]})");
  EXPECT_EQ(LambdaErrorBody("T", "a \"quoted\"\nline"), R"({"errorMessage":"a \"quoted\"\nline","errorType":"T","stackTrace":[]})");
}

TEST(LambdaRuntimeTest, TheRuntimeTransportNeverTimesOutALongPoll) {
  EXPECT_EQ(RuntimeApiTransportOptions().request_timeout.count(), 0);
  EXPECT_GT(RuntimeApiTransportOptions().connect_timeout.count(), 0);
}

TEST(LambdaRuntimeTest, NextReadsTheInvocationHeaders) {
  FakeRuntimeApi api;
  api.Queue({.request_id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd", .body = R"({"run_id":"x"})"});
  LambdaRuntimeClient client = LambdaRuntimeClient::WithCurl("http://" + api.endpoint() + "/");
  EXPECT_EQ(client.endpoint(), api.endpoint());
  Result<LambdaInvocation> next = client.Next();
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_EQ(next->request_id, "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
  EXPECT_EQ(next->event, R"({"run_id":"x"})");
  ASSERT_TRUE(next->deadline.has_value());
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(next->deadline->time_since_epoch()).count(), 1771063902123);
  EXPECT_EQ(next->invoked_function_arn, "arn:aws:lambda:us-east-1:000000000000:function:ridesweep-runtime");
  EXPECT_EQ(next->trace_id, "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
}

TEST(LambdaRuntimeTest, NextWithoutRequestIdOrWithAnErrorStatusFails) {
  FakeRuntimeApi api;
  api.Queue({.request_id = "", .body = "{}"});
  api.Queue({.request_id = "r", .body = "{}", .status = 500});
  api.Queue({.request_id = "r2", .body = "{}", .deadline_ms = "soon"});
  LambdaRuntimeClient client = LambdaRuntimeClient::WithCurl(api.endpoint());
  Result<LambdaInvocation> missing = client.Next();
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("Lambda-Runtime-Aws-Request-Id"), std::string::npos);
  Result<LambdaInvocation> failed = client.Next();
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("HTTP 500"), std::string::npos);
  Result<LambdaInvocation> bad_deadline = client.Next();
  ASSERT_TRUE(bad_deadline.ok());
  EXPECT_FALSE(bad_deadline->deadline.has_value());
}

TEST(LambdaRuntimeTest, InitErrorIsPostedWithTypeHeader) {
  FakeRuntimeApi api;
  LambdaRuntimeClient client = LambdaRuntimeClient::WithCurl(api.endpoint());
  ASSERT_TRUE(client.PostInitError("Runtime.InitError", "no DuckDB").ok());
  const std::vector<Posted> posted = api.posted();
  ASSERT_EQ(posted.size(), 1u);
  EXPECT_EQ(posted[0].kind, "init_error");
  EXPECT_EQ(posted[0].error_type_header, "Runtime.InitError");
  EXPECT_EQ(posted[0].content_type, "application/json");
  const JsonObject body = ParseObject(posted[0].body);
  EXPECT_EQ(body.Find("errorType")->as_string(), "Runtime.InitError");
  EXPECT_EQ(body.Find("errorMessage")->as_string(), "no DuckDB");
}

TEST(LambdaRuntimeTest, PostingToAnUnreachableApiFails) {
  // A port that was free a moment ago: bound to port 0, read back, closed (nothing listens on it).
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const uint16_t port = ntohs(addr.sin_port);
  close(fd);
  LambdaRuntimeClient client = LambdaRuntimeClient::WithCurl("127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(client.PostResponse("r", "{}").code(), StatusCode::kUnavailable);
  EXPECT_EQ(client.Next().status().code(), StatusCode::kUnavailable);
}

// The loop: responses, handler errors and thrown exceptions each answered on their own request id; the process
// (this test) keeps going; the trace id is exported before the handler runs.
TEST(LambdaRuntimeTest, LoopAnswersEveryInvocationAndSurvivesExceptions) {
  FakeRuntimeApi api;
  api.Queue({.request_id = "req-1", .body = R"({"n":1})"});
  api.Queue({.request_id = "req-2", .body = R"({"n":2})", .trace_id = "Root=1-2"});
  api.Queue({.request_id = "req-3", .body = R"({"n":3})"});
  api.Queue({.request_id = "req-4", .body = R"({"n":4})"});
  LambdaRuntimeClient client = LambdaRuntimeClient::WithCurl(api.endpoint());

  std::vector<std::string> seen_traces;
  LambdaHandler handler = [&](const LambdaInvocation& inv) -> LambdaOutcome {
    const char* trace = getenv("_X_AMZN_TRACE_ID");
    seen_traces.emplace_back(trace != nullptr ? trace : "");
    if (inv.event == R"({"n":2})") return LambdaOutcome::Error("Misconfiguration", "SWEEP_RESULTS_BUCKET must be configured");
    if (inv.event == R"({"n":3})") throw std::runtime_error("handler exploded");
    return LambdaOutcome::Response(R"({"echo":)" + inv.event + "}");
  };
  LambdaLoopOptions options;
  options.should_stop = [&] { return api.posted_count() == 4; };
  std::vector<std::string> runtime_errors;
  options.on_runtime_error = [&](std::string_view op, const Status& s) {
    runtime_errors.push_back(std::string(op) + ": " + s.message());
  };
  EXPECT_EQ(RunLambdaLoop(client, handler, options), 4u);
  EXPECT_TRUE(runtime_errors.empty()) << runtime_errors.front();

  const std::vector<Posted> posted = api.posted();
  ASSERT_EQ(posted.size(), 4u);
  EXPECT_EQ(posted[0].request_id, "req-1");
  EXPECT_EQ(posted[0].kind, "response");
  EXPECT_EQ(posted[0].body, R"({"echo":{"n":1}})");
  EXPECT_EQ(posted[0].error_type_header, "");

  EXPECT_EQ(posted[1].request_id, "req-2");
  EXPECT_EQ(posted[1].kind, "error");
  EXPECT_EQ(posted[1].error_type_header, "Misconfiguration");
  EXPECT_EQ(posted[1].body, LambdaErrorBody("Misconfiguration", "SWEEP_RESULTS_BUCKET must be configured"));

  EXPECT_EQ(posted[2].request_id, "req-3");
  EXPECT_EQ(posted[2].kind, "error");
  EXPECT_EQ(posted[2].error_type_header, "Runtime.UnhandledException");
  EXPECT_EQ(ParseObject(posted[2].body).Find("errorMessage")->as_string(), "handler exploded");

  EXPECT_EQ(posted[3].request_id, "req-4");
  EXPECT_EQ(posted[3].kind, "response");

  ASSERT_EQ(seen_traces.size(), 4u);
  EXPECT_EQ(seen_traces[0], "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
  EXPECT_EQ(seen_traces[1], "Root=1-2");
}

// A failing `next` is retried with a doubling, capped backoff that resets after a success.
TEST(LambdaRuntimeTest, LoopBacksOffWhenNextFails) {
  FakeRuntimeApi api;
  for (int i = 0; i < 4; ++i) api.Queue({.request_id = "x", .body = "", .status = 500});
  api.Queue({.request_id = "ok-1", .body = "{}"});
  api.Queue({.request_id = "x", .body = "", .status = 500});
  api.Queue({.request_id = "ok-2", .body = "{}"});
  LambdaRuntimeClient client = LambdaRuntimeClient::WithCurl(api.endpoint());

  std::vector<int64_t> sleeps;
  std::vector<std::string> ops;
  LambdaLoopOptions options;
  options.initial_backoff = milliseconds(100);
  options.max_backoff = milliseconds(300);
  options.sleep = [&](milliseconds d) { sleeps.push_back(d.count()); };
  options.on_runtime_error = [&](std::string_view op, const Status&) { ops.emplace_back(op); };
  options.should_stop = [&] { return api.posted_count() == 2; };
  const uint64_t handled =
      RunLambdaLoop(client, [](const LambdaInvocation&) { return LambdaOutcome::Response("{}"); }, options);
  EXPECT_EQ(handled, 2u);
  EXPECT_EQ(sleeps, (std::vector<int64_t>{100, 200, 300, 300, 100}));
  EXPECT_EQ(ops, (std::vector<std::string>(5, "next")));
  EXPECT_EQ(api.next_calls(), 7);
}

// `next` is a long poll: an event that arrives after a while is still delivered (no request timeout).
TEST(LambdaRuntimeTest, LongPollWaitsForTheEvent) {
  FakeRuntimeApi api;
  api.Queue({.request_id = "late", .body = "{}", .delay = milliseconds(1'500)});
  LambdaRuntimeClient client = LambdaRuntimeClient::WithCurl(api.endpoint());
  const auto start = std::chrono::steady_clock::now();
  Result<LambdaInvocation> next = client.Next();
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_EQ(next->request_id, "late");
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(1'400));
}

}  // namespace
}  // namespace ridesweep::aws
