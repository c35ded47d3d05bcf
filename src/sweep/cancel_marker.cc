// The cancel marker's bytes, its store operations and the throttled CancelWatch.
#include "ridesweep/sweep/cancel_marker.h"

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/structured_log.h"

namespace ridesweep::sweep {

std::string CancelMarkerJson(std::string_view run_id, WallTime cancelled_at) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("run_id").String(run_id).Key("cancelled_at").String(Rfc3339Micros(cancelled_at)).EndObject();
  return out;
}

Status WriteCancelMarker(ObjectStore& store, std::string_view results_prefix, std::string_view run_id, WallTime now) {
  return store.Put(StorageLayout(results_prefix).CancelMarkerKey(run_id), CancelMarkerJson(run_id, now),
                   "application/json");
}

Result<std::optional<std::string>> ReadCancelMarker(ObjectStore& store, std::string_view results_prefix,
                                                    std::string_view run_id) {
  Result<std::string> bytes = store.Get(StorageLayout(results_prefix).CancelMarkerKey(run_id));
  if (!bytes.ok()) {
    if (bytes.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return bytes.status();
  }
  Result<JsonValue> parsed = ParseJson(*bytes);
  if (parsed.ok() && parsed->is_object()) {
    if (const JsonValue* at = parsed->as_object().Find("cancelled_at"); at != nullptr && at->is_string()) {
      return std::optional<std::string>(at->as_string());
    }
  }
  return std::optional<std::string>("unknown");
}

CancelWatch::CancelWatch(std::chrono::milliseconds point_check_interval) : interval_(point_check_interval) {}

Result<bool> CancelWatch::Cancelled(ObjectStore& store, std::string_view results_prefix, std::string_view run_id,
                                    WallTime now, bool force) {
  {
    std::lock_guard lock(mu_);
    auto it = runs_.find(run_id);
    if (it != runs_.end() && (it->second.cancelled || (!force && now - it->second.checked_at < interval_))) {
      return it->second.cancelled;
    }
  }
  Result<ObjectInfo> info = store.Head(StorageLayout(results_prefix).CancelMarkerKey(run_id));
  if (!info.ok()) return info.status();
  std::lock_guard lock(mu_);
  if (runs_.size() >= kMaxRuns) runs_.clear();  // a long-lived worker forgets old runs; they are asked again
  Entry& entry = runs_[std::string(run_id)];
  entry.checked_at = now;
  entry.cancelled = entry.cancelled || info->exists;
  return entry.cancelled;
}

}  // namespace ridesweep::sweep
