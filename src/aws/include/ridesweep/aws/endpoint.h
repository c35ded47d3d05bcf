// Where each service lives: AWS's regional endpoints by default, or a custom endpoint URL (SWEEP_S3_ENDPOINT,
// SWEEP_SQS_ENDPOINT, SWEEP_ATHENA_ENDPOINT: MinIO, moto, a test stub). S3 uses virtual-hosted addressing
// (bucket.s3.<region>.amazonaws.com) on AWS when the bucket name allows it, and path-style (/bucket/key)
// with a custom endpoint (spec/sweep.md §6, §8). Pure functions.
#ifndef RIDESWEEP_AWS_ENDPOINT_H_
#define RIDESWEEP_AWS_ENDPOINT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/base/result.h"

namespace ridesweep::aws {

struct Endpoint {
  std::string scheme;     // "https" or "http"
  std::string host;       // Authority for the Host header: the port only when not the scheme's default.
  std::string base_path;  // "" or "/prefix" (no trailing '/'), prepended to every request path.

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// Parses "http(s)://host[:port][/path]". kInvalidArgument for another scheme, an empty host, a bad port, a
// query or fragment, or user info.
Result<Endpoint> ParseEndpointUrl(std::string_view url);

// https://<service>.<region>.amazonaws.com (.amazonaws.com.cn for the cn- regions).
Endpoint DefaultEndpoint(std::string_view service, std::string_view region);

enum class S3Addressing : uint8_t { kPathStyle, kVirtualHosted };

// Path-style with a custom endpoint; virtual-hosted on AWS when the bucket is a DNS label sequence without dots
// (dots break TLS wildcard certificates), path-style otherwise.
S3Addressing ChooseS3Addressing(bool custom_endpoint, std::string_view bucket);

// The custom endpoint if given (parsed), else DefaultEndpoint(service, region).
Result<Endpoint> ResolveEndpoint(const std::optional<std::string>& custom_url, std::string_view service,
                                 std::string_view region);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_ENDPOINT_H_
