// SendMessageBatch dispatch (spec/sweep.md §5.4).
#include "ridesweep/aws/sqs_dispatcher.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <unordered_map>

#include "md5_hex.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/limits.h"
#include "send_batch_plan.h"

namespace ridesweep::aws {
namespace {

constexpr size_t kMaxConcurrency = 64;

// Per message: enqueued, or the reason it was not.
struct Outcome {
  bool enqueued = false;
  std::string error;
};

struct BatchAnswer {
  std::vector<size_t> retry;  // Message indexes worth another call.
  std::string retry_error;    // Why the first of them failed.
};

std::string BuildRequestBody(std::string_view queue_url, std::span<const sweep::ShardMessage> messages,
                             const std::vector<size_t>& indexes) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject().Key("QueueUrl").String(queue_url).Key("Entries").BeginArray();
  for (const size_t i : indexes) {
    w.BeginObject()
        .Key("Id")
        .String(SendBatchEntryId(messages[i].shard_id))
        .Key("MessageBody")
        .String(messages[i].body)
        .EndObject();
  }
  w.EndArray().EndObject();
  return body;
}

std::string TextMember(const JsonObject& object, std::string_view key) {
  const JsonValue* value = object.Find(key);
  return value != nullptr && value->is_string() ? value->as_string() : std::string();
}

// Reads the SendMessageBatch answer into `outcomes`; returns the entries to retry.
BatchAnswer ApplyAnswer(std::string_view body, std::span<const sweep::ShardMessage> messages,
                        const std::vector<size_t>& sent, std::vector<Outcome>* outcomes) {
  BatchAnswer answer;
  std::unordered_map<std::string, size_t> by_id;
  for (const size_t i : sent) by_id.emplace(SendBatchEntryId(messages[i].shard_id), i);
  std::vector<bool> seen(messages.size(), false);
  auto note_retry = [&](size_t i, std::string why) {
    if (answer.retry_error.empty()) answer.retry_error = std::move(why);
    answer.retry.push_back(i);
  };

  Result<JsonValue> doc = ParseJson(body);
  if (!doc.ok() || !doc->is_object()) {
    for (const size_t i : sent) note_retry(i, "SendMessageBatch answer is not a JSON object");
    return answer;
  }
  if (const JsonValue* successful = doc->as_object().Find("Successful"); successful && successful->is_array()) {
    for (const JsonValue& entry : successful->as_array()) {
      if (!entry.is_object()) continue;
      const auto it = by_id.find(TextMember(entry.as_object(), "Id"));
      if (it == by_id.end() || seen[it->second]) continue;
      seen[it->second] = true;
      const std::string md5 = TextMember(entry.as_object(), "MD5OfMessageBody");
      if (!md5.empty() && md5 != Md5Hex(messages[it->second].body)) {
        note_retry(it->second, "MD5OfMessageBody does not match the message sent for entry " + it->first);
        continue;
      }
      (*outcomes)[it->second].enqueued = true;
    }
  }
  if (const JsonValue* failed = doc->as_object().Find("Failed"); failed && failed->is_array()) {
    for (const JsonValue& entry : failed->as_array()) {
      if (!entry.is_object()) continue;
      const JsonObject& object = entry.as_object();
      const auto it = by_id.find(TextMember(object, "Id"));
      if (it == by_id.end() || seen[it->second]) continue;
      seen[it->second] = true;
      const JsonValue* sender_fault = object.Find("SenderFault");
      const bool final = sender_fault != nullptr && sender_fault->is_bool() && sender_fault->as_bool();
      std::string why = "entry " + it->first + " failed: " + TextMember(object, "Code");
      if (const std::string message = TextMember(object, "Message"); !message.empty()) why += ": " + message;
      if (final) {
        (*outcomes)[it->second].error = std::move(why) + " (sender fault)";
      } else {
        note_retry(it->second, std::move(why));
      }
    }
  }
  for (const size_t i : sent) {
    if (!seen[i]) note_retry(i, "entry " + SendBatchEntryId(messages[i].shard_id) + " missing from the answer");
  }
  return answer;
}

}  // namespace

