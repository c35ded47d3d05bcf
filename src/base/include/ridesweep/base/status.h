// Status is the cheap error value every layer returns for expected failures: a code plus a message.
// OK carries no allocation. Exceptions stay at the boundaries (mains, adapters); see
// docs/decisions/0001-errors.md. IsRetryable() is the single predicate that separates transient from
// permanent failures.
#ifndef RIDESWEEP_BASE_STATUS_H_
#define RIDESWEEP_BASE_STATUS_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace ridesweep {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,     // Caller's fault; never retried (HTTP 400).
  kNotFound,            // A key, run or file does not exist.
  kConflict,            // Already exists with different content (HTTP 409).
  kFailedPrecondition,  // Permanent: this input can never succeed as sent.
  kUnavailable,         // Transient: network, throttling, 5xx. Retryable.
  kDeadlineExceeded,    // Transient: ran out of time. Retryable.
  kCancelled,           // The caller asked to stop.
  kInternal,            // A bug or an unexpected environment failure.
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : rep_(code == StatusCode::kOk ? nullptr : std::make_shared<Rep>(Rep{code, std::move(message)})) {}

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Empty for OK.
  const std::string& message() const;
  // True for kUnavailable and kDeadlineExceeded: worth another attempt.
  bool IsRetryable() const {
    return code() == StatusCode::kUnavailable || code() == StatusCode::kDeadlineExceeded;
  }
  // "CODE: message", for logs.
  std::string ToString() const;

  // Returns a copy whose message is `prefix` + the old message (same code).
  Status WithPrefix(std::string_view prefix) const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;
};

inline Status InvalidArgumentError(std::string m) { return Status(StatusCode::kInvalidArgument, std::move(m)); }
inline Status NotFoundError(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
inline Status ConflictError(std::string m) { return Status(StatusCode::kConflict, std::move(m)); }
inline Status FailedPreconditionError(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status UnavailableError(std::string m) { return Status(StatusCode::kUnavailable, std::move(m)); }
inline Status DeadlineExceededError(std::string m) { return Status(StatusCode::kDeadlineExceeded, std::move(m)); }
inline Status CancelledError(std::string m) { return Status(StatusCode::kCancelled, std::move(m)); }
inline Status InternalError(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

}  // namespace ridesweep

#define RIDESWEEP_RETURN_IF_ERROR(expr)              \
  do {                                               \
    ::ridesweep::Status _rs_status = (expr);         \
    if (!_rs_status.ok()) return _rs_status;         \
  } while (false)

#endif  // RIDESWEEP_BASE_STATUS_H_
