// `ridesweep run` implementation.
#include "commands/run_command.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <iomanip>
#include <istream>
#include <ostream>
#include <utility>
#include <vector>

#include "commands/local_runtime.h"
#include "commands/progress_bar.h"
#include "commands/request_file.h"
#include "commands/run_report.h"
#include "commands/sql_dir.h"
#include "ridesweep/analytics/readiness_check.h"
#include "ridesweep/local/dry_run.h"
#include "ridesweep/local/local_sharding_default.h"
#include "ridesweep/store/parquet_dataset_encoder.h"

namespace ridesweep::cli {

CLI::App* AddRunCommand(CLI::App& app, RunOptions& o) {
  CLI::App* cmd = app.add_subcommand("run", "Run a sweep request on this machine (all cores) and summarise it");
  cmd->add_option("request", o.request_path, "Sweep request JSON file, or - for standard input")->required();
  AddResultsLocationOptions(cmd, o.location);
  cmd->add_option("--threads", o.threads, "Worker threads (default: all cores)");
  cmd->add_option("--max-shards", o.max_shards, "Shard ceiling, like the server's MAX_SHARDS")->capture_default_str();
  cmd->add_option("--max-attempts", o.max_attempts, "Attempts per shard before it is dead-lettered")
      ->capture_default_str();
  cmd->add_option("--shard-timeout-seconds", o.shard_timeout_seconds,
                  "Deadline per shard attempt; the deadline guard stops or cancels points against it (0 = none)");
  cmd->add_option("--top", o.top, "Configurations to list in the summary")->capture_default_str();
  cmd->add_flag("--check", o.check, "Run the readiness check (ridesweep ingest) after the sweep");
  cmd->add_flag("--verify", o.verify,
                "Over existing results: recompute the committed points and rewrite every object that is missing "
                "or whose bytes differ (without it, committed points are checked for missing objects only)");
  cmd->add_flag("--json", o.json, "Print the summary as JSON");
  cmd->add_flag("--dry-run", o.dry_run,
                "Validate and plan only: points, shards, objects and bytes per layout, estimated time and cloud "
                "cost; nothing is run or written");
  cmd->add_option("--calibration-points", o.calibration_points,
                  "--dry-run: points simulated in memory to estimate time and bytes (0 = none)")
      ->capture_default_str();
  cmd->add_option("--lambda-memory-mb", o.pricing.lambda_memory_mb, "--dry-run: memory of the cloud worker")
      ->capture_default_str();
  cmd->add_option("--price-lambda-gb-second", o.pricing.prices.lambda_gb_second, "--dry-run: USD per Lambda GB-s")
      ->capture_default_str();
  cmd->add_option("--price-lambda-request", o.pricing.prices.lambda_request, "--dry-run: USD per invocation")
      ->capture_default_str();
  cmd->add_option("--price-sqs-request", o.pricing.prices.sqs_request, "--dry-run: USD per SQS request")
      ->capture_default_str();
  cmd->add_option("--price-s3-put", o.pricing.prices.s3_put_request, "--dry-run: USD per S3 PUT")
      ->capture_default_str();
  cmd->add_option("--price-s3-gb-month", o.pricing.prices.s3_gb_month, "--dry-run: USD per GB-month stored")
      ->capture_default_str();
  return cmd;
}

namespace {

// --dry-run: the accept path and a calibration in memory over the existing results, then the plan.
int RunDryRun(const RunOptions& o, std::string body, std::ostream& out, std::ostream& err) {
  Result<std::unique_ptr<ObjectStore>> base = OpenResultsStore(o.location, /*create=*/false);
  if (!base.ok() && base.status().code() != StatusCode::kNotFound) {
    err << "Error: " << base.status().message() << "\n";
    return 3;
  }
  auto encoder = store::ParquetDatasetEncoder::Create();
  if (!encoder.ok()) {
    err << "Error: " << encoder.status().message() << "\n";
    return 3;
  }
  local::DryRunOptions options;
  options.results_prefix = o.location.Prefix();
  options.max_shards_ceiling = o.max_shards;
  options.threads = o.threads > 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  options.calibration_points = o.calibration_points;
  Result<local::DryRunResult> result =
      local::PlanDryRun(body, base.ok() ? base->get() : nullptr, **encoder, options);
  if (!result.ok()) {
    err << "Error: " << result.status().message() << "\n";
    return 3;
  }
  if (!result->plan.has_value()) {
    out << result->response.body << "\n";
    return result->response.status_code < 500 ? 2 : 3;
  }
  if (o.json) {
    PrintDryRunJson(*result->plan, o.pricing, out);
  } else {
    PrintDryRunText(*result->plan, o.pricing, out);
  }
  return 0;
}

}  // namespace

int RunRunCommand(const RunOptions& o, const std::atomic<bool>& interrupted, std::istream& in, std::ostream& out,
                  std::ostream& err) {
  Result<std::string> request = ReadRequestFile(o.request_path, in);
  if (!request.ok()) {
    err << "Error: " << request.status().message() << "\n";
    return 2;
  }
  if (o.dry_run) {
    std::string body = std::move(request).value();
    if (std::optional<std::string> defaulted = local::WithLocalShardingDefault(body)) body = std::move(*defaulted);
    return RunDryRun(o, std::move(body), out, err);
  }
  LocalRuntimeOptions runtime_options;
  runtime_options.location = o.location;
  runtime_options.threads = o.threads;
  runtime_options.max_shards = o.max_shards;
  runtime_options.max_attempts = o.max_attempts;
  runtime_options.shard_timeout_seconds = o.shard_timeout_seconds;
  if (o.verify) runtime_options.committed_point_check = sweep::CommittedPointCheck::kContent;
  runtime_options.log_output = o.log;
  auto runtime = LocalRuntime::Create(runtime_options);
  if (!runtime.ok()) {
    err << "Error: " << runtime.status().message() << "\n";
    return 3;
  }
  std::string body = std::move(request).value();
  if (std::optional<std::string> defaulted = local::WithLocalShardingDefault(body)) {
    if (!o.log.quiet) err << "No shard_count or shard_size in the request: running with shard_count " << local::kLocalDefaultShardCount
        << " (the local default; the API requires one of them)\n";
    body = std::move(*defaulted);
  }
  const auto start = std::chrono::steady_clock::now();
  sweep::SubmitResponse response = (*runtime)->Submit(body, sweep::RequestSource::kLocalCli);
  out << response.body << "\n" << std::flush;
  if (response.status_code != 202) return response.status_code < 500 ? 2 : 3;
  const sweep::RunManifest& manifest = response.accepted->manifest;

  std::optional<ProgressBar> bar;  // none with --quiet
  if (!o.log.quiet) bar.emplace(err, isatty(STDERR_FILENO) == 1);
  local::LocalExecutor& executor = (*runtime)->executor();
  executor.WaitUntilIdle([&](const local::ExecutorStats& s) {
    if (interrupted.load() && !executor.stop_requested()) {
      err << "\nInterrupted: finishing the points in flight; committed work is kept, rerun to complete.\n";
      executor.RequestStop();
    }
    if (bar) bar->Update(s.points_done, s.points_total, s.shards_failed + s.shards_dead_lettered);
  });
  if (bar) bar->Finish();
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const local::ExecutorStats stats = executor.stats();
  std::vector<local::DeadLetter> dead_letters = executor.dead_letters();
  runtime->reset();  // Joins the pool before the results are read.

  RunReportInputs report;
  report.run_id = manifest.normalized_request.run_id;
  report.run_date = manifest.run_date;
  report.location = o.location;
  report.wall_seconds = wall_s;
  report.top = o.top;
  report.shards_planned = manifest.shard_ranges.size();
  report.shards_succeeded = stats.shards_succeeded;
  report.shards_failed = stats.shards_failed;
  report.shards_dead_lettered = stats.shards_dead_lettered;
  report.dead_letters = std::move(dead_letters);
  report.points_planned = manifest.normalized_request.total_points;
  report.interrupted = interrupted.load();
  const bool all_ok = PrintRunReport(report, o.json, out, err);
  // 130 (128 + SIGINT) after Ctrl-C, as shells report a command stopped by it; the committed work is kept.
  constexpr int kExitInterrupted = 130;
  int exit_code = report.interrupted ? kExitInterrupted : (all_ok ? 0 : 1);

  if (o.check && !report.interrupted) {
    auto sql_dir = FindSqlDir();
    if (!sql_dir.ok()) {
      err << "Ingest error: " << sql_dir.status().message() << "\n";
      return 3;
    }
    analytics::LocalIngestOptions ingest;
    ingest.run_id = report.run_id;
    ingest.results_dir = o.location.Dir();
    ingest.results_prefix = o.location.Prefix();
    ingest.sql_dir = *sql_dir;
    const analytics::ReadinessReport readiness = analytics::RunLocalIngest(ingest);
    std::ostream& lines_to = readiness.IsResult() ? out : err;
    for (const std::string& line : readiness.Lines()) lines_to << line << "\n";
    if (readiness.exit_code_value() != 0) exit_code = 1;
  }
  return exit_code;
}

}  // namespace ridesweep::cli
