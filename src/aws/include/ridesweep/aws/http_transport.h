// HttpTransport sends one HTTP request and returns the answer, whatever its status, or kUnavailable when no
// answer came (connection refused or reset, timeout, TLS failure). No signing, no retries: HttpClient adds those.
// CurlTransport is the real one; unit tests script a fake. Implementations are thread-safe.
#ifndef RIDESWEEP_AWS_HTTP_TRANSPORT_H_
#define RIDESWEEP_AWS_HTTP_TRANSPORT_H_

#include "ridesweep/aws/http_message.h"
#include "ridesweep/base/result.h"

namespace ridesweep::aws {

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_HTTP_TRANSPORT_H_
