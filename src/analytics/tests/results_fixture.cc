// Fixture results trees written through the real encoder and store (results_fixture.h).
#include "tests/results_fixture.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <utility>

#include "ridesweep/base/sha256.h"
#include "ridesweep/sweep/records.h"
#include "ridesweep/sweep/request_validation.h"

namespace ridesweep::analytics::testing {
namespace {

// tests/sql/test_queries.py `_point`: 3..6 trips (one cancelled, one en route for odd shapes, one on trip for
// shapes divisible by 3); 4..6 snapshots; point 4 truncated.
FixturePoint StandardPoint(uint64_t index, uint64_t shape, bool committed = true) {
  FixturePoint point;
  point.index = index;
  point.trip_states.assign(2 + shape % 4, kCompleted);
  point.trip_states.push_back(kCancelled);
  if (shape % 2 == 1) point.trip_states.push_back(kEnRoute);
  if (shape % 3 == 0) point.trip_states.push_back(kOnTrip);
  point.snapshot_count = static_cast<int>(4 + shape % 3);
  point.truncated = index == 4 && shape == 4;
  point.committed = committed;
  return point;
}

FixtureOutcome Ok(const std::string& date, uint64_t shard_id, int64_t attempt = 1, int start_seconds = 0,
                  int64_t points = 2) {
  const int begin = static_cast<int>(shard_id) + start_seconds;
  return {"success", attempt, TimeOn(date, begin), TimeOn(date, begin + 30), points, std::nullopt, std::nullopt,
          begin, begin + 30};
}

FixtureOutcome Fail(const std::string& date, uint64_t shard_id, const std::string& code, int64_t attempt,
                    int64_t points, int start_seconds) {
  const int begin = static_cast<int>(shard_id) + start_seconds;
  return {"failure", attempt, TimeOn(date, begin), TimeOn(date, begin + 5), points, code,
          code + " on shard " + std::to_string(shard_id), begin, begin + 5};
}

}  // namespace

std::filesystem::path RepoSqlDir() {
  return std::filesystem::path(RIDESWEEP_SOURCE_DIR) / "infra" / "aws_serverless_sweep" / "athena";
}

int64_t FixturePoint::CompletedTrips() const {
  int64_t n = 0;
  for (int8_t state : trip_states) n += state == kCompleted ? 1 : 0;
  return n;
}

int64_t FixturePoint::CancelledTrips() const {
  int64_t n = 0;
  for (int8_t state : trip_states) n += state == kCancelled ? 1 : 0;
  return n;
}

std::string FixturePoint::Fingerprint() const { return Sha256Hex("point-" + std::to_string(index)); }

std::string FixturePoint::EffectiveParametersJson() const {
  const std::string selected =
      selected_dimensions_json.empty() ? "{\"point\":" + std::to_string(index) + "}" : selected_dimensions_json;
  return "{\"selected_dimensions\":" + selected + ",\"resolved_scenario_parameters\":{}}";
}

int64_t WrittenPoints(const FixtureRun& run) {
  int64_t n = 0;
  for (const FixtureShard& shard : run.shards) n += static_cast<int64_t>(shard.points.size());
  return n;
}

int64_t CommittedPoints(const FixtureRun& run) {
  int64_t n = 0;
  for (const FixtureShard& shard : run.shards) {
    for (const FixturePoint& point : shard.points) n += point.committed ? 1 : 0;
  }
  return n;
}

sim::PointMetrics DefaultMetrics(const FixturePoint& point) {
  sim::PointMetrics m;
  const int64_t completed = point.CompletedTrips();
  const int64_t cancelled = point.CancelledTrips();
  m.completed_trips = completed;
  m.completed_riders = completed;
  m.cancelled_riders = cancelled;
  m.trips_cancelled = cancelled;
  m.total_riders = completed + cancelled;
  m.conversion_rate = m.total_riders == 0 ? 0.0 : static_cast<double>(completed) / static_cast<double>(m.total_riders);
  m.platform_revenue = 1.25 * static_cast<double>(completed) + 0.1 * static_cast<double>(point.index);
  m.driver_payouts = 5.0 * static_cast<double>(completed);
  m.total_fares_collected = m.platform_revenue + m.driver_payouts;
  m.avg_time_to_match_ms = 10.0;
  m.avg_time_to_pickup_ms = 10.0;
  m.total_drivers = 3;
  m.riders_spawned = m.total_riders + 1;
  m.riders_unresolved = 1;
  m.events_processed = 100 + static_cast<int64_t>(point.index);
  m.final_sim_time_ms = 10'800'000;
  m.truncated = point.truncated;
  return m;
}

std::vector<sim::TripRow> TripRows(const FixturePoint& point) {
  std::vector<sim::TripRow> rows;
  for (size_t n = 0; n < point.trip_states.size(); ++n) {
    const int8_t state = point.trip_states[n];
    const int64_t requested = 1'000 * static_cast<int64_t>(n + 1);
    sim::TripRow row;
    row.trip_entity = static_cast<int64_t>(n + 1);
    row.rider_entity = 100 + static_cast<int64_t>(n);
    row.driver_entity = 200 + static_cast<int64_t>(n);
    row.state = state;
    row.pickup_cell = 7;
    row.dropoff_cell = 9;
    row.pickup_distance_km_at_accept = 1.5;
    row.requested_at = requested;
    row.matched_at = requested + 10;
    if (state == kOnTrip || state == kCompleted) row.pickup_at = requested + 20;
    if (state == kCompleted) row.dropoff_at = requested + 30;
    if (state == kCancelled) row.cancelled_at = requested + 15;
    rows.push_back(row);
  }
  return rows;
}

std::vector<sim::SnapshotRow> SnapshotRows(const FixturePoint& point) {
  std::vector<sim::SnapshotRow> rows;
  for (int n = 0; n < point.snapshot_count; ++n) {
    sim::SnapshotRow row;
    row.timestamp_ms = 1'000 * n;
    row.trips_completed = point.CompletedTrips() * (n + 1) / point.snapshot_count;
    rows.push_back(row);
  }
  return rows;
}

std::string TimeOn(const std::string& date, int seconds) {
  const int total = 10 * 3600 + seconds;
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%sT%02d:%02d:%02d.000000+00:00", date.c_str(), total / 3600,
                (total / 60) % 60, total % 60);
  return buffer;
}

