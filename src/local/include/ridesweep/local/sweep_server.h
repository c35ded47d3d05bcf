// SweepServer is `ridesweep serve`'s HTTP endpoint (spec/sweep.md §17): POST /sweep-run with the cloud contract
// (same statuses and bodies), GET /runs/{run_id} with progress computed from stored outcomes, and
// GET /runs/{run_id}/report. Routing and the local-only error bodies (404, 405, 413) live here; what a route does is
// injected, so the server knows nothing of executors or stores. Binds to loopback unless remote access is allowed
// explicitly (there is no authentication locally).
#ifndef RIDESWEEP_LOCAL_SWEEP_SERVER_H_
#define RIDESWEEP_LOCAL_SWEEP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "ridesweep/base/status.h"

namespace ridesweep::local {

struct HttpAnswer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

struct ServerRoutes {
  std::function<HttpAnswer(std::string_view body)> submit;             // POST /sweep-run
  std::function<HttpAnswer(std::string_view run_id)> run_progress;     // GET /runs/{run_id}
  std::function<HttpAnswer(std::string_view run_id)> run_report;       // GET /runs/{run_id}/report (may be empty)
};

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0 = any free port
  bool allow_remote = false;
};

inline constexpr size_t kMaxRequestBodyBytes = 10'485'760;

class SweepServer {
 public:
  SweepServer(ServerOptions options, ServerRoutes routes);
  ~SweepServer();

  // Binds the socket. InvalidArgument for a non-loopback address without allow_remote; Unavailable when the
  // address cannot be bound.
  Status Bind();
  int port() const;
  // Serves until Stop(). REQUIRES: Bind() succeeded.
  void Serve();
  // Thread-safe; Serve() returns after in-flight requests finish.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackAddress(std::string_view address);

}  // namespace ridesweep::local

#endif  // RIDESWEEP_LOCAL_SWEEP_SERVER_H_
