// Storage keys of every object a run writes (spec/sweep.md §10.1). Keys are deterministic in (P, D, R, S, I), so
// redelivery and resubmission overwrite the same objects. `P` is the configured prefix with leading and trailing
// `/` removed; an empty prefix makes keys start at `dataset=`. Partition keys carry a `_partition` suffix where
// the Parquet data already has a column of that name. See docs/formats/s3_layout.md. DO NOT CHANGE any template:
// Athena tables, SQL files and existing buckets depend on them. Pure; StorageLayout is immutable.
#ifndef RIDESWEEP_SWEEP_KEYS_H_
#define RIDESWEEP_SWEEP_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/result.h"
#include "ridesweep/sweep/output_layout.h"

namespace ridesweep::sweep {

// DO NOT CHANGE the names: they are the `dataset=` partition values.
enum class Dataset : uint8_t {
  kShardMetrics,
  kTripData,
  kSnapshotCounts,
  kEffectiveParameters,
  kShardOutcomes,
  kRunContext,
};
std::string_view DatasetName(Dataset dataset);  // shard_metrics, trip_data, …
// The four datasets written once per point (shard_metrics, trip_data, snapshot_counts, effective_parameters);
// only they have a per_shard layout.
bool IsPointDataset(Dataset dataset);
// `<name>_per_shard`: the `dataset=` value of the per_shard layout's objects. REQUIRES: a per-point dataset.
std::string PerShardDatasetName(Dataset dataset);

// DO NOT CHANGE the names: status partition values.
enum class RecordStatus : uint8_t { kSuccess, kFailure, kAccepted };
std::string_view RecordStatusName(RecordStatus status);  // success | failure | accepted

// Trims every leading and trailing '/'.
std::string NormalizeResultsPrefix(std::string_view configured_prefix);
// Why a configured results prefix cannot hold the §10.1 keys (after the leading and trailing '/' are trimmed):
// an empty segment ("a//b"), a "." or ".." segment, a backslash, a NUL or a segment starting with ".rs-tmp-" (the
// local store's temporary files); nullopt when it is fine. Checked at start so a bad prefix is a configuration
// error, not a failure of every write.
std::optional<std::string> ResultsPrefixProblem(std::string_view configured_prefix);

class StorageLayout {
 public:
  explicit StorageLayout(std::string_view results_prefix);

  // The normalized prefix P (may be empty).
  const std::string& prefix() const { return prefix_; }

  // Per-point datasets: shard_metrics, trip_data, snapshot_counts, effective_parameters.
  // REQUIRES: one of those four datasets.
  std::string PointKey(Dataset dataset, std::string_view run_date, std::string_view run_id, uint64_t shard_id,
                       uint64_t point_index, RecordStatus status = RecordStatus::kSuccess) const;
  // The per_shard layout's object of a per-point dataset: `dataset=<name>_per_shard/run_date=D/run_id=R/
  // status=success/shard_id=S/part-0.parquet` (with the dataset's `_partition` suffixes). A separate dataset
  // directory because Hive readers need one partition depth per table. REQUIRES: one of the four datasets.
  std::string ShardKey(Dataset dataset, std::string_view run_date, std::string_view run_id, uint64_t shard_id) const;
  std::string ShardOutcomeKey(std::string_view run_date, std::string_view run_id, RecordStatus status,
                              uint64_t shard_id) const;
  std::string RunContextKey(std::string_view run_date, std::string_view run_id) const;
  std::string RunManifestKey(std::string_view run_id) const;
  // `P/runs/run_id=R/cancel.json`: present once the run was cancelled (cancel_marker.h).
  std::string CancelMarkerKey(std::string_view run_id) const;
  // `P/runs/`: the listing prefix of every run's manifest.
  std::string RunsPrefix() const;
  // `P/dataset=<name>/` (or `dataset=<name>/`): the listing prefix of a dataset.
  std::string DatasetPrefix(Dataset dataset) const;
  // `P/dataset=<name>_per_shard/`: the listing prefix of a per-point dataset's per_shard objects.
  std::string PerShardDatasetPrefix(Dataset dataset) const;
  // DatasetPrefix, and for the four per-point datasets PerShardDatasetPrefix too: every tree of a dataset.
  std::vector<std::string> DatasetPrefixes(Dataset dataset) const;
  // `P/dataset=<name>/run_date=D/run_id=R/` (`run_id_partition=R` for effective_parameters, shard_outcomes and
  // run_context): the listing prefix of one run's objects of a dataset; every key of the run starts with it.
  std::string RunPrefix(Dataset dataset, std::string_view run_date, std::string_view run_id) const;
  // RunPrefix, and for the four per-point datasets the same under PerShardDatasetPrefix: every prefix one run's
  // objects of a dataset can have, in either layout.
  std::vector<std::string> RunPrefixes(Dataset dataset, std::string_view run_date, std::string_view run_id) const;

 private:
  std::string prefix_;
  std::string root_;  // prefix_ + "/" or empty
};

// The identity a dataset key encodes; the join identity across datasets after `_partition` is removed.
struct PartitionIdentity {
  Dataset dataset = Dataset::kShardMetrics;
  std::string run_date;
  std::string run_id;
  std::string status;
  std::optional<uint64_t> shard_id;     // absent for run_context
  std::optional<uint64_t> point_index;  // per-point datasets in the per_point layout only
  OutputLayout layout = OutputLayout::kPerPoint;  // per_shard for a `dataset=<name>_per_shard` key

  friend bool operator==(const PartitionIdentity&, const PartitionIdentity&) = default;
};

// Parses a dataset key built by StorageLayout(results_prefix) (PointKey, ShardKey, …) back into its identity.
// InvalidArgument when the key does not follow its dataset's template (manifest keys included).
Result<PartitionIdentity> ParseStorageKey(std::string_view key, std::string_view results_prefix);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_KEYS_H_
