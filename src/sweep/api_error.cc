// ApiError bodies (spec/sweep.md §5.6: keys sorted byte-wise).
#include "ridesweep/sweep/api_error.h"

#include "ridesweep/base/json_writer.h"

namespace ridesweep::sweep {

std::string ApiError::Body() const {
  JsonObject body = extra;
  body.Set("error", JsonValue::String(error));
  body.Set("message", JsonValue::String(message));
  return ToCanonicalJson(JsonValue::Object(std::move(body)));
}

ApiError MakeValidationError(std::string message) {
  ApiError e;
  e.status_code = 400;
  e.error = kErrorValidation;
  e.message = std::move(message);
  return e;
}

ApiError MakeMisconfigurationError(std::string message) {
  ApiError e;
  e.status_code = 500;
  e.error = kErrorMisconfiguration;
  e.message = std::move(message);
  return e;
}

}  // namespace ridesweep::sweep
