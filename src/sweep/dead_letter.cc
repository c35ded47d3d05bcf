// The worker's handling of a dead-lettered shard message: write the failure record no attempt wrote.
#include "ridesweep/sweep/dead_letter.h"

#include <exception>
#include <string>
#include <utility>

#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/structured_log.h"

namespace ridesweep::sweep {
namespace {

std::string_view ResultName(DeadLetterResult result) {
  switch (result) {
    case DeadLetterResult::kAlreadyFinal: return "already_final";
    case DeadLetterResult::kRecorded: return "recorded";
    case DeadLetterResult::kNotRecorded: return "not_recorded";
  }
  return "not_recorded";
}

// True when the shard has a success or failure record; an error when the store cannot say.
Result<bool> HasOutcome(const ShardAttempt& attempt, WorkerContext& ctx) {
  const ShardPayload& p = attempt.payload;
  const StorageLayout layout(ctx.config.results_prefix);
  const std::string run_date = p.run_date.has_value() ? *p.run_date : UtcDate(ctx.clock->Now());
  for (RecordStatus status : {RecordStatus::kSuccess, RecordStatus::kFailure}) {
    Result<ObjectInfo> info = ctx.store->Head(layout.ShardOutcomeKey(run_date, p.run_id, status, p.shard_id));
    if (!info.ok()) return info.status();
    if (info->exists) return true;
  }
  return false;
}

DeadLetterResult Settle(const ShardAttempt& attempt, DatasetEncoder& encoder, WorkerContext& ctx,
                        std::string* store_error) {
  Result<bool> has_outcome = HasOutcome(attempt, ctx);
  if (!has_outcome.ok()) {
    *store_error = has_outcome.status().message();
    return DeadLetterResult::kNotRecorded;
  }
  if (*has_outcome) return DeadLetterResult::kAlreadyFinal;
  const ShardError error{ShardErrorCode::kInternalError, std::string(kDeadLetterNoOutcomeMessage)};
  return RecordShardFailure(attempt, error, 0, encoder, ctx) ? DeadLetterResult::kRecorded
                                                             : DeadLetterResult::kNotRecorded;
}

}  // namespace

DeadLetterResult HandleDeadLetter(const ShardAttempt& attempt, DatasetEncoder& encoder, WorkerContext& ctx) {
  std::string store_error;
  DeadLetterResult result = DeadLetterResult::kNotRecorded;
  try {
    result = Settle(attempt, encoder, ctx, &store_error);
  } catch (const std::exception& e) {
    store_error = e.what();
  } catch (...) {
    store_error = "unknown exception";
  }
  if (ctx.log != nullptr) {
    JsonObject details;
    details.Set("run_id", JsonValue::String(attempt.payload.run_id));
    details.Set("shard_id", JsonValue::Unsigned(attempt.payload.shard_id));
    details.Set("attempt", JsonValue::Unsigned(attempt.attempt));
    if (!attempt.message_id.empty()) details.Set("message_id", JsonValue::String(attempt.message_id));
    details.Set("result", JsonValue::String(std::string(ResultName(result))));
    if (!store_error.empty()) details.Set("error", JsonValue::String(store_error));
    ctx.log->Emit("child_handler", "dead_letter_settled",
                  result == DeadLetterResult::kNotRecorded ? LogLevel::kError : LogLevel::kWarn,
                  std::move(details));
  }
  return result;
}

}  // namespace ridesweep::sweep
