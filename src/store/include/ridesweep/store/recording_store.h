// RecordingStore forwards every call and appends it to a log (operation, key, result code), so tests can assert
// what was written, read and deleted, and in which order (e.g. datasets before the shard's success marker).
// FaultInjectingStore extends it. Thread-safe: the log has its own mutex; calls from several threads appear in
// the order they completed.
#ifndef RIDESWEEP_STORE_RECORDING_STORE_H_
#define RIDESWEEP_STORE_RECORDING_STORE_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/store/object_store_wrapper.h"

namespace ridesweep::store {

enum class StoreOp : uint8_t { kPut, kPutIfAbsent, kGet, kHead, kDelete, kList };
std::string_view StoreOpName(StoreOp op);  // "put", "put_if_absent", "get", "head", "delete", "list"

// One logged call. For kList the key field holds the prefix.
struct StoreCall {
  StoreOp op = StoreOp::kPut;
  std::string key;
  StatusCode result = StatusCode::kOk;
  bool injected = false;  // The result came from a fault rule (FaultInjectingStore).

  friend bool operator==(const StoreCall&, const StoreCall&) = default;
};

class RecordingStore : public ObjectStoreWrapper {
 public:
  explicit RecordingStore(ObjectStore* target) : ObjectStoreWrapper(target) {}

  Status Put(std::string_view key, std::string_view data, std::string_view content_type) override;
  Status PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) override;
  Result<std::string> Get(std::string_view key) override;
  Result<ObjectInfo> Head(std::string_view key) override;
  Status Delete(std::string_view key) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;

  // A copy of the log, oldest first.
  std::vector<StoreCall> Calls() const;
  // Keys of the calls of kind `op` that succeeded, in order (e.g. the write order of kPut).
  std::vector<std::string> SucceededKeys(StoreOp op) const;
  void ClearCalls();

 protected:
  void Record(StoreOp op, std::string_view key, StatusCode result, bool injected);

 private:
  mutable std::mutex mu_;
  std::vector<StoreCall> calls_;  // Guarded by mu_.
};

}  // namespace ridesweep::store

#endif  // RIDESWEEP_STORE_RECORDING_STORE_H_
