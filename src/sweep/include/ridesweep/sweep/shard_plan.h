// ShardPlan splits the global point range [0, total_points) into contiguous, balanced, half-open shard ranges
// (spec/sweep.md §4): sizes differ by at most one, larger shards first. shard_size only fixes the shard count.
// The count is capped by min(request max_shards, server MAX_SHARDS). Pure; plans are plain values.
#ifndef RIDESWEEP_SWEEP_SHARD_PLAN_H_
#define RIDESWEEP_SWEEP_SHARD_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/sweep/api_error.h"

namespace ridesweep::sweep {

// DO NOT CHANGE the names: stored in run_context.shard_strategy and the manifest.
enum class ShardStrategy : uint8_t { kExplicitShardCount, kDerivedFromShardSize };
std::string_view ShardStrategyName(ShardStrategy strategy);  // explicit_shard_count | derived_from_shard_size

struct ShardRange {
  uint64_t shard_id = 0;
  uint64_t start_index = 0;
  uint64_t end_index_exclusive = 0;

  uint64_t size() const { return end_index_exclusive - start_index; }
  friend bool operator==(const ShardRange&, const ShardRange&) = default;
};

struct ShardPlan {
  ShardStrategy strategy = ShardStrategy::kExplicitShardCount;
  uint64_t total_points = 0;
  std::vector<ShardRange> shards;  // shard_id == position
};

// shard_count wins over shard_size; a count above total_points is clamped silently. Errors (400):
// `Computed shard count <n> exceeds max_shards=<cap>`, and the unreachable guards `No shards to process`,
// `Shard boundaries do not cover full parameter space`, `Shard boundaries overlap or leave gaps`.
// REQUIRES: shard_count or shard_size present (validated earlier; otherwise `No shards to process`).
ApiResult<ShardPlan> PlanShards(uint64_t total_points, std::optional<uint64_t> shard_count,
                                std::optional<uint64_t> shard_size, uint64_t max_shards_cap);

// [[start,end_exclusive],…] as written in the 202 body and the manifest.
void AppendShardRangesJson(std::string* out, const std::vector<ShardRange>& shards);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_SHARD_PLAN_H_
