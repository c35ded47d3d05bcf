// Credentials and region from the standard AWS environment variables.
#include "ridesweep/aws/credentials.h"

#include "ridesweep/base/json_parser.h"

namespace ridesweep::aws {
namespace {

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::optional<std::string> NonBlank(const sweep::EnvironmentLookup& lookup, std::string_view name) {
  std::optional<std::string> value = lookup(name);
  if (!value.has_value() || IsBlank(*value)) return std::nullopt;
  return value;
}

}  // namespace

Result<Credentials> CredentialsFromEnvironment(const sweep::EnvironmentLookup& lookup) {
  std::optional<std::string> key_id = NonBlank(lookup, env::kAccessKeyId);
  std::optional<std::string> secret = NonBlank(lookup, env::kSecretAccessKey);
  if (!key_id.has_value() || !secret.has_value()) return FailedPreconditionError(std::string(kCredentialsMissing));
  Credentials credentials;
  credentials.access_key_id = std::move(*key_id);
  credentials.secret_access_key = std::move(*secret);
  credentials.session_token = NonBlank(lookup, env::kSessionToken).value_or("");
  return credentials;
}

std::optional<std::string> RegionFromEnvironment(const sweep::EnvironmentLookup& lookup) {
  std::optional<std::string> region = NonBlank(lookup, env::kRegion);
  if (region.has_value()) return region;
  return NonBlank(lookup, env::kDefaultRegion);
}

Result<Credentials> ParseCredentialProcessOutput(std::string_view json) {
  // The parser's error text quotes no input bytes, but stay terse anyway: the text holds secrets.
  Result<JsonValue> parsed = ParseJson(json);
  if (!parsed.ok() || !parsed->is_object()) {
    return InvalidArgumentError("credential process output is not a JSON object");
  }
  const JsonObject& object = parsed->as_object();
  auto text = [&](std::string_view name) -> std::optional<std::string> {
    const JsonValue* value = object.Find(name);
    if (value == nullptr || !value->is_string() || IsBlank(value->as_string())) return std::nullopt;
    return value->as_string();
  };
  const JsonValue* version = object.Find("Version");
  if (version == nullptr || !version->is_unsigned() || version->as_unsigned() != 1) {
    return InvalidArgumentError("credential process output must have \"Version\": 1");
  }
  std::optional<std::string> key_id = text("AccessKeyId");
  std::optional<std::string> secret = text("SecretAccessKey");
  if (!key_id.has_value() || !secret.has_value()) {
    return InvalidArgumentError("credential process output lacks AccessKeyId or SecretAccessKey");
  }
  return Credentials{std::move(*key_id), std::move(*secret), text("SessionToken").value_or("")};
}

}  // namespace ridesweep::aws
