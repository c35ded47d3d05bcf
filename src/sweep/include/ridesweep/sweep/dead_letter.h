// What the worker does with a shard message the queue dead-lettered: SQS moves a message to the dead-letter queue
// once it has been received maxReceiveCount times without being deleted. When every one of those attempts stopped
// before writing an outcome (the function timed out, ran out of memory or crashed), nothing in the results says the
// shard failed and it would read "pending" forever. Wired to the dead-letter queue, the worker writes the missing
// failure record instead, so `status`, `ingest` and the run summary report the shard as failed with the reason. A
// shard that already has an outcome (success or failure) is left as it is. Pure: no AWS, the store is injected.
#ifndef RIDESWEEP_SWEEP_DEAD_LETTER_H_
#define RIDESWEEP_SWEEP_DEAD_LETTER_H_

#include <cstdint>
#include <string_view>

#include "ridesweep/sweep/dataset_writer.h"
#include "ridesweep/sweep/worker.h"

namespace ridesweep::sweep {

// The error text of the failure record written for a dead letter with no outcome.
inline constexpr std::string_view kDeadLetterNoOutcomeMessage =
    "dead-lettered: no attempt recorded an outcome (the worker timed out, ran out of memory or crashed before "
    "writing one); run the request again to redo the shard";

enum class DeadLetterResult : uint8_t {
  kAlreadyFinal,  // the shard has a success or failure record: nothing written
  kRecorded,      // the failure record (internal_error, kDeadLetterNoOutcomeMessage) was written
  kNotRecorded,   // the store failed: the message must stay on the dead-letter queue and come back
};

// Looks the shard's outcome records up and writes the failure record when there is none. Logs
// `dead_letter_settled` (child_handler) with the result. Never throws.
DeadLetterResult HandleDeadLetter(const ShardAttempt& attempt, DatasetEncoder& encoder, WorkerContext& ctx);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_DEAD_LETTER_H_
