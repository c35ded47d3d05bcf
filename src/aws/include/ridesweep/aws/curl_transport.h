// CurlTransport is the HttpTransport on libcurl. It keeps a small pool of easy handles; each handle keeps its
// connections alive between requests, so a client built once per process (Lambda init, CLI start) reuses its
// TCP/TLS connections on every warm invocation. Parallel callers (the SQS dispatcher's concurrent batches) each
// borrow a handle. HTTP/1.1, no redirects, no compression, explicit connect and total timeouts, CA bundle from
// the options (FindCaBundle()). Thread-safe.
#ifndef RIDESWEEP_AWS_CURL_TRANSPORT_H_
#define RIDESWEEP_AWS_CURL_TRANSPORT_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ridesweep/aws/http_transport.h"

namespace ridesweep::aws {

struct CurlTransportOptions {
  std::chrono::milliseconds connect_timeout{3'000};
  std::chrono::milliseconds request_timeout{60'000};  // Whole exchange, body included.
  std::string ca_bundle;                              // PEM file; empty: libcurl's built-in default.
};

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

  // Connections opened so far (libcurl's CURLINFO_NUM_CONNECTS summed): with keep-alive it stays near the number
  // of handles however many requests were sent.
  uint64_t connections_opened() const { return connections_opened_.load(); }
  uint64_t requests_sent() const { return requests_sent_.load(); }

 private:
  void* AcquireHandle();
  void ReleaseHandle(void* handle);

  CurlTransportOptions options_;
  std::mutex mutex_;
  std::vector<void*> idle_handles_;  // CURL*; void* keeps curl.h out of this header.
  std::atomic<uint64_t> connections_opened_{0};
  std::atomic<uint64_t> requests_sent_{0};
};

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_CURL_TRANSPORT_H_
