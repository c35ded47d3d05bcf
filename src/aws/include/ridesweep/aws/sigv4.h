// AWS Signature Version 4 for the Authorization header (query-string presigning is not needed). SignV4 is pure:
// the time comes in as an argument, so AWS's published test-suite vectors pin it byte for byte, and an
// integration test compares it with botocore's signer on randomised requests. Rules, as botocore applies them:
//  - canonical URI: for service "s3" the wire path as sent (already encoded once, never normalised); for every
//    other service the wire path with dot segments and repeated slashes removed, then UriEncodePath()d again;
//  - canonical query: each raw name and value UriEncode()d, pairs sorted by encoded name then value;
//  - canonical headers: every header except the hop-by-hop / tracing ones botocore leaves out (user-agent,
//    expect, transfer-encoding, connection, …), names lower-cased, values trimmed with inner runs of ASCII
//    whitespace folded to one space, repeated names joined by ',' in order, sorted by name; `host` is added
//    from HttpRequest::host when absent;
//  - payload: SHA-256 hex of the body; for "s3" also sent as x-amz-content-sha256;
//  - x-amz-date always, x-amz-security-token when the credentials carry a session token; both are signed.
// Thread-safe (no state).
#ifndef RIDESWEEP_AWS_SIGV4_H_
#define RIDESWEEP_AWS_SIGV4_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/aws/credentials.h"
#include "ridesweep/aws/http_message.h"

namespace ridesweep::aws {

// Everything SigV4 derives for one request; the intermediate texts exist so tests can compare them.
struct SigV4Result {
  std::string amz_date;          // YYYYMMDDTHHMMSSZ
  std::string credential_scope;  // <date>/<region>/<service>/aws4_request
  std::string payload_hash;      // Lower-case hex SHA-256 of the body.
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // Lower-case hex.
  std::string authorization;   // Value of the Authorization header.
  // Headers the request must carry, in this order: X-Amz-Date, [X-Amz-Security-Token], [X-Amz-Content-SHA256
  // (s3)], Authorization. The first ones are part of the signature.
  std::vector<HttpHeader> headers_to_add;
};

// Signs `request` as if Authorization, X-Amz-Date and (when the credentials carry a token)
// X-Amz-Security-Token (and for s3 X-Amz-Content-SHA256) were replaced by the values it computes.
SigV4Result SignV4(const HttpRequest& request, const Credentials& credentials, std::string_view region,
                   std::string_view service, std::chrono::system_clock::time_point now);

// Signs and rewrites the request: removes stale signing headers, then appends result.headers_to_add.
void SignRequestInPlace(HttpRequest* request, const Credentials& credentials, std::string_view region,
                        std::string_view service, std::chrono::system_clock::time_point now);

// The pieces, for tests and callers with special needs.
std::string CanonicalUri(std::string_view wire_path, std::string_view service);
std::string CanonicalQueryString(const HttpRequest& request);
std::string FormatAmzDate(std::chrono::system_clock::time_point now);
// HMAC-SHA256(key, data) as raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_SIGV4_H_
