// ParquetDatasetEncoder: rows → DuckDB table function → COPY to an anonymous memory file → bytes.
// Why a table function and not an appender into a table: DuckDB then reads the caller's rows directly while it
// writes Parquet, with no insert, commit and truncate per call; measured ~3× faster for 10,800 snapshot rows
// (see docs/formats/parquet_schemas.md, "Encoder performance").
#include "ridesweep/store/parquet_dataset_encoder.h"

#include <duckdb.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

#include "parquet/column_binding.h"
#include "parquet/writer_database.h"
#include "parquet/zstd_context_reuse.h"
#include "ridesweep/sweep/keys.h"

namespace ridesweep::store {
namespace {

using parquet_internal::BindingFor;
using parquet_internal::DatasetBinding;
using parquet_internal::DuckTypeOf;

constexpr std::array kAllDatasets = {
    sweep::Dataset::kShardMetrics,        sweep::Dataset::kTripData,       sweep::Dataset::kSnapshotCounts,
    sweep::Dataset::kEffectiveParameters, sweep::Dataset::kShardOutcomes, sweep::Dataset::kRunContext,
};

// DuckDB's default row-group size; the statement is re-prepared with a larger one when a call brings more rows,
// so every file has exactly one row group.
constexpr idx_t kInitialRowGroupCapacity = 122'880;

// COPY options besides format, compression and row-group size. USE_TMP_FILE false: write the memory file in place
// (no write-to-temp-then-rename). DICTIONARY_SIZE_LIMIT 0: no dictionary pages, every column PLAIN + ZSTD. Our
// columns are counters, times and ids that change slowly or monotonically, which ZSTD compresses better than a
// dictionary page plus RLE indices: snapshot_counts files are 15–35% smaller and encode 17–30% faster, trip_data
// stays within ±2% in size (docs/BENCHMARKS.md, "Sweep"). One-row files had no dictionary before either (DuckDB caps a
// dictionary at rows / 5 entries), so their bytes do not change.
constexpr const char* kWriterOptions = "USE_TMP_FILE false, DICTIONARY_SIZE_LIMIT 0";

// The rows a COPY currently reads: set just before executing, cleared right after.
struct RowSource {
  const DatasetBinding* binding = nullptr;
  const void* rows = nullptr;
  idx_t count = 0;
  idx_t next = 0;
};

// Table function callbacks; extra_info is the dataset's RowSource.
void BindRows(duckdb_bind_info info) {
  const auto* source = static_cast<const RowSource*>(duckdb_bind_get_extra_info(info));
  for (const parquet_internal::ColumnBinding& column : source->binding->columns) {
    duckdb_logical_type type = duckdb_create_logical_type(DuckTypeOf(column.column.type));
    const std::string name(column.column.name);
    duckdb_bind_add_result_column(info, name.c_str(), type);
    duckdb_destroy_logical_type(&type);
  }
}

void InitRows(duckdb_init_info info) { static_cast<RowSource*>(duckdb_init_get_extra_info(info))->next = 0; }

void ScanRows(duckdb_function_info info, duckdb_data_chunk output) {
  auto* source = static_cast<RowSource*>(duckdb_function_get_extra_info(info));
  const idx_t count = std::min<idx_t>(duckdb_vector_size(), source->count - source->next);
  if (count > 0) {
    const void* first_row = static_cast<const char*>(source->rows) + source->next * source->binding->row_size;
    const auto& columns = source->binding->columns;
    for (idx_t column = 0; column < columns.size(); ++column) {
      columns[column].fill(first_row, count, duckdb_data_chunk_get_vector(output, column), 0);
    }
    source->next += count;
  }
  duckdb_data_chunk_set_size(output, count);
}

std::string TableFunctionName(sweep::Dataset dataset) {
  return "ridesweep_" + std::string(sweep::DatasetName(dataset)) + "_rows";
}

}  // namespace

class ParquetDatasetEncoder::Impl {
 public:
  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  ~Impl() { Close(); }

  // Releases the database, its statements and the memory file; Open() makes them again.
  void Close() {
    for (Slot& slot : slots_) {
      if (slot.statement != nullptr) duckdb_destroy_prepare(&slot.statement);
      slot.statement = nullptr;
      slot.row_group_capacity = 0;
    }
    if (connection_ != nullptr) duckdb_disconnect(&connection_);
    if (database_ != nullptr) duckdb_close(&database_);
    if (memfd_ >= 0) ::close(memfd_);
    connection_ = nullptr;
    database_ = nullptr;
    memfd_ = -1;
  }

