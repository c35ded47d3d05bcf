// Result<T> holds either a value or a non-OK Status; the return type of fallible functions that produce
// something. Shaped so it can become an alias of std::expected<T, Status> once the toolchain has it.
#ifndef RIDESWEEP_BASE_RESULT_H_
#define RIDESWEEP_BASE_RESULT_H_

#include <cstdlib>
#include <optional>
#include <type_traits>
#include <utility>

#include "ridesweep/base/check.h"
#include "ridesweep/base/status.h"

namespace ridesweep {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit from a value or from an error, so `return value;` and `return SomeError(...);` both work.
  Result(const T& value) : value_(value) {}  // NOLINT(google-explicit-constructor)
  Result(T&& value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    RIDESWEEP_CHECK(!status_.ok()) << "Result constructed from an OK status";
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  const T& value() const& {
    RIDESWEEP_CHECK(ok()) << status_.ToString();
    return *value_;
  }
  T& value() & {
    RIDESWEEP_CHECK(ok()) << status_.ToString();
    return *value_;
  }
  T&& value() && {
    RIDESWEEP_CHECK(ok()) << status_.ToString();
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace ridesweep

#define RIDESWEEP_CONCAT_INNER_(a, b) a##b
#define RIDESWEEP_CONCAT_(a, b) RIDESWEEP_CONCAT_INNER_(a, b)
#define RIDESWEEP_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                     \
  if (!tmp.ok()) return tmp.status();                    \
  lhs = std::move(tmp).value()
// RIDESWEEP_ASSIGN_OR_RETURN(auto x, Fallible()); returns the error status from the enclosing function.
#define RIDESWEEP_ASSIGN_OR_RETURN(lhs, expr) \
  RIDESWEEP_ASSIGN_OR_RETURN_IMPL_(RIDESWEEP_CONCAT_(_rs_result_, __LINE__), lhs, expr)

#endif  // RIDESWEEP_BASE_RESULT_H_
