// Key rules shared by every ObjectStore implementation; see object_key.h.
#include "ridesweep/store/object_key.h"

#include <string>

namespace ridesweep::store {
namespace {

constexpr size_t kMaxKeyBytes = 1024;  // S3's limit; also keeps LocalDirStore paths well below PATH_MAX.

Status KeyError(std::string_view what, std::string_view key, std::string_view rule) {
  return InvalidArgumentError(std::string(what) + " '" + std::string(key) + "' " + std::string(rule));
}

// Checks one complete segment (text between separators).
Status CheckSegment(std::string_view what, std::string_view key, std::string_view segment) {
  if (segment.empty()) return KeyError(what, key, "has an empty path segment");
  if (segment == "." || segment == "..") return KeyError(what, key, "has a '.' or '..' path segment");
  if (segment.starts_with(kTempFileMarker)) {
    return KeyError(what, key, "has a segment starting with the reserved '" + std::string(kTempFileMarker) + "'");
  }
  return Status::Ok();
}

Status CheckCharacters(std::string_view what, std::string_view key) {
  if (key.size() > kMaxKeyBytes) return KeyError(what, key.substr(0, 64), "is longer than 1024 bytes");
  if (key.find('\0') != std::string_view::npos) return KeyError(what, "<with NUL>", "contains a NUL byte");
  if (key.find('\\') != std::string_view::npos) return KeyError(what, key, "contains a backslash");
  if (key.starts_with('/')) return KeyError(what, key, "is absolute (starts with '/')");
  return Status::Ok();
}

}  // namespace

Status ValidateObjectKey(std::string_view key) {
  if (key.empty()) return InvalidArgumentError("object key is empty");
  RIDESWEEP_RETURN_IF_ERROR(CheckCharacters("object key", key));
  if (key.ends_with('/')) return KeyError("object key", key, "ends with '/'");
  size_t start = 0;
  while (true) {
    const size_t slash = key.find('/', start);
    const std::string_view segment = key.substr(start, slash == std::string_view::npos ? key.npos : slash - start);
    RIDESWEEP_RETURN_IF_ERROR(CheckSegment("object key", key, segment));
    if (slash == std::string_view::npos) return Status::Ok();
    start = slash + 1;
  }
}

Status ValidateListPrefix(std::string_view prefix) {
  RIDESWEEP_RETURN_IF_ERROR(CheckCharacters("list prefix", prefix));
  // Every complete segment (followed by '/') obeys the key rules; the trailing partial one may be anything.
  size_t start = 0;
  for (size_t slash = prefix.find('/'); slash != std::string_view::npos; slash = prefix.find('/', start)) {
    RIDESWEEP_RETURN_IF_ERROR(CheckSegment("list prefix", prefix, prefix.substr(start, slash - start)));
    start = slash + 1;
  }
  return Status::Ok();
}

}  // namespace ridesweep::store