  Status Open() {
    RIDESWEEP_RETURN_IF_ERROR(parquet_internal::OpenWriterDatabase(&database_, &connection_));
    parquet_internal::PrepareThreadCompressionContext();
    memfd_ = ::memfd_create("ridesweep-parquet", MFD_CLOEXEC);
    if (memfd_ < 0) return InternalError("memfd_create failed: " + std::generic_category().message(errno));
    memfd_path_ = "/proc/self/fd/" + std::to_string(memfd_);
    for (size_t i = 0; i < kAllDatasets.size(); ++i) {
      Slot& slot = slots_[i];
      slot.source.binding = &BindingFor(kAllDatasets[i]);
      RIDESWEEP_RETURN_IF_ERROR(RegisterTableFunction(slot));
      RIDESWEEP_RETURN_IF_ERROR(Prepare(slot, kInitialRowGroupCapacity));
    }
    return Status::Ok();
  }

  // Encodes `count` rows of the dataset's row type starting at `rows`.
  Result<std::string> Encode(sweep::Dataset dataset, const void* rows, size_t count) {
    // Every executed COPY leaves a little memory behind in the database (about 0.6 KB: buffer handles that DuckDB's
    // eviction queue keeps reachable, the result collector's state), which made a long run or `serve` grow by about
    // 2.3 KB per point. A fresh database every kEncodesPerDatabase encodes bounds it; reopening costs a few ms, and
    // the bytes written do not depend on the database.
    if (encodes_ >= kEncodesPerDatabase || database_ == nullptr) {
      Close();
      encodes_ = 0;
      if (Status reopened = Open(); !reopened.ok()) {
        Close();
        return Failure(dataset, "reopening the database: " + reopened.message());
      }
    }
    ++encodes_;
    Slot& slot = SlotFor(dataset);
    if (count >= slot.row_group_capacity) {
      RIDESWEEP_RETURN_IF_ERROR(
          Prepare(slot, std::max<idx_t>({kInitialRowGroupCapacity, 2 * slot.row_group_capacity, count + 1})));
    }
    if (::ftruncate(memfd_, 0) != 0) return Failure(dataset, "ftruncate: " + std::generic_category().message(errno));
    slot.source.rows = rows;
    slot.source.count = count;
    slot.source.next = 0;
    duckdb_result result{};
    const duckdb_state state = duckdb_execute_prepared(slot.statement, &result);
    std::string error;
    if (state == DuckDBError) {
      const char* text = duckdb_result_error(&result);
      error = text != nullptr ? text : "unknown error";
    }
    duckdb_destroy_result(&result);
    slot.source.rows = nullptr;
    slot.source.count = 0;
    if (state == DuckDBError) return Failure(dataset, error);
    return ReadMemoryFile(dataset);
  }

 private:
  struct Slot {
    RowSource source;
    duckdb_prepared_statement statement = nullptr;
    idx_t row_group_capacity = 0;  // ROW_GROUP_SIZE of `statement`; calls must bring fewer rows.
  };

  Slot& SlotFor(sweep::Dataset dataset) {
    for (size_t i = 0; i < kAllDatasets.size(); ++i) {
      if (kAllDatasets[i] == dataset) return slots_[i];
    }
    RIDESWEEP_CHECK(false) << "unknown dataset " << static_cast<int>(dataset);
    return slots_[0];
  }

  static Status Failure(sweep::Dataset dataset, std::string_view reason) {
    return InternalError("Parquet encoding of " + std::string(sweep::DatasetName(dataset)) +
                         " failed: " + std::string(reason));
  }

  Status RegisterTableFunction(Slot& slot) {
    duckdb_table_function function = duckdb_create_table_function();
    const std::string name = TableFunctionName(slot.source.binding->dataset);
    duckdb_table_function_set_name(function, name.c_str());
    duckdb_table_function_set_extra_info(function, &slot.source, nullptr);
    duckdb_table_function_set_bind(function, BindRows);
    duckdb_table_function_set_init(function, InitRows);
    duckdb_table_function_set_function(function, ScanRows);
    const duckdb_state state = duckdb_register_table_function(connection_, function);
    duckdb_destroy_table_function(&function);
    if (state == DuckDBError) return InternalError("DuckDB: cannot register table function " + name);
    return Status::Ok();
  }

  // On failure the slot has no statement and capacity 0, so the next call prepares again.
  Status Prepare(Slot& slot, idx_t row_group_capacity) {
    if (slot.statement != nullptr) duckdb_destroy_prepare(&slot.statement);
    slot.statement = nullptr;
    slot.row_group_capacity = 0;
    const std::string sql = "COPY (SELECT * FROM " + TableFunctionName(slot.source.binding->dataset) + "()) TO '" +
                            memfd_path_ + "' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE " +
                            std::to_string(row_group_capacity) + ", " + kWriterOptions + ")";
    if (duckdb_prepare(connection_, sql.c_str(), &slot.statement) == DuckDBError) {
      const char* text = duckdb_prepare_error(slot.statement);
      Status error = Failure(slot.source.binding->dataset, std::string("prepare: ") + (text ? text : "unknown"));
      duckdb_destroy_prepare(&slot.statement);
      slot.statement = nullptr;
      return error;
    }
    slot.row_group_capacity = row_group_capacity;
    return Status::Ok();
  }

