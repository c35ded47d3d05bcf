// Reading a sweep request for `ridesweep run` and `ridesweep submit`: a file's bytes, or standard input for "-".
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_REQUEST_FILE_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_REQUEST_FILE_H_

#include <iosfwd>
#include <string>

#include "ridesweep/base/result.h"

namespace ridesweep::cli {

// The bytes as they are (no parsing). InvalidArgument `cannot read request file '<path>'` (plus `: it is a
// directory` for a directory, which would otherwise read as an empty body).
Result<std::string> ReadRequestFile(const std::string& path, std::istream& in);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_REQUEST_FILE_H_
