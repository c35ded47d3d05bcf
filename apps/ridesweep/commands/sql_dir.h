// Where the CLI finds the Athena SQL files: --sql-dir, RIDESWEEP_SQL_DIR, infra/aws_serverless_sweep/athena under
// the working directory, else the source tree the binary was built from.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SQL_DIR_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SQL_DIR_H_

#include <filesystem>
#include <string>

#include "ridesweep/base/result.h"

namespace ridesweep::cli {

Result<std::filesystem::path> FindSqlDir(const std::string& explicit_dir = "");

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SQL_DIR_H_
