// ObjectStore is the storage environment (like LevelDB's Env, it sits in base so that every layer — the sweep
// worker included — can be handed one) every writer and reader of sweep results goes through: a flat namespace
// of keys (`a/b/part-0.parquet`) mapped to immutable byte strings, the common ground of a local results directory
// (store::LocalDirStore), memory (store::MemoryStore, tests) and S3 (aws::S3Store). Layout of the keys: spec/sweep.md §10.1,
// docs/formats/s3_layout.md. Wrappers (ObjectStoreWrapper, FaultInjectingStore, RecordingStore) turn fault
// injection and call logging into a few lines of test code.
//
// Threading: every implementation is thread-safe; the local executor calls one store from many threads.
// Keys: ValidateObjectKey() (object_key.h) lists what a key may look like; others give kInvalidArgument.
#ifndef RIDESWEEP_BASE_OBJECT_STORE_H_
#define RIDESWEEP_BASE_OBJECT_STORE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/result.h"
#include "ridesweep/base/status.h"

namespace ridesweep {

// What Head() reports about one key.
struct ObjectInfo {
  bool exists = false;
  uint64_t size = 0;  // Bytes; 0 when absent.

  friend bool operator==(const ObjectInfo&, const ObjectInfo&) = default;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // Creates or replaces the object. Atomic for readers: they see the old bytes or the new, never a mix or a
  // partial object. content_type is kept where the backend has metadata (S3), ignored otherwise.
  virtual Status Put(std::string_view key, std::string_view data, std::string_view content_type) = 0;

  // Creates the object only if the key is absent; kConflict when it is present (including when a concurrent
  // caller wins the race), in which case nothing is written. Atomic like Put.
  virtual Status PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) = 0;

  // The object's bytes; kNotFound if the key does not exist.
  virtual Result<std::string> Get(std::string_view key) = 0;

  // Existence and size; an absent key is not an error (exists = false).
  virtual Result<ObjectInfo> Head(std::string_view key) = 0;

  // Removes the object. OK if it was already absent.
  virtual Status Delete(std::string_view key) = 0;

  // Removes every key, in order; OK when all are gone (absent keys included). The first error stops it (keys
  // before it are deleted). The default deletes one key at a time; S3Store batches DeleteObjects calls.
  virtual Status DeleteMany(std::span<const std::string> keys) {
    for (const std::string& key : keys) {
      if (Status deleted = Delete(key); !deleted.ok()) return deleted;
    }
    return Status::Ok();
  }

  // Every key that starts with `prefix` (plain string prefix, not a folder: "a/b" matches "a/b/c" and "a/bc"),
  // sorted ascending by byte value. An empty prefix lists everything. No pagination: the whole list.
  virtual Result<std::vector<std::string>> List(std::string_view prefix) = 0;
};

}  // namespace ridesweep

#endif  // RIDESWEEP_BASE_OBJECT_STORE_H_
