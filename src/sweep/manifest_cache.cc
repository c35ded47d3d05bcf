// ManifestCache: the per-execution-environment cache of run manifests used by reference-form payloads
// (spec/sweep.md §7.2 step 2). Manifests are written once (create-if-absent) and never change, so a cached copy
// stays valid; the least recently used entry goes when the cache is full.
#include <algorithm>
#include <list>
#include <mutex>
#include <string>
#include <utility>

#include "ridesweep/sweep/worker.h"

namespace ridesweep::sweep {

struct ManifestCache::Impl {
  std::mutex mu;
  std::list<std::pair<std::string, RunManifest>> entries;  // most recently used first; guarded by mu
};

ManifestCache::ManifestCache(size_t capacity)
    : capacity_(std::max<size_t>(capacity, 1)), impl_(std::make_shared<Impl>()) {}

Result<RunManifest> ManifestCache::Get(ObjectStore& store, std::string_view key) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    auto& entries = impl_->entries;
    const auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == key; });
    if (it != entries.end()) {
      entries.splice(entries.begin(), entries, it);
      return entries.front().second;
    }
  }
  // Read outside the lock: a slow store must not block other runs' lookups. Two threads may both read the same
  // manifest; the second insert finds the first and keeps it.
  Result<std::string> text = store.Get(key);
  if (!text.ok()) return text.status();
  Result<RunManifest> manifest = DecodeRunManifest(*text);
  if (!manifest.ok()) return manifest.status();

  std::lock_guard<std::mutex> lock(impl_->mu);
  auto& entries = impl_->entries;
  const auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == key; });
  if (it == entries.end()) {
    entries.emplace_front(std::string(key), *manifest);
    while (entries.size() > capacity_) entries.pop_back();
  }
  return manifest;
}

}  // namespace ridesweep::sweep
