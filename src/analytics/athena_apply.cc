// `ridesweep athena apply`: arguments, plan, placeholders, execution order, execution (spec/sweep.md §12).
#include "ridesweep/analytics/athena_apply.h"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <utility>
#include <vector>

#include "ridesweep/analytics/errors.h"
#include "ridesweep/analytics/sql_files.h"
#include "ridesweep/analytics/sql_plan.h"

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kS3Scheme = "s3://";

std::string_view TrimSlashes(std::string_view text) {
  while (!text.empty() && text.front() == '/') text.remove_prefix(1);
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  return text;
}

std::string TwoDigits(size_t value) {
  char buffer[24];
  std::snprintf(buffer, sizeof(buffer), "%02zu", value);
  return buffer;
}

class ApplyPrinter final : public StatementObserver {
 public:
  ApplyPrinter(std::ostream& out, bool concurrent) : out_(out), concurrent_(concurrent) {}
  void OnLaunch(size_t index, size_t total, const NamedStatement& statement) override {
    out_ << "[" << TwoDigits(index + 1) << "/" << TwoDigits(total) << "] "
         << (concurrent_ ? "Launching " : "Executing ") << statement.name << "...\n";
    out_.flush();
  }
  void OnStarted(size_t, const NamedStatement&, std::string_view query_id) override {
    out_ << "    QueryExecutionId=" << query_id << "\n";
    out_.flush();
  }
  void OnSucceeded(size_t, const NamedStatement& statement, std::string_view) override {
    out_ << "    " << statement.name << " -> SUCCEEDED\n";
    out_.flush();
  }

 private:
  std::ostream& out_;
  bool concurrent_;
};

std::chrono::nanoseconds Seconds(double seconds) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
}

}  // namespace

std::string ResultsBucketLocation::Uri() const {
  std::string uri = std::string(kS3Scheme) + bucket;
  if (!prefix.empty()) uri += "/" + prefix;
  return uri;
}

Result<ResultsBucketLocation> ParseResultsBucket(std::string_view value, std::string_view results_prefix) {
  static constexpr std::string_view kEmpty = "--results-bucket cannot be empty";
  static constexpr std::string_view kInvalidUri =
      "--results-bucket must be a bucket name or valid s3://bucket[/prefix] URI";
  static constexpr std::string_view kSlashes =
      "--results-bucket should be a bucket name (no slashes) unless using s3://bucket[/prefix]";
  const size_t first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return InvalidArgumentError(std::string(kEmpty));
  ResultsBucketLocation location;
  std::string uri_prefix;
  if (value.starts_with(kS3Scheme)) {
    const std::string_view rest = value.substr(kS3Scheme.size());
    const size_t slash = rest.find('/');
    location.bucket = std::string(rest.substr(0, slash));
    if (slash != std::string_view::npos) uri_prefix = std::string(TrimSlashes(rest.substr(slash)));
    if (location.bucket.empty() || location.bucket.find_first_of(" \t:?#") != std::string::npos) {
      return InvalidArgumentError(std::string(kInvalidUri));
    }
  } else if (value.find("://") != std::string_view::npos) {
    return InvalidArgumentError(std::string(kInvalidUri));
  } else if (value.find('/') != std::string_view::npos) {
    return InvalidArgumentError(std::string(kSlashes));
  } else {
    location.bucket = std::string(value);
  }
  const std::string_view prefix = TrimSlashes(results_prefix);
  location.prefix = uri_prefix;
  if (!prefix.empty()) location.prefix += (location.prefix.empty() ? "" : "/") + std::string(prefix);
  return location;
}

std::string FormatSeconds(double seconds) {
  char buffer[64];
  if (std::floor(seconds) == seconds && std::fabs(seconds) < 1e15) {
    std::snprintf(buffer, sizeof(buffer), "%.0f", seconds);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%g", seconds);
  }
  return buffer;
}

