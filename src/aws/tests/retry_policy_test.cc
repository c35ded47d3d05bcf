// Backoff ceilings and full jitter of the two retry policies of spec/sweep.md.
#include "ridesweep/aws/retry_policy.h"

#include <gtest/gtest.h>

namespace ridesweep::aws {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicyTest, StorePolicyDoublesFrom100msAndCapsAt5s) {
  const RetryPolicy p = StoreRetryPolicy();
  EXPECT_EQ(p.max_attempts, 5);
  EXPECT_EQ(p.Ceiling(0), milliseconds(100));
  EXPECT_EQ(p.Ceiling(1), milliseconds(200));
  EXPECT_EQ(p.Ceiling(2), milliseconds(400));
  EXPECT_EQ(p.Ceiling(5), milliseconds(3'200));
  EXPECT_EQ(p.Ceiling(6), milliseconds(5'000));
  EXPECT_EQ(p.Ceiling(1'000), milliseconds(5'000));  // No overflow.
}

TEST(RetryPolicyTest, DispatchPolicyIsThreeRetriesOf100msTimesTwoToTheN) {
  const RetryPolicy p = DispatchRetryPolicy();
  EXPECT_EQ(p.max_attempts, 4);
  EXPECT_EQ(p.Ceiling(0), milliseconds(100));
  EXPECT_EQ(p.Ceiling(1), milliseconds(200));
  EXPECT_EQ(p.Ceiling(2), milliseconds(400));
}

TEST(RetryPolicyTest, FullJitterSpansZeroToTheCeiling) {
  const RetryPolicy p = StoreRetryPolicy();
  EXPECT_EQ(p.Delay(2, 0.0), milliseconds(0));
  EXPECT_EQ(p.Delay(2, 0.5), milliseconds(200));
  EXPECT_LT(p.Delay(2, 0.999999), milliseconds(400));
  EXPECT_EQ(p.Delay(2, 0.999999), milliseconds(399));
  EXPECT_LT(p.Delay(2, 7.0), milliseconds(400));  // Out-of-range randomness is clamped.
  EXPECT_EQ(p.Delay(2, -1.0), milliseconds(0));
}

}  // namespace
}  // namespace ridesweep::aws
