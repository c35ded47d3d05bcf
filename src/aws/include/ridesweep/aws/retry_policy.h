// RetryPolicy says how often and how long to wait before re-sending a request that failed transiently:
// exponential backoff with "full jitter" (the wait before retry n, counting from 0, is uniform in
// [0, min(max_delay, base_delay × 2^n)]). Two policies are in use (spec/sweep.md): the store client's
// (§7.3: up to 5 attempts, from 100 ms, capped at 5 s) and the dispatcher's (§5.4: up to 3 retries of
// 100 ms × 2^n). Plain value type; pure.
#ifndef RIDESWEEP_AWS_RETRY_POLICY_H_
#define RIDESWEEP_AWS_RETRY_POLICY_H_

#include <chrono>

namespace ridesweep::aws {

struct RetryPolicy {
  int max_attempts = 5;  // First attempt included; 1 means never retry.
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{5000};

  // Upper bound of the wait before retry `retry_index` (0 for the wait after the first attempt).
  std::chrono::milliseconds Ceiling(int retry_index) const;
  // Full jitter: Ceiling(retry_index) × unit_random, with unit_random in [0, 1) (clamped).
  std::chrono::milliseconds Delay(int retry_index, double unit_random) const;
};

// §7.3: the S3 store client and the Athena client.
RetryPolicy StoreRetryPolicy();
// §5.4: whole SendMessageBatch calls and failed entries (SenderFault=false): 3 retries after the first call.
RetryPolicy DispatchRetryPolicy();

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_RETRY_POLICY_H_
