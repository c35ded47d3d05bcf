// What build this binary is: the project version, the git revision of the source tree it was built from and the
// CMake build type. Shown by `ridesweep --version` and stored with results (run manifest, run_context) so every
// result names the build that made it. Values are fixed at build time; thread-safe.
#ifndef RIDESWEEP_BASE_BUILD_INFO_H_
#define RIDESWEEP_BASE_BUILD_INFO_H_

#include <string_view>

namespace ridesweep {

struct BuildInfo {
  std::string_view version;       // e.g. "0.1.0" (CMake project version)
  std::string_view git_revision;  // 12 hex digits, "-dirty" when built from modified sources; "unknown" outside git
  std::string_view build_type;    // e.g. "Release"
};

const BuildInfo& GetBuildInfo();

}  // namespace ridesweep

#endif  // RIDESWEEP_BASE_BUILD_INFO_H_
