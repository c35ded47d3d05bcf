// How many objects and bytes one run leaves in the results store, per storage layout, from its plan and the
// object sizes of a few calibrated points: `per_point` writes four objects per point (shard_metrics, trip_data,
// snapshot_counts, effective_parameters), `per_shard` one object per dataset per shard; both add one shard
// outcome per shard, the run_context record and the run manifest. A Parquet object's size splits into a fixed part
// (the leading magic, the footer and its length: one per file whatever it holds) and the data pages (which grow
// with the rows), so a per-shard object is estimated as one fixed part plus the data of its points. Pure.
#ifndef RIDESWEEP_LOCAL_RUN_FOOTPRINT_H_
#define RIDESWEEP_LOCAL_RUN_FOOTPRINT_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace ridesweep::local {

// The four per-point datasets, in write order.
inline constexpr size_t kPointDatasets = 4;

// Mean size of one point's object of each per-point dataset, and the fixed part of it.
struct PointObjectSizes {
  std::array<double, kPointDatasets> bytes{};        // whole object
  std::array<double, kPointDatasets> fixed_bytes{};  // ParquetFixedBytes of it
};

struct RunFootprint {
  uint64_t objects = 0;
  uint64_t bytes = 0;
};

// The fixed part of a Parquet file: 4 bytes of leading magic, the footer, its 4-byte length and the trailing
// magic. 0 when `file` is not a Parquet file.
uint64_t ParquetFixedBytes(std::string_view file);

// `other_bytes`: the shard outcomes (shards × outcome size), run_context and manifest together.
RunFootprint PerPointFootprint(uint64_t points, uint64_t shards, const PointObjectSizes& sizes, uint64_t other_bytes);
RunFootprint PerShardFootprint(uint64_t points, uint64_t shards, const PointObjectSizes& sizes, uint64_t other_bytes);

}  // namespace ridesweep::local

#endif  // RIDESWEEP_LOCAL_RUN_FOOTPRINT_H_
