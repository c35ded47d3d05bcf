// Run progress from object keys: outcome records per shard and committed points (per point, or per shard in the
// per_shard layout).
#include "ridesweep/analytics/run_progress.h"

#include <set>
#include <utility>

#include "ridesweep/sweep/keys.h"

namespace ridesweep::analytics {
namespace {

// The identities of the run's keys of one dataset.
Result<std::vector<sweep::PartitionIdentity>> RunIdentities(ObjectStore& store, const sweep::StorageLayout& layout,
                                                            sweep::Dataset dataset,
                                                            const std::optional<std::string>& run_date,
                                                            std::string_view run_id) {
  const std::string prefix = run_date.has_value() ? layout.RunPrefix(dataset, *run_date, run_id)
                                                  : layout.DatasetPrefix(dataset);
  RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<std::string> keys, store.List(prefix));
  std::vector<sweep::PartitionIdentity> identities;
  for (const std::string& key : keys) {
    Result<sweep::PartitionIdentity> identity = sweep::ParseStorageKey(key, layout.prefix());
    if (!identity.ok() || identity->dataset != dataset || identity->run_id != run_id) continue;
    identities.push_back(std::move(identity).value());
  }
  return identities;
}

}  // namespace

Result<RunProgress> ComputeRunProgress(ObjectStore& store, std::string_view results_prefix, std::string_view run_id,
                                       ProgressScope scope) {
  RIDESWEEP_ASSIGN_OR_RETURN(const ResolvedRun run, ResolveRun(store, results_prefix, run_id));
  const sweep::StorageLayout layout(results_prefix);
  RunProgress progress;
  progress.run_id = std::string(run_id);
  progress.manifest_state = run.manifest_state;
  progress.run_date = run.run_date;
  progress.shards_planned = run.expected_shards;
  progress.points_planned = run.expected_points;
  if (run.manifest.has_value()) progress.layout = run.manifest->normalized_request.layout;
  if (!run.run_date.has_value() && scope == ProgressScope::kOwnPrefixOnly) return progress;

  RIDESWEEP_ASSIGN_OR_RETURN(
      const std::vector<sweep::PartitionIdentity> outcomes,
      RunIdentities(store, layout, sweep::Dataset::kShardOutcomes, run.run_date, run_id));
  std::set<uint64_t> succeeded;
  std::set<uint64_t> failed;
  for (const sweep::PartitionIdentity& identity : outcomes) {
    if (!identity.shard_id.has_value()) continue;
    if (!progress.run_date.has_value()) progress.run_date = identity.run_date;
    if (identity.status == sweep::RecordStatusName(sweep::RecordStatus::kSuccess)) {
      succeeded.insert(*identity.shard_id);
    } else if (identity.status == sweep::RecordStatusName(sweep::RecordStatus::kFailure)) {
      failed.insert(*identity.shard_id);
    }
  }
  for (uint64_t shard : succeeded) failed.erase(shard);
  progress.shards_succeeded = succeeded.size();
  progress.shards_failed = failed.size();
  progress.failed_shard_ids.assign(failed.begin(), failed.end());
  if (progress.shards_planned.has_value()) {
    for (uint64_t shard = 0; shard < *progress.shards_planned; ++shard) {
      if (!succeeded.contains(shard) && !failed.contains(shard)) progress.pending_shard_ids.push_back(shard);
    }
    progress.shards_pending = progress.pending_shard_ids.size();
  }

  // The per_shard layout commits whole shards: its points are those of the shards with a success outcome.
  if (run.manifest.has_value() && run.manifest->normalized_request.layout == sweep::OutputLayout::kPerShard) {
    uint64_t points = 0;
    for (const sweep::ShardRange& range : run.manifest->shard_ranges) {
      if (succeeded.contains(range.shard_id)) points += range.end_index_exclusive - range.start_index;
    }
    progress.points_committed = points;
    return progress;
  }

  RIDESWEEP_ASSIGN_OR_RETURN(
      const std::vector<sweep::PartitionIdentity> committed,
      RunIdentities(store, layout, sweep::Dataset::kEffectiveParameters, run.run_date, run_id));
  std::set<uint64_t> points;
  for (const sweep::PartitionIdentity& identity : committed) {
    if (identity.point_index.has_value()) points.insert(*identity.point_index);
  }
  progress.points_committed = points.size();
  if (!progress.run_date.has_value() && !committed.empty()) progress.run_date = committed.front().run_date;
  return progress;
}

}  // namespace ridesweep::analytics
