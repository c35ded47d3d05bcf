// Balanced contiguous shard ranges (spec/sweep.md §4).
#include "ridesweep/sweep/shard_plan.h"

#include <algorithm>

#include "ridesweep/base/json_number_format.h"
#include "ridesweep/sweep/errors.h"

namespace ridesweep::sweep {

std::string_view ShardStrategyName(ShardStrategy strategy) {
  switch (strategy) {
    case ShardStrategy::kExplicitShardCount: return "explicit_shard_count";
    case ShardStrategy::kDerivedFromShardSize: return "derived_from_shard_size";
  }
  return "explicit_shard_count";
}

ApiResult<ShardPlan> PlanShards(uint64_t total_points, std::optional<uint64_t> shard_count,
                                std::optional<uint64_t> shard_size, uint64_t max_shards_cap) {
  ShardPlan plan;
  plan.total_points = total_points;
  uint64_t count = 0;
  if (shard_count.has_value()) {
    plan.strategy = ShardStrategy::kExplicitShardCount;
    count = std::min(*shard_count, total_points);
  } else if (shard_size.has_value() && *shard_size > 0) {
    plan.strategy = ShardStrategy::kDerivedFromShardSize;
    count = total_points / *shard_size + (total_points % *shard_size != 0 ? 1 : 0);
  }
  if (count > max_shards_cap) return MakeValidationError(errors::ShardCountExceeds(count, max_shards_cap));
  if (count == 0) return MakeValidationError(std::string(errors::kNoShards));

  const uint64_t base = total_points / count;
  const uint64_t remainder = total_points % count;
  plan.shards.reserve(count);
  uint64_t start = 0;
  for (uint64_t shard_id = 0; shard_id < count; ++shard_id) {
    const uint64_t size = base + (shard_id < remainder ? 1 : 0);
    plan.shards.push_back(ShardRange{shard_id, start, start + size});
    start += size;
  }
  // Guards kept from the earlier implementation; they cannot fire for the arithmetic above.
  if (plan.shards.front().start_index != 0 || plan.shards.back().end_index_exclusive != total_points) {
    return MakeValidationError(std::string(errors::kShardsDoNotCover));
  }
  for (size_t i = 1; i < plan.shards.size(); ++i) {
    if (plan.shards[i].start_index != plan.shards[i - 1].end_index_exclusive ||
        plan.shards[i].start_index >= plan.shards[i].end_index_exclusive) {
      return MakeValidationError(std::string(errors::kShardsOverlapOrGap));
    }
  }
  return plan;
}

void AppendShardRangesJson(std::string* out, const std::vector<ShardRange>& shards) {
  out->push_back('[');
  for (size_t i = 0; i < shards.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->push_back('[');
    AppendJsonUnsigned(out, shards[i].start_index);
    out->push_back(',');
    AppendJsonUnsigned(out, shards[i].end_index_exclusive);
    out->push_back(']');
  }
  out->push_back(']');
}

}  // namespace ridesweep::sweep
