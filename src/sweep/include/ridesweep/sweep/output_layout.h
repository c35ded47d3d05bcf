// OutputLayout is how a run's per-point datasets (shard_metrics, trip_data, snapshot_counts, effective_parameters)
// are stored: one object per dataset per point (per_point, the default and the contract's original keys) or one
// object per dataset per shard with point_index as a column (per_shard, the compact layout). Chosen per run by the
// request field `layout`, carried in the canonical request, the run manifest and the shard payload (each only when
// not the default). See docs/formats/s3_layout.md. Pure.
#ifndef RIDESWEEP_SWEEP_OUTPUT_LAYOUT_H_
#define RIDESWEEP_SWEEP_OUTPUT_LAYOUT_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace ridesweep::sweep {

// DO NOT CHANGE the names (OutputLayoutName): request values, canonical request and manifest contents.
enum class OutputLayout : uint8_t {
  kPerPoint,  // dataset=<d>/…/shard_id=S/point_index=I/part-0.parquet, four objects per point
  kPerShard,  // dataset=<d>_per_shard/…/shard_id=S/part-0.parquet, four objects per shard
};

inline constexpr OutputLayout kDefaultOutputLayout = OutputLayout::kPerPoint;

std::string_view OutputLayoutName(OutputLayout layout);  // per_point | per_shard
// The layout with that name; nullopt for any other text (case-sensitive).
std::optional<OutputLayout> OutputLayoutFromName(std::string_view name);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_OUTPUT_LAYOUT_H_
