// SQL directory lookup for the CLI.
#include "commands/sql_dir.h"

#include "ridesweep/analytics/sql_files.h"

namespace ridesweep::cli {

Result<std::filesystem::path> FindSqlDir(const std::string& explicit_dir) {
  std::optional<std::filesystem::path> explicit_path;
  if (!explicit_dir.empty()) explicit_path = explicit_dir;
  return analytics::ResolveSqlDir(analytics::SqlDirCandidatesFromEnvironment(
      explicit_path, std::filesystem::path(RIDESWEEP_SOURCE_DIR) / "infra/aws_serverless_sweep/athena"));
}

}  // namespace ridesweep::cli
