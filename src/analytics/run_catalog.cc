// Run listings from manifests, progress and cancel markers; whole-run deletion.
#include "ridesweep/analytics/run_catalog.h"

#include <algorithm>
#include <set>

#include "ridesweep/sweep/cancel_marker.h"
#include "ridesweep/sweep/keys.h"

namespace ridesweep::analytics {
namespace {

constexpr std::string_view kManifestSuffix = "/manifest.json";
constexpr std::string_view kRunIdSegment = "run_id=";

constexpr sweep::Dataset kDatasets[] = {
    sweep::Dataset::kShardMetrics,        sweep::Dataset::kTripData,       sweep::Dataset::kSnapshotCounts,
    sweep::Dataset::kEffectiveParameters, sweep::Dataset::kShardOutcomes,  sweep::Dataset::kRunContext,
};

}  // namespace

std::string RunListing::State() const {
  if (progress.complete()) return "complete";
  if (cancelled_at.has_value()) return "cancelled";
  if (progress.shards_pending.has_value() && *progress.shards_pending == 0 && progress.shards_failed > 0) {
    return "failed";
  }
  return "incomplete";
}

Result<std::vector<std::string>> ListRunIds(ObjectStore& store, std::string_view results_prefix) {
  const sweep::StorageLayout layout(results_prefix);
  const std::string runs = layout.RunsPrefix();
  RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<std::string> keys, store.List(runs + std::string(kRunIdSegment)));
  std::set<std::string> ids;
  for (const std::string& key : keys) {
    if (!key.ends_with(kManifestSuffix)) continue;
    const std::string_view middle = std::string_view(key).substr(
        runs.size() + kRunIdSegment.size(), key.size() - runs.size() - kRunIdSegment.size() - kManifestSuffix.size());
    if (!middle.empty() && middle.find('/') == std::string_view::npos) ids.emplace(middle);
  }
  return std::vector<std::string>(ids.begin(), ids.end());
}

Result<RunListing> DescribeRun(ObjectStore& store, std::string_view results_prefix, std::string_view run_id) {
  RunListing listing;
  RIDESWEEP_ASSIGN_OR_RETURN(listing.progress, ComputeRunProgress(store, results_prefix, run_id));
  listing.layout = std::string(sweep::OutputLayoutName(listing.progress.layout));
  RIDESWEEP_ASSIGN_OR_RETURN(listing.cancelled_at, sweep::ReadCancelMarker(store, results_prefix, run_id));
  const RunProgress& p = listing.progress;
  if (p.manifest_state == ManifestState::kAbsent && !listing.cancelled_at.has_value() && p.shards_succeeded == 0 &&
      p.shards_failed == 0 && p.points_committed == 0) {
    return NotFoundError("run '" + std::string(run_id) + "' not found");
  }
  return listing;
}

Result<std::vector<std::string>> RunObjectKeys(ObjectStore& store, std::string_view results_prefix,
                                               std::string_view run_id) {
  const sweep::StorageLayout layout(results_prefix);
  RIDESWEEP_ASSIGN_OR_RETURN(const ResolvedRun run, ResolveRun(store, results_prefix, run_id));
  std::vector<std::string> keys;
  for (sweep::Dataset dataset : kDatasets) {
    // Both layouts' trees; narrowed to the run's own partition when its run_date is known.
    const std::vector<std::string> prefixes = run.run_date.has_value()
                                                  ? layout.RunPrefixes(dataset, *run.run_date, run_id)
                                                  : layout.DatasetPrefixes(dataset);
    for (const std::string& prefix : prefixes) {
      RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<std::string> listed, store.List(prefix));
      for (const std::string& key : listed) {
        Result<sweep::PartitionIdentity> identity = sweep::ParseStorageKey(key, layout.prefix());
        if (identity.ok() && identity->dataset == dataset && identity->run_id == run_id) keys.push_back(key);
      }
    }
  }
  for (const std::string& key : {layout.CancelMarkerKey(run_id), layout.RunManifestKey(run_id)}) {
    RIDESWEEP_ASSIGN_OR_RETURN(const ObjectInfo info, store.Head(key));
    if (info.exists) keys.push_back(key);
  }
  return keys;
}

Result<DeleteRunResult> DeleteRun(ObjectStore& store, std::string_view results_prefix, std::string_view run_id) {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<std::string> keys, RunObjectKeys(store, results_prefix, run_id));
  // The data in batches, then the cancel marker and the manifest one by one, the manifest last.
  const sweep::StorageLayout layout(results_prefix);
  size_t data_keys = keys.size();
  while (data_keys > 0 && (keys[data_keys - 1] == layout.RunManifestKey(run_id) ||
                           keys[data_keys - 1] == layout.CancelMarkerKey(run_id))) {
    --data_keys;
  }
  RIDESWEEP_RETURN_IF_ERROR(store.DeleteMany(std::span<const std::string>(keys.data(), data_keys)));
  for (size_t i = data_keys; i < keys.size(); ++i) RIDESWEEP_RETURN_IF_ERROR(store.Delete(keys[i]));
  return DeleteRunResult{keys.size()};
}

Result<CancelOutcome> CancelRun(ObjectStore& store, std::string_view results_prefix, std::string_view run_id,
                                sweep::WallTime now, RunListing* listing) {
  RIDESWEEP_ASSIGN_OR_RETURN(RunListing described, DescribeRun(store, results_prefix, run_id));
  CancelOutcome outcome = CancelOutcome::kCancelled;
  if (described.progress.complete()) {
    outcome = CancelOutcome::kAlreadyComplete;
  } else if (described.cancelled_at.has_value()) {
    outcome = CancelOutcome::kAlreadyCancelled;
  } else {
    RIDESWEEP_RETURN_IF_ERROR(sweep::WriteCancelMarker(store, results_prefix, run_id, now));
  }
  if (listing != nullptr) *listing = std::move(described);
  return outcome;
}

}  // namespace ridesweep::analytics
