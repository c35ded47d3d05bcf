// ParquetDatasetEncoder writes the six datasets as Parquet with DuckDB's C API, as spec/sweep.md §10.2 requires:
// one private in-memory DuckDB database and connection per encoder (threads = 1, no spilling), rows streamed
// from the caller's memory through a table function into `COPY … TO '/proc/self/fd/<memfd>' (FORMAT parquet,
// COMPRESSION zstd, ROW_GROUP_SIZE > rows, USE_TMP_FILE false, DICTIONARY_SIZE_LIMIT 0)`, bytes read back from the
// anonymous memory file. Nothing touches the file system or the temporary directory. One row group per file (none
// for zero rows), PLAIN + ZSTD pages, same rows ⇒ same bytes. Column schemas: parquet_schema.h.
//
// Threading: not thread-safe. Use an encoder from one thread at a time; give each worker thread its own
// (ParquetDatasetEncoderFactory). Creating one costs ~10–30 ms (a database instance) and a few MB; reuse it: the
// prepared statements and scratch state persist between calls.
#ifndef RIDESWEEP_STORE_PARQUET_DATASET_ENCODER_H_
#define RIDESWEEP_STORE_PARQUET_DATASET_ENCODER_H_

#include <memory>
#include <span>
#include <string>

#include "ridesweep/base/result.h"
#include "ridesweep/sweep/dataset_writer.h"

namespace ridesweep::store {

class ParquetDatasetEncoder final : public sweep::DatasetEncoder {
 public:
  // Opens the encoder's database and memory file and encodes one default row of every dataset, so that DuckDB's
  // one-time set-up is paid here and not by the first real call. kInternal when DuckDB or memfd_create fails.
  static Result<std::unique_ptr<ParquetDatasetEncoder>> Create();
  ~ParquetDatasetEncoder() override;
  ParquetDatasetEncoder(const ParquetDatasetEncoder&) = delete;
  ParquetDatasetEncoder& operator=(const ParquetDatasetEncoder&) = delete;

  Result<std::string> EncodeShardMetrics(const sweep::ShardMetricsRow& row) override;
  Result<std::string> EncodeTripData(std::span<const sim::TripRow> trips) override;
  Result<std::string> EncodeSnapshotCounts(std::span<const sim::SnapshotRow> snapshots) override;
  Result<std::string> EncodeEffectiveParameters(const sweep::EffectiveParametersRow& row) override;
  Result<std::string> EncodeShardOutcome(const sweep::ShardOutcomeRow& row) override;
  Result<std::string> EncodeRunContext(const sweep::RunContextRow& row) override;

 private:
  class Impl;
  explicit ParquetDatasetEncoder(std::unique_ptr<Impl> impl);
  Status WarmUp();  // Encodes one default row of every dataset once (see Create).
  std::unique_ptr<Impl> impl_;
};

// A factory that creates one ParquetDatasetEncoder per call (e.g. one per worker thread). Thread-safe.
sweep::DatasetEncoderFactory ParquetDatasetEncoderFactory();

}  // namespace ridesweep::store

#endif  // RIDESWEEP_STORE_PARQUET_DATASET_ENCODER_H_
