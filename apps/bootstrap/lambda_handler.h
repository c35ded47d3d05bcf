// The unified Lambda handler of `bootstrap` (spec/sweep.md §6): one process serves API Gateway proxy events,
// direct invocations and SQS batches. Init (once per execution environment) reads the §8 configuration and the
// AWS environment, builds the S3 store, the SQS dispatcher (only when SHARD_QUEUE_URL is set), one Parquet encoder
// per point thread (SWEEP_POINT_THREADS) and the manifest cache; every invocation then reuses them. Per event:
//   - SQS batch (IsSqsEvent) → the §7.1 batch handler under the invocation's deadline guard; the answer is the
//     partial batch response. When no record can be handled (worker misconfiguration, missing bucket, missing
//     AWS credentials or region) the invocation fails with errorType `Misconfiguration`, so the batch returns.
//   - anything else → the accept path (SubmitLambdaEvent); the answer is always a proxy response, never an
//     invocation error: a missing setting (including credentials or region) is a 500 `misconfiguration` after the
//     request checks of §1.4 steps 1–12, an unexpected exception a 500 `internal_error`. Dispatch never starts a
//     SendMessageBatch later than 20 s after the request began (§5.4).
// Log events request_received, request_completed, request_failed, misconfiguration (§9) go to the injected sink
// (stderr in `bootstrap`). Invocations are handled one at a time (the Runtime API loop is sequential).
#ifndef RIDESWEEP_APPS_BOOTSTRAP_LAMBDA_HANDLER_H_
#define RIDESWEEP_APPS_BOOTSTRAP_LAMBDA_HANDLER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/aws/lambda_runtime.h"
#include "ridesweep/base/object_store.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sweep/config.h"
#include "ridesweep/sweep/dataset_writer.h"
#include "ridesweep/sweep/ports.h"
#include "ridesweep/sweep/shard_spill.h"
#include "ridesweep/sweep/structured_log.h"
#include "ridesweep/sweep/worker.h"

namespace ridesweep::bootstrap {

// DO NOT CHANGE: errorType of the SQS path's invocation error (spec/sweep.md §6).
inline constexpr std::string_view kMisconfigurationErrorType = "Misconfiguration";
// §5.4: no SendMessageBatch starts later than this after the request began.
inline constexpr std::chrono::milliseconds kDispatchTimeBudget{20'000};

// Enqueues messages, starting no call after `no_call_after` (aws::SqsDispatcher::DispatchUntil in production).
using DispatchUntilFn = std::function<sweep::DispatchReport(std::span<const sweep::ShardMessage> messages,
                                                            std::chrono::steady_clock::time_point no_call_after)>;

// Everything the handler uses, built once. Pointers and functions are owned by whoever built them (Init owns the
// production ones) and must outlive the handler.
struct HandlerComponents {
  sweep::SweepConfig config;
  // The first problem of each path (configuration, then AWS credentials/region, then client construction);
  // nullopt when the path can run. When set, the path's collaborators below may be null.
  std::optional<std::string> api_problem;
  std::optional<std::string> worker_problem;
  ObjectStore* store = nullptr;
  sweep::DatasetEncoder* encoder = nullptr;
  // SWEEP_POINT_THREADS − 1 more encoders: a shard's points then run on that many threads at once (the first on
  // `encoder`). Empty: one point at a time.
  std::vector<sweep::DatasetEncoder*> point_encoders;
  sweep::ManifestCache* manifests = nullptr;
  sweep::CancelWatch* cancels = nullptr;  // may be null: every cancel look-up then asks the store
  // Spills of per_shard shards; empty: the handler makes a store::ParquetShardSpillFactory, whose pool of open
  // spills then serves every warm invocation.
  sweep::ShardSpillFactory spills;
  std::string dispatch_target;  // the queue URL
  DispatchUntilFn dispatch;
  const sweep::Clock* clock = nullptr;
  std::function<std::chrono::steady_clock::time_point()> steady_now;  // default steady_clock::now
  sweep::StructuredLog* log = nullptr;                                 // may be null
};

class LambdaHandler {
 public:
  explicit LambdaHandler(HandlerComponents components);

  // Handles one invocation; never throws (an escaping exception becomes a 500 proxy response on the API path
  // and an invocation error on the SQS path).
  aws::LambdaOutcome Handle(const aws::LambdaInvocation& invocation);

 private:
  aws::LambdaOutcome HandleSqs(const aws::LambdaInvocation& invocation, const JsonValue& event,
                               sweep::WallTime started);
  aws::LambdaOutcome HandleApi(const aws::LambdaInvocation& invocation, std::string_view event_kind,
                               sweep::WallTime started);
  void LogMisconfiguration(const std::string& message);
  int64_t ElapsedMs(sweep::WallTime started) const;

  HandlerComponents c_;
  std::vector<sweep::DatasetEncoder*> point_encoders_;  // c_.encoder, then c_.point_encoders: one per point thread
};

// The production process state: configuration, AWS clients, encoder, cache, log and the handler. One per process.
class LambdaApp {
 public:
  // Reads the environment once and builds every client. Missing settings, credentials or region do not fail
  // init (each path reports them per invocation); only a Parquet encoder that cannot start does (kInternal),
  // which `bootstrap` reports to /runtime/init/error.
  static Result<std::unique_ptr<LambdaApp>> Create(const sweep::EnvironmentLookup& lookup,
                                                   sweep::StructuredLog::Sink sink);
  ~LambdaApp();

  LambdaHandler& handler() { return *handler_; }
  sweep::StructuredLog& log() { return *log_; }
  const HandlerComponents& components() const { return components_; }

 private:
  LambdaApp();
  struct Owned;
  std::unique_ptr<Owned> owned_;
  sweep::SystemClock clock_;
  std::unique_ptr<sweep::StructuredLog> log_;
  HandlerComponents components_;
  std::unique_ptr<LambdaHandler> handler_;
};

// The whole `bootstrap` process: endpoint from AWS_LAMBDA_RUNTIME_API, init (init errors to /runtime/init/error),
// then the Runtime API loop until `should_stop` (empty: forever). Returns the process exit code (1 when the
// endpoint is missing or init failed).
int RunBootstrap(const sweep::EnvironmentLookup& lookup, sweep::StructuredLog::Sink sink,
                 std::function<bool()> should_stop = {});

}  // namespace ridesweep::bootstrap

#endif  // RIDESWEEP_APPS_BOOTSTRAP_LAMBDA_HANDLER_H_