  Result<std::string> ReadMemoryFile(sweep::Dataset dataset) {
    struct stat info {};
    if (::fstat(memfd_, &info) != 0) return Failure(dataset, "fstat: " + std::generic_category().message(errno));
    std::string bytes(static_cast<size_t>(info.st_size), '\0');
    size_t filled = 0;
    while (filled < bytes.size()) {
      const ssize_t got = ::pread(memfd_, bytes.data() + filled, bytes.size() - filled, static_cast<off_t>(filled));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return Failure(dataset, "reading the memory file: " + std::generic_category().message(errno));
      filled += static_cast<size_t>(got);
    }
    return bytes;
  }

  static constexpr uint64_t kEncodesPerDatabase = 4096;  // about 1,000 points
  duckdb_database database_ = nullptr;
  duckdb_connection connection_ = nullptr;
  uint64_t encodes_ = 0;  // since the database was opened
  int memfd_ = -1;
  std::string memfd_path_;
  std::array<Slot, kAllDatasets.size()> slots_{};  // Addresses are stable: table functions point at the sources.
};

Result<std::unique_ptr<ParquetDatasetEncoder>> ParquetDatasetEncoder::Create() {
  auto impl = std::make_unique<Impl>();
  RIDESWEEP_RETURN_IF_ERROR(impl->Open());
  std::unique_ptr<ParquetDatasetEncoder> encoder(new ParquetDatasetEncoder(std::move(impl)));
  RIDESWEEP_RETURN_IF_ERROR(encoder->WarmUp());
  return encoder;
}

// The first execution of each COPY in a new database costs far more than the next ones (the first run_context
// file ~0.9 ms against ~0.1 ms warm: DuckDB's lazy set-up of the Parquet writer, the buffer pool, the table
// function's bind); one default row per dataset pays it here, when the encoder is made (in parallel on the
// worker threads, at Lambda init, at `serve` start), instead of on the first request and the first point.
Status ParquetDatasetEncoder::WarmUp() {
  RIDESWEEP_RETURN_IF_ERROR(EncodeShardMetrics(sweep::ShardMetricsRow{}).status());
  const sim::TripRow trip{};
  RIDESWEEP_RETURN_IF_ERROR(EncodeTripData(std::span(&trip, 1)).status());
  const sim::SnapshotRow snapshot{};
  RIDESWEEP_RETURN_IF_ERROR(EncodeSnapshotCounts(std::span(&snapshot, 1)).status());
  RIDESWEEP_RETURN_IF_ERROR(EncodeEffectiveParameters(sweep::EffectiveParametersRow{}).status());
  RIDESWEEP_RETURN_IF_ERROR(EncodeShardOutcome(sweep::ShardOutcomeRow{}).status());
  return EncodeRunContext(sweep::RunContextRow{}).status();
}

ParquetDatasetEncoder::ParquetDatasetEncoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ParquetDatasetEncoder::~ParquetDatasetEncoder() = default;

Result<std::string> ParquetDatasetEncoder::EncodeShardMetrics(const sweep::ShardMetricsRow& row) {
  return impl_->Encode(sweep::Dataset::kShardMetrics, &row, 1);
}

Result<std::string> ParquetDatasetEncoder::EncodeTripData(std::span<const sim::TripRow> trips) {
  return impl_->Encode(sweep::Dataset::kTripData, trips.data(), trips.size());
}

Result<std::string> ParquetDatasetEncoder::EncodeSnapshotCounts(std::span<const sim::SnapshotRow> snapshots) {
  return impl_->Encode(sweep::Dataset::kSnapshotCounts, snapshots.data(), snapshots.size());
}

Result<std::string> ParquetDatasetEncoder::EncodeEffectiveParameters(const sweep::EffectiveParametersRow& row) {
  return impl_->Encode(sweep::Dataset::kEffectiveParameters, &row, 1);
}

Result<std::string> ParquetDatasetEncoder::EncodeShardOutcome(const sweep::ShardOutcomeRow& row) {
  return impl_->Encode(sweep::Dataset::kShardOutcomes, &row, 1);
}

Result<std::string> ParquetDatasetEncoder::EncodeRunContext(const sweep::RunContextRow& row) {
  return impl_->Encode(sweep::Dataset::kRunContext, &row, 1);
}

sweep::DatasetEncoderFactory ParquetDatasetEncoderFactory() {
  return []() -> Result<std::unique_ptr<sweep::DatasetEncoder>> {
    RIDESWEEP_ASSIGN_OR_RETURN(std::unique_ptr<ParquetDatasetEncoder> encoder, ParquetDatasetEncoder::Create());
    return std::unique_ptr<sweep::DatasetEncoder>(std::move(encoder));
  };
}

}  // namespace ridesweep::store
