// Test doubles and helpers shared by the worker and submit tests: a log sink that parses its lines, an encoder
// wrapper that records rows and can fail or throw on demand (forwarding to the real Parquet encoder), a fake
// dispatcher, a rendezvous for concurrency tests, and builders for shard attempts from request texts.
#ifndef RIDESWEEP_SWEEP_TESTS_WORKER_TEST_SUPPORT_H_
#define RIDESWEEP_SWEEP_TESTS_WORKER_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/store/memory_store.h"
#include "ridesweep/store/parquet_dataset_encoder.h"
#include "ridesweep/sweep/dataset_writer.h"
#include "ridesweep/sweep/ports.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/shard_payload.h"
#include "ridesweep/sweep/structured_log.h"
#include "ridesweep/sweep/worker.h"

namespace ridesweep::sweep::testing {

// 2026-02-14T10:11:12.123456Z, the date of the README examples.
inline WallTime ReadmeTime() {
  using namespace std::chrono;
  return WallTime(sys_days{year{2026} / February / 14}.time_since_epoch() + hours(10) + minutes(11) + seconds(12) +
                  microseconds(123456));
}

// Collects log lines; parses them on demand.
class LogCapture {
 public:
  explicit LogCapture(const Clock* clock, LogLevel min_level = LogLevel::kInfo)
      : log_([this](std::string_view line) { lines_.emplace_back(line); }, clock, min_level) {}

  StructuredLog* log() { return &log_; }
  const std::vector<std::string>& lines() const { return lines_; }

  // Every parsed line whose "event" equals `event`, in order.
  std::vector<JsonValue> Events(std::string_view event) const {
    std::vector<JsonValue> out;
    for (const std::string& line : lines_) {
      Result<JsonValue> parsed = ParseJson(line);
      EXPECT_TRUE(parsed.ok()) << line;
      if (!parsed.ok() || !parsed->is_object()) continue;
      const JsonValue* name = parsed->as_object().Find("event");
      if (name != nullptr && name->is_string() && name->as_string() == event) out.push_back(std::move(parsed).value());
    }
    return out;
  }
  // The details object of the only `event` line (fails the test when there is not exactly one).
  JsonObject OnlyDetails(std::string_view event) const {
    std::vector<JsonValue> events = Events(event);
    EXPECT_EQ(events.size(), 1u) << "event " << event;
    if (events.size() != 1) return {};
    return events[0].as_object().Find("details")->as_object();
  }
  static std::set<std::string> Keys(const JsonObject& object) {
    std::set<std::string> keys;
    for (const JsonMember& m : object.members()) keys.insert(m.key);
    return keys;
  }

 private:
  std::vector<std::string> lines_;
  StructuredLog log_;
};

// Forwards to a real ParquetDatasetEncoder, remembering every row; each dataset can be made to fail (kInternal)
// or throw, and a hook runs before shard metrics are encoded (tests use it to advance a fake clock: "the point
// took 6 s").
class RecordingEncoder final : public DatasetEncoder {
 public:
  RecordingEncoder() {
    Result<std::unique_ptr<store::ParquetDatasetEncoder>> real = store::ParquetDatasetEncoder::Create();
    EXPECT_TRUE(real.ok()) << real.status().message();
    if (real.ok()) real_ = std::move(real).value();
  }

  enum Which { kMetrics, kTrips, kSnapshots, kEffective, kOutcome, kRunContext };
  void Fail(Which which, std::string message = "boom") { fail_[which] = std::move(message); }
  void Throw(Which which, std::string message = "kaput") { throw_[which] = std::move(message); }
  void ClearFaults() {
    fail_.clear();
    throw_.clear();
  }
  std::function<void()> before_metrics;

  Result<std::string> EncodeShardMetrics(const ShardMetricsRow& metrics) override {
    if (before_metrics) before_metrics();
    metrics_.push_back(metrics.metrics);
    metric_rows_.push_back(metrics);
    return Forward(kMetrics, [&] { return real_->EncodeShardMetrics(metrics); });
  }
  Result<std::string> EncodeTripData(std::span<const sim::TripRow> trips) override {
    trip_counts_.push_back(trips.size());
    return Forward(kTrips, [&] { return real_->EncodeTripData(trips); });
  }
  Result<std::string> EncodeSnapshotCounts(std::span<const sim::SnapshotRow> snapshots) override {
    return Forward(kSnapshots, [&] { return real_->EncodeSnapshotCounts(snapshots); });
  }
  Result<std::string> EncodeEffectiveParameters(const EffectiveParametersRow& row) override {
    effective_.push_back(row);
    return Forward(kEffective, [&] { return real_->EncodeEffectiveParameters(row); });
  }
  Result<std::string> EncodeShardOutcome(const ShardOutcomeRow& row) override {
    outcomes_.push_back(row);
    return Forward(kOutcome, [&] { return real_->EncodeShardOutcome(row); });
  }
  Result<std::string> EncodeRunContext(const RunContextRow& row) override {
    run_contexts_.push_back(row);
    return Forward(kRunContext, [&] { return real_->EncodeRunContext(row); });
  }

