// `ridesweep athena apply` (spec/sweep.md §12): checks the arguments, reads a plan file (the default plan of the
// execution mode, or one an operator edited to reorder steps), substitutes the placeholders of every SQL file,
// prints the execution order and — unless it is a dry run — executes the files on an AsyncQueryEngine:
// sequentially in bootstrap mode, with at most --max-concurrent in flight in partitions-only mode, stopping every
// query still in flight on the first failure. Writes the §12 lines to out/err and returns the exit code (0 done
// or dry run, 1 execution failure, 2 argument or plan error). The engine is created only when something is to be
// executed, so a dry run needs neither credentials nor network. Engine-independent: the CLI passes the Athena
// adapter.
#ifndef RIDESWEEP_ANALYTICS_ATHENA_APPLY_H_
#define RIDESWEEP_ANALYTICS_ATHENA_APPLY_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/analytics/async_query_engine.h"
#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/analytics/statement_runner.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

// DO NOT CHANGE: execution modes and defaults of §12.
inline constexpr std::string_view kModeBootstrap = "bootstrap";
inline constexpr std::string_view kModePartitionsOnly = "partitions-only";
inline constexpr std::string_view kDefaultWorkgroup = "primary";
inline constexpr std::string_view kDefaultAthenaResultsPrefix = "serverless-sweeps/outcomes";

// The results location of `--results-bucket` (a bucket name or s3://bucket[/prefix]) and `--results-prefix`: the
// URI's path is prepended to the prefix. prefix has no leading or trailing '/'.
struct ResultsBucketLocation {
  std::string bucket;
  std::string prefix;
  std::string Uri() const;  // s3://bucket[/prefix], no trailing '/': the ${results_location} value
};

// InvalidArgument with the §12 texts (without `Argument error: `): `--results-bucket cannot be empty`,
// `--results-bucket must be a bucket name or valid s3://bucket[/prefix] URI`, `--results-bucket should be a bucket
// name (no slashes) unless using s3://bucket[/prefix]`.
Result<ResultsBucketLocation> ParseResultsBucket(std::string_view value, std::string_view results_prefix);

struct AthenaApplyOptions {
  std::string execution_mode{kModeBootstrap};
  std::string plan_file;              // empty: <sql_dir>/athena_bootstrap.plan or athena_partitions.plan by mode
  std::filesystem::path sql_dir;      // RIDESWEEP_SQL_DIR or infra/aws_serverless_sweep/athena (resolved by caller)
  std::string query_results_s3;       // required
  std::optional<std::string> results_bucket;  // required in bootstrap mode
  std::string results_prefix{kDefaultAthenaResultsPrefix};
  std::string database{kDefaultDatabase};
  std::string workgroup{kDefaultWorkgroup};
  std::string region;                 // --region, else AWS_REGION (resolved by caller); empty: unset
  double poll_interval_seconds = 2.0;
  int64_t max_concurrent = 4;
  double timeout_seconds = 3600;
  bool dry_run = false;
};

// The §12 argument checks, first failure wins; the text after `Argument error: `, or nullopt.
std::optional<std::string> CheckAthenaApplyArguments(const AthenaApplyOptions& options);

// The whole command. `runner` carries test seams (clock, sleep); its concurrency, interval and deadline are set
// from the options.
int RunAthenaApply(const AthenaApplyOptions& options, const AsyncEngineFactory& make_engine, std::ostream& out,
                   std::ostream& err, StatementRunOptions runner = {});

// "3600" for whole seconds, else the shortest decimal ("2.5").
std::string FormatSeconds(double seconds);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_ATHENA_APPLY_H_
