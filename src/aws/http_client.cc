// Signing, sending and retrying (see http_client.h).
#include "ridesweep/aws/http_client.h"

#include <sys/random.h>

#include <thread>

#include "ridesweep/aws/sigv4.h"

namespace ridesweep::aws {
namespace {

// Seed for the backoff jitter from getrandom(2) (glibc 2.25). Not std::random_device: with a statically linked
// libstdc++ (the Lambda bootstrap) it needs arc4random, glibc 2.36, which provided.al2023 (glibc 2.34) lacks.
uint64_t JitterSeed() {
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof(seed), 0) != static_cast<ssize_t>(sizeof(seed))) {
    seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  return seed;
}

}  // namespace

HttpClient::HttpClient(std::shared_ptr<HttpTransport> transport, Credentials credentials, std::string region,
                       std::string service, ErrorFormat error_format, HttpClientOptions options)
    : transport_(std::move(transport)),
      credentials_(std::move(credentials)),
      region_(std::move(region)),
      service_(std::move(service)),
      error_format_(error_format),
      options_(std::move(options)),
      random_(JitterSeed()) {
  if (!options_.wall_now) options_.wall_now = [] { return std::chrono::system_clock::now(); };
  if (!options_.steady_now) options_.steady_now = [] { return std::chrono::steady_clock::now(); };
  if (!options_.sleep) options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  if (options_.retry.max_attempts < 1) options_.retry.max_attempts = 1;
}

std::chrono::steady_clock::time_point HttpClient::SteadyNow() const { return options_.steady_now(); }

void HttpClient::Sleep(std::chrono::milliseconds duration) const {
  if (duration.count() > 0) options_.sleep(duration);
}

double HttpClient::UnitRandom() const {
  if (options_.unit_random) return options_.unit_random();
  std::lock_guard<std::mutex> lock(random_mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

Result<HttpResponse> HttpClient::Send(const HttpRequest& request,
                                      std::optional<std::chrono::steady_clock::time_point> deadline,
                                      SendStats* stats) const {
  HttpRequest attempt_request = request;
  if (attempt_request.FindHeader("Host") == nullptr) attempt_request.headers.push_back({"Host", request.host});
  AwsError last_error;
  for (int attempt = 0; attempt < options_.retry.max_attempts; ++attempt) {
    if (attempt > 0) {
      const std::chrono::milliseconds delay = options_.retry.Delay(attempt - 1, UnitRandom());
      if (deadline.has_value() && SteadyNow() + delay > *deadline) {
        return UnavailableError("gave up retrying at the time budget after " + std::to_string(attempt) +
                                " attempt(s); last error: " + DescribeAwsError(last_error));
      }
      Sleep(delay);
    } else if (deadline.has_value() && SteadyNow() > *deadline) {
      return UnavailableError("time budget exhausted before the request was sent");
    }
    // Each attempt is signed afresh: a retry may come seconds later, and the signature binds the time.
    SignRequestInPlace(&attempt_request, credentials_, region_, service_, options_.wall_now());
    if (stats != nullptr) stats->attempts = attempt + 1;
    Result<HttpResponse> response = transport_->Send(attempt_request);
    if (!response.ok()) {
      last_error = AwsError{.http_status = 0, .code = "", .message = response.status().message(), .transport = true};
      continue;
    }
    if (response->status >= 200 && response->status <= 299) return response;
    last_error = ParseAwsError(*response, error_format_);
    if (!IsRetryable(last_error)) return AwsErrorToStatus(last_error);
  }
  Status status = AwsErrorToStatus(last_error);
  if (options_.retry.max_attempts > 1) {
    status = status.WithPrefix("after " + std::to_string(options_.retry.max_attempts) + " attempts: ");
  }
  return status;
}

}  // namespace ridesweep::aws
