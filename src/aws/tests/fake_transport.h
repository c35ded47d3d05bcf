// FakeTransport: a scripted HttpTransport for unit tests. Each Send() records the request and plays the next
// scripted answer (a response or a transport failure); when the script runs out it repeats the fallback answer,
// or a handler computes the answer from the request. FakeTime gives HttpClient a clock that only moves when
// the client "sleeps", so retry tests run instantly and can assert the waits. Thread-safe.
#ifndef RIDESWEEP_AWS_TESTS_FAKE_TRANSPORT_H_
#define RIDESWEEP_AWS_TESTS_FAKE_TRANSPORT_H_

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "ridesweep/aws/http_client.h"
#include "ridesweep/aws/http_transport.h"

namespace ridesweep::aws::testing {

HttpResponse MakeResponse(long status, std::string body = "",  // NOLINT(google-runtime-int)
                          std::vector<HttpHeader> headers = {});
// <Error><Code>code</Code><Message>message</Message></Error> with the given status.
HttpResponse S3ErrorResponse(long status, std::string_view code, std::string_view message);  // NOLINT

class FakeTransport final : public HttpTransport {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  void Push(Result<HttpResponse> answer);
  void PushTransportError(std::string message = "Connection reset by peer");
  void SetHandler(Handler handler);

  Result<HttpResponse> Send(const HttpRequest& request) override;

  std::vector<HttpRequest> requests() const;
  size_t request_count() const;

 private:
  mutable std::mutex mutex_;
  std::deque<Result<HttpResponse>> script_;
  Handler handler_;
  std::vector<HttpRequest> requests_;
};

// A steady clock that advances only through the client's sleep seam; records every wait.
class FakeTime {
 public:
  HttpClientOptions Options(RetryPolicy retry, double unit_random = 0.5);
  std::vector<std::chrono::milliseconds> sleeps() const;
  std::chrono::milliseconds elapsed() const;
  void Advance(std::chrono::milliseconds d);

 private:
  mutable std::mutex mutex_;
  std::chrono::steady_clock::time_point now_{};
  std::chrono::milliseconds elapsed_{0};
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace ridesweep::aws::testing

#endif  // RIDESWEEP_AWS_TESTS_FAKE_TRANSPORT_H_
