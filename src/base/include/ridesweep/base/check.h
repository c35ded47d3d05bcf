// RIDESWEEP_CHECK(cond) << "context": aborts with a message when an internal invariant is broken (a bug).
// Always on. RIDESWEEP_DCHECK is the same in debug builds and compiles to nothing otherwise.
// No input may ever trigger either: bad input is reported with a Status.
#ifndef RIDESWEEP_BASE_CHECK_H_
#define RIDESWEEP_BASE_CHECK_H_

#include <sstream>

namespace ridesweep::internal {

class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* condition);
  [[noreturn]] ~CheckFailure();
  CheckFailure(const CheckFailure&) = delete;
  CheckFailure& operator=(const CheckFailure&) = delete;
  template <typename T>
  CheckFailure& operator<<(const T& value) {
    stream_ << value;
    return *this;
  }

 private:
  std::ostringstream stream_;
};

// Swallows the streamed context when a check is compiled out.
struct NullStream {
  template <typename T>
  NullStream& operator<<(const T&) {
    return *this;
  }
};

}  // namespace ridesweep::internal

#define RIDESWEEP_CHECK(cond) \
  if (__builtin_expect(!!(cond), 1)) {} else ::ridesweep::internal::CheckFailure(__FILE__, __LINE__, #cond)

#ifdef NDEBUG
#define RIDESWEEP_DCHECK(cond) \
  if (true) {} else ::ridesweep::internal::NullStream()
#else
#define RIDESWEEP_DCHECK(cond) RIDESWEEP_CHECK(cond)
#endif

#endif  // RIDESWEEP_BASE_CHECK_H_
