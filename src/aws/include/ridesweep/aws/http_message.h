// HttpRequest and HttpResponse are the plain values that travel between the AWS request builders (S3Store,
// SqsDispatcher, AthenaClient), the SigV4 signer and the transport. A request names its target the way it goes
// on the wire: `host` is the Host header's authority ("s3.us-east-1.amazonaws.com", "127.0.0.1:5000"; the port
// only when it is not the scheme's default), `path` is already percent-encoded (UriEncodePath), and `query` holds
// raw, unencoded name/value pairs that the signer and Url() encode the same way. Plain value types.
#ifndef RIDESWEEP_AWS_HTTP_MESSAGE_H_
#define RIDESWEEP_AWS_HTTP_MESSAGE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ridesweep::aws {

struct HttpHeader {
  std::string name;
  std::string value;

  friend bool operator==(const HttpHeader&, const HttpHeader&) = default;
};

// Case-insensitive (ASCII) header-name comparison.
bool HeaderNameEquals(std::string_view a, std::string_view b);

struct HttpRequest {
  std::string method = "GET";
  std::string scheme = "https";
  std::string host;                                        // Authority as sent in the Host header.
  std::string path = "/";                                  // Wire form: percent-encoded, starts with '/'.
  std::vector<std::pair<std::string, std::string>> query;  // Raw pairs, in order; encoded on output.
  std::vector<HttpHeader> headers;
  std::string body;

  // The query as sent: pairs in order, each side UriEncode()d, "k=v" joined by '&' (no leading '?').
  std::string EncodedQuery() const;
  // scheme://host/path[?query]
  std::string Url() const;
  // The first header with that name (case-insensitive), or nullptr.
  const std::string* FindHeader(std::string_view name) const;
  // Removes every header with that name (case-insensitive).
  void RemoveHeader(std::string_view name);
  // Replaces every header of that name by one with this value.
  void SetHeader(std::string_view name, std::string value);
};

struct HttpResponse {
  long status = 0;  // NOLINT(google-runtime-int): libcurl's type.
  std::vector<HttpHeader> headers;
  std::string body;

  // The first header with that name (case-insensitive), or nullptr.
  const std::string* FindHeader(std::string_view name) const;
};

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_HTTP_MESSAGE_H_
