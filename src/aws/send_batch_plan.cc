// SendMessageBatch grouping.
#include "send_batch_plan.h"

#include <unordered_set>

namespace ridesweep::aws {

std::string SendBatchEntryId(uint64_t shard_id) { return "s" + std::to_string(shard_id); }

SendBatchPlan PlanSendBatches(std::span<const sweep::ShardMessage> messages, size_t max_entries, size_t max_bytes) {
  SendBatchPlan plan;
  std::vector<size_t> current;
  size_t current_bytes = 0;
  std::unordered_set<uint64_t> current_ids;
  auto flush = [&] {
    if (!current.empty()) plan.batches.push_back(std::move(current));
    current.clear();
    current_bytes = 0;
    current_ids.clear();
  };
  for (size_t i = 0; i < messages.size(); ++i) {
    const size_t size = messages[i].body.size();
    if (size > max_bytes) {
      plan.oversized.push_back(i);
      continue;
    }
    if (current.size() == max_entries || current_bytes + size > max_bytes ||
        current_ids.contains(messages[i].shard_id)) {
      flush();
    }
    current.push_back(i);
    current_bytes += size;
    current_ids.insert(messages[i].shard_id);
  }
  flush();
  return plan;
}

}  // namespace ridesweep::aws
