// AWS credentials and region, read from the standard environment variables and nothing else: Lambda sets
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION for the function's role, and the CLI
// reads the same variables. We never query instance metadata, never read ~/.aws, and never write or log a
// secret. SSO and profile users export temporary credentials first:
//     eval "$(aws configure export-credentials --format env)"
// (works whatever AWS_PROFILE names; the exported variables are what we read). Credentials is a plain value;
// ToString-style printing is deliberately absent so a secret cannot end up in a log line by accident.
#ifndef RIDESWEEP_AWS_CREDENTIALS_H_
#define RIDESWEEP_AWS_CREDENTIALS_H_

#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/base/result.h"
#include "ridesweep/sweep/config.h"

namespace ridesweep::aws {

// DO NOT CHANGE: the standard variable names every AWS tool reads.
namespace env {
inline constexpr std::string_view kAccessKeyId = "AWS_ACCESS_KEY_ID";
inline constexpr std::string_view kSecretAccessKey = "AWS_SECRET_ACCESS_KEY";
inline constexpr std::string_view kSessionToken = "AWS_SESSION_TOKEN";
inline constexpr std::string_view kRegion = "AWS_REGION";
inline constexpr std::string_view kDefaultRegion = "AWS_DEFAULT_REGION";
}  // namespace env

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // Empty for long-term keys; sent as X-Amz-Security-Token otherwise.
};

// Message of the kFailedPrecondition returned when the key id or the secret is missing.
inline constexpr std::string_view kCredentialsMissing =
    "AWS credentials not found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for "
    "temporary credentials); with SSO or a profile run: eval \"$(aws configure export-credentials --format env)\"";

// Reads the three credential variables. Blank values count as unset. kFailedPrecondition (kCredentialsMissing)
// when the key id or the secret is missing; the session token is optional.
Result<Credentials> CredentialsFromEnvironment(const sweep::EnvironmentLookup& lookup);

// AWS_REGION, else AWS_DEFAULT_REGION; nullopt when both are unset or blank.
std::optional<std::string> RegionFromEnvironment(const sweep::EnvironmentLookup& lookup);

// Parses the JSON that `aws configure export-credentials --format process` (a credential_process) prints:
// {"Version": 1, "AccessKeyId": …, "SecretAccessKey": …, "SessionToken": …, "Expiration": …}.
// kInvalidArgument (without echoing any secret) when it is not that shape.
Result<Credentials> ParseCredentialProcessOutput(std::string_view json);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_CREDENTIALS_H_
