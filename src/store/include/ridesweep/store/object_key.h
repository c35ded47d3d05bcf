// The shape every ObjectStore key must have, checked the same way by all implementations so a bad key fails in a
// unit test with MemoryStore exactly as it would with LocalDirStore. Keys are relative, '/'-separated paths of
// non-empty segments; nothing in them may escape a LocalDirStore root. Pure functions.
#ifndef RIDESWEEP_STORE_OBJECT_KEY_H_
#define RIDESWEEP_STORE_OBJECT_KEY_H_

#include <string_view>

#include "ridesweep/base/status.h"

namespace ridesweep::store {

// Prefix of LocalDirStore's in-flight temporary files; no key segment may start with it, so List never confuses
// a temporary file with an object.
inline constexpr std::string_view kTempFileMarker = ".rs-tmp-";

// OK for a valid key; kInvalidArgument (message names the key and the rule) when the key is empty, longer than
// 1024 bytes, absolute ("/…"), ends with '/', has an empty, "." or ".." segment, contains a NUL byte or a
// backslash, or has a segment starting with kTempFileMarker.
Status ValidateObjectKey(std::string_view key);

// Same rules for a List prefix, except that it may be empty and may end with '/' or in the middle of a segment.
Status ValidateListPrefix(std::string_view prefix);

}  // namespace ridesweep::store

#endif  // RIDESWEEP_STORE_OBJECT_KEY_H_
