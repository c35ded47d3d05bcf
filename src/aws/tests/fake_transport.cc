// FakeTransport and FakeTime.
#include "tests/fake_transport.h"

namespace ridesweep::aws::testing {

HttpResponse MakeResponse(long status, std::string body, std::vector<HttpHeader> headers) {  // NOLINT
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

HttpResponse S3ErrorResponse(long status, std::string_view code, std::string_view message) {  // NOLINT
  return MakeResponse(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + std::string(code) +
                                  "</Code><Message>" + std::string(message) +
                                  "</Message><RequestId>r-1</RequestId></Error>");
}

void FakeTransport::Push(Result<HttpResponse> answer) {
  std::lock_guard<std::mutex> lock(mutex_);
  script_.push_back(std::move(answer));
}

void FakeTransport::PushTransportError(std::string message) { Push(UnavailableError(std::move(message))); }

void FakeTransport::SetHandler(Handler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  handler_ = std::move(handler);
}

Result<HttpResponse> FakeTransport::Send(const HttpRequest& request) {
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    if (!script_.empty()) {
      Result<HttpResponse> answer = std::move(script_.front());
      script_.pop_front();
      return answer;
    }
    handler = handler_;
  }
  if (handler) return handler(request);
  return InternalError("FakeTransport: no scripted answer left");
}

std::vector<HttpRequest> FakeTransport::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

size_t FakeTransport::request_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_.size();
}

HttpClientOptions FakeTime::Options(RetryPolicy retry, double unit_random) {
  HttpClientOptions options;
  options.retry = retry;
  options.wall_now = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1'440'938'160)); };
  options.steady_now = [this] {
    std::lock_guard<std::mutex> lock(mutex_);
    return now_;
  };
  options.sleep = [this](std::chrono::milliseconds d) {
    std::lock_guard<std::mutex> lock(mutex_);
    sleeps_.push_back(d);
    now_ += d;
    elapsed_ += d;
  };
  options.unit_random = [unit_random] { return unit_random; };
  return options;
}

std::vector<std::chrono::milliseconds> FakeTime::sleeps() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sleeps_;
}

std::chrono::milliseconds FakeTime::elapsed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return elapsed_;
}

void FakeTime::Advance(std::chrono::milliseconds d) {
  std::lock_guard<std::mutex> lock(mutex_);
  now_ += d;
}

}  // namespace ridesweep::aws::testing
