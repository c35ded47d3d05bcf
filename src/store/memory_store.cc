// MemoryStore: a mutex-guarded sorted map; see memory_store.h.
#include "ridesweep/store/memory_store.h"

#include "ridesweep/store/object_key.h"

namespace ridesweep::store {

Status MemoryStore::Put(std::string_view key, std::string_view data, std::string_view content_type) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  Object object{std::string(data), std::string(content_type)};
  std::lock_guard lock(mu_);
  objects_.insert_or_assign(std::string(key), std::move(object));
  return Status::Ok();
}

Status MemoryStore::PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  Object object{std::string(data), std::string(content_type)};
  std::lock_guard lock(mu_);
  if (!objects_.try_emplace(std::string(key), std::move(object)).second) {
    return ConflictError("object already exists: " + std::string(key));
  }
  return Status::Ok();
}

Result<std::string> MemoryStore::Get(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  std::lock_guard lock(mu_);
  const auto it = objects_.find(key);
  if (it == objects_.end()) return NotFoundError("object not found: " + std::string(key));
  return it->second.data;
}

Result<ObjectInfo> MemoryStore::Head(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  std::lock_guard lock(mu_);
  const auto it = objects_.find(key);
  if (it == objects_.end()) return ObjectInfo{};
  return ObjectInfo{.exists = true, .size = it->second.data.size()};
}

Status MemoryStore::Delete(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateObjectKey(key));
  std::lock_guard lock(mu_);
  const auto it = objects_.find(key);
  if (it != objects_.end()) objects_.erase(it);
  return Status::Ok();
}

Result<std::vector<std::string>> MemoryStore::List(std::string_view prefix) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateListPrefix(prefix));
  std::vector<std::string> keys;
  std::lock_guard lock(mu_);
  for (auto it = objects_.lower_bound(prefix); it != objects_.end() && it->first.starts_with(prefix); ++it) {
    keys.push_back(it->first);
  }
  return keys;
}

Result<std::string> MemoryStore::ContentType(std::string_view key) const {
  std::lock_guard lock(mu_);
  const auto it = objects_.find(key);
  if (it == objects_.end()) return NotFoundError("object not found: " + std::string(key));
  return it->second.content_type;
}

size_t MemoryStore::size() const {
  std::lock_guard lock(mu_);
  return objects_.size();
}

}  // namespace ridesweep::store
