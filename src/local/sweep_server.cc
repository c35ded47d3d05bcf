// HTTP routing of `ridesweep serve` on cpp-httplib.
#include "ridesweep/local/sweep_server.h"

#include <httplib.h>

#include <regex>

#include "ridesweep/sweep/responses.h"

namespace ridesweep::local {

bool IsLoopbackAddress(std::string_view address) {
  return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

class SweepServer::Impl {
 public:
  Impl(ServerOptions options, ServerRoutes routes) : options_(std::move(options)), routes_(std::move(routes)) {
    // Larger bodies get httplib's 413, whose body the error handler fills in with the contract text.
    server_.set_payload_max_length(kMaxRequestBodyBytes);
    server_.Post("/sweep-run", [this](const httplib::Request& req, httplib::Response& res) {
      Answer(res, routes_.submit(req.body));
    });
    server_.Get(R"(/runs/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      Answer(res, routes_.run_progress(req.matches[1].str()));
    });
    server_.Get(R"(/runs/([^/]+)/report)", [this](const httplib::Request& req, httplib::Response& res) {
      if (!routes_.run_report) return NotFound(req, res);
      Answer(res, routes_.run_report(req.matches[1].str()));
    });
    for (const char* method : {"GET", "PUT", "DELETE", "PATCH"}) {
      Route(method, "/sweep-run", [](const httplib::Request&, httplib::Response& res) {
        Error(res, sweep::MakeMethodNotAllowedError());
      });
    }
    server_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (res.status == 413) {
        Error(res, sweep::MakePayloadTooLargeError());
      } else if (res.status == 404 && res.body.empty()) {
        Error(res, sweep::MakeNotFoundError(req.method, req.path));
      }
    });
  }

  Status Bind() {
    if (!options_.allow_remote && !IsLoopbackAddress(options_.bind)) {
      return InvalidArgumentError("refusing to bind " + options_.bind +
                                  ": the local endpoint has no authentication; pass --allow-remote to expose it");
    }
    if (options_.port == 0) {
      port_ = server_.bind_to_any_port(options_.bind);
      if (port_ < 0) return UnavailableError("cannot bind " + options_.bind);
    } else {
      if (!server_.bind_to_port(options_.bind, options_.port)) {
        return UnavailableError("cannot bind " + options_.bind + ":" + std::to_string(options_.port));
      }
      port_ = options_.port;
    }
    return Status::Ok();
  }

  int port() const { return port_; }
  void Serve() { server_.listen_after_bind(); }
  void Stop() { server_.stop(); }

 private:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  void Route(std::string_view method, const std::string& path, Handler handler) {
    if (method == "GET") server_.Get(path, handler);
    if (method == "PUT") server_.Put(path, handler);
    if (method == "DELETE") server_.Delete(path, handler);
    if (method == "PATCH") server_.Patch(path, handler);
  }
  static void Answer(httplib::Response& res, const HttpAnswer& answer) {
    res.status = answer.status;
    res.set_content(answer.body, answer.content_type.c_str());
  }
  static void Error(httplib::Response& res, const sweep::ApiError& error) {
    res.status = error.status_code;
    res.set_content(error.Body(), "application/json");
  }
  static void NotFound(const httplib::Request& req, httplib::Response& res) {
    Error(res, sweep::MakeNotFoundError(req.method, req.path));
  }

  ServerOptions options_;
  ServerRoutes routes_;
  httplib::Server server_;
  int port_ = -1;
};

SweepServer::SweepServer(ServerOptions options, ServerRoutes routes)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(routes))) {}
SweepServer::~SweepServer() = default;
Status SweepServer::Bind() { return impl_->Bind(); }
int SweepServer::port() const { return impl_->port(); }
void SweepServer::Serve() { impl_->Serve(); }
void SweepServer::Stop() { impl_->Stop(); }

}  // namespace ridesweep::local
