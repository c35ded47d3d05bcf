// ParquetShardSpill is the per_shard layout's sweep::ShardSpill: a private DuckDB database (threads = 1, memory
// capped, spilling to its own temporary directory) with one table per per-point dataset. Each point's rows go in
// through an appender, tagged with point_index and an arrival number; Encode runs one `COPY (… ORDER BY
// point_index, arrival) TO <memory file> (FORMAT parquet, COMPRESSION zstd, …)` per dataset, so the fixed cost of a
// COPY is paid once per dataset per shard instead of once per point. Rows never sit whole in the process heap: past the
// memory cap DuckDB writes them to the spill directory. Columns: the dataset's (parquet_schema.h) then point_index
// BIGINT, except effective_parameters, which already has that column.
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
  // Where the spill's own directory is made; empty: $TMPDIR, else /tmp.
  std::filesystem::path parent_dir;
  // DuckDB's memory_limit for the spill database; rows beyond it go to disk.
  std::string memory_limit = "256MB";
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
