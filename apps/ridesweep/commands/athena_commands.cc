// `ridesweep athena apply` and `ridesweep ingest --engine athena`: flags and wiring.
#include "commands/athena_commands.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>

#include "commands/athena_engine.h"
#include "commands/sql_dir.h"
#include "ridesweep/analytics/athena_apply.h"
#include "ridesweep/analytics/athena_ingest.h"
#include "ridesweep/analytics/errors.h"
#include "ridesweep/analytics/points_export.h"
#include "ridesweep/analytics/run_query.h"
#include "ridesweep/analytics/sql_files.h"
#include "ridesweep/aws/ca_bundle.h"
#include "ridesweep/aws/curl_transport.h"
#include "ridesweep/aws/s3_store.h"
#include "ridesweep/sweep/config.h"

namespace ridesweep::cli {
namespace {

// DO NOT CHANGE: the environment fallbacks of §13.
constexpr std::string_view kAthenaQueryOutputEnv = "ATHENA_QUERY_OUTPUT";

std::string FromEnvironment(std::string_view name) {
  std::optional<std::string> value = sweep::ProcessEnvironment()(name);
  return value.value_or("");
}

std::string RegionOr(const std::string& flag) {
  if (!flag.empty()) return flag;
  return aws::RegionFromEnvironment(sweep::ProcessEnvironment()).value_or("");
}

std::filesystem::path SqlDirOrDefault(const std::string& explicit_dir) {
  Result<std::filesystem::path> dir = FindSqlDir(explicit_dir);
  if (dir.ok()) return *dir;
  return explicit_dir.empty() ? std::filesystem::path(std::string(analytics::kDefaultSqlDir))
                              : std::filesystem::path(explicit_dir);
}

std::chrono::nanoseconds Seconds(double seconds) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
}

Result<std::unique_ptr<aws::S3Store>> OpenBucket(const std::string& bucket, const std::string& region) {
  RIDESWEEP_ASSIGN_OR_RETURN(aws::Credentials credentials, LoadOperatorCredentials());
  const sweep::EnvironmentLookup env = sweep::ProcessEnvironment();
  aws::S3StoreOptions options;
  options.bucket = bucket;
  options.region = region;
  if (std::optional<std::string> endpoint = env(sweep::env::kS3Endpoint); endpoint && !endpoint->empty()) {
    options.endpoint_url = std::move(endpoint);
  }
  auto transport = std::make_shared<aws::CurlTransport>(
      aws::CurlTransportOptions{.connect_timeout = std::chrono::milliseconds(3'000),
                                .request_timeout = std::chrono::milliseconds(60'000),
                                .ca_bundle = aws::FindCaBundle(env).value_or("")});
  return aws::S3Store::Create(std::move(options), std::move(credentials), std::move(transport));
}

// The shared Athena flags, checked and resolved.
struct ResolvedAthenaFlags {
  std::optional<analytics::ResultsBucketLocation> location;  // absent: no bucket given (and none required)
  AthenaConnection connection;
  std::chrono::nanoseconds timeout{};
  std::chrono::nanoseconds poll_interval{};
};

// InvalidArgument with the argument texts of §13 (without `Argument error: `). `bucket_required`: ingest needs the
// bucket; query only reads the run manifest from it.
Result<ResolvedAthenaFlags> ResolveAthenaFlags(const AthenaConnectionFlags& f, const std::string& results_prefix,
                                               bool bucket_required) {
  ResolvedAthenaFlags resolved;
  const std::string bucket_value =
      f.results_bucket.empty() ? FromEnvironment(sweep::env::kResultsBucket) : f.results_bucket;
  if (bucket_value.empty() && bucket_required) {
    return InvalidArgumentError("--results-bucket is required for --engine athena (or set SWEEP_RESULTS_BUCKET)");
  }
  if (!bucket_value.empty()) {
    RIDESWEEP_ASSIGN_OR_RETURN(resolved.location, analytics::ParseResultsBucket(bucket_value, results_prefix));
  }
  const std::string query_output = f.query_output.empty() ? FromEnvironment(kAthenaQueryOutputEnv) : f.query_output;
  if (query_output.empty()) {
    return InvalidArgumentError("--athena-query-output is required for --engine athena (or set ATHENA_QUERY_OUTPUT)");
  }
  if (!query_output.starts_with("s3://")) {
    return InvalidArgumentError("--athena-query-output must be an s3://bucket[/prefix] URI");
  }
  const std::string region = RegionOr(f.region);
  if (region.empty()) return InvalidArgumentError("--region is required when AWS_REGION is not set");
  if (!(f.timeout_seconds > 0)) return InvalidArgumentError("--timeout-seconds must be > 0");
  if (!(f.poll_interval_seconds > 0)) return InvalidArgumentError("--poll-interval-seconds must be > 0");
  resolved.connection = {region, f.workgroup, query_output, f.database};
  resolved.timeout = Seconds(f.timeout_seconds);
  resolved.poll_interval = Seconds(f.poll_interval_seconds);
  return resolved;
}

// One set of Athena option names for every command (--athena-database, --athena-workgroup, --athena-query-output);
// the names each command used before stay accepted as hidden aliases (an empty alias adds none).
void AddHiddenAlias(CLI::App* cmd, const std::string& alias, std::string& target) {
  if (!alias.empty()) cmd->add_option(alias, target)->group("");
}

void AddAthenaNameOptions(CLI::App* cmd, std::string& database, std::string& workgroup,
                          const std::string& database_alias, const std::string& workgroup_alias) {
  cmd->add_option("--athena-database", database, "athena: database")->capture_default_str();
  AddHiddenAlias(cmd, database_alias, database);
  cmd->add_option("--athena-workgroup", workgroup, "athena: workgroup")->capture_default_str();
  AddHiddenAlias(cmd, workgroup_alias, workgroup);
}

void AddAthenaOutputOption(CLI::App* cmd, std::string& output, const std::string& help, const std::string& alias) {
  cmd->add_option("--athena-query-output", output, help);
  AddHiddenAlias(cmd, alias, output);
}

}  // namespace

CLI::App* AddAthenaCommand(CLI::App& app, AthenaApplyCliOptions& o) {
  CLI::App* athena = app.add_subcommand("athena", "Athena setup for the stored results");
  athena->require_subcommand(1);
  CLI::App* cmd = athena->add_subcommand("apply", "Run the Athena SQL files of a plan (database, tables, partitions)");
  cmd->add_option("--execution-mode", o.execution_mode, "bootstrap or partitions-only")->capture_default_str();
  cmd->add_option("--plan-file", o.plan_file,
                  "Plan file (default: athena_bootstrap.plan or athena_partitions.plan in the SQL directory)");
  AddAthenaOutputOption(cmd, o.query_results_s3, "Athena query output location s3://bucket/prefix/ (required)",
                        "--query-results-s3");
  cmd->add_option("--results-bucket", o.results_bucket,
                  "Results bucket name or s3://bucket[/prefix] (required in bootstrap mode)");
  cmd->add_option("--results-prefix", o.results_prefix, "Results key prefix")->capture_default_str();
  AddAthenaNameOptions(cmd, o.database, o.workgroup, "--database", "--workgroup");
  cmd->add_option("--region", o.region, "AWS region (default: AWS_REGION; not needed with --dry-run)");
  cmd->add_option("--poll-interval-seconds", o.poll_interval_seconds, "Longest wait between status checks")
      ->capture_default_str();
  cmd->add_option("--max-concurrent", o.max_concurrent, "Queries in flight in partitions-only mode")
      ->capture_default_str();
  cmd->add_option("--timeout-seconds", o.timeout_seconds, "Time limit of the whole command")->capture_default_str();
  cmd->add_flag("--dry-run", o.dry_run, "Print the execution order only");
  return cmd;
}

int RunAthenaApplyCommand(const AthenaApplyCliOptions& o, std::ostream& out, std::ostream& err) {
  analytics::AthenaApplyOptions apply;
  apply.execution_mode = o.execution_mode;
  apply.plan_file = o.plan_file;
  apply.sql_dir = SqlDirOrDefault("");
  apply.query_results_s3 = o.query_results_s3;
  apply.results_bucket = o.results_bucket;
  apply.results_prefix = o.results_prefix;
  apply.database = o.database;
  apply.workgroup = o.workgroup;
  apply.region = RegionOr(o.region);
  apply.poll_interval_seconds = o.poll_interval_seconds;
  apply.max_concurrent = o.max_concurrent;
  apply.timeout_seconds = o.timeout_seconds;
  apply.dry_run = o.dry_run;
  const AthenaConnection connection{apply.region, apply.workgroup, apply.query_results_s3, apply.database};
  return analytics::RunAthenaApply(apply, [&] { return MakeAthenaEngine(connection); }, out, err);
}

void AddAthenaConnectionOptions(CLI::App* cmd, AthenaConnectionFlags& f) {
  cmd->add_option("--results-bucket", f.results_bucket,
                  "athena: results bucket name or s3://bucket[/prefix] (default: SWEEP_RESULTS_BUCKET)");
  AddAthenaNameOptions(cmd, f.database, f.workgroup, "--athena-db", "");
  AddAthenaOutputOption(cmd, f.query_output, "athena: query output location s3://… (default: ATHENA_QUERY_OUTPUT)",
                        "");
  cmd->add_option("--region", f.region, "athena: AWS region (default: AWS_REGION)");
  cmd->add_option("--timeout-seconds", f.timeout_seconds, "athena: time limit of the whole command")
      ->capture_default_str();
  cmd->add_option("--poll-interval-seconds", f.poll_interval_seconds, "athena: longest wait between status checks")
      ->capture_default_str();
}

void AddAthenaIngestOptions(CLI::App* cmd, AthenaIngestFlags& f) {
  cmd->add_flag("--athena", f.athena, "Shorthand for --engine athena");
  AddAthenaConnectionOptions(cmd, f);
  cmd->add_option("--max-concurrent", f.max_concurrent, "athena: partition statements in flight")
      ->capture_default_str();
  cmd->add_option("--partition-mode", f.partition_mode,
                  "athena: projection (tables project the run; nothing loaded), add (this run's partitions) or msck")
      ->capture_default_str();
}

int RunAthenaIngestCommand(const AthenaIngestRequest& r, std::ostream& out, std::ostream& err) {
  const auto print = [&out, &err](const analytics::ReadinessReport& report) {
    std::ostream& lines_to = report.IsResult() ? out : err;
    for (const std::string& line : report.Lines()) lines_to << line << "\n";
    return report.exit_code_value();
  };
  const AthenaIngestFlags& f = r.flags;
  analytics::RunOverrides overrides{r.run_date, r.expected_shards};
  if (std::optional<std::string> problem = analytics::CheckIngestArguments(r.run_id, overrides, f.database)) {
    return print(analytics::ArgumentErrorReport(*problem));
  }
  Result<ResolvedAthenaFlags> resolved = ResolveAthenaFlags(f, r.results_prefix, /*bucket_required=*/true);
  if (!resolved.ok()) return print(analytics::ArgumentErrorReport(resolved.status().message()));
  if (f.max_concurrent < 1) return print(analytics::ArgumentErrorReport("--max-concurrent must be >= 1"));
  if (!analytics::IsPartitionMode(f.partition_mode)) {
    return print(analytics::ArgumentErrorReport(analytics::kPartitionModeInvalid));
  }
  const auto started = std::chrono::steady_clock::now();
  const analytics::ResultsBucketLocation& location = *resolved->location;

  Result<std::unique_ptr<aws::S3Store>> store = OpenBucket(location.bucket, resolved->connection.region);
  if (!store.ok()) return print(analytics::IngestErrorReport(store.status().message()));
  Result<std::unique_ptr<analytics::AsyncQueryEngine>> engine = MakeAthenaEngine(resolved->connection);
  if (!engine.ok()) return print(analytics::IngestErrorReport(engine.status().message()));

  analytics::AthenaIngestOptions options;
  options.run_id = r.run_id;
  options.location = location;
  options.sql_dir = SqlDirOrDefault(r.sql_dir);
  options.database = f.database;
  options.overrides = overrides;
  options.partition_mode = f.partition_mode;
  options.runner.max_concurrent = static_cast<size_t>(f.max_concurrent);
  options.runner.poll_interval = resolved->poll_interval;
  options.runner.deadline = started + resolved->timeout;
  return print(analytics::RunAthenaIngest(**store, **engine, options));
}

int RunAthenaQueryCommand(const AthenaQueryRequest& r, std::ostream& out, std::ostream& err) {
  // The local query command's exit codes: 2 for arguments, the query file and placeholders; 3 for the rest.
  const auto fail = [&err](const Status& status) {
    err << "Error: " << status.message() << "\n";
    return status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kNotFound ? 2 : 3;
  };
  Result<std::filesystem::path> sql_dir = FindSqlDir(r.sql_dir);
  if (!sql_dir.ok()) return fail(sql_dir.status());
  Result<ResolvedAthenaFlags> resolved = ResolveAthenaFlags(r.flags, r.results_prefix, /*bucket_required=*/false);
  if (!resolved.ok()) return fail(resolved.status());
  const auto started = std::chrono::steady_clock::now();

  // The bucket is only read for the run manifest (${expected_shards}, and the run's layout, which the tables must
  // cover); without one the expected shards must be given.
  std::unique_ptr<aws::S3Store> store;
  if (resolved->location.has_value()) {
    Result<std::unique_ptr<aws::S3Store>> opened = OpenBucket(resolved->location->bucket, resolved->connection.region);
    if (!opened.ok()) return fail(opened.status());
    store = std::move(opened).value();
    // An unknown run is told apart before anything is submitted, with the local engine's message and exit code.
    Result<bool> known = analytics::StoredRunExists(*store, resolved->location->prefix, r.run_id);
    if (!known.ok()) return fail(known.status());
    if (!*known) {
      err << "Error: " << analytics::errors::UnknownRun(r.run_id, resolved->location->Uri()) << "\n";
      return 3;
    }
  }
  analytics::AsyncQueryOptions options;
  options.sql_dir = *sql_dir;
  options.database = r.flags.database;
  options.manifest_store = store.get();
  options.results_prefix = resolved->location.has_value() ? resolved->location->prefix : r.results_prefix;
  options.runner.poll_interval = resolved->poll_interval;
  options.runner.deadline = started + resolved->timeout;
  const AthenaConnection& connection = resolved->connection;
  Result<analytics::QueryResult> result = analytics::RunAsyncQuery(
      [&connection] { return MakeAthenaEngine(connection); }, options,
      r.sql ? analytics::QuerySource::Inline(*r.sql, r.query) : analytics::QuerySource(r.query), r.run_id,
      r.expected_shards);
  if (!result.ok()) return fail(result.status());
  analytics::WriteQueryResult(out, *result, r.format);
  return 0;
}

int RunAthenaExportCommand(const AthenaExportRequest& r, std::ostream& out, std::ostream& err) {
  const auto fail = [&err](const Status& status) {
    err << "Error: " << status.message() << "\n";
    switch (status.code()) {
      case StatusCode::kInvalidArgument:
        return 2;
      case StatusCode::kFailedPrecondition:
        return 1;
      default:
        return 3;
    }
  };
  Result<std::filesystem::path> sql_dir = FindSqlDir(r.sql_dir);
  if (!sql_dir.ok()) {
    err << "Error: " << sql_dir.status().message() << "\n";
    return 2;
  }
  Result<ResolvedAthenaFlags> resolved = ResolveAthenaFlags(r.flags, r.results_prefix, /*bucket_required=*/true);
  if (!resolved.ok()) return fail(resolved.status());
  const auto started = std::chrono::steady_clock::now();
  const analytics::ResultsBucketLocation& location = *resolved->location;
  Result<std::unique_ptr<aws::S3Store>> store = OpenBucket(location.bucket, resolved->connection.region);
  if (!store.ok()) return fail(UnavailableError(store.status().message()));

  analytics::AsyncQueryOptions options;
  options.sql_dir = *sql_dir;
  options.database = r.flags.database;
  options.manifest_store = store->get();
  options.results_prefix = location.prefix;
  options.runner.poll_interval = resolved->poll_interval;
  options.runner.deadline = started + resolved->timeout;
  const AthenaConnection& connection = resolved->connection;
  Result<analytics::ExportedPoints> exported =
      analytics::ExportAsyncPoints([&connection] { return MakeAthenaEngine(connection); }, options, r.run_id,
                                   {r.out, r.force, r.metrics}, location.Uri());
  if (!exported.ok()) return fail(exported.status());
  out << "exported " << exported->rows << " points of run " << r.run_id << " to " << r.out << "\n";
  return 0;
}

}  // namespace ridesweep::cli
