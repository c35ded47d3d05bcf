// ShardSpill gathers the rows of one shard's points for the per_shard layout (output_layout.h): the worker appends
// each point's rows as the point finishes, in any order, and once every point is done asks for one Parquet file
// per dataset, rows ordered by point_index (a point's rows in the order they were given). Implementations keep
// the rows outside the process heap (store::ParquetShardSpill: append-only files in a temporary directory, mapped
// when the shard is encoded), so memory stays bounded whatever the shard's size. Same rows ⇒ same bytes,
// whatever order the points were appended in.
//
// Threading: AppendPoint is thread-safe (the worker's point threads share one spill per shard attempt); Encode
// must not run concurrently with AppendPoint.
#ifndef RIDESWEEP_SWEEP_SHARD_SPILL_H_
#define RIDESWEEP_SWEEP_SHARD_SPILL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "ridesweep/base/result.h"
#include "ridesweep/base/status.h"
#include "ridesweep/sim/records.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/records.h"

namespace ridesweep::sweep {

class ShardSpill {
 public:
  virtual ~ShardSpill() = default;

  // Adds one point's rows. kInternal when the spill cannot take them (e.g. its disk is full).
  virtual Status AppendPoint(uint64_t point_index, const ShardMetricsRow& metrics, std::span<const sim::TripRow> trips,
                             std::span<const sim::SnapshotRow> snapshots, const EffectiveParametersRow& parameters) = 0;

  // A complete Parquet file of every row appended for `dataset` (shard_metrics, trip_data, snapshot_counts or
  // effective_parameters), ordered by point_index. Column order: docs/formats/parquet_schemas.md, "Compact layout".
  virtual Result<std::string> Encode(Dataset dataset) = 0;
};

// Makes a fresh, empty spill (one per shard attempt). Thread-safe to call; kInternal when it cannot start.
using ShardSpillFactory = std::function<Result<std::unique_ptr<ShardSpill>>()>;

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_SHARD_SPILL_H_
