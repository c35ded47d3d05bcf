#include "ridesweep/base/exception_text.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace ridesweep {
namespace {

TEST(ExceptionTextTest, StandardExceptionsGiveTheirWhat) {
  try {
    throw std::runtime_error("disk on fire");
  } catch (...) {
    EXPECT_EQ(CurrentExceptionText(), "disk on fire");
  }
}

TEST(ExceptionTextTest, AnythingElseIsUnknown) {
  try {
    throw 42;
  } catch (...) {
    EXPECT_EQ(CurrentExceptionText(), "unknown exception");
  }
}

TEST(ExceptionTextTest, AStoredExceptionCanBeReadLater) {
  const std::exception_ptr stored = std::make_exception_ptr(std::logic_error("later"));
  EXPECT_EQ(ExceptionText(stored), "later");
}

}  // namespace
}  // namespace ridesweep
