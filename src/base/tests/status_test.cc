// Status and Result behave as values and carry codes, messages and retryability.
#include "ridesweep/base/result.h"
#include "ridesweep/base/status.h"

#include <gtest/gtest.h>

#include <string>

namespace ridesweep {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) return InvalidArgumentError("odd");
  return v / 2;
}

Status UseHalf(int v, int* out) {
  RIDESWEEP_ASSIGN_OR_RETURN(*out, Half(v));
  return Status::Ok();
}

TEST(StatusTest, OkIsCheapAndEmpty) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, RetryableOnlyForTransientCodes) {
  EXPECT_TRUE(UnavailableError("x").IsRetryable());
  EXPECT_TRUE(DeadlineExceededError("x").IsRetryable());
  EXPECT_FALSE(InvalidArgumentError("x").IsRetryable());
  EXPECT_FALSE(FailedPreconditionError("x").IsRetryable());
  EXPECT_FALSE(InternalError("x").IsRetryable());
}

TEST(StatusTest, WithPrefixKeepsCode) {
  Status s = NotFoundError("key").WithPrefix("Failed: ");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "Failed: key");
}

TEST(ResultTest, ValueAndErrorPropagate) {
  int out = 0;
  EXPECT_TRUE(UseHalf(8, &out).ok());
  EXPECT_EQ(out, 4);
  Status s = UseHalf(3, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "odd");
}

TEST(CheckDeathTest, FailedCheckAbortsWithContext) {
  EXPECT_DEATH({ RIDESWEEP_CHECK(1 + 1 == 3) << "arithmetic"; }, "check failed: 1 \\+ 1 == 3 arithmetic");
}

}  // namespace
}  // namespace ridesweep
