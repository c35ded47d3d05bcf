// LocalRuntime wires the embedded default's adapters for `run` and `serve`: the results store, a structured log on
// stderr, the Parquet encoders, the local executor (which is also the shard dispatcher) and the submit context.
// Owns everything it builds; one per process.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_LOCAL_RUNTIME_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_LOCAL_RUNTIME_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "commands/log_output.h"
#include "commands/results_location.h"
#include "ridesweep/local/local_executor.h"
#include "ridesweep/sweep/submit.h"
#include "ridesweep/sweep/worker.h"

namespace ridesweep::cli {

struct LocalRuntimeOptions {
  ResultsLocation location;
  size_t threads = 0;                    // 0 = hardware threads
  uint64_t max_shards = 1000;            // plays the server's MAX_SHARDS ceiling
  uint32_t max_attempts = 5;
  uint64_t shard_timeout_seconds = 0;    // 0 = no deadline
  sweep::LogLevel log_level = sweep::LogLevel::kWarn;  // the command's default; see LogOutput::Level
  LogOutput log_output;                                // --log-format, --quiet, --verbose
  // A rerun over existing results checks that the points it skips still have all their objects (`--verify`:
  // identical bytes) and rewrites what is missing or damaged.
  sweep::CommittedPointCheck committed_point_check = sweep::CommittedPointCheck::kObjects;
};

class LocalRuntime {
 public:
  // Opens the store (creating the directory) and starts the worker pool.
  static Result<std::unique_ptr<LocalRuntime>> Create(const LocalRuntimeOptions& options);

  // Validates and accepts a request, enqueueing its shards on the pool. Thread-safe.
  sweep::SubmitResponse Submit(std::string_view body, sweep::RequestSource source);
  local::LocalExecutor& executor() { return *executor_; }
  ObjectStore& store() { return *store_; }
  const LocalRuntimeOptions& options() const { return options_; }

 private:
  LocalRuntime() = default;
  LocalRuntimeOptions options_;
  sweep::SystemClock clock_;
  std::unique_ptr<ObjectStore> store_;
  std::unique_ptr<sweep::StructuredLog> log_;
  sweep::ManifestCache manifests_;
  sweep::CancelWatch cancels_;
  std::unique_ptr<sweep::DatasetEncoder> submit_encoder_;
  std::mutex submit_mu_;  // The submit encoder serves one request at a time.
  std::unique_ptr<local::LocalExecutor> executor_;
};

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_LOCAL_RUNTIME_H_
