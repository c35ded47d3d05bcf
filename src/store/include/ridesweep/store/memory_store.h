// MemoryStore keeps objects in a sorted in-process map: the ObjectStore for unit tests and for runs that need no
// durable results. Same key rules and semantics as every other store. Thread-safe (one mutex).
#ifndef RIDESWEEP_STORE_MEMORY_STORE_H_
#define RIDESWEEP_STORE_MEMORY_STORE_H_

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/store/object_store.h"

namespace ridesweep::store {

class MemoryStore final : public ObjectStore {
 public:
  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  Status Put(std::string_view key, std::string_view data, std::string_view content_type) override;
  Status PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) override;
  Result<std::string> Get(std::string_view key) override;
  Result<ObjectInfo> Head(std::string_view key) override;
  Status Delete(std::string_view key) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;

  // The content type the object was last written with; kNotFound if absent.
  Result<std::string> ContentType(std::string_view key) const;
  // Number of objects held.
  size_t size() const;

 private:
  struct Object {
    std::string data;
    std::string content_type;
  };
  mutable std::mutex mu_;
  std::map<std::string, Object, std::less<>> objects_;  // Guarded by mu_.
};

}  // namespace ridesweep::store

#endif  // RIDESWEEP_STORE_MEMORY_STORE_H_
