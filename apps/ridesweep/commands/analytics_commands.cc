// query, ingest and status commands.
#include "commands/analytics_commands.h"

#include <CLI/CLI.hpp>

#include <istream>
#include <limits>
#include <ostream>
#include <sstream>

#include "commands/s3_results.h"
#include "commands/sql_dir.h"
#include "ridesweep/analytics/configuration_summary_json.h"
#include "ridesweep/analytics/query_output.h"
#include "ridesweep/analytics/readiness_check.h"
#include "ridesweep/analytics/run_progress.h"
#include "ridesweep/analytics/run_query.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/analytics/run_summary.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/cancel_marker.h"
#include "ridesweep/sweep/identifiers.h"

namespace ridesweep::cli {
namespace {

void AddEngineOption(CLI::App* cmd, std::string& engine, bool with_athena = false) {
  if (with_athena) {
    cmd->add_option("--engine", engine, "local (DuckDB over the results directory) or athena")
        ->check(CLI::IsMember({"local", "athena"}))
        ->capture_default_str();
    return;
  }
  cmd->add_option("--engine", engine, "local (DuckDB over the results directory)")
      ->check(CLI::IsMember({"local"}))
      ->capture_default_str();
}

constexpr size_t kOutputBatchRows = 4096;

// Opening the results failed: 2 for a bad location or a missing bucket (like a missing results directory), 3 for
// credentials, permissions and store failures.
int ExitCodeOfReadError(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kNotFound ? 2 : 3;
}

// The progress body plus "configuration_summary": the statistics of the run's best `o.configurations`
// configurations, and "configuration_count": how many there are (both null when they cannot be read, e.g. before
// any point is committed).
std::string WithConfigurationSummary(const StatusOptions& o, const std::string& body) {
  Result<JsonValue> parsed = ParseJson(body);
  if (!parsed.ok() || !parsed->is_object()) return body;
  JsonValue summary = JsonValue::Null();
  JsonValue count = JsonValue::Null();
  auto sql_dir = FindSqlDir();
  auto results = RunResults::Open(o.location.Dir(), o.location.Prefix(), o.run_id);
  if (sql_dir.ok() && results.ok()) {
    analytics::RunSummaryOptions options;
    options.top_n = 0;
    options.top_configurations = o.configurations;
    Result<analytics::RunSummary> run = analytics::SummarizeLocalRun({(*results)->dir(), (*results)->prefix()},
                                                                     *sql_dir, o.run_id, options);
    if (run.ok() && run->points_scored > 0) {
      summary = analytics::ConfigurationSummaryJson(run->top_configurations);
      count = JsonValue::Unsigned(run->configurations);
    }
  }
  parsed->as_object().Set("configuration_summary", std::move(summary));
  parsed->as_object().Set("configuration_count", std::move(count));
  return ToCanonicalJson(*parsed);
}

}  // namespace

CLI::App* AddQueryCommand(CLI::App& app, QueryOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "query", "Run SQL on the stored results (DuckDB or Athena): a query file, -c SQL or SQL on stdin; prints CSV");
  cmd->add_option("query", o.query, "Query file name (e.g. query_run_level_profile), path, or - for SQL on stdin");
  cmd->add_option("-c,--command", o.command, "SQL to run instead of a file (several statements: the last is printed)");
  cmd->add_option("--format", o.format, "Output format")
      ->check(CLI::IsMember({"csv", "json", "table", "markdown"}))
      ->capture_default_str();
  cmd->add_option("--run-id", o.run_id, "Run to query")->required();
  cmd->add_option("--expected-shards", o.expected_shards, "Expected shards (default: from the run manifest)");
  cmd->add_option("--sql-dir", o.sql_dir, "Directory of the SQL files (default: infra/aws_serverless_sweep/athena)");
  AddEngineOption(cmd, o.engine, /*with_athena=*/true);
  AddAthenaConnectionOptions(cmd, o.athena);
  AddResultsLocationOptions(cmd, o.location);
  return cmd;
}

