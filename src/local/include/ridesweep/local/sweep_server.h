// SweepServer is `ridesweep serve`'s HTTP endpoint: POST /sweep-run with the cloud contract (same statuses and
// bodies), GET /runs/{run_id} with progress computed from stored outcomes, and GET /runs/{run_id}/report. What a
// route does is injected (http_routing.h), so the server knows nothing of executors or stores. Binds to loopback
// unless remote access is allowed explicitly (there is no authentication locally).
//
// Connection model (docs/architecture.md, "serve"): one event-loop thread owns every socket (epoll, non-blocking)
// and parses requests as bytes arrive; only complete requests reach a small pool of handler threads. An idle or
// slow client therefore costs a file descriptor and its buffered bytes, never a thread. Limits: a 10 MiB body
// (413 before more is buffered, chunked or not), 16 KiB of headers, kIdleTimeout between requests and
// kStallTimeout of silence inside a request (408), kRequestTimeout for a whole request, kMaxConnections open
// connections (the least recently active idle one is closed to admit a new one), listen backlog kListenBacklog.
#ifndef RIDESWEEP_LOCAL_SWEEP_SERVER_H_
#define RIDESWEEP_LOCAL_SWEEP_SERVER_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "ridesweep/base/status.h"
#include "ridesweep/local/http_request_parser.h"
#include "ridesweep/local/http_routing.h"

namespace ridesweep::local {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0 = any free port
  bool allow_remote = false;
};

inline constexpr int kListenBacklog = 1024;
inline constexpr size_t kMaxConnections = 4096;
inline constexpr size_t kHandlerThreads = 8;
inline constexpr std::chrono::seconds kIdleTimeout{10};     // Keep-alive connection with no request started.
inline constexpr std::chrono::seconds kStallTimeout{10};    // No byte received inside a started request.
inline constexpr std::chrono::seconds kRequestTimeout{60};  // First byte to last byte of one request.
inline constexpr std::chrono::seconds kWriteTimeout{10};    // A client that does not read its answer.

class SweepServer {
 public:
  SweepServer(ServerOptions options, ServerRoutes routes);
  ~SweepServer();

  // Binds and listens. InvalidArgument for a non-loopback address without allow_remote; Conflict when the address
  // is already in use (no SO_REUSEPORT: a second server on the same port is refused, never shares it);
  // Unavailable for any other failure.
  Status Bind();
  int port() const;
  // Serves until Stop(). REQUIRES: Bind() succeeded.
  void Serve();
  // Thread-safe; Serve() returns after the requests being handled have been answered.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackAddress(std::string_view address);

}  // namespace ridesweep::local

#endif  // RIDESWEEP_LOCAL_SWEEP_SERVER_H_