FixtureRun RunA() {
  const std::string date = "2026-02-14";
  FixtureRun run;
  run.run_id = "sweep-a";
  run.run_date = date;
  run.total_points = 24;
  run.shard_count = static_cast<int64_t>(kRunAExpectedShards);
  run.config_fingerprint = Sha256Hex("config-a");
  for (uint64_t s = 0; s < kRunAExpectedShards; ++s) {
    FixtureShard shard;
    shard.shard_id = s;
    shard.start_index = 2 * s;
    shard.end_index_exclusive = 2 * s + 2;
    for (uint64_t i = shard.start_index; i < shard.end_index_exclusive; ++i) {
      shard.points.push_back(StandardPoint(i, i));
    }
    if (s == 3) {  // failed first, succeeded on the redelivery five minutes later
      shard.outcomes = {Fail(date, 3, "storage_error", 1, 0, 0), Ok(date, 3, 2, 300)};
    } else if (s == 5) {  // injected failure: pre-check, no point written
      shard.points.clear();
      shard.outcomes = {Fail(date, 5, "injected_failure", 1, 0, 0)};
    } else if (s == 7) {  // never ran
      shard.points.clear();
    } else if (s == 9) {  // late duplicate delivery failed after the success
      shard.outcomes = {Ok(date, 9), Fail(date, 9, "storage_error", 2, 0, 60)};
    } else if (s == 11) {  // timeout after one committed point; the second lacks its commit marker
      shard.points = {StandardPoint(22, 22), StandardPoint(23, 23, /*committed=*/false)};
      shard.outcomes = {Fail(date, 11, "timeout", 3, 1, 0)};
    } else {
      shard.outcomes = {Ok(date, s)};
    }
    run.shards.push_back(std::move(shard));
  }
  return run;
}

FixtureRun RunB() {
  const std::string date = "2026-02-15";
  FixtureRun run;
  run.run_id = "sweep-b";
  run.run_date = date;
  run.total_points = 2;
  run.shard_count = 2;
  run.request_source = "api_gateway";
  run.config_fingerprint = Sha256Hex("config-b");
  for (uint64_t s = 0; s < 2; ++s) {
    FixtureShard shard;
    shard.shard_id = s;
    shard.start_index = s;
    shard.end_index_exclusive = s + 1;
    shard.points = {StandardPoint(s, 100 + s)};
    shard.outcomes = {Ok(date, s, 1, 0, 1)};
    run.shards.push_back(std::move(shard));
  }
  return run;
}

sweep::RunManifest MakeManifest(const std::string& run_id, const std::string& run_date, uint64_t total_points,
                                uint64_t shard_count) {
  std::string values;
  for (uint64_t i = 0; i < total_points; ++i) values += (i == 0 ? "" : ",") + std::to_string(i + 1);
  const std::string request = R"({"run_id":")" + run_id + R"(","dimensions":{"num_riders":[)" + values +
                              R"(]},"shard_count":)" + std::to_string(shard_count) + "}";
  sweep::ApiResult<sweep::ValidatedRequest> validated = sweep::ParseAndValidateRequestBytes(request, {});
  EXPECT_TRUE(validated.ok()) << request;
  return sweep::BuildRunManifest(validated.value(), run_date, run_date + "T10:00:00.000000+00:00",
                                 sweep::RequestSource::kLocalCli);
}

