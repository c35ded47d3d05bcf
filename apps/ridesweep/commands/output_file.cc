// Writing a command's output file whole or not at all.
#include "commands/output_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <vector>

namespace ridesweep::cli {

Status CheckOutputFile(const std::filesystem::path& path, bool force) {
  std::error_code ec;
  if (!force && std::filesystem::exists(path, ec)) {
    return ConflictError(path.string() + " already exists; pass --force to replace it");
  }
  return Status::Ok();
}

Status WriteOutputFile(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  // Folders created here, outermost first, so a failure can remove them again.
  std::vector<std::filesystem::path> created;
  const std::filesystem::path parent = path.parent_path();
  for (std::filesystem::path p = parent; !p.empty() && !std::filesystem::exists(p, ec); p = p.parent_path()) {
    created.insert(created.begin(), p);
    if (p == p.parent_path()) break;
  }
  const auto fail = [&](const std::string& reason) {
    for (auto it = created.rbegin(); it != created.rend(); ++it) std::filesystem::remove(*it, ec);
    return FailedPreconditionError("cannot write " + path.string() + ": " + reason);
  };
  for (const std::filesystem::path& dir : created) {
    if (!std::filesystem::create_directory(dir, ec) && ec) return fail(ec.message());
  }
  const std::filesystem::path temporary =
      path.string() + ".tmp-" + std::to_string(static_cast<long long>(::getpid()));
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) return fail(std::strerror(errno));
    file << text;
    file.close();
    if (!file) {
      std::filesystem::remove(temporary, ec);
      return fail("write failed");
    }
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    const std::string reason = ec.message();
    std::filesystem::remove(temporary, ec);
    return fail(reason);
  }
  return Status::Ok();
}

}  // namespace ridesweep::cli
