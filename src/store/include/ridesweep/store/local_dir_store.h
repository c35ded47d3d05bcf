// LocalDirStore maps key `a/b/c` to the file `<root>/a/b/c`: the embedded default store of local mode
// (`./sweep-results`), laid out exactly like the S3 bucket so DuckDB reads it with the same Hive partitioning.
// Writes go to a temporary file in the target folder (named with kTempFileMarker) and are renamed into place, so
// readers never see a partial object; PutIfAbsent publishes with link(2), which fails when the key exists.
// Folders are created as needed; Delete removes the folders it empties (up to the root). No fsync: a crash may
// lose recent objects but never leaves a torn one visible. A temporary file is named `.rs-tmp-<pid>-<serial>`, so
// one left by a killed writer (between write and rename) is told from a live writer's and removed by
// RemoveStaleTempFiles. Thread-safe; several processes may share one root (in one PID namespace, for the
// stale-file cleanup).
#ifndef RIDESWEEP_STORE_LOCAL_DIR_STORE_H_
#define RIDESWEEP_STORE_LOCAL_DIR_STORE_H_

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/store/object_store.h"

namespace ridesweep::store {

class LocalDirStore final : public ObjectStore {
 public:
  // Creates `root` (and its parents) if missing and checks that files can be created in it. Errors:
  // kFailedPrecondition `results directory '<root>' is not usable: <reason>` (e.g. a path through a regular file,
  // no permission, read-only file system).
  static Result<std::unique_ptr<LocalDirStore>> Open(const std::filesystem::path& root);
  // For readers: `root` must be an existing directory; nothing is created or probed, so a read-only directory
  // works (writes then fail with kFailedPrecondition). Errors: kNotFound when `root` is not a directory.
  static Result<std::unique_ptr<LocalDirStore>> OpenForReading(const std::filesystem::path& root);

  LocalDirStore(const LocalDirStore&) = delete;
  LocalDirStore& operator=(const LocalDirStore&) = delete;

  const std::filesystem::path& root() const { return root_; }
  // The file a key maps to. REQUIRES: ValidateObjectKey(key).ok().
  std::filesystem::path PathForKey(std::string_view key) const;

  // Error codes from the file system: ENOENT → kNotFound; EACCES, EPERM, EROFS, ENOTDIR, EISDIR, ENAMETOOLONG →
  // kFailedPrecondition (will not heal by retrying); ENOSPC, EDQUOT, EIO and the like → kUnavailable. Messages
  // name the operation, the path and strerror.
  Status Put(std::string_view key, std::string_view data, std::string_view content_type) override;
  Status PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) override;
  Result<std::string> Get(std::string_view key) override;
  Result<ObjectInfo> Head(std::string_view key) override;
  Status Delete(std::string_view key) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;

  // Deletes the temporary files under `<root>/<folder>` whose writer process no longer exists (kill(pid, 0) says
  // ESRCH); those of live processes, including this one, stay. Returns how many were removed.
  Result<uint64_t> RemoveStaleTempFiles(std::string_view folder);

 private:
  explicit LocalDirStore(std::filesystem::path root) : root_(std::move(root)) {}

  // Writes `data` to a fresh temporary file beside `target` (creating folders); returns its path.
  Result<std::filesystem::path> WriteTempFile(const std::filesystem::path& target, std::string_view data);

  std::filesystem::path root_;
  std::atomic<uint64_t> temp_counter_{0};
};

}  // namespace ridesweep::store

#endif  // RIDESWEEP_STORE_LOCAL_DIR_STORE_H_
