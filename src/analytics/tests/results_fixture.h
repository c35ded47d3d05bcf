// Fixture results trees for the analytics tests: runs described by plain structs (FixtureRun → shards → points
// and outcome records) and written as real Parquet (store::ParquetDatasetEncoder) through a real
// store::LocalDirStore under the keys of sweep::StorageLayout, plus run manifests built by the real ingress
// validation. Expected query results in the tests are computed from the same descriptions, independently of the
// SQL under test. The two standard runs mirror tests/sql/test_queries.py (RunA, RunB).
#ifndef RIDESWEEP_ANALYTICS_TESTS_RESULTS_FIXTURE_H_
#define RIDESWEEP_ANALYTICS_TESTS_RESULTS_FIXTURE_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ridesweep/sim/records.h"
#include "ridesweep/store/local_dir_store.h"
#include "ridesweep/store/parquet_dataset_encoder.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/run_manifest.h"

namespace ridesweep::analytics::testing {

// infra/aws_serverless_sweep/athena of this checkout.
std::filesystem::path RepoSqlDir();

inline constexpr std::string_view kPrefix = "serverless-sweeps/outcomes";

// Trip states as stored in trip_data.state.
inline constexpr int8_t kEnRoute = 0, kOnTrip = 1, kCompleted = 2, kCancelled = 3;

struct FixturePoint {
  uint64_t index = 0;
  std::vector<int8_t> trip_states;
  int snapshot_count = 1;
  bool truncated = false;
  bool committed = true;                      // effective_parameters written (the point's commit marker)
  std::optional<sim::PointMetrics> metrics;   // default: DefaultMetrics(*this)
  std::string selected_dimensions_json;       // default: {"point":<index>}
  // config_index of its rows; default: the point index (one replicate per configuration, like an unreplicated
  // grid writes it).
  std::optional<int64_t> config_index;

  int64_t CompletedTrips() const;
  int64_t CancelledTrips() const;
  std::string Fingerprint() const;            // SHA-256 of "point-<index>"
  std::string EffectiveParametersJson() const;
};

struct FixtureOutcome {
  std::string status;  // success | failure
  int64_t attempt = 1;
  std::string event_time;
  std::string completed_time;
  int64_t points_processed = 0;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  int event_offset_s = 0;      // event_time = TimeOn(run_date, event_offset_s)
  int completed_offset_s = 0;  // completed_time likewise
};

struct FixtureShard {
  uint64_t shard_id = 0;
  uint64_t start_index = 0;
  uint64_t end_index_exclusive = 0;
  std::vector<FixturePoint> points;
  std::vector<FixtureOutcome> outcomes;
};

struct FixtureRun {
  std::string run_id;
  std::string run_date;
  int64_t total_points = 0;
  int64_t shard_count = 0;
  std::string request_source = "local_cli";
  std::string config_fingerprint;
  std::vector<FixtureShard> shards;
};

// Points written (metrics, trips, snapshots) and points committed (effective_parameters) by WriteRun.
int64_t WrittenPoints(const FixtureRun& run);
int64_t CommittedPoints(const FixtureRun& run);

// Metrics derived from the point's trips (completed/cancelled counts, conversion, revenue rising with index).
sim::PointMetrics DefaultMetrics(const FixturePoint& point);
std::vector<sim::TripRow> TripRows(const FixturePoint& point);
std::vector<sim::SnapshotRow> SnapshotRows(const FixturePoint& point);

// RFC 3339 time on `date` (YYYY-MM-DD) at 10:00:00 + seconds (seconds < 14 h).
std::string TimeOn(const std::string& date, int seconds);

// The standard fixtures (tests/sql/test_queries.py): run A has 12 expected shards of 2 points with shard 3
// failed then succeeded, 5 failure only (injected), 7 no record, 9 a late failure after its success, 11 a
// timeout after one committed point plus an uncommitted one; run B is a clean 2-shard run on another date.
FixtureRun RunA();
FixtureRun RunB();
inline constexpr uint64_t kRunAExpectedShards = 12;

// A manifest made by the real ingress validation for a grid of `total_points` points in `shard_count` shards.
sweep::RunManifest MakeManifest(const std::string& run_id, const std::string& run_date, uint64_t total_points,
                                uint64_t shard_count);

class ResultsWriter {
 public:
  ResultsWriter(const std::filesystem::path& root, std::string prefix);

  // Every object of the run: per point metrics, trips, snapshots (and effective_parameters when committed),
  // then outcome records and the run_context record; with_manifest adds a manifest matching the run.
  void WriteRun(const FixtureRun& run, bool with_manifest = true);
  void WriteManifest(const sweep::RunManifest& manifest);

  store::LocalDirStore& store() { return *store_; }
  const sweep::StorageLayout& layout() const { return layout_; }
  const std::filesystem::path& root() const { return root_; }

 private:
  void Put(const std::string& key, const Result<std::string>& bytes);

  std::filesystem::path root_;
  sweep::StorageLayout layout_;
  std::unique_ptr<store::LocalDirStore> store_;
  std::unique_ptr<store::ParquetDatasetEncoder> encoder_;
};

}  // namespace ridesweep::analytics::testing

#endif  // RIDESWEEP_ANALYTICS_TESTS_RESULTS_FIXTURE_H_
