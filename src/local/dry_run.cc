// The dry run: the accept path over an overlay, then an in-memory calibration; see dry_run.h.
#include "ridesweep/local/dry_run.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>
#include <vector>

#include "ridesweep/store/overlay_store.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/point_cost.h"
#include "ridesweep/sweep/shard_payload.h"
#include "ridesweep/sweep/structured_log.h"
#include "ridesweep/sweep/worker.h"

namespace ridesweep::local {
namespace {

// Keeps the shard messages instead of enqueueing them.
class CapturingDispatcher final : public sweep::ShardDispatcher {
 public:
  std::string_view target() const override { return "dry-run"; }
  sweep::DispatchReport Dispatch(std::span<const sweep::ShardMessage> messages) override {
    sweep::DispatchReport report;
    for (const sweep::ShardMessage& message : messages) {
      bodies_.emplace(message.shard_id, message.body);
      report.enqueued_shard_ids.push_back(message.shard_id);
    }
    report.send_calls = 1;
    return report;
  }
  const std::map<uint64_t, std::string>& bodies() const { return bodies_; }

 private:
  std::map<uint64_t, std::string> bodies_;
};

// Evenly spread point indexes: the first, the last and the ones between.
std::vector<uint64_t> CalibrationIndexes(uint64_t points, size_t wanted) {
  std::vector<uint64_t> indexes;
  if (points == 0 || wanted == 0) return indexes;
  const uint64_t count = std::min<uint64_t>(points, wanted);
  for (uint64_t k = 0; k < count; ++k) {
    const uint64_t index = count == 1 ? 0 : k * (points - 1) / (count - 1);
    if (indexes.empty() || indexes.back() != index) indexes.push_back(index);
  }
  return indexes;
}

std::optional<size_t> PointDatasetSlot(sweep::Dataset dataset) {
  switch (dataset) {
    case sweep::Dataset::kShardMetrics: return 0;
    case sweep::Dataset::kTripData: return 1;
    case sweep::Dataset::kSnapshotCounts: return 2;
    case sweep::Dataset::kEffectiveParameters: return 3;
    default: return std::nullopt;
  }
}

Status ErrorOf(const sweep::ShardError& error) {
  return InternalError("calibration failed: " + std::string(sweep::ShardErrorCodeName(error.code)) + ": " +
                       error.message);
}

}  // namespace

Result<DryRunResult> PlanDryRun(std::string_view request_body, ObjectStore* base, sweep::DatasetEncoder& encoder,
                                const DryRunOptions& options) {
  store::OverlayStore overlay(base);
  CapturingDispatcher dispatcher;
  const sweep::SystemClock clock;
  sweep::SubmitContext submit;
  submit.store = &overlay;
  submit.encoder = &encoder;
  submit.dispatcher = &dispatcher;
  submit.clock = &clock;
  submit.config.ingress.max_shards_ceiling = options.max_shards_ceiling;
  submit.config.results_prefix = options.results_prefix;
  DryRunResult result;
  result.response = sweep::SubmitRequestBytes(request_body, sweep::RequestSource::kLocalCli, submit);
  if (result.response.status_code != 202 || !result.response.accepted.has_value()) return result;

  const sweep::RunManifest& manifest = result.response.accepted->manifest;
  DryRunPlan plan;
  plan.run_id = manifest.run_id;
  plan.points = manifest.normalized_request.total_points;
  plan.shards = manifest.shard_ranges.size();
  plan.threads = std::max<size_t>(1, options.threads);
  for (const sweep::ShardRange& range : manifest.shard_ranges) {
    plan.largest_shard_points = std::max(plan.largest_shard_points, range.size());
  }

  // Calibration: real points through the worker into the overlay (never skipped, never cancelled).
  sweep::WorkerContext worker;
  worker.store = &overlay;
  worker.clock = &clock;
  worker.config.results_prefix = options.results_prefix;
  worker.config.skip_existing_points = false;
  const sweep::StorageLayout layout(options.results_prefix);
  std::map<uint64_t, sweep::PreparedShard> prepared;
  double calibrated_cost = 0;
  double longest_point = 0;
  std::optional<sweep::PreparedShard> any_shard;
  for (uint64_t point_index : CalibrationIndexes(plan.points, options.calibration_points)) {
    const auto range = std::find_if(manifest.shard_ranges.begin(), manifest.shard_ranges.end(),
                                    [&](const sweep::ShardRange& r) {
                                      return point_index >= r.start_index && point_index < r.end_index_exclusive;
                                    });
    if (range == manifest.shard_ranges.end()) continue;
    auto shard = prepared.find(range->shard_id);
    if (shard == prepared.end()) {
      const auto body = dispatcher.bodies().find(range->shard_id);
      if (body == dispatcher.bodies().end()) return InternalError("dry run: no message for shard " +
                                                                  std::to_string(range->shard_id));
      RIDESWEEP_ASSIGN_OR_RETURN(sweep::ShardPayload payload, sweep::DecodeShardPayload(body->second,
                                                                                        manifest.run_date));
      sweep::ShardAttempt attempt;
      attempt.payload = std::move(payload);
      attempt.event_time = sweep::Rfc3339Micros(clock.Now());
      sweep::PreparedShard ready;
      if (std::optional<sweep::ShardError> error = sweep::PrepareShard(attempt, worker, &ready)) return ErrorOf(*error);
      shard = prepared.emplace(range->shard_id, std::move(ready)).first;
    }
    sweep::PointResult point;
    const auto started = std::chrono::steady_clock::now();
    if (std::optional<sweep::ShardError> error = sweep::RunPoint(shard->second, point_index, encoder, worker, {},
                                                                 &point)) {
      return ErrorOf(*error);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    plan.calibration_seconds += seconds;
    longest_point = std::max(longest_point, seconds);
    ++plan.calibration_points;
    calibrated_cost += static_cast<double>(sweep::EstimatePointCost(
        shard->second.dimensions, point_index, shard->second.replications, shard->second.design,
        shard->second.attempt.payload.seed));
    if (!any_shard.has_value()) any_shard = shard->second;
  }

  // Object sizes: the calibrated points' objects, one success outcome, the run_context record and the manifest.
  PointObjectSizes sizes;
  uint64_t other_bytes = 0;
  if (any_shard.has_value()) {
    if (std::optional<sweep::ShardError> error = sweep::CommitShard(*any_shard, 0, encoder, worker)) {
      return ErrorOf(*error);
    }
    std::array<size_t, kPointDatasets> counts{};
    uint64_t outcome_bytes = 0;
    for (const auto& [key, size] : overlay.WrittenSizes()) {
      Result<sweep::PartitionIdentity> identity = sweep::ParseStorageKey(key, layout.prefix());
      if (!identity.ok()) {
        other_bytes += size;  // the manifest
        continue;
      }
      if (identity->dataset == sweep::Dataset::kShardOutcomes) {
        outcome_bytes = size;
        continue;
      }
      const std::optional<size_t> slot = PointDatasetSlot(identity->dataset);
      if (!slot.has_value()) {
        other_bytes += size;  // run_context
        continue;
      }
      RIDESWEEP_ASSIGN_OR_RETURN(const std::string bytes, overlay.Get(key));
      sizes.bytes[*slot] += static_cast<double>(size);
      sizes.fixed_bytes[*slot] += static_cast<double>(ParquetFixedBytes(bytes));
      ++counts[*slot];
    }
    for (size_t d = 0; d < kPointDatasets; ++d) {
      if (counts[d] == 0) continue;
      sizes.bytes[d] /= static_cast<double>(counts[d]);
      sizes.fixed_bytes[d] /= static_cast<double>(counts[d]);
    }
    other_bytes += plan.shards * outcome_bytes;
  }
  plan.per_point = PerPointFootprint(plan.points, plan.shards, sizes, other_bytes);
  plan.per_shard = PerShardFootprint(plan.points, plan.shards, sizes, other_bytes);

  // Time: the calibrated seconds per unit of estimated cost, over every point's cost (the mean per point when the
  // estimate gives nothing to scale by).
  if (plan.calibration_points > 0 && any_shard.has_value()) {
    double total_cost = 0;
    if (calibrated_cost > 0) {
      for (uint64_t index = 0; index < plan.points; ++index) {
        total_cost += static_cast<double>(sweep::EstimatePointCost(any_shard->dimensions, index,
                                                                   any_shard->replications, any_shard->design,
                                                                   any_shard->attempt.payload.seed));
      }
    }
    plan.point_seconds = calibrated_cost > 0 && total_cost > 0
                             ? plan.calibration_seconds * total_cost / calibrated_cost
                             : plan.calibration_seconds / static_cast<double>(plan.calibration_points) *
                                   static_cast<double>(plan.points);
    const double threads = static_cast<double>(std::min<uint64_t>(plan.threads, std::max<uint64_t>(plan.points, 1)));
    plan.estimated_wall_seconds = std::max(*plan.point_seconds / threads, longest_point);
  }
  result.plan = std::move(plan);
  return result;
}

}  // namespace ridesweep::local
