// Envelope unwrapping (spec/sweep.md §1.2).
#include "ridesweep/sweep/envelope.h"

#include <utility>

#include "base64_decode.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/sweep/errors.h"

namespace ridesweep::sweep {

std::string_view RequestSourceName(RequestSource source) {
  switch (source) {
    case RequestSource::kApiGateway: return "api_gateway";
    case RequestSource::kLambdaInvoke: return "lambda_invoke";
    case RequestSource::kLocalHttp: return "local_http";
    case RequestSource::kLocalCli: return "local_cli";
  }
  return "api_gateway";
}

ApiResult<JsonValue> ParseRequestBody(std::string_view body) {
  JsonParseError error;
  Result<JsonValue> parsed = ParseJson(body, &error);
  if (!parsed.ok()) return MakeValidationError(std::string(errors::kMalformedJsonBodyPrefix) + error.ToString());
  return std::move(parsed).value();
}

ApiResult<UnwrappedRequest> UnwrapApiEvent(JsonValue event) {
  if (!event.is_object()) return MakeValidationError(std::string(errors::kPayloadNotObject));
  JsonObject& envelope = event.as_object();
  JsonValue* body = envelope.Find("body");
  if (body == nullptr) return UnwrappedRequest{std::move(event), RequestSource::kLambdaInvoke};
  if (body->is_null()) return UnwrappedRequest{JsonValue::Object(), RequestSource::kApiGateway};
  if (body->is_object()) return UnwrappedRequest{std::move(*body), RequestSource::kApiGateway};
  if (!body->is_string()) return MakeValidationError(std::string(errors::kBodyNotObject));

  const JsonValue* base64_flag = envelope.Find("isBase64Encoded");
  const bool is_base64 = base64_flag != nullptr && base64_flag->is_bool() && base64_flag->as_bool();
  ApiResult<JsonValue> request = [&]() -> ApiResult<JsonValue> {
    if (!is_base64) return ParseRequestBody(body->as_string());
    std::optional<std::string> decoded = internal::DecodeBase64(body->as_string());
    if (!decoded.has_value()) return MakeValidationError(std::string(errors::kBodyNotBase64));
    return ParseRequestBody(*decoded);
  }();
  if (!request.ok()) return std::move(request).error();
  return UnwrappedRequest{std::move(request).value(), RequestSource::kApiGateway};
}

}  // namespace ridesweep::sweep
