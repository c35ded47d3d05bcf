// OverlayStore reads through to a base store and keeps every write in memory: what `ridesweep run --dry-run` uses
// so the accept path and a calibration see the existing results (a conflicting manifest is still a 409) while
// nothing reaches the base. Writes and deletes shadow the base's objects; the base is never modified. Thread-safe
// if the base is (one mutex guards the overlay).
#ifndef RIDESWEEP_STORE_OVERLAY_STORE_H_
#define RIDESWEEP_STORE_OVERLAY_STORE_H_

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/store/object_store.h"

namespace ridesweep::store {

class OverlayStore final : public ObjectStore {
 public:
  // REQUIRES: base outlives the overlay; it may be null (an empty base).
  explicit OverlayStore(ObjectStore* base) : base_(base) {}

  Status Put(std::string_view key, std::string_view data, std::string_view content_type) override;
  Status PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) override;
  Result<std::string> Get(std::string_view key) override;
  Result<ObjectInfo> Head(std::string_view key) override;
  Status Delete(std::string_view key) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;

  // The objects written to the overlay (not deleted since), by key: what a real run would have written so far.
  std::map<std::string, size_t, std::less<>> WrittenSizes() const;

 private:
  // nullopt marks a key deleted in the overlay.
  mutable std::mutex mu_;
  std::map<std::string, std::optional<std::string>, std::less<>> overlay_;  // Guarded by mu_.
  ObjectStore* base_;
};

}  // namespace ridesweep::store

#endif  // RIDESWEEP_STORE_OVERLAY_STORE_H_
