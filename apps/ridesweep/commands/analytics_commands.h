// The read-side commands over stored results: `ridesweep query NAME|FILE|- --run-id R` or `query -c SQL` (every
// statement runs, the last one's rows are printed as csv, json, table or markdown; on the local engine, with the
// run's sweep_points view, or with `--engine athena` on Athena — athena_commands.h; an unknown run exits 3),
// `ridesweep ingest --run-id R` (the readiness check, spec/sweep.md §13, exit 0/1/2/3) and
// `ridesweep status --run-id R` (progress from stored outcomes). Results come from a local directory or, with
// `--results-dir s3://BUCKET[/PREFIX]`, from S3 (s3_results.h), with the same output.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ANALYTICS_COMMANDS_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ANALYTICS_COMMANDS_H_

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "commands/athena_commands.h"
#include "commands/results_location.h"
#include "ridesweep/analytics/run_progress.h"

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct QueryOptions {
  std::string query;  // a query file name (query_run_level_profile), a path, or `-` for SQL on stdin
  std::optional<std::string> command;  // -c SQL
  std::string format = "csv";
  std::string run_id;
  std::optional<uint64_t> expected_shards;
  std::string engine = "local";
  std::string sql_dir;
  ResultsLocation location;
  AthenaConnectionFlags athena;  // --engine athena
};
CLI::App* AddQueryCommand(CLI::App& app, QueryOptions& options);
// `in` is read for `query -`.
int RunQueryCommand(const QueryOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

struct IngestOptions {
  std::string run_id;
  std::string engine = "local";
  std::optional<std::string> run_date;
  std::optional<uint64_t> expected_shards;
  std::string sql_dir;
  ResultsLocation location;
  AthenaIngestFlags athena;  // --engine athena / --athena
};
CLI::App* AddIngestCommand(CLI::App& app, IngestOptions& options);
int RunIngestCommand(const IngestOptions& options, std::ostream& out, std::ostream& err);

struct StatusOptions {
  std::string run_id;
  bool json = false;
  size_t configurations = 100;  // most configurations in --json's configuration_summary
  ResultsLocation location;
};
CLI::App* AddStatusCommand(CLI::App& app, StatusOptions& options);
int RunStatusCommand(const StatusOptions& options, std::ostream& out, std::ostream& err);

// The progress body of `ridesweep status --json` and `GET /runs/{run_id}`: {"run_id",…} with sorted keys.
// Returns the HTTP-like status: 200, 400 (bad run_id), 404 (unknown run), 502 (store error). `serve` passes
// kOwnPrefixOnly: a run without a readable manifest is then answered without listing other runs' keys.
int RunProgressJson(ObjectStore& store, const std::string& results_prefix, const std::string& run_id,
                    std::string* body, analytics::ProgressScope scope = analytics::ProgressScope::kWholeResults);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ANALYTICS_COMMANDS_H_
