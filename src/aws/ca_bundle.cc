// CA bundle probing.
#include "ridesweep/aws/ca_bundle.h"

#include <sys/stat.h>

namespace ridesweep::aws {

std::optional<std::string> FindCaBundle(const sweep::EnvironmentLookup& lookup,
                                        const std::function<bool(const std::string&)>& file_exists) {
  if (std::optional<std::string> configured = lookup(kSslCertFileVariable);
      configured.has_value() && configured->find_first_not_of(" \t") != std::string::npos) {
    return configured;
  }
  for (const std::string_view location : kCaBundleLocations) {
    std::string path(location);
    if (file_exists(path)) return path;
  }
  return std::nullopt;
}

std::optional<std::string> FindCaBundle(const sweep::EnvironmentLookup& lookup) {
  return FindCaBundle(lookup, [](const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
  });
}

}  // namespace ridesweep::aws
