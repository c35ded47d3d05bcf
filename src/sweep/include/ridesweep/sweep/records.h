// Rows of the three sweep-level datasets (spec/sweep.md §10.6–§10.8): shard_outcomes, run_context and
// effective_parameters, and the shard_metrics row (the sim layer's sim::PointMetrics plus the point's
// configuration and replicate). trip_data and snapshot_counts reuse sim::TripRow and sim::SnapshotRow. Plain values; a DatasetEncoder
// (dataset_writer.h) turns them into Parquet. Fields are listed in Parquet column order and use the stored types
// (BIGINT → int64_t; every stored value is < 2^63). std::nullopt is written as NULL.
// DO NOT CHANGE field order, names or meaning: they are the Parquet columns read by the Athena DDL
// (docs/formats/parquet_schemas.md).
#ifndef RIDESWEEP_SWEEP_RECORDS_H_
#define RIDESWEEP_SWEEP_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "ridesweep/sim/records.h"
#include "ridesweep/sweep/limits.h"

namespace ridesweep::sweep {

// One row of shard_outcomes (§10.7): the success marker that commits a shard, or its failure record.
// Success: result_key, points_processed and format ("parquet") set; error_code and error_message null.
// Failure: error_code (§7.3) and error_message set; points_processed = points committed in this attempt;
// result_key and format null.
struct ShardOutcomeRow {
  std::string run_id;
  int64_t shard_id = 0;
  int64_t start_index = 0;
  int64_t end_index_exclusive = 0;
  std::string status;      // "success" | "failure"
  std::string event_time;  // RFC 3339 batch start, e.g. 2026-02-14T10:11:12.123456+00:00
  std::string record_schema = std::string(kRecordSchemaVersion);
  std::optional<std::string> result_key;
  std::optional<int64_t> points_processed;
  std::optional<std::string> format;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  int64_t attempt = 1;         // ApproximateReceiveCount (local: executor counter), ≥ 1.
  std::string completed_time;  // RFC 3339, when the record was built.

  friend bool operator==(const ShardOutcomeRow&, const ShardOutcomeRow&) = default;
};

// One row of run_context (§10.6): an accepted submission. run_date and status are data columns too (the Athena
// table exposes the partitions of the same names instead).
struct RunContextRow {
  std::string run_id;
  std::string run_date;                 // YYYY-MM-DD
  std::string status = "accepted";
  std::string request_source;           // api_gateway | lambda_invoke | local_http | local_cli
  std::string record_schema = std::string(kRecordSchemaVersion);
  std::string request_fingerprint;      // 64 hex
  std::string config_fingerprint;       // 64 hex
  int64_t total_points = 0;
  int64_t shard_count = 0;
  std::string shard_strategy;           // explicit_shard_count | derived_from_shard_size
  int64_t max_shards = 0;
  int64_t max_shards_ceiling = 0;
  // Appended: the build that accepted the run, from the manifest (null for runs accepted before it was recorded).
  std::optional<std::string> build_version;
  std::optional<std::string> build_git_revision;

  friend bool operator==(const RunContextRow&, const RunContextRow&) = default;
};

// One row of effective_parameters (§10.8): the parameters a point ran with. Writing it commits the point.
struct EffectiveParametersRow {
  std::string run_id;
  int64_t shard_id = 0;
  int64_t point_index = 0;
  std::string status = "success";
  std::string record_schema = std::string(kRecordSchemaVersion);
  std::string parameter_fingerprint;      // 64 hex
  std::string effective_parameters_json;  // canonical compact JSON of §3.4
  int64_t config_index = 0;  // the point's configuration: point_index / replications
  int64_t replicate = 0;     // point_index % replications

  friend bool operator==(const EffectiveParametersRow&, const EffectiveParametersRow&) = default;
};

// One row of shard_metrics: the simulation's metrics (their columns first, in sim::PointMetrics' binding order),
// then the point's configuration and replicate, appended last. `metrics` must stay the first member: the
// Parquet bindings read the metric columns through a sim::PointMetrics pointer to the row.
// Implicit from sim::PointMetrics (configuration 0, replicate 0) so tools that encode bare metrics keep working.
struct ShardMetricsRow {
  ShardMetricsRow() = default;
  ShardMetricsRow(const sim::PointMetrics& m, int64_t config = 0, int64_t rep = 0)  // NOLINT(runtime/explicit)
      : metrics(m), config_index(config), replicate(rep) {}

  sim::PointMetrics metrics;
  int64_t config_index = 0;
  int64_t replicate = 0;
};

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_RECORDS_H_
