// ApiError is a failure of the API path that becomes an HTTP answer (spec/sweep.md §5.6): a status code, the
// `error` kind, the message and any further body keys. ApiResult<T> holds either a value or an ApiError; the
// ingress pipeline returns it so 400s (caller's fault) and 500s (misconfiguration) stay apart. Plain values.
#ifndef RIDESWEEP_SWEEP_API_ERROR_H_
#define RIDESWEEP_SWEEP_API_ERROR_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ridesweep/base/check.h"
#include "ridesweep/base/json_value.h"

namespace ridesweep::sweep {

// DO NOT CHANGE: the `error` values of §5.6 bodies.
inline constexpr std::string_view kErrorValidation = "validation_error";
inline constexpr std::string_view kErrorRunIdConflict = "run_id_conflict";
inline constexpr std::string_view kErrorMisconfiguration = "misconfiguration";
inline constexpr std::string_view kErrorRunContextSerialization = "run_context_serialization_error";
inline constexpr std::string_view kErrorRunContextPersistFailed = "run_context_persist_failed";
inline constexpr std::string_view kErrorRunManifestFailed = "run_manifest_failed";
inline constexpr std::string_view kErrorSerialization = "serialization_error";
inline constexpr std::string_view kErrorDispatchFailed = "dispatch_failed";
inline constexpr std::string_view kErrorDispatchPanicked = "dispatch_panicked";
inline constexpr std::string_view kErrorInternal = "internal_error";
inline constexpr std::string_view kErrorNotFound = "not_found";
inline constexpr std::string_view kErrorMethodNotAllowed = "method_not_allowed";
inline constexpr std::string_view kErrorPayloadTooLarge = "payload_too_large";

struct ApiError {
  int status_code = 400;
  std::string error{kErrorValidation};
  std::string message;
  // Body keys besides `error` and `message` (e.g. run_context, run_date). Written with sorted keys.
  JsonObject extra;

  // The response body: a JSON object with all keys sorted byte-wise.
  std::string Body() const;
};

// 400 validation_error.
ApiError MakeValidationError(std::string message);
// 500 misconfiguration.
ApiError MakeMisconfigurationError(std::string message);

template <typename T>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T value) : value_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  ApiResult(ApiError error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return value_.has_value(); }
  // REQUIRES: !ok().
  const ApiError& error() const& {
    RIDESWEEP_CHECK(!ok());
    return error_;
  }
  ApiError&& error() && {
    RIDESWEEP_CHECK(!ok());
    return std::move(error_);
  }
  // REQUIRES: ok().
  const T& value() const& {
    RIDESWEEP_CHECK(ok()) << error_.message;
    return *value_;
  }
  T& value() & {
    RIDESWEEP_CHECK(ok()) << error_.message;
    return *value_;
  }
  T&& value() && {
    RIDESWEEP_CHECK(ok()) << error_.message;
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::optional<T> value_;
  ApiError error_;
};

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_API_ERROR_H_
