// Envelope unwrapping for the API path (spec/sweep.md §1.2): finds the request inside a Lambda event (API Gateway
// proxy event with a `body`, or a direct invocation whose event is the request) and records where it came from.
// Local `serve` has no envelope and parses its HTTP body with ParseRequestBody. Pure functions.
#ifndef RIDESWEEP_SWEEP_ENVELOPE_H_
#define RIDESWEEP_SWEEP_ENVELOPE_H_

#include <cstdint>
#include <string_view>

#include "ridesweep/base/json_value.h"
#include "ridesweep/sweep/api_error.h"

namespace ridesweep::sweep {

// DO NOT CHANGE the names: stored in run_context.request_source and the manifest.
enum class RequestSource : uint8_t { kApiGateway, kLambdaInvoke, kLocalHttp, kLocalCli };
std::string_view RequestSourceName(RequestSource source);  // api_gateway | lambda_invoke | local_http | local_cli

struct UnwrappedRequest {
  JsonValue request;
  RequestSource source = RequestSource::kApiGateway;
};

// §1.2 rows 1–6. 400 errors: `Request payload must be a JSON object`, `Request body must be a JSON object`,
// `Malformed JSON body: body is not valid base64`, `Malformed JSON body: <description> at line <L> column <C>`.
// A string body is base64-decoded first when `isBase64Encoded` is true; a null body becomes `{}`.
ApiResult<UnwrappedRequest> UnwrapApiEvent(JsonValue event);

// Parses request text (a string body or a local HTTP body); 400 `Malformed JSON body: …` on failure.
ApiResult<JsonValue> ParseRequestBody(std::string_view body);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_ENVELOPE_H_
