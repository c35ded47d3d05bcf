// SigV4 signing (see sigv4.h for the rules and their source).
#include "ridesweep/aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <ctime>

#include "ridesweep/aws/uri_encode.h"
#include "ridesweep/base/check.h"
#include "ridesweep/base/sha256.h"

namespace ridesweep::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// Headers botocore never signs (SIGNED_HEADERS_BLACKLIST): proxies and HTTP stacks may add, drop or rewrite them.
constexpr std::string_view kUnsignedHeaders[] = {
    "baggage",    "connection",      "expect",     "keep-alive", "proxy-authenticate", "proxy-authorization",
    "te",         "traceparent",     "tracestate", "trailer",    "transfer-encoding",  "upgrade",
    "user-agent", "x-amzn-trace-id",
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Python's str.split() whitespace within ASCII, so values fold exactly as botocore folds them.
bool IsFoldableSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= '\x1c' && c <= '\x1f');
}

// Trims and folds inner whitespace runs to one space ("Trimall").
std::string Trimall(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (const char c : value) {
    if (IsFoldableSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

bool IsUnsignedHeader(std::string_view lower_name) {
  return std::find(std::begin(kUnsignedHeaders), std::end(kUnsignedHeaders), lower_name) != std::end(kUnsignedHeaders);
}

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 0x0F];
  }
  return out;
}

// RFC 3986 §5.2.4 plus removal of empty segments, as botocore's remove_dot_segments does.
std::string RemoveDotSegments(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> output;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!output.empty()) output.pop_back();
    } else if (!segment.empty() && segment != ".") {
      output.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < output.size(); ++i) {
    if (i > 0) out += '/';
    out += output[i];
  }
  if (path.back() == '/' && !output.empty()) out += '/';
  return out;
}

}  // namespace

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const unsigned char* result = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                                     reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  RIDESWEEP_CHECK(result != nullptr) << "HMAC-SHA256 failed";
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string FormatAmzDate(std::chrono::system_clock::time_point now) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  const size_t n = std::strftime(buffer, sizeof(buffer), "%Y%m%dT%H%M%SZ", &utc);
  return std::string(buffer, n);
}

std::string CanonicalUri(std::string_view wire_path, std::string_view service) {
  if (service == "s3") return wire_path.empty() ? std::string("/") : std::string(wire_path);
  return UriEncodePath(RemoveDotSegments(wire_path));
}

std::string CanonicalQueryString(const HttpRequest& request) {
  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(request.query.size());
  for (const auto& [name, value] : request.query) pairs.emplace_back(UriEncode(name), UriEncode(value));
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

SigV4Result SignV4(const HttpRequest& request, const Credentials& credentials, std::string_view region,
                   std::string_view service, std::chrono::system_clock::time_point now) {
  const bool is_s3 = service == "s3";
  const bool has_token = !credentials.session_token.empty();
  SigV4Result r;
  r.amz_date = FormatAmzDate(now);
  const std::string date = r.amz_date.substr(0, 8);
  r.credential_scope = date + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
  r.payload_hash = Sha256Hex(request.body);

  // The header set as it will be sent: stale signing headers replaced by the new ones.
  std::vector<std::pair<std::string, std::string>> headers;
  bool has_host = false;
  for (const HttpHeader& h : request.headers) {
    std::string name = Lower(h.name);
    if (IsUnsignedHeader(name) || name == "authorization" || name == "x-amz-date") continue;
    if (has_token && name == "x-amz-security-token") continue;
    if (is_s3 && name == "x-amz-content-sha256") continue;
    if (name == "host") has_host = true;
    headers.emplace_back(std::move(name), h.value);
  }
  r.headers_to_add.push_back({"X-Amz-Date", r.amz_date});
  if (has_token) r.headers_to_add.push_back({"X-Amz-Security-Token", credentials.session_token});
  if (is_s3) r.headers_to_add.push_back({"X-Amz-Content-SHA256", r.payload_hash});
  if (!has_host) headers.emplace_back("host", Lower(request.host));
  for (const HttpHeader& h : r.headers_to_add) headers.emplace_back(Lower(h.name), h.value);
  std::stable_sort(headers.begin(), headers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  std::string canonical_headers;
  for (size_t i = 0; i < headers.size(); ++i) {
    const std::string& name = headers[i].first;
    if (i > 0 && name == headers[i - 1].first) {
      canonical_headers += ',';
    } else {
      if (i > 0) {
        canonical_headers += '\n';
        r.signed_headers += ';';
      }
      canonical_headers += name + ':';
      r.signed_headers += name;
    }
    canonical_headers += Trimall(headers[i].second);
  }
  canonical_headers += '\n';

  r.canonical_request = Upper(request.method) + "\n" + CanonicalUri(request.path, service) + "\n" +
                        CanonicalQueryString(request) + "\n" + canonical_headers + "\n" + r.signed_headers + "\n" +
                        r.payload_hash;
  r.string_to_sign =
      std::string(kAlgorithm) + "\n" + r.amz_date + "\n" + r.credential_scope + "\n" + Sha256Hex(r.canonical_request);

  const std::string k_date = HmacSha256("AWS4" + credentials.secret_access_key, date);
  const std::string k_region = HmacSha256(k_date, region);
  const std::string k_service = HmacSha256(k_region, service);
  const std::string k_signing = HmacSha256(k_service, "aws4_request");
  r.signature = Hex(HmacSha256(k_signing, r.string_to_sign));
  r.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" + r.credential_scope +
                    ", SignedHeaders=" + r.signed_headers + ", Signature=" + r.signature;
  r.headers_to_add.push_back({"Authorization", r.authorization});
  return r;
}

void SignRequestInPlace(HttpRequest* request, const Credentials& credentials, std::string_view region,
                        std::string_view service, std::chrono::system_clock::time_point now) {
  SigV4Result result = SignV4(*request, credentials, region, service, now);
  request->RemoveHeader("Authorization");
  request->RemoveHeader("X-Amz-Date");
  if (!credentials.session_token.empty()) request->RemoveHeader("X-Amz-Security-Token");
  if (service == "s3") request->RemoveHeader("X-Amz-Content-SHA256");
  for (HttpHeader& h : result.headers_to_add) request->headers.push_back(std::move(h));
}

}  // namespace ridesweep::aws