  const std::vector<sim::PointMetrics>& metrics() const { return metrics_; }
  const std::vector<ShardMetricsRow>& metric_rows() const { return metric_rows_; }
  const std::vector<size_t>& trip_counts() const { return trip_counts_; }
  const std::vector<EffectiveParametersRow>& effective() const { return effective_; }
  const std::vector<ShardOutcomeRow>& outcomes() const { return outcomes_; }
  const std::vector<RunContextRow>& run_contexts() const { return run_contexts_; }

 private:
  template <typename Fn>
  Result<std::string> Forward(Which which, Fn&& fn) {
    if (auto it = throw_.find(which); it != throw_.end()) throw std::runtime_error(it->second);
    if (auto it = fail_.find(which); it != fail_.end()) return InternalError(it->second);
    return fn();
  }

  std::unique_ptr<store::ParquetDatasetEncoder> real_;
  std::map<Which, std::string> fail_;
  std::map<Which, std::string> throw_;
  std::vector<sim::PointMetrics> metrics_;
  std::vector<ShardMetricsRow> metric_rows_;
  std::vector<size_t> trip_counts_;
  std::vector<EffectiveParametersRow> effective_;
  std::vector<ShardOutcomeRow> outcomes_;
  std::vector<RunContextRow> run_contexts_;
};

// A queue that accepts everything except the shards listed in `fail`, or throws when `throw_text` is set.
class FakeDispatcher final : public ShardDispatcher {
 public:
  std::set<uint64_t> fail;
  std::optional<std::string> throw_text;
  std::vector<ShardMessage> sent;  // every message that was enqueued
  int calls = 0;

  std::string_view target() const override { return "local"; }
  DispatchReport Dispatch(std::span<const ShardMessage> messages) override {
    ++calls;
    if (throw_text.has_value()) throw std::runtime_error(*throw_text);
    DispatchReport report;
    report.send_calls = (messages.size() + 9) / 10;
    for (const ShardMessage& m : messages) {
      if (fail.count(m.shard_id) != 0) {
        report.failed_shard_ids.push_back(m.shard_id);
        if (report.first_error.empty()) report.first_error = "boom";
      } else {
        report.enqueued_shard_ids.push_back(m.shard_id);
        sent.push_back(m);
      }
    }
    return report;
  }
};

// Makes threads meet: Arrive() waits (at most 10 s) until `expected` callers have arrived. When arrived() then
// equals `expected`, those callers were all inside the code that calls Arrive() at the same time.
class Rendezvous {
 public:
  explicit Rendezvous(int expected) : expected_(expected) {}
  void Arrive() {
    std::unique_lock lock(mu_);
    ++arrived_;
    cv_.notify_all();
    cv_.wait_for(lock, std::chrono::seconds(10), [this] { return arrived_ >= expected_; });
  }
  int arrived() const {
    std::lock_guard lock(mu_);
    return arrived_;
  }
  // A RecordingEncoder::before_metrics hook that arrives on the encoder's first point only.
  std::function<void()> OnFirstCall() {
    return [this, first = true]() mutable {
      if (!first) return;
      first = false;
      Arrive();
    };
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int arrived_ = 0;
  const int expected_;
};

// Validates `request_text` (failing the test on rejection).
inline ValidatedRequest Validate(std::string_view request_text, IngressConfig config = {}) {
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(request_text, config);
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
  if (!v.ok()) return {};
  return std::move(v).value();
}

// The decoded inline message of shard `shard_id` of a validated request, as a worker would receive it.
inline ShardAttempt AttemptFor(const ValidatedRequest& v, uint64_t shard_id, std::string_view run_date = "2026-02-14",
                               uint64_t attempt = 1) {
  const ShardPayloadEncoder encoder(v.request, v.plan, run_date, "unused-key", v.request_fingerprint, 1 << 20);
  const std::string body = encoder.Encode(v.plan.shards.at(shard_id));
  Result<ShardPayload> payload = DecodeShardPayload(body, "1999-01-01");
  EXPECT_TRUE(payload.ok()) << payload.status().message();
  ShardAttempt a;
  if (payload.ok()) a.payload = std::move(payload).value();
  a.attempt = attempt;
  a.event_time = Rfc3339Micros(ReadmeTime());
  a.message_id = "msg-" + std::to_string(shard_id);
  return a;
}

// Every object of a store: key → bytes.
inline std::map<std::string, std::string> Snapshot(ObjectStore& store) {
  std::map<std::string, std::string> out;
  Result<std::vector<std::string>> keys = store.List("");
  EXPECT_TRUE(keys.ok());
  if (!keys.ok()) return out;
  for (const std::string& key : *keys) {
    Result<std::string> bytes = store.Get(key);
    EXPECT_TRUE(bytes.ok()) << key;
    if (bytes.ok()) out[key] = *bytes;
  }
  return out;
}

inline bool IsParquet(std::string_view bytes) {
  return bytes.size() >= 8 && bytes.substr(0, 4) == "PAR1" && bytes.substr(bytes.size() - 4) == "PAR1";
}

}  // namespace ridesweep::sweep::testing

#endif  // RIDESWEEP_SWEEP_TESTS_WORKER_TEST_SUPPORT_H_
