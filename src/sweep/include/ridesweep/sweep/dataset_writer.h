// DatasetEncoder turns the rows of each of the six datasets (spec/sweep.md §10.3–§10.8) into the bytes of one
// Parquet file, so the worker can build its outputs without knowing how Parquet is written. The production
// implementation is store::ParquetDatasetEncoder (DuckDB C API, ZSTD, one row group, deterministic bytes); tests
// may substitute a fake. Column names, order and types are in docs/formats/parquet_schemas.md.
//
// Threading: an encoder is used by one thread at a time (it may hold a database connection and scratch buffers);
// give each worker thread its own, e.g. from a DatasetEncoderFactory. Different encoders may run concurrently.
#ifndef RIDESWEEP_SWEEP_DATASET_WRITER_H_
#define RIDESWEEP_SWEEP_DATASET_WRITER_H_

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "ridesweep/base/result.h"
#include "ridesweep/sim/records.h"
#include "ridesweep/sweep/records.h"

namespace ridesweep::sweep {

// DO NOT CHANGE: Content-Type of every Parquet object (spec/sweep.md §10.1).
inline constexpr std::string_view kParquetContentType = "application/vnd.apache.parquet";

class DatasetEncoder {
 public:
  virtual ~DatasetEncoder() = default;

  // Each call returns a complete Parquet file holding exactly the given rows, in the given order. Zero rows give
  // a valid schema-only file. Same rows ⇒ same bytes. An error (kInternal) means the encoder failed, never the
  // rows: every value of the row types is encodable. The returned bytes are the caller's.
  virtual Result<std::string> EncodeShardMetrics(const ShardMetricsRow& row) = 0;                 // 1 row
  virtual Result<std::string> EncodeTripData(std::span<const sim::TripRow> trips) = 0;             // by trip_entity
  virtual Result<std::string> EncodeSnapshotCounts(std::span<const sim::SnapshotRow> snapshots) = 0;  // by time
  virtual Result<std::string> EncodeEffectiveParameters(const EffectiveParametersRow& row) = 0;    // 1 row
  virtual Result<std::string> EncodeShardOutcome(const ShardOutcomeRow& row) = 0;                  // 1 row
  virtual Result<std::string> EncodeRunContext(const RunContextRow& row) = 0;                      // 1 row
};

// Makes a fresh encoder, e.g. one per worker thread. Thread-safe to call; may fail (kInternal) when the
// encoder's engine cannot start.
using DatasetEncoderFactory = std::function<Result<std::unique_ptr<DatasetEncoder>>()>;

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_DATASET_WRITER_H_
