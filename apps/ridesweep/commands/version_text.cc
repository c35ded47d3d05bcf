// VersionText from BuildInfo and the DuckDB library.
#include "commands/version_text.h"

#include "ridesweep/analytics/duckdb_version.h"
#include "ridesweep/base/build_info.h"

namespace ridesweep::cli {

std::string VersionText() {
  const BuildInfo& info = GetBuildInfo();
  return "ridesweep " + std::string(info.version) + " (git " + std::string(info.git_revision) + ", " +
         std::string(info.build_type) + " build, DuckDB " + analytics::DuckDbLibraryVersion() + ")";
}

}  // namespace ridesweep::cli
