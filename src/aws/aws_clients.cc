// Process-wide AWS clients from configuration.
#include "ridesweep/aws/aws_clients.h"

#include "ridesweep/aws/ca_bundle.h"
#include "ridesweep/aws/curl_transport.h"

namespace ridesweep::aws {
namespace {

std::shared_ptr<CurlTransport> MakeTransport(const AwsContext& context) {
  return std::make_shared<CurlTransport>(CurlTransportOptions{.connect_timeout = context.connect_timeout,
                                                              .request_timeout = context.request_timeout,
                                                              .ca_bundle = context.ca_bundle});
}

}  // namespace

Result<AwsContext> LoadAwsContext(const sweep::EnvironmentLookup& lookup) {
  AwsContext context;
  RIDESWEEP_ASSIGN_OR_RETURN(context.credentials, CredentialsFromEnvironment(lookup));
  std::optional<std::string> region = RegionFromEnvironment(lookup);
  if (!region.has_value()) return FailedPreconditionError(std::string(kRegionMissing));
  context.region = std::move(*region);
  context.ca_bundle = FindCaBundle(lookup).value_or("");
  return context;
}

Result<std::unique_ptr<S3Store>> MakeS3Store(const sweep::SweepConfig& config, const AwsContext& context) {
  S3StoreOptions options;
  options.bucket = config.results_bucket;
  options.region = context.region;
  options.endpoint_url = config.s3_endpoint;
  return S3Store::Create(std::move(options), context.credentials, MakeTransport(context));
}

Result<std::unique_ptr<SqsDispatcher>> MakeSqsDispatcher(const sweep::SweepConfig& config, const AwsContext& context) {
  SqsDispatcherOptions options;
  options.queue_url = config.shard_queue_url;
  options.region = context.region;
  options.endpoint_url = config.sqs_endpoint;
  options.concurrency = static_cast<size_t>(config.dispatch_concurrency);
  return SqsDispatcher::Create(std::move(options), context.credentials, MakeTransport(context));
}

Result<std::unique_ptr<AthenaClient>> MakeAthenaClient(const sweep::SweepConfig& config, const AwsContext& context) {
  AthenaClientOptions options;
  options.region = context.region;
  options.endpoint_url = config.athena_endpoint;
  return AthenaClient::Create(std::move(options), context.credentials, MakeTransport(context));
}

}  // namespace ridesweep::aws