Result<std::unique_ptr<SqsDispatcher>> SqsDispatcher::Create(SqsDispatcherOptions options, Credentials credentials,
                                                             std::shared_ptr<HttpTransport> transport) {
  if (options.queue_url.empty()) return InvalidArgumentError("SqsDispatcher needs a queue URL (SHARD_QUEUE_URL)");
  if (options.region.empty()) return InvalidArgumentError("SqsDispatcher needs a region (AWS_REGION)");
  if (options.concurrency < 1 || options.concurrency > kMaxConcurrency) {
    return InvalidArgumentError("SqsDispatcher concurrency must be between 1 and 64");
  }
  RIDESWEEP_ASSIGN_OR_RETURN(Endpoint endpoint, ResolveEndpoint(options.endpoint_url, "sqs", options.region));
  const RetryPolicy entry_retry = options.http.retry;
  auto client = std::make_unique<HttpClient>(std::move(transport), std::move(credentials), options.region, "sqs",
                                             ErrorFormat::kJson, std::move(options.http));
  return std::unique_ptr<SqsDispatcher>(new SqsDispatcher(std::move(options.queue_url), std::move(endpoint),
                                                          options.concurrency, options.time_budget, entry_retry,
                                                          std::move(client)));
}

SqsDispatcher::SqsDispatcher(std::string queue_url, Endpoint endpoint, size_t concurrency,
                             std::chrono::milliseconds budget, RetryPolicy entry_retry,
                             std::unique_ptr<HttpClient> client)
    : queue_url_(std::move(queue_url)),
      endpoint_(std::move(endpoint)),
      concurrency_(concurrency),
      time_budget_(budget),
      entry_retry_(entry_retry),
      client_(std::move(client)) {}

sweep::DispatchReport SqsDispatcher::Dispatch(std::span<const sweep::ShardMessage> messages) {
  return DispatchUntil(messages, client_->SteadyNow() + time_budget_);
}

sweep::DispatchReport SqsDispatcher::DispatchUntil(std::span<const sweep::ShardMessage> messages,
                                                   std::chrono::steady_clock::time_point no_call_after) {
  const SendBatchPlan plan = PlanSendBatches(messages, sweep::kSendBatchMaxEntries, sweep::kSendBatchMaxBytes);
  std::vector<Outcome> outcomes(messages.size());
  for (const size_t i : plan.oversized) {
    outcomes[i].error = "shard message of " + std::to_string(messages[i].body.size()) +
                        " bytes exceeds the SQS limit of " + std::to_string(sweep::kSqsMessageLimitBytes) + " bytes";
  }
  std::atomic<uint64_t> calls{0};

  // One batch: the first call plus up to max_attempts − 1 rounds for entries that failed with SenderFault=false.
  // Whole-call failures are retried inside HttpClient::Send under the same policy and deadline.
  auto send_batch = [&](const std::vector<size_t>& batch) {
    std::vector<size_t> pending = batch;
    std::string last_error;
    for (int round = 0; round < entry_retry_.max_attempts && !pending.empty(); ++round) {
      if (round > 0) {
        const std::chrono::milliseconds delay = entry_retry_.Delay(round - 1, client_->UnitRandom());
        if (client_->SteadyNow() + delay > no_call_after) {
          last_error = std::string(sweep::errors::kDispatchBudgetExhausted);
          break;
        }
        client_->Sleep(delay);
      }
      if (client_->SteadyNow() > no_call_after) {
        last_error = std::string(sweep::errors::kDispatchBudgetExhausted);
        break;
      }
      HttpRequest request;
      request.method = "POST";
      request.scheme = endpoint_.scheme;
      request.host = endpoint_.host;
      request.path = endpoint_.base_path + "/";
      request.headers.push_back({"Content-Type", "application/x-amz-json-1.0"});
      request.headers.push_back({"X-Amz-Target", "AmazonSQS.SendMessageBatch"});
      request.body = BuildRequestBody(queue_url_, messages, pending);
      SendStats stats;
      Result<HttpResponse> response = client_->Send(request, no_call_after, &stats);
      calls.fetch_add(static_cast<uint64_t>(stats.attempts));
      if (!response.ok()) {
        last_error = "SendMessageBatch: " + response.status().message();
        break;
      }
      BatchAnswer answer = ApplyAnswer(response->body, messages, pending, &outcomes);
      pending = std::move(answer.retry);
      if (!pending.empty()) last_error = std::move(answer.retry_error);
    }
    for (const size_t i : pending) outcomes[i].error = last_error;
  };

  const size_t threads = std::min(concurrency_, plan.batches.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t b = next.fetch_add(1); b < plan.batches.size(); b = next.fetch_add(1)) send_batch(plan.batches[b]);
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();
  }

  sweep::DispatchReport report;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (outcomes[i].enqueued) {
      report.enqueued_shard_ids.push_back(messages[i].shard_id);
    } else {
      report.failed_shard_ids.push_back(messages[i].shard_id);
      if (report.first_error.empty()) report.first_error = outcomes[i].error;
    }
  }
  std::sort(report.enqueued_shard_ids.begin(), report.enqueued_shard_ids.end());
  std::sort(report.failed_shard_ids.begin(), report.failed_shard_ids.end());
  report.send_calls = calls.load();
  return report;
}

}  // namespace ridesweep::aws
