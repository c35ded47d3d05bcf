// SQL directory lookup for the CLI.
#include "commands/sql_dir.h"

#include <system_error>

#include "ridesweep/analytics/sql_files.h"

namespace ridesweep::cli {

std::optional<std::filesystem::path> InstalledSqlDir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  return exe.parent_path().parent_path() / "share" / "ridesweep" / "athena";
}

Result<std::filesystem::path> FindSqlDir(const std::string& explicit_dir) {
  std::optional<std::filesystem::path> explicit_path;
  if (!explicit_dir.empty()) explicit_path = explicit_dir;
  analytics::SqlDirCandidates candidates = analytics::SqlDirCandidatesFromEnvironment(
      explicit_path, std::filesystem::path(RIDESWEEP_SOURCE_DIR) / "infra/aws_serverless_sweep/athena");
  candidates.installed_dir = InstalledSqlDir();
  return analytics::ResolveSqlDir(candidates);
}

}  // namespace ridesweep::cli
