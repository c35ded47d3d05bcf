// Request file reading.
#include "commands/request_file.h"

#include <filesystem>
#include <fstream>
#include <istream>
#include <sstream>

namespace ridesweep::cli {

Result<std::string> ReadRequestFile(const std::string& path, std::istream& in) {
  std::stringstream text;
  if (path == "-") {
    text << in.rdbuf();
    return text.str();
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidArgumentError("cannot read request file '" + path + "': it is a directory");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return InvalidArgumentError("cannot read request file '" + path + "'");
  text << file.rdbuf();
  if (file.bad()) return InvalidArgumentError("cannot read request file '" + path + "'");
  return text.str();
}

}  // namespace ridesweep::cli
