// SQS batch handling (spec/sweep.md §7.1): decode every record, reject the undecodable ones, run the rest.
#include "ridesweep/sweep/sqs_batch.h"

#include <charconv>
#include <exception>
#include <optional>
#include <utility>

#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/dead_letter.h"
#include "ridesweep/sweep/shard_payload.h"
#include "ridesweep/sweep/structured_log.h"

namespace ridesweep::sweep {
namespace {

JsonValue Text(std::string_view s) { return JsonValue::String(std::string(s)); }

const JsonValue* Member(const JsonValue& value, std::string_view key) {
  return value.is_object() ? value.as_object().Find(key) : nullptr;
}

std::string MessageIdOf(const JsonValue& record) {
  const JsonValue* id = Member(record, "messageId");
  return id != nullptr && id->is_string() ? id->as_string() : std::string();
}

// True when the record comes from the configured dead-letter queue.
bool FromDeadLetterQueue(const JsonValue& record, const WorkerContext& ctx) {
  if (ctx.config.dead_letter_queue_arn.empty()) return false;
  const JsonValue* source = Member(record, "eventSourceARN");
  return source != nullptr && source->is_string() && source->as_string() == ctx.config.dead_letter_queue_arn;
}

// One record after decoding: a shard attempt, or the rejection text.
struct DecodedRecord {
  std::string message_id;
  uint64_t attempt = 1;
  bool dead_letter = false;
  std::optional<ShardAttempt> shard;
  std::string rejection;
};

}  // namespace

std::string SqsBatchResult::ResponseJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("batchItemFailures").BeginArray();
  for (const std::string& id : failed_message_ids) w.BeginObject().Key("itemIdentifier").String(id).EndObject();
  w.EndArray().EndObject();
  return out;
}

uint64_t ApproximateReceiveCount(const JsonValue& record) {
  const JsonValue* attributes = Member(record, "attributes");
  const JsonValue* count = attributes != nullptr ? Member(*attributes, "ApproximateReceiveCount") : nullptr;
  if (count == nullptr) return 1;
  uint64_t value = 0;
  if (count->is_string()) {
    const std::string& text = count->as_string();
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) return 1;
  } else if (count->is_unsigned()) {
    value = count->as_unsigned();
  } else {
    return 1;
  }
  return value >= 1 ? value : 1;
}

SqsBatchResult HandleSqsBatch(const JsonValue& event, DatasetEncoder& encoder, WorkerContext& ctx,
                              DeadlineGuard* guard) {
  DatasetEncoder* const one[] = {&encoder};
  return HandleSqsBatch(event, one, ctx, guard);
}

SqsBatchResult HandleSqsBatch(const JsonValue& event, std::span<DatasetEncoder* const> encoders, WorkerContext& ctx,
                              DeadlineGuard* guard) {
  // §7.1 step 1: one `now` per batch.
  const WallTime now = ctx.clock->Now();
  const std::string fallback_run_date = UtcDate(now);
  const std::string event_time = Rfc3339Micros(now);

  SqsBatchResult result;
  const JsonValue* records = Member(event, "Records");
  if (records == nullptr || !records->is_array()) return result;

  std::vector<DecodedRecord> decoded;
  decoded.reserve(records->as_array().size());
  for (const JsonValue& record : records->as_array()) {
    DecodedRecord d;
    d.message_id = MessageIdOf(record);
    d.attempt = ApproximateReceiveCount(record);
    d.dead_letter = FromDeadLetterQueue(record, ctx);
    const JsonValue* body = Member(record, "body");
    Result<ShardPayload> payload = DecodeShardPayloadRecordBody(body != nullptr ? *body : JsonValue::Null(),
                                                                fallback_run_date);
    if (payload.ok()) {
      ShardAttempt attempt;
      attempt.payload = std::move(payload).value();
      attempt.attempt = d.attempt;
      attempt.event_time = event_time;
      attempt.message_id = d.message_id;
      d.shard = std::move(attempt);
      ++result.decoded_payloads;
    } else {
      d.rejection = payload.status().message();
      ++result.rejected_payloads;
      if (ctx.log != nullptr) {
        JsonObject details;
        details.Set("attempt", JsonValue::Unsigned(d.attempt));
        details.Set("error", Text(d.rejection));
        details.Set("message_id", Text(d.message_id));
        if (d.dead_letter) {
          // Its attempts already logged payload_rejected; the body goes to the log before the message is deleted.
          details.Set("body", body == nullptr    ? JsonValue::Null()
                             : body->is_string() ? *body
                                                 : Text(ToCanonicalJson(*body)));
          ctx.log->Error("child_handler", "dead_letter_unreadable", std::move(details));
        } else {
          ctx.log->Error("child_handler", "payload_rejected", std::move(details));
        }
      }
    }
    decoded.push_back(std::move(d));
  }
  result.record_count = decoded.size();
  if (ctx.log != nullptr) {
    JsonObject details;
    details.Set("payload_count", JsonValue::Unsigned(result.decoded_payloads));
    details.Set("rejected_count", JsonValue::Unsigned(result.rejected_payloads));
    ctx.log->Info("sweep_runtime", "sqs_payloads_decoded", std::move(details));
  }

  // §7.1 steps 2–4: records in order, each independently.
  for (DecodedRecord& d : decoded) {
    if (!d.shard.has_value()) {
      // Rejected: to the DLQ intact; from the DLQ, logged whole and acknowledged (nothing could ever record it).
      if (!d.dead_letter) result.failed_message_ids.push_back(d.message_id);
      continue;
    }
    if (d.dead_letter) {
      if (HandleDeadLetter(*d.shard, *encoders[0], ctx) == DeadLetterResult::kNotRecorded) {
        result.failed_message_ids.push_back(d.message_id);
      }
      continue;
    }
    bool retry = true;
    try {
      const ShardRunOutcome outcome = RunShard(*d.shard, encoders, ctx, guard);
      retry = outcome.retry;
      if (outcome.succeeded) ++result.succeeded_shards;
    } catch (...) {
      retry = true;  // RunShard reports exceptions itself; anything escaping it must come back.
    }
    if (retry) result.failed_message_ids.push_back(d.message_id);
  }
  return result;
}

}  // namespace ridesweep::sweep
