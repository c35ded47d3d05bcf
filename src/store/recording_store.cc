// RecordingStore: forward, then log; see recording_store.h.
#include "ridesweep/store/recording_store.h"

namespace ridesweep::store {

std::string_view StoreOpName(StoreOp op) {
  switch (op) {
    case StoreOp::kPut:
      return "put";
    case StoreOp::kPutIfAbsent:
      return "put_if_absent";
    case StoreOp::kGet:
      return "get";
    case StoreOp::kHead:
      return "head";
    case StoreOp::kDelete:
      return "delete";
    case StoreOp::kList:
      return "list";
  }
  return "unknown";
}

Status RecordingStore::Put(std::string_view key, std::string_view data, std::string_view content_type) {
  Status status = ObjectStoreWrapper::Put(key, data, content_type);
  Record(StoreOp::kPut, key, status.code(), false);
  return status;
}

Status RecordingStore::PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) {
  Status status = ObjectStoreWrapper::PutIfAbsent(key, data, content_type);
  Record(StoreOp::kPutIfAbsent, key, status.code(), false);
  return status;
}

Result<std::string> RecordingStore::Get(std::string_view key) {
  Result<std::string> result = ObjectStoreWrapper::Get(key);
  Record(StoreOp::kGet, key, result.status().code(), false);
  return result;
}

Result<ObjectInfo> RecordingStore::Head(std::string_view key) {
  Result<ObjectInfo> result = ObjectStoreWrapper::Head(key);
  Record(StoreOp::kHead, key, result.status().code(), false);
  return result;
}

Status RecordingStore::Delete(std::string_view key) {
  Status status = ObjectStoreWrapper::Delete(key);
  Record(StoreOp::kDelete, key, status.code(), false);
  return status;
}

Result<std::vector<std::string>> RecordingStore::List(std::string_view prefix) {
  Result<std::vector<std::string>> result = ObjectStoreWrapper::List(prefix);
  Record(StoreOp::kList, prefix, result.status().code(), false);
  return result;
}

std::vector<StoreCall> RecordingStore::Calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

std::vector<std::string> RecordingStore::SucceededKeys(StoreOp op) const {
  std::vector<std::string> keys;
  std::lock_guard lock(mu_);
  for (const StoreCall& call : calls_) {
    if (call.op == op && call.result == StatusCode::kOk) keys.push_back(call.key);
  }
  return keys;
}

void RecordingStore::ClearCalls() {
  std::lock_guard lock(mu_);
  calls_.clear();
}

void RecordingStore::Record(StoreOp op, std::string_view key, StatusCode result, bool injected) {
  std::lock_guard lock(mu_);
  calls_.push_back(StoreCall{op, std::string(key), result, injected});
}

}  // namespace ridesweep::store
