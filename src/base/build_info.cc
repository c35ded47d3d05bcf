// BuildInfo from the definitions CMake passes (version, build type) and the generated git revision header.
#include "ridesweep/base/build_info.h"

#include "ridesweep_git_revision.h"

namespace ridesweep {

const BuildInfo& GetBuildInfo() {
  static constexpr BuildInfo kInfo{RIDESWEEP_VERSION, RIDESWEEP_GIT_REVISION, RIDESWEEP_BUILD_TYPE};
  return kInfo;
}

}  // namespace ridesweep
