// BuildInfo carries the CMake project version, a revision and the build type.
#include "ridesweep/base/build_info.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace ridesweep {
namespace {

TEST(BuildInfoTest, VersionIsSemverAndRevisionIsHexOrUnknown) {
  const BuildInfo& info = GetBuildInfo();
  EXPECT_TRUE(std::regex_match(std::string(info.version), std::regex(R"(\d+\.\d+\.\d+)"))) << info.version;
  EXPECT_TRUE(std::regex_match(std::string(info.git_revision), std::regex(R"(([0-9a-f]{12}(-dirty)?)|unknown)")))
      << info.git_revision;
  EXPECT_FALSE(info.build_type.empty());
}

}  // namespace
}  // namespace ridesweep
