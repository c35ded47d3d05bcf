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
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "commands/local_runtime.h"
#include "commands/progress_bar.h"
#include "commands/request_file.h"
#include "commands/run_report.h"
#include "commands/sql_dir.h"
#include "ridesweep/analytics/readiness_check.h"
#include "ridesweep/base/json_indented.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/local/dry_run.h"
#include "ridesweep/local/local_sharding_default.h"
#include "ridesweep/store/parquet_dataset_encoder.h"

namespace ridesweep::cli {
namespace {

// A JSON body indented for reading; text that does not parse is passed through unchanged.
std::string IndentedOrRaw(const std::string& body) {
  Result<JsonValue> parsed = ParseJson(body);
  return parsed.ok() ? ToIndentedJson(*parsed) : body;
}

// "Error: <message> (HTTP <status> <code>)" from a sorted-key error body.
std::string RejectionLine(int status_code, const std::string& body) {
  Result<JsonValue> parsed = ParseJson(body);
  const JsonValue* code = nullptr;
  const JsonValue* message = nullptr;
  if (parsed.ok() && parsed->is_object()) {
    code = parsed->as_object().Find("error");
    message = parsed->as_object().Find("message");
  }
  if (code == nullptr || message == nullptr || !code->is_string() || !message->is_string()) {
    return "Error: request rejected (HTTP " + std::to_string(status_code) + "): " + body;
  }
  return "Error: " + message->as_string() + " (HTTP " + std::to_string(status_code) + " " + code->as_string() + ")";
}

// A rejection is a diagnostic (one line on stderr); with --json the error body is the one document on stdout.
// Returns the exit code: 2 for a rejected request (4xx), 3 for a server-side failure (5xx).
int PrintRejection(int status_code, const std::string& body, bool json, std::ostream& out, std::ostream& err) {
  if (json) {
    out << IndentedOrRaw(body) << "\n";
  } else {
    err << RejectionLine(status_code, body) << "\n";
  }
  return status_code < 500 ? 2 : 3;
}

// `run --json`: {"submission": <202 body>, <summary members>, "readiness": {...}} as one document.
std::string RunDocument(const std::string& submission_body, JsonValue summary,
                        const std::optional<analytics::ReadinessReport>& readiness) {
  JsonObject doc;
  Result<JsonValue> submission = ParseJson(submission_body);
  doc.Set("submission", submission.ok() ? std::move(*submission) : JsonValue::String(submission_body));
  if (summary.is_object()) {
    for (JsonMember& m : summary.as_object().mutable_members()) doc.Set(std::move(m.key), std::move(m.value));
  } else {
    doc.Set("summary_error", JsonValue::String("the run could not be summarised (see standard error)"));
  }
  if (readiness) {
    JsonArray lines;
    for (const std::string& line : readiness->Lines()) lines.push_back(JsonValue::String(line));
    doc.Set("readiness", JsonObjectBuilder()
                             .Add("passed", JsonValue::Bool(readiness->exit_code_value() == 0))
                             .Add("exit_code", JsonOf(readiness->exit_code_value()))
                             .Add("lines", JsonValue::Array(std::move(lines)))
                             .Build());
  }
  return ToIndentedJson(JsonValue::Object(std::move(doc)));
}

}  // namespace

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
  cmd->add_flag("--json", o.json,
                "Print one JSON document: the submission (202 body) or the rejection, the summary and, with "
                "--check, the readiness check");
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
    return PrintRejection(result->response.status_code, result->response.body, o.json, out, err);
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
  if (response.status_code != 202) return PrintRejection(response.status_code, response.body, o.json, out, err);
  // The accepted-run record (the 202 body): its own line before the summary, or a member of the --json document.
  if (!o.json) out << response.body << "\n" << std::flush;
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
  // With --json the summary becomes one document with the submission and the readiness check.
  JsonValue summary_json;
  const bool all_ok = PrintRunReport(report, o.json ? &summary_json : nullptr, out, err);
  // 130 (128 + SIGINT) after Ctrl-C, as shells report a command stopped by it; the committed work is kept.
  constexpr int kExitInterrupted = 130;
  int exit_code = report.interrupted ? kExitInterrupted : (all_ok ? 0 : 1);

  std::optional<analytics::ReadinessReport> readiness;
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
    readiness = analytics::RunLocalIngest(ingest);
    if (readiness->exit_code_value() != 0) exit_code = 1;
    if (!o.json) {
      std::ostream& lines_to = readiness->IsResult() ? out : err;
      for (const std::string& line : readiness->Lines()) lines_to << line << "\n";
    }
  }
  if (o.json) out << RunDocument(response.body, std::move(summary_json), readiness) << "\n";
  return exit_code;
}

}  // namespace ridesweep::cli
