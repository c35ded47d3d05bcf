// The Athena commands of the CLI: `ridesweep athena apply` (spec/sweep.md §12) and the Athena engine of
// `ridesweep ingest` (§13: `--engine athena`, or `--athena`). Flag parsing and wiring only — the orchestration is
// analytics::RunAthenaApply / RunAthenaIngest; the adapters are athena_engine.h (Athena) and s3_results.h (S3).
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ATHENA_COMMANDS_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ATHENA_COMMANDS_H_

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

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

// The flags `ridesweep ingest` takes for its Athena engine.
struct AthenaIngestFlags {
  bool athena = false;  // --athena: shorthand for --engine athena
  std::string results_bucket;     // --results-bucket, else SWEEP_RESULTS_BUCKET
  std::string database = "ride_sim_analytics";
  std::string workgroup = "primary";
  std::string query_output;       // --athena-query-output, else ATHENA_QUERY_OUTPUT
  std::string region;             // --region, else AWS_REGION
  int64_t max_concurrent = 4;
  double timeout_seconds = 1800;
  double poll_interval_seconds = 2.0;
  std::string partition_mode = "add";
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
int RunAthenaIngestCommand(const AthenaIngestRequest& request, std::ostream& err);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ATHENA_COMMANDS_H_
