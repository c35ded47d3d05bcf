// ObjectStoreWrapper forwards every call to another store; derive from it and override only the calls you want
// to change (fault injection, call logging, metrics). Owns nothing: the target must outlive the wrapper.
// Thread-safe exactly when the target is.
#ifndef RIDESWEEP_STORE_OBJECT_STORE_WRAPPER_H_
#define RIDESWEEP_STORE_OBJECT_STORE_WRAPPER_H_

#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/store/object_store.h"

namespace ridesweep::store {

class ObjectStoreWrapper : public ObjectStore {
 public:
  // REQUIRES: target != nullptr and outlives this wrapper.
  explicit ObjectStoreWrapper(ObjectStore* target) : target_(target) {}

  ObjectStore* target() const { return target_; }

  Status Put(std::string_view key, std::string_view data, std::string_view content_type) override {
    return target_->Put(key, data, content_type);
  }
  Status PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) override {
    return target_->PutIfAbsent(key, data, content_type);
  }
  Result<std::string> Get(std::string_view key) override { return target_->Get(key); }
  Result<ObjectInfo> Head(std::string_view key) override { return target_->Head(key); }
  Status Delete(std::string_view key) override { return target_->Delete(key); }
  Result<std::vector<std::string>> List(std::string_view prefix) override { return target_->List(prefix); }

 private:
  ObjectStore* target_;
};

}  // namespace ridesweep::store

#endif  // RIDESWEEP_STORE_OBJECT_STORE_WRAPPER_H_
