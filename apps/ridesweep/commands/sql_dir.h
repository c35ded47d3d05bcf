// Where the CLI finds the Athena SQL files: --sql-dir, RIDESWEEP_SQL_DIR, infra/aws_serverless_sweep/athena under
// the working directory, share/ridesweep/athena beside an installed binary (<prefix>/bin/ridesweep →
// <prefix>/share/ridesweep/athena, so an installed tree can be moved), else the source tree the binary was built
// from.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SQL_DIR_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SQL_DIR_H_

#include <filesystem>
#include <optional>
#include <string>

#include "ridesweep/base/result.h"

namespace ridesweep::cli {

Result<std::filesystem::path> FindSqlDir(const std::string& explicit_dir = "");

// <dir of this executable>/../share/ridesweep/athena; nullopt when the executable's path cannot be read.
std::optional<std::filesystem::path> InstalledSqlDir();

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SQL_DIR_H_
