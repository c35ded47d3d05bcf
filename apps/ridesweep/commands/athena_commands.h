// The Athena commands of the CLI: `ridesweep athena apply` (spec/sweep.md §12) and the Athena engines of `ridesweep
// ingest` (§13: `--engine athena`, or `--athena`), `ridesweep query` (§11.3) and `ridesweep export`. Flag parsing and
// wiring only — the orchestration is analytics::RunAthenaApply / RunAthenaIngest / RunAsyncQuery / ExportAsyncPoints;
// the adapters are athena_engine.h (Athena) and s3_results.h (S3).
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ATHENA_COMMANDS_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ATHENA_COMMANDS_H_

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "ridesweep/analytics/athena_ingest.h"
#include "ridesweep/analytics/query_output.h"

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct AthenaApplyCliOptions {
  std::string execution_mode = "bootstrap";
  std::string plan_file;
  std::string query_results_s3;
  std::optional<std::string> results_bucket;
  std::string results_prefix = "serverless-sweeps/outcomes";
  std::string database = "ride_sim_analytics";
  std::string workgroup = "primary";
  std::string region;
  double poll_interval_seconds = 2.0;
  int64_t max_concurrent = 4;
  double timeout_seconds = 3600;
  bool dry_run = false;
};

// Adds `athena` with its `apply` subcommand; returns `apply`.
CLI::App* AddAthenaCommand(CLI::App& app, AthenaApplyCliOptions& options);
int RunAthenaApplyCommand(const AthenaApplyCliOptions& options, std::ostream& out, std::ostream& err);

// The Athena flags `ridesweep ingest` and `ridesweep query` share for `--engine athena` (same names, defaults and
// environment fallbacks in both commands).
struct AthenaConnectionFlags {
  std::string results_bucket;     // --results-bucket, else SWEEP_RESULTS_BUCKET
  std::string database = "ride_sim_analytics";  // --athena-db
  std::string workgroup = "primary";            // --athena-workgroup
  std::string query_output;       // --athena-query-output, else ATHENA_QUERY_OUTPUT
  std::string region;             // --region, else AWS_REGION
  double timeout_seconds = 1800;
  double poll_interval_seconds = 2.0;
};
void AddAthenaConnectionOptions(CLI::App* cmd, AthenaConnectionFlags& flags);

// The flags `ridesweep ingest` takes for its Athena engine: the shared ones and its own.
struct AthenaIngestFlags : AthenaConnectionFlags {
  bool athena = false;  // --athena: shorthand for --engine athena
  int64_t max_concurrent = 4;
  std::string partition_mode{analytics::kPartitionModeProjection};
};
void AddAthenaIngestOptions(CLI::App* ingest, AthenaIngestFlags& flags);

struct AthenaIngestRequest {
  std::string run_id;
  std::optional<std::string> run_date;
  std::optional<uint64_t> expected_shards;
  std::string results_prefix;  // resolved (--results-prefix, SWEEP_RESULTS_PREFIX, default)
  std::string sql_dir;         // --sql-dir; empty: the default lookup
  AthenaIngestFlags flags;
};
// `ridesweep ingest --engine athena`: the §13 lines on err, exit 0/1/2/3.
int RunAthenaIngestCommand(const AthenaIngestRequest& request, std::ostream& out, std::ostream& err);

struct AthenaQueryRequest {
  std::string query;  // a query file name (query_run_level_profile) or a path
  std::string run_id;
  std::optional<uint64_t> expected_shards;  // absent: the run manifest in the results bucket, when one is given
  std::string results_prefix;  // resolved (--results-prefix, SWEEP_RESULTS_PREFIX, default)
  std::string sql_dir;         // --sql-dir; empty: the default lookup
  AthenaConnectionFlags flags;
  std::optional<std::string> sql;  // inline SQL (-c or stdin) instead of a file; `query` is then its label
  analytics::OutputFormat format = analytics::OutputFormat::kCsv;
};
// `ridesweep query --engine athena`: the CSV on out exactly as the local engine prints it; `Error: <text>` on err
// with the local query command's exit codes (2 arguments, query file and placeholders; 3 Athena, S3 and credential
// failures, e.g. `Error: athena query failed (FAILED): <reason>`).
int RunAthenaQueryCommand(const AthenaQueryRequest& request, std::ostream& out, std::ostream& err);

struct AthenaExportRequest {
  std::string run_id;
  std::string results_prefix;  // resolved (--results-prefix, SWEEP_RESULTS_PREFIX, default)
  std::string sql_dir;         // --sql-dir; empty: the default lookup
  AthenaConnectionFlags flags;  // the results bucket is required: the run manifest gives the columns
  std::string out;
  bool force = false;
  std::vector<std::string> metrics;
};
// `ridesweep export --engine athena`: the local export's file and exit codes (0 written; 1 no committed point;
// 2 arguments; 3 an unknown run, Athena, S3 and credential failures), `Error: <text>` on err.
int RunAthenaExportCommand(const AthenaExportRequest& request, std::ostream& out, std::ostream& err);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ATHENA_COMMANDS_H_
