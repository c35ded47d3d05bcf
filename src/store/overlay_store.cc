// OverlayStore: an in-memory map of writes and deletions over a read-only base; see overlay_store.h.
#include "ridesweep/store/overlay_store.h"

#include <set>

#include "ridesweep/store/object_key.h"

namespace ridesweep::store {

Status OverlayStore::Put(std::string_view key, std::string_view data, std::string_view /*content_type*/) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  std::lock_guard lock(mu_);
  overlay_.insert_or_assign(std::string(key), std::string(data));
  return Status::Ok();
}

Status OverlayStore::PutIfAbsent(std::string_view key, std::string_view data, std::string_view /*content_type*/) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  // The check and the insert happen under one lock: two concurrent callers must not both see the key absent.
  std::lock_guard lock(mu_);
  const auto it = overlay_.find(key);
  bool exists = false;
  if (it != overlay_.end()) {
    exists = it->second.has_value();
  } else if (base_ != nullptr) {
    RIDESWEEP_ASSIGN_OR_RETURN(const ObjectInfo info, base_->Head(key));
    exists = info.exists;
  }
  if (exists) return ConflictError("object already exists: " + std::string(key));
  overlay_.insert_or_assign(std::string(key), std::string(data));
  return Status::Ok();
}

Result<std::string> OverlayStore::Get(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  {
    std::lock_guard lock(mu_);
    const auto it = overlay_.find(key);
    if (it != overlay_.end()) {
      if (!it->second.has_value()) return NotFoundError("object not found: " + std::string(key));
      return *it->second;
    }
  }
  if (base_ == nullptr) return NotFoundError("object not found: " + std::string(key));
  return base_->Get(key);
}

Result<ObjectInfo> OverlayStore::Head(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  {
    std::lock_guard lock(mu_);
    const auto it = overlay_.find(key);
    if (it != overlay_.end()) {
      if (!it->second.has_value()) return ObjectInfo{};
      return ObjectInfo{.exists = true, .size = it->second->size()};
    }
  }
  if (base_ == nullptr) return ObjectInfo{};
  return base_->Head(key);
}

Status OverlayStore::Delete(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  std::lock_guard lock(mu_);
  overlay_.insert_or_assign(std::string(key), std::nullopt);
  return Status::Ok();
}

Result<std::vector<std::string>> OverlayStore::List(std::string_view prefix) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateListPrefix(prefix));
  std::set<std::string, std::less<>> keys;
  if (base_ != nullptr) {
    RIDESWEEP_ASSIGN_OR_RETURN(std::vector<std::string> listed, base_->List(prefix));
    keys.insert(std::make_move_iterator(listed.begin()), std::make_move_iterator(listed.end()));
  }
  std::lock_guard lock(mu_);
  for (auto it = overlay_.lower_bound(prefix); it != overlay_.end() && it->first.starts_with(prefix); ++it) {
    if (it->second.has_value()) {
      keys.insert(it->first);
    } else {
      keys.erase(it->first);
    }
  }
  return std::vector<std::string>(keys.begin(), keys.end());
}

std::map<std::string, size_t, std::less<>> OverlayStore::WrittenSizes() const {
  std::map<std::string, size_t, std::less<>> sizes;
  std::lock_guard lock(mu_);
  for (const auto& [key, data] : overlay_) {
    if (data.has_value()) sizes.emplace(key, data->size());
  }
  return sizes;
}

}  // namespace ridesweep::store
