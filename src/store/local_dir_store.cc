// LocalDirStore: objects as files under a root folder, published by rename/link; see local_dir_store.h.
#include "ridesweep/store/local_dir_store.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

#include "ridesweep/store/object_key.h"

namespace ridesweep::store {
namespace fs = std::filesystem;
namespace {

// The one place errno becomes a Status (see LocalDirStore's error table in the header).
Status ErrnoStatus(int err, std::string_view operation, const fs::path& path) {
  std::string message = std::string(operation) + " '" + path.string() + "': " + std::generic_category().message(err);
  switch (err) {
    case ENOENT:
      return NotFoundError(std::move(message));
    case EACCES:
    case EPERM:
    case EROFS:
    case ENOTDIR:
    case EISDIR:
    case ENAMETOOLONG:
    case ELOOP:
      return FailedPreconditionError(std::move(message));
    case ENOSPC:
    case EDQUOT:
    case EIO:
    case EAGAIN:
    case EINTR:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EBUSY:
      return UnavailableError(std::move(message));
    default:
      return InternalError(std::move(message));
  }
}

Status ErrorCodeStatus(const std::error_code& ec, std::string_view operation, const fs::path& path) {
  return ErrnoStatus(ec.value(), operation, path);
}

// Writes all of `data`, retrying short writes and EINTR.
Status WriteAll(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "write", path);
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return Status::Ok();
}

// Closes an fd on scope exit unless released.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  // Closes now and reports the result.
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// The key part of a path under `root` (without the separator), in '/' form.
std::string KeyOf(const std::string& root, const fs::path& path) {
  return path.generic_string().substr(root.size() + (root.ends_with('/') ? 0 : 1));
}

// The absolute, normalized root. "/a/b/" normalizes to "/a/b/"; the empty filename is dropped so keys are computed
// from a clean prefix.
fs::path NormalizedRoot(const fs::path& root) {
  std::error_code ec;
  fs::path absolute = fs::absolute(root, ec);
  if (ec) absolute = root;
  absolute = absolute.lexically_normal();
  if (!absolute.has_filename() && absolute.has_parent_path() && absolute != absolute.root_path()) {
    absolute = absolute.parent_path();
  }
  return absolute;
}

}  // namespace

Result<std::unique_ptr<LocalDirStore>> LocalDirStore::Open(const fs::path& root) {
  std::error_code ec;
  const fs::path absolute = NormalizedRoot(root);
  auto unusable = [&](const std::string& reason) {
    return FailedPreconditionError("results directory '" + absolute.string() + "' is not usable: " + reason);
  };
  fs::create_directories(absolute, ec);
  if (ec) return unusable(ec.message());
  if (!fs::is_directory(absolute, ec)) return unusable("not a directory");
  std::unique_ptr<LocalDirStore> store(new LocalDirStore(absolute));
  // Probe: create and remove a temporary file, which fails the same way a real write would.
  auto probe = store->WriteTempFile(absolute / "probe", "");
  if (!probe.ok()) return unusable(probe.status().message());
  ::unlink(probe->c_str());
  return store;
}

Result<std::unique_ptr<LocalDirStore>> LocalDirStore::OpenForReading(const fs::path& root) {
  std::error_code ec;
  const fs::path absolute = NormalizedRoot(root);
  if (!fs::is_directory(absolute, ec)) {
    return NotFoundError("results directory '" + absolute.string() + "' does not exist");
  }
  return std::unique_ptr<LocalDirStore>(new LocalDirStore(absolute));
}

namespace {

// The writer PID in a temporary file name `.rs-tmp-<pid>-<serial>`, or 0 when the name is not one.
pid_t TempFileOwner(std::string_view name) {
  if (!name.starts_with(kTempFileMarker)) return 0;
  name.remove_prefix(kTempFileMarker.size());
  const size_t dash = name.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash > 9) return 0;
  pid_t pid = 0;
  for (char c : name.substr(0, dash)) {
    if (c < '0' || c > '9') return 0;
    pid = pid * 10 + (c - '0');
  }
  return pid;
}

}  // namespace

Result<uint64_t> LocalDirStore::RemoveStaleTempFiles(std::string_view folder) {
  const fs::path start = folder.empty() ? root_ : root_ / fs::path(folder);
  std::error_code ec;
  if (!fs::is_directory(start, ec)) return uint64_t{0};
  fs::recursive_directory_iterator it(start, fs::directory_options::none, ec);
  if (ec) return ErrorCodeStatus(ec, "list", start);
  uint64_t removed = 0;
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return ErrorCodeStatus(ec, "list", start);
    const pid_t owner = TempFileOwner(it->path().filename().native());
    if (owner <= 0 || owner == ::getpid()) continue;
    if (::kill(owner, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to signal): still writing
    if (::unlink(it->path().c_str()) == 0) ++removed;
  }
  if (ec) return ErrorCodeStatus(ec, "list", start);
  return removed;
}

fs::path LocalDirStore::PathForKey(std::string_view key) const { return root_ / fs::path(key); }