int RunQueryCommand(const QueryOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
  if (o.query.empty() == !o.command.has_value()) {
    err << "Error: give exactly one of a query file, - (SQL on stdin) or -c SQL\n";
    return 2;
  }
  std::optional<std::string> sql = o.command;
  if (o.query == "-") {
    std::ostringstream text;
    text << in.rdbuf();
    sql = text.str();
  }
  const std::string label = o.command ? "-c" : (o.query == "-" ? "stdin" : o.query);
  const analytics::OutputFormat format = analytics::ParseOutputFormat(o.format).value_or(analytics::OutputFormat::kCsv);
  if (o.engine == "athena") {
    return RunAthenaQueryCommand(
        {label, o.run_id, o.expected_shards, o.location.Prefix(), o.sql_dir, o.athena, sql, format}, out, err);
  }
  auto sql_dir = FindSqlDir(o.sql_dir);
  if (!sql_dir.ok()) {
    err << "Error: " << sql_dir.status().message() << "\n";
    return 2;
  }
  auto results = RunResults::Open(o.location.Dir(), o.location.Prefix(), o.run_id);
  if (!results.ok()) {
    err << "Error: " << results.status().message() << "\n";
    return ExitCodeOfReadError(results.status());
  }
  analytics::LocalQueryOptions q;
  q.results_dir = (*results)->dir();
  q.results_prefix = (*results)->prefix();
  q.sql_dir = *sql_dir;
  const auto code_of = [](const Status& status) {
    return status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kNotFound ? 2 : 3;
  };
  Result<bool> known = analytics::LocalRunExists(q, o.run_id);
  if (!known.ok()) {
    err << "Error: " << (*results)->Describe(known.status().message()) << "\n";
    return code_of(known.status());
  }
  if (!*known) {
    err << "Error: no run '" << o.run_id << "' in "
        << (*results)->Describe(analytics::LocalResultsLocation{q.results_dir, q.results_prefix}.DatasetsRoot())
        << "\n";
    return 3;
  }
  const analytics::QuerySource source =
      sql ? analytics::QuerySource::Inline(*sql, label) : analytics::QuerySource(o.query);
  // Streamed batch by batch: a large result is never held as text at once (table keeps its rows, see the writer).
  analytics::QueryOutputWriter writer(out, format);
  const Status streamed = analytics::RunLocalQueryInBatches(
      q, source, o.run_id, o.expected_shards, kOutputBatchRows, [&](analytics::QueryResult&& batch) {
        writer.Write(std::move(batch));
        return Status::Ok();
      });
  if (!streamed.ok()) {
    err << "Error: " << (*results)->Describe(streamed.message()) << "\n";
    return code_of(streamed);
  }
  writer.Finish();
  return 0;
}

CLI::App* AddIngestCommand(CLI::App& app, IngestOptions& o) {
  CLI::App* cmd = app.add_subcommand("ingest", "Post-run readiness check of a stored run (exit 0 ready, 1 not)");
  cmd->add_option("--run-id", o.run_id, "Run to check")->required();
  cmd->add_option("--run-date", o.run_date, "Run date YYYY-MM-DD (default: from the run manifest)");
  cmd->add_option("--expected-shards", o.expected_shards, "Expected shards (default: from the run manifest)");
  cmd->add_option("--sql-dir", o.sql_dir, "Directory of the SQL files (default: infra/aws_serverless_sweep/athena)");
  AddEngineOption(cmd, o.engine, /*with_athena=*/true);
  AddAthenaIngestOptions(cmd, o.athena);
  AddResultsLocationOptions(cmd, o.location);
  return cmd;
}

int RunIngestCommand(const IngestOptions& o, std::ostream& out, std::ostream& err) {
  if (o.engine == "athena" || o.athena.athena) {
    return RunAthenaIngestCommand({o.run_id, o.run_date, o.expected_shards, o.location.Prefix(), o.sql_dir, o.athena},
                                  out, err);
  }
  auto sql_dir = FindSqlDir(o.sql_dir);
  if (!sql_dir.ok()) {
    err << "Ingest error: " << sql_dir.status().message() << "\n";
    return 3;
  }
  auto results = RunResults::Open(o.location.Dir(), o.location.Prefix(), o.run_id, o.run_date);
  if (!results.ok()) {
    const int code = ExitCodeOfReadError(results.status());
    err << (code == 2 ? "Argument error: " : "Ingest error: ") << results.status().message() << "\n";
    return code;
  }
  analytics::LocalIngestOptions ingest;
  ingest.run_id = o.run_id;
  ingest.results_dir = (*results)->dir();
  ingest.results_prefix = (*results)->prefix();
  ingest.sql_dir = *sql_dir;
  ingest.overrides.run_date = o.run_date;
  ingest.overrides.expected_shards = o.expected_shards;
  const analytics::ReadinessReport report = analytics::RunLocalIngest(ingest);
  std::ostream& lines_to = report.IsResult() ? out : err;
  for (const std::string& line : report.Lines()) lines_to << (*results)->Describe(line) << "\n";
  return report.exit_code_value();
}

CLI::App* AddStatusCommand(CLI::App& app, StatusOptions& o) {
  CLI::App* cmd = app.add_subcommand("status", "Progress of a run, computed from its stored outcomes");
  cmd->add_option("--run-id", o.run_id, "Run to inspect")->required();
  cmd->add_flag("--json", o.json, "Print the progress as JSON");
  cmd->add_option("--configurations", o.configurations,
                  "Most configurations listed best first in --json's configuration_summary (query "
                  "query_configuration_summary lists every one)")
      ->capture_default_str();
  AddResultsLocationOptions(cmd, o.location);
  return cmd;
}

