// Endpoint parsing, AWS default endpoints and the S3 addressing choice.
#include "ridesweep/aws/endpoint.h"

#include <charconv>

namespace ridesweep::aws {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

Result<Endpoint> ParseEndpointUrl(std::string_view url) {
  const auto bad = [&](std::string_view why) {
    return InvalidArgumentError("invalid endpoint URL '" + std::string(url) + "': " + std::string(why));
  };
  Endpoint endpoint;
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return bad("expected http:// or https://");
  endpoint.scheme = Lower(url.substr(0, scheme_end));
  if (endpoint.scheme != "http" && endpoint.scheme != "https") return bad("expected http:// or https://");
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return bad("a query or fragment is not allowed");
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) return bad("user info is not allowed");
  std::string_view host = authority;
  std::string_view port;
  const size_t colon = authority.rfind(':');
  const size_t bracket = authority.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("the host is empty");
  endpoint.host = Lower(host);
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return bad("bad port");
    }
    const bool default_port =
        (endpoint.scheme == "http" && value == 80) || (endpoint.scheme == "https" && value == 443);
    if (!default_port) endpoint.host += ":" + std::to_string(value);
  } else if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    return bad("bad port");
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  endpoint.base_path = std::string(path);
  return endpoint;
}

Endpoint DefaultEndpoint(std::string_view service, std::string_view region) {
  const bool china = region.rfind("cn-", 0) == 0;
  return Endpoint{
      "https", std::string(service) + "." + std::string(region) + (china ? ".amazonaws.com.cn" : ".amazonaws.com"), ""};
}

S3Addressing ChooseS3Addressing(bool custom_endpoint, std::string_view bucket) {
  if (custom_endpoint) return S3Addressing::kPathStyle;
  if (bucket.size() < 3 || bucket.size() > 63) return S3Addressing::kPathStyle;
  for (const char c : bucket) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return S3Addressing::kPathStyle;  // Dots, upper case, underscores.
  }
  if (bucket.front() == '-' || bucket.back() == '-') return S3Addressing::kPathStyle;
  return S3Addressing::kVirtualHosted;
}

Result<Endpoint> ResolveEndpoint(const std::optional<std::string>& custom_url, std::string_view service,
                                 std::string_view region) {
  if (custom_url.has_value()) return ParseEndpointUrl(*custom_url);
  return DefaultEndpoint(service, region);
}

}  // namespace ridesweep::aws
