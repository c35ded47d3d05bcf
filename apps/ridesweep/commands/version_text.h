// The text of `ridesweep --version`: version, git revision, build type and the DuckDB library in use.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_VERSION_TEXT_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_VERSION_TEXT_H_

#include <string>

namespace ridesweep::cli {

// e.g. "ridesweep 0.1.0 (git 0123456789ab, Release build, DuckDB v1.4.4)".
std::string VersionText();

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_VERSION_TEXT_H_
