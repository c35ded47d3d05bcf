// SpillFile: pwritev at the logical end, mmap for reading, ftruncate to empty.
#include "parquet/spill_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>
#include <system_error>

#include "ridesweep/base/check.h"

namespace ridesweep::store::parquet_internal {
namespace {

Status Failure(std::string_view what, int error) {
  return InternalError("Shard spill: " + std::string(what) + ": " + std::generic_category().message(error));
}

}  // namespace

SpillFile::~SpillFile() {
  Unmap();
  if (fd_ >= 0) ::close(fd_);
}

Status SpillFile::Open(const std::filesystem::path& path) {
  RIDESWEEP_CHECK(fd_ < 0) << "SpillFile opened twice";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) return Failure("cannot create " + path.string(), errno);
  size_ = 0;
  return Status::Ok();
}

Status SpillFile::Append(std::span<const iovec> parts) {
  RIDESWEEP_CHECK(parts.size() <= kMaxParts) << "too many parts: " << parts.size();
  RIDESWEEP_CHECK(mapping_ == nullptr) << "append to a mapped spill file";
  std::array<iovec, kMaxParts> left{};
  size_t count = 0;
  for (const iovec& part : parts) {
    if (part.iov_len > 0) left[count++] = part;
  }
  size_t first = 0;
  uint64_t at = size_;
  while (first < count) {
    const ssize_t wrote = ::pwritev(fd_, left.data() + first, static_cast<int>(count - first), static_cast<off_t>(at));
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) return Failure("write", errno);
    if (wrote == 0) return Failure("write", ENOSPC);
    at += static_cast<uint64_t>(wrote);
    auto done = static_cast<size_t>(wrote);
    while (first < count && done >= left[first].iov_len) done -= left[first++].iov_len;
    if (first < count) {
      left[first].iov_base = static_cast<char*>(left[first].iov_base) + done;
      left[first].iov_len -= done;
    }
  }
  size_ = at;
  return Status::Ok();
}

Result<std::span<const std::byte>> SpillFile::Map() {
  Unmap();
  if (size_ == 0) return std::span<const std::byte>();
  void* mapping = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd_, 0);
  if (mapping == MAP_FAILED) return Failure("mmap", errno);
  // Encode reads the points in point order, which is append order unless point threads overtook each other.
  ::madvise(mapping, size_, MADV_SEQUENTIAL);
  mapping_ = mapping;
  mapped_size_ = size_;
  return std::span<const std::byte>(static_cast<const std::byte*>(mapping), size_);
}

void SpillFile::Unmap() {
  if (mapping_ != nullptr) ::munmap(mapping_, mapped_size_);
  mapping_ = nullptr;
  mapped_size_ = 0;
}

Status SpillFile::Clear() {
  Unmap();
  if (::ftruncate(fd_, 0) != 0) return Failure("ftruncate", errno);
  size_ = 0;
  return Status::Ok();
}

}  // namespace ridesweep::store::parquet_internal
