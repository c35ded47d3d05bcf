// HttpClient is the one way the aws layer talks to AWS: it signs each attempt with SigV4 (fresh timestamp),
// sends it through an HttpTransport, and retries transport failures, throttling, HTTP 429 and 5xx under its
// RetryPolicy with full-jitter backoff; other 4xx answers are final. The result is either a 2xx response or the
// Status of AwsErrorToStatus() (kUnavailable once retries are exhausted). Build one per service and process and
// reuse it: it is thread-safe and its transport keeps connections alive. Sleeping, randomness and the monotonic
// clock are injectable so unit tests run without real waits.
#ifndef RIDESWEEP_AWS_HTTP_CLIENT_H_
#define RIDESWEEP_AWS_HTTP_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "ridesweep/aws/aws_error.h"
#include "ridesweep/aws/credentials.h"
#include "ridesweep/aws/http_message.h"
#include "ridesweep/aws/http_transport.h"
#include "ridesweep/aws/retry_policy.h"
#include "ridesweep/base/result.h"

namespace ridesweep::aws {

struct HttpClientOptions {
  RetryPolicy retry = StoreRetryPolicy();
  // Seams; defaults are the real clock, std::this_thread::sleep_for and a seeded Mersenne twister.
  std::function<std::chrono::system_clock::time_point()> wall_now = {};
  std::function<std::chrono::steady_clock::time_point()> steady_now = {};
  std::function<void(std::chrono::milliseconds)> sleep = {};
  std::function<double()> unit_random = {};  // Uniform in [0, 1).
};

// What one Send() did, for callers that count API calls.
struct SendStats {
  int attempts = 0;
};

class HttpClient {
 public:
  // `service` is the SigV4 signing name ("s3", "sqs", "athena"); `region` the signing region.
  HttpClient(std::shared_ptr<HttpTransport> transport, Credentials credentials, std::string region, std::string service,
             ErrorFormat error_format, HttpClientOptions options = {});

  // Signs and sends `request`, retrying as described above. With a `deadline`, no attempt starts after it
  // (the result is then kUnavailable naming the last error). `stats` (optional) receives the attempt count.
  Result<HttpResponse> Send(const HttpRequest& request,
                            std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt,
                            SendStats* stats = nullptr) const;

  const std::string& region() const { return region_; }
  const std::string& service() const { return service_; }
  std::chrono::steady_clock::time_point SteadyNow() const;
  void Sleep(std::chrono::milliseconds duration) const;
  double UnitRandom() const;

 private:
  std::shared_ptr<HttpTransport> transport_;
  Credentials credentials_;
  std::string region_;
  std::string service_;
  ErrorFormat error_format_;
  HttpClientOptions options_;
  mutable std::mutex random_mutex_;
  mutable std::mt19937_64 random_;
};

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_HTTP_CLIENT_H_
