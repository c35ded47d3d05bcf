// Exponential backoff with full jitter.
#include "ridesweep/aws/retry_policy.h"

#include <algorithm>

namespace ridesweep::aws {

std::chrono::milliseconds RetryPolicy::Ceiling(int retry_index) const {
  const int shift = std::clamp(retry_index, 0, 30);
  const int64_t base = std::max<int64_t>(base_delay.count(), 0);
  const int64_t cap = std::max<int64_t>(max_delay.count(), 0);
  // base × 2^shift without overflow: once past the cap, stay at the cap.
  int64_t ceiling = base;
  for (int i = 0; i < shift && ceiling < cap; ++i) ceiling *= 2;
  return std::chrono::milliseconds(std::min(ceiling, cap));
}

std::chrono::milliseconds RetryPolicy::Delay(int retry_index, double unit_random) const {
  const double u = std::clamp(unit_random, 0.0, 1.0);
  const auto ceiling = static_cast<double>(Ceiling(retry_index).count());
  auto ms = static_cast<int64_t>(ceiling * u);
  if (ms >= static_cast<int64_t>(ceiling) && ceiling > 0) ms = static_cast<int64_t>(ceiling) - 1;
  return std::chrono::milliseconds(std::max<int64_t>(ms, 0));
}

RetryPolicy StoreRetryPolicy() {
  return RetryPolicy{
      .max_attempts = 5, .base_delay = std::chrono::milliseconds(100), .max_delay = std::chrono::milliseconds(5'000)};
}

RetryPolicy DispatchRetryPolicy() {
  // 3 retries: waits of at most 100, 200 and 400 ms; the cap never binds.
  return RetryPolicy{
      .max_attempts = 4, .base_delay = std::chrono::milliseconds(100), .max_delay = std::chrono::milliseconds(800)};
}

}  // namespace ridesweep::aws
