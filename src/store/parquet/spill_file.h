// SpillFile is one dataset's append-only file in a shard spill's directory. Appends are positional gathered writes
// straight from the caller's buffers (nothing is buffered in the process), and Map() maps the bytes appended so far
// read-only for an encode, so the rows live in the page cache and on disk, never in the heap. Not thread-safe: the
// spill serializes its calls. Private to the store layer.
#ifndef RIDESWEEP_STORE_PARQUET_SPILL_FILE_H_
#define RIDESWEEP_STORE_PARQUET_SPILL_FILE_H_

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

#include "ridesweep/base/result.h"
#include "ridesweep/base/status.h"

namespace ridesweep::store::parquet_internal {

// One part of a gathered write. iovec wants a mutable pointer; the bytes are only read.
inline iovec WritePart(const void* data, size_t size) { return iovec{const_cast<void*>(data), size}; }

class SpillFile {
 public:
  // The most parts one Append takes.
  static constexpr size_t kMaxParts = 8;

  SpillFile() = default;
  ~SpillFile();  // Unmaps and closes; the file itself goes with its directory.
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Creates `path` (truncated if it exists). kInternal on failure.
  Status Open(const std::filesystem::path& path);

  // Bytes appended so far: the offset at which the next Append starts.
  uint64_t size() const { return size_; }

  // Writes `parts` one after another at the end. kInternal on failure (e.g. a full disk); then nothing counts as
  // appended and the next Append writes over the partial bytes. REQUIRES: parts.size() <= kMaxParts, not mapped.
  Status Append(std::span<const iovec> parts);

  // Maps bytes [0, size()) read-only; empty for an empty file. The span stays valid until Unmap, Clear or
  // destruction. kInternal when mmap fails.
  Result<std::span<const std::byte>> Map();
  void Unmap();

  // Empties the file (its disk blocks are released) for the next shard.
  Status Clear();

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
  void* mapping_ = nullptr;
  size_t mapped_size_ = 0;
};

}  // namespace ridesweep::store::parquet_internal

#endif  // RIDESWEEP_STORE_PARQUET_SPILL_FILE_H_
