// Credentials and region from the environment; the credential_process JSON.
#include "ridesweep/aws/credentials.h"

#include <gtest/gtest.h>

namespace ridesweep::aws {
namespace {

using sweep::EnvironmentFromMap;

TEST(CredentialsTest, ReadsTheStandardVariables) {
  const Result<Credentials> c = CredentialsFromEnvironment(EnvironmentFromMap(
      {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "SECRET"}, {"AWS_SESSION_TOKEN", "TOKEN"}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKID");
  EXPECT_EQ(c->secret_access_key, "SECRET");
  EXPECT_EQ(c->session_token, "TOKEN");
  const Result<Credentials> long_term = CredentialsFromEnvironment(EnvironmentFromMap(
      {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "SECRET"}, {"AWS_SESSION_TOKEN", " "}}));
  ASSERT_TRUE(long_term.ok());
  EXPECT_EQ(long_term->session_token, "");
}

TEST(CredentialsTest, MissingKeysPointToTheExportCommand) {
  for (const auto& env : {EnvironmentFromMap({}), EnvironmentFromMap({{"AWS_ACCESS_KEY_ID", "AKID"}}),
                          EnvironmentFromMap({{"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", "S"}})}) {
    const Result<Credentials> c = CredentialsFromEnvironment(env);
    EXPECT_EQ(c.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(c.status().message(), kCredentialsMissing);
  }
  EXPECT_NE(kCredentialsMissing.find("aws configure export-credentials --format env"), std::string_view::npos);
}

TEST(CredentialsTest, RegionPrefersAwsRegion) {
  EXPECT_EQ(RegionFromEnvironment(EnvironmentFromMap({{"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "x"}})),
            "eu-west-1");
  EXPECT_EQ(RegionFromEnvironment(EnvironmentFromMap({{"AWS_REGION", " "}, {"AWS_DEFAULT_REGION", "us-east-2"}})),
            "us-east-2");
  EXPECT_EQ(RegionFromEnvironment(EnvironmentFromMap({})), std::nullopt);
}

TEST(CredentialsTest, ParsesCredentialProcessOutput) {
  const Result<Credentials> c = ParseCredentialProcessOutput(
      R"({"Version": 1, "AccessKeyId": "ASIA1", "SecretAccessKey": "S", "SessionToken": "T",
          "Expiration": "2026-02-14T10:00:00+00:00"})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "ASIA1");
  EXPECT_EQ(c->session_token, "T");
  EXPECT_EQ(ParseCredentialProcessOutput("not json").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ParseCredentialProcessOutput(R"({"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"})").status().code(),
      StatusCode::kInvalidArgument);
  const Result<Credentials> no_secret = ParseCredentialProcessOutput(R"({"Version": 1, "AccessKeyId": "A"})");
  EXPECT_EQ(no_secret.status().code(), StatusCode::kInvalidArgument);
  // The error never echoes what it was given.
  const Result<Credentials> leaky = ParseCredentialProcessOutput(R"({"Version": 1, "SecretAccessKey": "hunter2"})");
  EXPECT_EQ(leaky.status().message().find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace ridesweep::aws