ResultsWriter::ResultsWriter(const std::filesystem::path& root, std::string prefix)
    : root_(root), layout_(prefix) {
  Result<std::unique_ptr<store::LocalDirStore>> opened = store::LocalDirStore::Open(root);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  if (opened.ok()) store_ = std::move(opened).value();
  Result<std::unique_ptr<store::ParquetDatasetEncoder>> encoder = store::ParquetDatasetEncoder::Create();
  EXPECT_TRUE(encoder.ok()) << encoder.status().ToString();
  if (encoder.ok()) encoder_ = std::move(encoder).value();
}

void ResultsWriter::Put(const std::string& key, const Result<std::string>& bytes) {
  ASSERT_TRUE(bytes.ok()) << key << ": " << bytes.status().ToString();
  const Status status = store_->Put(key, *bytes, sweep::kParquetContentType);
  ASSERT_TRUE(status.ok()) << key << ": " << status.ToString();
}

void ResultsWriter::WriteManifest(const sweep::RunManifest& manifest) {
  const Status status = store_->Put(layout_.RunManifestKey(manifest.run_id), sweep::EncodeRunManifest(manifest),
                                    "application/json");
  ASSERT_TRUE(status.ok()) << status.ToString();
}

void ResultsWriter::WriteRun(const FixtureRun& run, bool with_manifest) {
  using sweep::Dataset;
  const std::string& d = run.run_date;
  const std::string& r = run.run_id;
  for (const FixtureShard& shard : run.shards) {
    for (const FixturePoint& point : shard.points) {
      const sim::PointMetrics metrics = point.metrics.value_or(DefaultMetrics(point));
      const int64_t config_index = point.config_index.value_or(static_cast<int64_t>(point.index));
      const std::vector<sim::TripRow> trips = TripRows(point);
      const std::vector<sim::SnapshotRow> snapshots = SnapshotRows(point);
      Put(layout_.PointKey(Dataset::kShardMetrics, d, r, shard.shard_id, point.index),
          encoder_->EncodeShardMetrics(sweep::ShardMetricsRow(metrics, config_index)));
      Put(layout_.PointKey(Dataset::kTripData, d, r, shard.shard_id, point.index), encoder_->EncodeTripData(trips));
      Put(layout_.PointKey(Dataset::kSnapshotCounts, d, r, shard.shard_id, point.index),
          encoder_->EncodeSnapshotCounts(snapshots));
      if (point.committed) {
        sweep::EffectiveParametersRow row;
        row.run_id = r;
        row.shard_id = static_cast<int64_t>(shard.shard_id);
        row.point_index = static_cast<int64_t>(point.index);
        row.parameter_fingerprint = point.Fingerprint();
        row.effective_parameters_json = point.EffectiveParametersJson();
        row.config_index = config_index;
        Put(layout_.PointKey(Dataset::kEffectiveParameters, d, r, shard.shard_id, point.index),
            encoder_->EncodeEffectiveParameters(row));
      }
    }
    for (const FixtureOutcome& outcome : shard.outcomes) {
      const bool success = outcome.status == "success";
      sweep::ShardOutcomeRow row;
      row.run_id = r;
      row.shard_id = static_cast<int64_t>(shard.shard_id);
      row.start_index = static_cast<int64_t>(shard.start_index);
      row.end_index_exclusive = static_cast<int64_t>(shard.end_index_exclusive);
      row.status = outcome.status;
      row.event_time = outcome.event_time;
      if (success) {
        row.result_key = layout_.PointKey(Dataset::kShardMetrics, d, r, shard.shard_id, shard.start_index);
        row.format = "parquet";
      }
      row.points_processed = outcome.points_processed;
      row.error_code = outcome.error_code;
      row.error_message = outcome.error_message;
      row.attempt = outcome.attempt;
      row.completed_time = outcome.completed_time;
      Put(layout_.ShardOutcomeKey(d, r, success ? sweep::RecordStatus::kSuccess : sweep::RecordStatus::kFailure,
                                  shard.shard_id),
          encoder_->EncodeShardOutcome(row));
    }
  }
  sweep::RunContextRow context;
  context.run_id = r;
  context.run_date = d;
  context.request_source = run.request_source;
  context.request_fingerprint = Sha256Hex(r);
  context.config_fingerprint = run.config_fingerprint;
  context.total_points = run.total_points;
  context.shard_count = run.shard_count;
  context.shard_strategy = "explicit_shard_count";
  context.max_shards = 1000;
  context.max_shards_ceiling = 1000;
  Put(layout_.RunContextKey(d, r), encoder_->EncodeRunContext(context));
  if (with_manifest) {
    WriteManifest(MakeManifest(r, d, static_cast<uint64_t>(run.total_points), static_cast<uint64_t>(run.shard_count)));
  }
}

}  // namespace ridesweep::analytics::testing
