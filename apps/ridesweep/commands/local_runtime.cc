// Wiring of the local adapters.
#include "commands/local_runtime.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <optional>
#include <string>

#include "ridesweep/store/parquet_dataset_encoder.h"
#include "ridesweep/store/parquet_shard_spill.h"
#include "ridesweep/sweep/config.h"
#include "ridesweep/sweep/keys.h"

namespace ridesweep::cli {

Result<std::unique_ptr<LocalRuntime>> LocalRuntime::Create(const LocalRuntimeOptions& options) {
  std::unique_ptr<LocalRuntime> rt(new LocalRuntime());
  rt->options_ = options;
  // SWEEP_* variables of spec/sweep.md §8 that apply locally (deadline margin, skip flag, log level); flags win
  // for the results location, threads and the shard ceiling.
  const sweep::SweepConfig sweep_env = sweep::LoadSweepConfig(sweep::DeploymentMode::kLocal, sweep::ProcessEnvironment());
  if (sweep_env.worker_misconfiguration) return InvalidArgumentError(*sweep_env.worker_misconfiguration);
  if (std::optional<std::string> problem = sweep::ResultsPrefixProblem(options.location.Prefix())) {
    return InvalidArgumentError("results prefix '" + options.location.Prefix() + "' is invalid: " + *problem);
  }
  RIDESWEEP_ASSIGN_OR_RETURN(rt->store_, OpenResultsStore(options.location, /*create=*/true));
  rt->log_ = std::make_unique<sweep::StructuredLog>(LogSink(options.log_output, isatty(STDERR_FILENO) == 1),
                                                    &rt->clock_, options.log_output.Level(options.log_level));
  // The submit path's encoder (a DuckDB database, ~10 ms to make and warm) is made while the pool's threads make
  // theirs (made on this thread instead if no thread can be started); the future's destructor waits for it on
  // every return path.
  std::future<Result<std::unique_ptr<store::ParquetDatasetEncoder>>> submit_encoder =
      std::async(std::launch::async | std::launch::deferred, [] { return store::ParquetDatasetEncoder::Create(); });

  sweep::WorkerContext worker;
  worker.store = rt->store_.get();
  worker.clock = &rt->clock_;
  worker.log = rt->log_.get();
  worker.manifests = &rt->manifests_;
  worker.cancels = &rt->cancels_;
  worker.spills = store::ParquetShardSpillFactory();
  worker.config = sweep_env.worker();
  worker.config.results_prefix = options.location.Prefix();
  worker.config.committed_point_check = options.committed_point_check;
  local::ExecutorOptions exec;
  exec.threads = options.threads;
  exec.max_attempts = options.max_attempts;
  if (options.shard_timeout_seconds > 0) exec.shard_timeout = std::chrono::seconds(options.shard_timeout_seconds);
  rt->executor_ = std::make_unique<local::LocalExecutor>(worker, store::ParquetDatasetEncoderFactory(), exec);
  RIDESWEEP_RETURN_IF_ERROR(rt->executor_->Start());
  RIDESWEEP_ASSIGN_OR_RETURN(rt->submit_encoder_, submit_encoder.get());
  return rt;
}

sweep::SubmitResponse LocalRuntime::Submit(std::string_view body, sweep::RequestSource source) {
  std::lock_guard lock(submit_mu_);
  sweep::SubmitContext ctx;
  ctx.store = store_.get();
  ctx.encoder = submit_encoder_.get();
  ctx.dispatcher = executor_.get();
  ctx.clock = &clock_;
  ctx.log = log_.get();
  ctx.config.ingress.max_shards_ceiling = options_.max_shards;
  ctx.config.results_prefix = options_.location.Prefix();
  return sweep::SubmitRequestBytes(body, source, ctx);
}

}  // namespace ridesweep::cli
