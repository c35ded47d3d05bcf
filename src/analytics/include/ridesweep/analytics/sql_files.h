// The SQL files of infra/aws_serverless_sweep/athena/ (spec/sweep.md §11): where the directory is, how a file is
// read, split into statements and turned into one executable statement after placeholder substitution
// (sql_placeholders.h), and how `ridesweep query <name or file>` finds its file. Plans are in sql_plan.h.
// Used by both engines: the local DuckDB engine and Athena. Reads the file system; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_SQL_FILES_H_
#define RIDESWEEP_ANALYTICS_SQL_FILES_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/analytics/sql_plan.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

// DO NOT CHANGE: the environment variable and default location of §12 (relative to the working directory).
inline constexpr std::string_view kSqlDirEnvVar = "RIDESWEEP_SQL_DIR";
inline constexpr std::string_view kDefaultSqlDir = "infra/aws_serverless_sweep/athena";

// DO NOT CHANGE: file names of §11.1 / §11.3 and of the local view files (athena/README.md).
inline constexpr std::string_view kLocalViewsFile = "local/views.sql";
inline constexpr std::string_view kLocalEmptyViewsFile = "local/empty_views.sql";
inline constexpr std::string_view kRunReadinessQuery = "query_run_readiness.sql";
inline constexpr std::string_view kMissingShardsQuery = "query_missing_shards.sql";
inline constexpr std::string_view kRunLevelProfileQuery = "query_run_level_profile.sql";
inline constexpr std::string_view kFailureDiagnosticsQuery = "query_failure_diagnostics.sql";
inline constexpr std::string_view kShardCoverageQuery = "query_shard_coverage.sql";
inline constexpr std::string_view kTripSnapshotJoinQuery = "query_trip_snapshot_join.sql";
inline constexpr std::string_view kOutcomeConfigurationSmokeQuery = "query_outcome_configuration_smoke.sql";
inline constexpr std::string_view kConfigurationSummaryQuery = "query_configuration_summary.sql";

// Where the SQL directory may come from, strongest first.
struct SqlDirCandidates {
  std::optional<std::filesystem::path> explicit_dir;  // e.g. a --sql-dir flag: used as given
  std::optional<std::filesystem::path> env_dir;       // RIDESWEEP_SQL_DIR when set and non-empty
  std::filesystem::path working_dir_default{std::string(kDefaultSqlDir)};  // relative to the working directory
  std::optional<std::filesystem::path> installed_dir;  // share/ridesweep/athena beside an installed binary
  std::optional<std::filesystem::path> compiled_in_dir;  // an app's build-time fallback (its source tree)
};

// explicit_dir and env_dir fill from the process environment (RIDESWEEP_SQL_DIR); the rest as given.
SqlDirCandidates SqlDirCandidatesFromEnvironment(std::optional<std::filesystem::path> explicit_dir = std::nullopt,
                                                 std::optional<std::filesystem::path> compiled_in_dir = std::nullopt);

// The first of explicit_dir, env_dir that is set — it must be a directory — else working_dir_default if it is a
// directory, else installed_dir if it is one, else compiled_in_dir if it is one. NotFound `SQL directory not found: <path>` naming the set
// explicit/env path, or else the working-directory default.
Result<std::filesystem::path> ResolveSqlDir(const SqlDirCandidates& candidates);

// The file's text. NotFound `SQL file not found: <path>`; FailedPrecondition when it cannot be read.
Result<std::string> LoadSqlFile(const std::filesystem::path& path);

// Splits a SQL file into statements the way athena/README.md ("Local engine", step 1) describes: a statement
// ends on a line whose last non-blank character is `;`; blank and `--` comment lines between statements are
// dropped. Each statement keeps its lines (joined by '\n') and its final `;`. InvalidArgument
// `Trailing text after the last statement in <file_name>` when non-comment text follows the last `;`.
Result<std::vector<std::string>> SplitSqlStatements(std::string_view text, std::string_view file_name);

// Substitutes `values` into a one-statement file's text and returns the statement without its final `;` (so a
// caller may wrap it). The final `;` may be missing (hand-written query files). Placeholder errors as
// SubstitutePlaceholders; InvalidArgument `Expected exactly one SQL statement in <file_name>, found <n>` otherwise.
Result<std::string> PrepareSingleStatement(std::string_view text, const PlaceholderValues& values,
                                           std::string_view file_name);

// Substitutes `values` into a query's text and returns its statements in order, each without its final `;`. The
// last statement's `;` may be missing. Placeholder and split errors as above; InvalidArgument
// `No SQL statement in <file_name>` for a text with none.
Result<std::vector<std::string>> PrepareStatements(std::string_view text, const PlaceholderValues& values,
                                                   std::string_view file_name);

// LoadSqlFile + PrepareSingleStatement, with the file name (last path component) in messages.
Result<std::string> LoadSingleStatement(const std::filesystem::path& path, const PlaceholderValues& values);

// The file `ridesweep query <query>` means: `query` itself when it names an existing regular file; otherwise, if
// it has no '/', `<sql_dir>/<query>` with `.sql` appended when missing (`query_run_level_profile` works).
// NotFound `Query file not found: <query> (looked in <sql_dir>)`.
Result<std::filesystem::path> ResolveQueryFile(const std::filesystem::path& sql_dir, std::string_view query);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_SQL_FILES_H_
