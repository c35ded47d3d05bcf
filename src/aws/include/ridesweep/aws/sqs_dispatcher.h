// SqsDispatcher is the cloud ShardDispatcher (spec/sweep.md §5.4): it groups consecutive shard messages into
// SendMessageBatch calls of at most 10 entries and 262 144 body bytes (entry Id "s<shard_id>", no attributes),
// keeps up to `concurrency` calls in flight, retries whole calls that fail with network errors, HTTP 5xx or
// throttling, and entries that fail with SenderFault=false, up to 3 times each with 100 ms × 2^n full-jitter
// backoff; SenderFault=true is final. No call starts after the time budget (20 s); shards not sent by then fail
// with `dispatch time budget exhausted`. The reply's MD5OfMessageBody is checked like the SDKs do. SQS JSON
// protocol (application/x-amz-json-1.0, X-Amz-Target: AmazonSQS.SendMessageBatch). Thread-safe; build once per
// process.
#ifndef RIDESWEEP_AWS_SQS_DISPATCHER_H_
#define RIDESWEEP_AWS_SQS_DISPATCHER_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ridesweep/aws/credentials.h"
#include "ridesweep/aws/endpoint.h"
#include "ridesweep/aws/http_client.h"
#include "ridesweep/aws/http_transport.h"
#include "ridesweep/sweep/ports.h"

namespace ridesweep::aws {

struct SqsDispatcherOptions {
  std::string queue_url;                    // SHARD_QUEUE_URL
  std::string region;                       // Signing region.
  std::optional<std::string> endpoint_url;  // SWEEP_SQS_ENDPOINT; unset: https://sqs.<region>.amazonaws.com
  size_t concurrency = 8;                   // SWEEP_DISPATCH_CONCURRENCY (1..64)
  std::chrono::milliseconds time_budget{20'000};
  HttpClientOptions http = {.retry = DispatchRetryPolicy()};  // Whole-call retries and test seams.
};

class SqsDispatcher final : public sweep::ShardDispatcher {
 public:
  // kInvalidArgument for an empty queue URL or region, a bad endpoint URL, or concurrency outside 1..64.
  static Result<std::unique_ptr<SqsDispatcher>> Create(SqsDispatcherOptions options, Credentials credentials,
                                                       std::shared_ptr<HttpTransport> transport);

  std::string_view target() const override { return queue_url_; }
  // Budget measured from this call.
  sweep::DispatchReport Dispatch(std::span<const sweep::ShardMessage> messages) override;
  // Same, with an explicit moment after which no call starts (e.g. request start + 20 s).
  sweep::DispatchReport DispatchUntil(std::span<const sweep::ShardMessage> messages,
                                      std::chrono::steady_clock::time_point no_call_after);

 private:
  SqsDispatcher(std::string queue_url, Endpoint endpoint, size_t concurrency, std::chrono::milliseconds budget,
                RetryPolicy entry_retry, std::unique_ptr<HttpClient> client);

  std::string queue_url_;
  Endpoint endpoint_;
  size_t concurrency_;
  std::chrono::milliseconds time_budget_;
  RetryPolicy entry_retry_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_SQS_DISPATCHER_H_
