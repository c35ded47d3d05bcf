// ParquetShardSpill is the per_shard layout's sweep::ShardSpill. AppendPoint writes a point's rows to one
// append-only file per dataset in the spill's own directory: shard_metrics, trip_data and snapshot_counts as raw row
// structs, effective_parameters as records with length-prefixed strings (parquet/spilled_parameters.h); only an
// index of points (point_index, arrival, where each dataset's rows sit) stays in memory. Encode sorts that index by
// (point_index, arrival), maps the dataset's file and streams its rows in that order through a table function into
// one `COPY … TO <memory file> (FORMAT parquet, COMPRESSION zstd, …)`, as the per-point encoder does with the
// caller's structs, so the fixed cost of a COPY is paid once per dataset per shard. Rows never sit whole in the
// process heap: they are read from the page cache, and the writer holds one row group (DuckDB's default size).
// Columns: the dataset's (parquet_schema.h) then point_index BIGINT, except effective_parameters, which already has
// that column. Same rows in the same order ⇒ same bytes, whatever order the points were appended in.
//
// Threading: AppendPoint is thread-safe (serialized); Encode must not race AppendPoint. A spill made by Create is
// closed and its directory removed when it is destroyed; one made by ParquetShardSpillFactory goes back, emptied,
// to its factory's pool of idle spills (up to 8), which are closed and removed with the last copy of the factory.
#ifndef RIDESWEEP_STORE_PARQUET_SHARD_SPILL_H_
#define RIDESWEEP_STORE_PARQUET_SHARD_SPILL_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "ridesweep/base/result.h"
#include "ridesweep/sweep/shard_spill.h"

namespace ridesweep::store {

struct ShardSpillOptions {
  // Where the spill's own directory (its row files) is made; empty: $TMPDIR, else /tmp. The directory needs room for
  // the shard's rows uncompressed (about 120 bytes per snapshot row, 104 per trip).
  std::filesystem::path parent_dir;
};
// A factory handing out one ParquetShardSpill per call, reusing the idle spills of its pool. Thread-safe.
sweep::ShardSpillFactory ParquetShardSpillFactory(ShardSpillOptions options = {});

class ParquetShardSpill final : public sweep::ShardSpill {
 public:
  // kInternal when the directory or the database cannot be made.
  static Result<std::unique_ptr<ParquetShardSpill>> Create(const ShardSpillOptions& options = {});
  ~ParquetShardSpill() override;
  ParquetShardSpill(const ParquetShardSpill&) = delete;
  ParquetShardSpill& operator=(const ParquetShardSpill&) = delete;

  Status AppendPoint(uint64_t point_index, const sweep::ShardMetricsRow& metrics,
                     std::span<const sim::TripRow> trips, std::span<const sim::SnapshotRow> snapshots,
                     const sweep::EffectiveParametersRow& parameters) override;
  Result<std::string> Encode(sweep::Dataset dataset) override;

  // The spill's directory (tests check that it is removed).
  const std::filesystem::path& directory() const;

  class Impl;
  class Pool;

 private:
  friend sweep::ShardSpillFactory ParquetShardSpillFactory(ShardSpillOptions options);
  ParquetShardSpill(std::unique_ptr<Impl> impl, std::shared_ptr<Pool> pool);
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<Pool> pool_;  // null: not pooled
};


}  // namespace ridesweep::store

#endif  // RIDESWEEP_STORE_PARQUET_SHARD_SPILL_H_
