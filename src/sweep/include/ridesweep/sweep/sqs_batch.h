// The SQS batch handler of the worker path (spec/sweep.md §7.1): turns one SQS event (already detected with
// IsSqsEvent) into shard attempts and runs them in record order, each independently. `now` is taken once per
// batch (fallback run_date, event_time); `attempt` comes from attributes.ApproximateReceiveCount. Records whose
// body cannot be decoded are rejected (nothing written, `payload_rejected` logged) and listed in the partial batch
// response so they reach the DLQ intact; the others run the shard algorithm under one invocation-wide deadline
// guard and are listed only when their outcome is transient. Records from the dead-letter queue
// (WorkerConfig::dead_letter_queue_arn) are not run: HandleDeadLetter records the missing failure, an unreadable one
// is logged whole (`dead_letter_unreadable`) and acknowledged. Pure: no AWS, the store and clock are injected.
#ifndef RIDESWEEP_SWEEP_SQS_BATCH_H_
#define RIDESWEEP_SWEEP_SQS_BATCH_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ridesweep/base/json_value.h"
#include "ridesweep/sweep/dataset_writer.h"
#include "ridesweep/sweep/worker.h"

namespace ridesweep::sweep {

struct SqsBatchResult {
  uint64_t record_count = 0;
  uint64_t decoded_payloads = 0;  // records whose body decoded into a shard payload
  uint64_t rejected_payloads = 0;
  uint64_t succeeded_shards = 0;
  // messageIds listed in batchItemFailures, in record order (rejected records and transient outcomes).
  std::vector<std::string> failed_message_ids;

  // {"batchItemFailures":[{"itemIdentifier":"<messageId>"}…]} (an empty list when everything is acknowledged).
  std::string ResponseJson() const;
};

// attributes.ApproximateReceiveCount of one record: a positive integer (string or number); 1 when missing or
// invalid.
uint64_t ApproximateReceiveCount(const JsonValue& record);

// Handles every record of `event` (REQUIRES: IsSqsEvent(event)). Logs `payload_rejected` (child_handler) per
// rejected record and `sqs_payloads_decoded` (sweep_runtime) once all bodies are decoded, then runs the shards.
// `guard` (may be null: no deadline) is shared by all records, so E carries over. Never throws: RunShard turns
// exceptions into transient internal_error outcomes.
SqsBatchResult HandleSqsBatch(const JsonValue& event, DatasetEncoder& encoder, WorkerContext& ctx,
                              DeadlineGuard* guard);
// The same with a shard's points on up to encoders.size() threads (SWEEP_POINT_THREADS; see RunShard).
SqsBatchResult HandleSqsBatch(const JsonValue& event, std::span<DatasetEncoder* const> encoders, WorkerContext& ctx,
                              DeadlineGuard* guard);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_SQS_BATCH_H_
