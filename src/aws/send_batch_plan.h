// Grouping of shard messages into SendMessageBatch calls (spec/sweep.md §5.4): consecutive messages, at most
// `max_entries` per call and at most `max_bytes` of message bodies per call; a message whose body alone exceeds
// `max_bytes` can never be sent and is set aside; a repeated shard id starts a new call (entry Ids must be
// distinct within a call). Private to the aws layer. Pure.
#ifndef RIDESWEEP_AWS_SEND_BATCH_PLAN_H_
#define RIDESWEEP_AWS_SEND_BATCH_PLAN_H_

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "ridesweep/sweep/ports.h"

namespace ridesweep::aws {

struct SendBatchPlan {
  std::vector<std::vector<size_t>> batches;  // Indexes into the messages, in order.
  std::vector<size_t> oversized;             // Messages above max_bytes, in order.
};

SendBatchPlan PlanSendBatches(std::span<const sweep::ShardMessage> messages, size_t max_entries, size_t max_bytes);

// The entry Id of a shard: "s<shard_id>".
std::string SendBatchEntryId(uint64_t shard_id);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_SEND_BATCH_PLAN_H_