std::optional<std::string> CheckAthenaApplyArguments(const AthenaApplyOptions& o) {
  if (o.max_concurrent < 1) return std::string("--max-concurrent must be >= 1");
  if (o.execution_mode != kModeBootstrap && o.execution_mode != kModePartitionsOnly) {
    return std::string("--execution-mode must be bootstrap or partitions-only");
  }
  if (o.query_results_s3.empty()) return std::string("--athena-query-output is required");
  if (!o.query_results_s3.starts_with(kS3Scheme) || o.query_results_s3.size() == kS3Scheme.size()) {
    return std::string("--athena-query-output must be an s3://bucket[/prefix] URI");
  }
  if (o.execution_mode == kModeBootstrap && !o.results_bucket.has_value()) {
    return std::string("--results-bucket is required in bootstrap mode");
  }
  if (o.results_bucket.has_value()) {
    Result<ResultsBucketLocation> location = ParseResultsBucket(*o.results_bucket, o.results_prefix);
    if (!location.ok()) return location.status().message();
  }
  // A dry run calls nothing, so it needs no region.
  if (o.region.empty() && !o.dry_run) return std::string("--region is required when AWS_REGION is not set");
  if (!(o.poll_interval_seconds > 0)) return std::string("--poll-interval-seconds must be > 0");
  if (!(o.timeout_seconds > 0)) return std::string("--timeout-seconds must be > 0");
  return std::nullopt;
}

int RunAthenaApply(const AthenaApplyOptions& o, const AsyncEngineFactory& make_engine, std::ostream& out,
                   std::ostream& err, StatementRunOptions runner) {
  const auto started = runner.now();
  if (std::optional<std::string> problem = CheckAthenaApplyArguments(o)) {
    err << errors::kArgumentErrorPrefix << *problem << "\n";
    return 2;
  }
  const bool bootstrap = o.execution_mode == kModeBootstrap;
  const fs::path plan_path =
      o.plan_file.empty() ? o.sql_dir / std::string(bootstrap ? kBootstrapPlan : kPartitionsPlan)
                          : fs::path(o.plan_file);

  PlaceholderValues values;
  values.database = o.database;
  if (o.results_bucket.has_value()) {
    values.results_location = ParseResultsBucket(*o.results_bucket, o.results_prefix)->Uri();
  }
  std::vector<NamedStatement> statements;
  Result<std::vector<fs::path>> files = LoadPlan(plan_path);
  if (!files.ok()) {
    err << errors::kPlanErrorPrefix << files.status().message() << "\n";
    return 2;
  }
  for (const fs::path& file : *files) {
    Result<std::string> sql = LoadSingleStatement(file, values);
    if (!sql.ok()) {
      err << errors::kPlanErrorPrefix << sql.status().message() << "\n";
      return 2;
    }
    statements.push_back({file.filename().string(), std::move(sql).value()});
  }

  out << "Using plan: " << plan_path.string() << "\n";
  out << "Execution order:\n";
  for (size_t i = 0; i < files->size(); ++i) out << "  " << TwoDigits(i + 1) << ". " << (*files)[i].string() << "\n";
  if (o.dry_run) {
    out << "Dry run only; no Athena queries executed.\n";
    return 0;
  }
  out.flush();

  Result<std::unique_ptr<AsyncQueryEngine>> engine = make_engine();
  if (!engine.ok()) {
    err << "Error: " << engine.status().message() << "\n";
    return 1;
  }
  runner.max_concurrent = bootstrap ? 1 : static_cast<size_t>(o.max_concurrent);
  runner.poll_interval = Seconds(o.poll_interval_seconds);
  runner.deadline = started + Seconds(o.timeout_seconds);
  ApplyPrinter printer(out, !bootstrap);
  const StatementRunOutcome outcome = RunStatements(**engine, statements, runner, &printer);
  switch (outcome.failure) {
    case StatementFailure::kNone:
      out << "Athena SQL execution completed successfully.\n";
      return 0;
    case StatementFailure::kStart:
      err << "Athena invocation failed for " << outcome.name << ": " << outcome.detail << "\n";
      return 1;
    case StatementFailure::kQuery:
      err << "Athena query failed for " << outcome.name << ": state=" << outcome.state_name
          << ", query_execution_id=" << outcome.query_id << ", reason=" << outcome.detail << "\n";
      return 1;
    case StatementFailure::kPoll:
      err << "Athena status check failed for " << outcome.name << ": " << outcome.detail << "\n";
      return 1;
    case StatementFailure::kTimeout:
      err << "Athena execution timed out after " << FormatSeconds(o.timeout_seconds) << "s\n";
      return 1;
  }
  return 1;
}

}  // namespace ridesweep::analytics
