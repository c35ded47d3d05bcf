// Building the process-wide clients from the §8 configuration and the AWS environment.
#include "ridesweep/aws/aws_clients.h"

#include <gtest/gtest.h>

namespace ridesweep::aws {
namespace {

using sweep::DeploymentMode;
using sweep::EnvironmentFromMap;
using sweep::LoadSweepConfig;

TEST(AwsClientsTest, BuildsEveryClientFromTheEnvironment) {
  const auto env = EnvironmentFromMap({{"AWS_ACCESS_KEY_ID", "AKID"},
                                       {"AWS_SECRET_ACCESS_KEY", "SECRET"},
                                       {"AWS_REGION", "eu-central-1"},
                                       {"SSL_CERT_FILE", "/custom/ca.pem"},
                                       {"SWEEP_RESULTS_BUCKET", "results"},
                                       {"SHARD_QUEUE_URL", "http://127.0.0.1:4566/000000000000/shards"},
                                       {"SWEEP_S3_ENDPOINT", "http://127.0.0.1:4566"},
                                       {"SWEEP_SQS_ENDPOINT", "http://127.0.0.1:4566"},
                                       {"SWEEP_DISPATCH_CONCURRENCY", "4"}});
  const Result<AwsContext> context = LoadAwsContext(env);
  ASSERT_TRUE(context.ok()) << context.status().ToString();
  EXPECT_EQ(context->region, "eu-central-1");
  EXPECT_EQ(context->ca_bundle, "/custom/ca.pem");
  const sweep::SweepConfig config = LoadSweepConfig(DeploymentMode::kCloud, env);

  const Result<std::unique_ptr<S3Store>> store = MakeS3Store(config, *context);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->bucket(), "results");
  EXPECT_EQ((*store)->addressing(), S3Addressing::kPathStyle);

  const Result<std::unique_ptr<SqsDispatcher>> dispatcher = MakeSqsDispatcher(config, *context);
  ASSERT_TRUE(dispatcher.ok()) << dispatcher.status().ToString();
  EXPECT_EQ((*dispatcher)->target(), "http://127.0.0.1:4566/000000000000/shards");

  EXPECT_TRUE(MakeAthenaClient(config, *context).ok());
}

TEST(AwsClientsTest, MissingRegionOrCredentialsIsAPrecondition) {
  const Result<AwsContext> no_region =
      LoadAwsContext(EnvironmentFromMap({{"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SECRET_ACCESS_KEY", "S"}}));
  EXPECT_EQ(no_region.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(no_region.status().message(), kRegionMissing);
  const Result<AwsContext> no_keys = LoadAwsContext(EnvironmentFromMap({{"AWS_REGION", "us-east-1"}}));
  EXPECT_EQ(no_keys.status().message(), kCredentialsMissing);
}

TEST(AwsClientsTest, VirtualHostedOnAwsWithoutEndpoint) {
  const auto env = EnvironmentFromMap({{"AWS_ACCESS_KEY_ID", "A"},
                                       {"AWS_SECRET_ACCESS_KEY", "S"},
                                       {"AWS_REGION", "us-east-1"},
                                       {"SWEEP_RESULTS_BUCKET", "ride-hailing-simulation"}});
  const sweep::SweepConfig config = LoadSweepConfig(DeploymentMode::kCloud, env);
  const Result<std::unique_ptr<S3Store>> store = MakeS3Store(config, LoadAwsContext(env).value());
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->addressing(), S3Addressing::kVirtualHosted);
}

}  // namespace
}  // namespace ridesweep::aws