int RunProgressJson(ObjectStore& store, const std::string& prefix, const std::string& run_id, std::string* body,
                    analytics::ProgressScope scope) {
  if (!sweep::MatchesRunIdPattern(run_id)) {
    *body = R"({"error":"validation_error","message":"run_id must match [A-Za-z0-9._-]{1,128}"})";
    return 400;
  }
  auto progress = analytics::ComputeRunProgress(store, prefix, run_id, scope);
  if (!progress.ok()) {
    JsonObject e;
    e.Set("error", JsonValue::String("store_error"));
    e.Set("message", JsonValue::String(progress.status().message()));
    *body = ToCanonicalJson(JsonValue::Object(std::move(e)));
    return 502;
  }
  const analytics::RunProgress& p = *progress;
  if (p.manifest_state == analytics::ManifestState::kAbsent && p.shards_succeeded == 0 && p.shards_failed == 0 &&
      p.points_committed == 0) {
    *body = R"({"error":"not_found","message":"no run ')" + run_id + R"(' in the results"})";
    return 404;
  }
  JsonObject o;
  const auto opt = [](const std::optional<uint64_t>& v) { return v ? JsonValue::Unsigned(*v) : JsonValue::Null(); };
  JsonArray failed, pending;
  for (uint64_t id : p.failed_shard_ids) failed.push_back(JsonValue::Unsigned(id));
  for (uint64_t id : p.pending_shard_ids) pending.push_back(JsonValue::Unsigned(id));
  o.Set("run_id", JsonValue::String(p.run_id));
  o.Set("run_date", p.run_date ? JsonValue::String(*p.run_date) : JsonValue::Null());
  o.Set("shards_planned", opt(p.shards_planned));
  o.Set("shards_succeeded", JsonValue::Unsigned(p.shards_succeeded));
  o.Set("shards_failed", JsonValue::Unsigned(p.shards_failed));
  o.Set("shards_pending", opt(p.shards_pending));
  o.Set("points_planned", opt(p.points_planned));
  o.Set("points_done", JsonValue::Unsigned(p.points_committed));
  o.Set("failed_shard_ids", JsonValue::Array(std::move(failed)));
  o.Set("pending_shard_ids", JsonValue::Array(std::move(pending)));
  o.Set("complete", JsonValue::Bool(p.complete()));
  Result<std::optional<std::string>> cancelled = sweep::ReadCancelMarker(store, prefix, run_id);
  o.Set("cancelled_at", cancelled.ok() && cancelled->has_value() ? JsonValue::String(**cancelled) : JsonValue::Null());
  *body = ToCanonicalJson(JsonValue::Object(std::move(o)));
  return 200;
}

int RunStatusCommand(const StatusOptions& o, std::ostream& out, std::ostream& err) {
  auto store = OpenResultsStore(o.location, /*create=*/false);
  if (!store.ok()) {
    err << "Error: " << store.status().message() << "\n";
    return store.status().code() == StatusCode::kInvalidArgument ? 2 : 3;
  }
  if (IsS3ResultsUrl(o.location.Dir()) && sweep::MatchesRunIdPattern(o.run_id)) {
    if (Status readable = CheckS3ManifestReadable(**store, o.location.Dir(), o.location.Prefix(), o.run_id);
        !readable.ok()) {
      err << "Error: " << readable.message() << "\n";
      return 3;
    }
  }
  std::string body;
  const int status = RunProgressJson(**store, o.location.Prefix(), o.run_id, &body);
  if (status != 200) {
    err << "Error: " << body << "\n";
    return status == 400 ? 2 : (status == 404 ? 1 : 3);
  }
  if (o.json) {
    out << WithConfigurationSummary(o, body) << "\n";
    return 0;
  }
  auto progress = analytics::ComputeRunProgress(**store, o.location.Prefix(), o.run_id);
  const analytics::RunProgress& p = *progress;
  out << "run " << p.run_id << " (" << p.run_date.value_or("date unknown") << ")\n";
  out << "  shards: " << p.shards_succeeded << " succeeded, " << p.shards_failed << " failed";
  if (p.shards_pending) out << ", " << *p.shards_pending << " pending or running";
  if (p.shards_planned) out << " of " << *p.shards_planned;
  out << "\n  points: " << p.points_committed << " done";
  if (p.points_planned) out << " of " << *p.points_planned;
  out << "\n";
  if (!p.failed_shard_ids.empty()) {
    out << "  failed shard ids:";
    for (uint64_t id : p.failed_shard_ids) out << " " << id;
    out << "\n";
  }
  out << "  " << (p.complete() ? "complete" : "not complete") << "\n";
  if (Result<analytics::ResolvedRun> run = analytics::ResolveRun(**store, o.location.Prefix(), o.run_id);
      run.ok() && run->manifest.has_value() && !run->manifest->build_version.empty()) {
    out << "  accepted by ridesweep " << run->manifest->build_version << " (git " << run->manifest->build_git_revision
        << ")\n";
  }
  Result<std::optional<std::string>> cancelled = sweep::ReadCancelMarker(**store, o.location.Prefix(), o.run_id);
  if (cancelled.ok() && cancelled->has_value()) out << "  cancelled at " << **cancelled << "\n";
  return 0;
}

}  // namespace ridesweep::cli