Result<fs::path> LocalDirStore::WriteTempFile(const fs::path& target, std::string_view data) {
  const fs::path dir = target.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return ErrorCodeStatus(ec, "create directory", dir);
  const uint64_t serial = temp_counter_.fetch_add(1, std::memory_order_relaxed);
  fs::path temp = dir / (std::string(kTempFileMarker) + std::to_string(::getpid()) + "-" + std::to_string(serial));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == ENOENT) {  // a Delete pruned the folder after it was created: create it again, once
    fs::create_directories(dir, ec);
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  }
  if (fd < 0) return ErrnoStatus(errno, "create", temp);
  FdCloser closer(fd);
  Status written = WriteAll(fd, data, temp);
  if (written.ok() && closer.Close() != 0) written = ErrnoStatus(errno, "close", temp);
  if (!written.ok()) {
    ::unlink(temp.c_str());
    return written;
  }
  return temp;
}

Status LocalDirStore::Put(std::string_view key, std::string_view data, std::string_view /*content_type*/) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  const fs::path target = PathForKey(key);
  RIDESWEEP_ASSIGN_OR_RETURN(const fs::path temp, WriteTempFile(target, data));
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return ErrnoStatus(err, "rename into", target);
  }
  return Status::Ok();
}

Status LocalDirStore::PutIfAbsent(std::string_view key, std::string_view data, std::string_view /*content_type*/) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  const fs::path target = PathForKey(key);
  RIDESWEEP_ASSIGN_OR_RETURN(const fs::path temp, WriteTempFile(target, data));
  // link(2) never replaces an existing name, so exactly one concurrent caller wins, and the complete file
  // appears at once.
  const int rc = ::link(temp.c_str(), target.c_str());
  const int err = errno;
  ::unlink(temp.c_str());
  if (rc == 0) return Status::Ok();
  if (err == EEXIST) return ConflictError("object already exists: " + std::string(key));
  return ErrnoStatus(err, "link into", target);
}

Result<std::string> LocalDirStore::Get(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  const fs::path path = PathForKey(key);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return NotFoundError("object not found: " + std::string(key));
    return ErrnoStatus(errno, "open", path);
  }
  FdCloser closer(fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0) return ErrnoStatus(errno, "stat", path);
  if (!S_ISREG(info.st_mode)) return NotFoundError("object not found: " + std::string(key));
  std::string data(static_cast<size_t>(info.st_size), '\0');
  size_t filled = 0;
  while (true) {
    if (filled == data.size()) data.resize(data.size() + 4096);  // Grew since fstat (never for our writes).
    const ssize_t got = ::read(fd, data.data() + filled, data.size() - filled);
    if (got < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "read", path);
    }
    if (got == 0) break;
    filled += static_cast<size_t>(got);
  }
  data.resize(filled);
  return data;
}

Result<ObjectInfo> LocalDirStore::Head(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  const fs::path path = PathForKey(key);
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return ObjectInfo{};
    return ErrnoStatus(errno, "stat", path);
  }
  if (!S_ISREG(info.st_mode)) return ObjectInfo{};
  return ObjectInfo{.exists = true, .size = static_cast<uint64_t>(info.st_size)};
}

Status LocalDirStore::Delete(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  const fs::path path = PathForKey(key);
  if (::unlink(path.c_str()) != 0) {
    // Absent, or the key names a folder of other objects: either way there is no object to delete.
    if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) return Status::Ok();
    return ErrnoStatus(errno, "delete", path);
  }
  // Like an object store, the directory has no empty folders: remove the ones this delete emptied (rmdir(2)
  // refuses a folder that is not empty, so a concurrent writer's folder stays; its Put re-creates a pruned one).
  for (fs::path dir = path.parent_path(); dir != root_ && dir.native().size() > root_.native().size();
       dir = dir.parent_path()) {
    if (::rmdir(dir.c_str()) != 0) break;
  }
  return Status::Ok();
}

Result<std::vector<std::string>> LocalDirStore::List(std::string_view prefix) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateListPrefix(prefix));
  // Walk only the deepest folder the prefix names completely; prune sub-folders that cannot match.
  const size_t last_slash = prefix.rfind('/');
  const std::string_view folder = last_slash == std::string_view::npos ? "" : prefix.substr(0, last_slash);
  const fs::path start = folder.empty() ? root_ : root_ / fs::path(folder);
  std::vector<std::string> keys;
  std::error_code ec;
  if (!fs::is_directory(start, ec)) return keys;
  const std::string root = root_.generic_string();
  fs::recursive_directory_iterator it(start, fs::directory_options::none, ec);
  if (ec) return ErrorCodeStatus(ec, "list", start);
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return ErrorCodeStatus(ec, "list", start);
    const fs::directory_entry& entry = *it;
    const std::string key = KeyOf(root, entry.path());
    std::error_code entry_ec;  // An entry that vanished meanwhile is simply skipped.
    if (entry.is_directory(entry_ec)) {
      const std::string as_folder = key + "/";
      if (!as_folder.starts_with(prefix) && !prefix.starts_with(as_folder)) it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(entry_ec)) continue;  // Vanished, a socket, a dangling link: not an object.
    if (entry.path().filename().native().starts_with(kTempFileMarker)) continue;  // A write in flight.
    if (key.starts_with(prefix)) keys.push_back(key);
  }
  if (ec) return ErrorCodeStatus(ec, "list", start);
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace ridesweep::store
