// The cloud path's clients, built once per process (Lambda init or CLI start) from the §8 configuration and the
// standard AWS environment, then reused on every warm invocation: S3Store (results), SqsDispatcher (shards) and
// AthenaClient (SQL files). Each gets its own CurlTransport (keep-alive connection pool) trusting the CA bundle
// found by FindCaBundle(). No instance metadata, no ~/.aws: see credentials.h. Plain factory functions.
#ifndef RIDESWEEP_AWS_AWS_CLIENTS_H_
#define RIDESWEEP_AWS_AWS_CLIENTS_H_

#include <chrono>
#include <memory>
#include <string>

#include "ridesweep/aws/athena_client.h"
#include "ridesweep/aws/credentials.h"
#include "ridesweep/aws/s3_store.h"
#include "ridesweep/aws/sqs_dispatcher.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sweep/config.h"

namespace ridesweep::aws {

// Message of the kFailedPrecondition returned when neither AWS_REGION nor AWS_DEFAULT_REGION is set.
inline constexpr std::string_view kRegionMissing = "AWS region not found: set AWS_REGION (or AWS_DEFAULT_REGION)";

struct AwsContext {
  Credentials credentials;
  std::string region;
  std::string ca_bundle;  // Empty: libcurl's default.
  std::chrono::milliseconds connect_timeout{3'000};
  std::chrono::milliseconds request_timeout{60'000};
};

// Credentials, region and CA bundle from the environment. kFailedPrecondition (kCredentialsMissing or
// kRegionMissing) when something is missing.
Result<AwsContext> LoadAwsContext(const sweep::EnvironmentLookup& lookup);

// S3Store on config.results_bucket, SWEEP_S3_ENDPOINT (path-style) or AWS (virtual-hosted).
Result<std::unique_ptr<S3Store>> MakeS3Store(const sweep::SweepConfig& config, const AwsContext& context);
// SqsDispatcher on config.shard_queue_url with SWEEP_DISPATCH_CONCURRENCY calls in flight and SWEEP_SQS_ENDPOINT.
Result<std::unique_ptr<SqsDispatcher>> MakeSqsDispatcher(const sweep::SweepConfig& config, const AwsContext& context);
// AthenaClient on SWEEP_ATHENA_ENDPOINT or AWS.
Result<std::unique_ptr<AthenaClient>> MakeAthenaClient(const sweep::SweepConfig& config, const AwsContext& context);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_AWS_CLIENTS_H_
