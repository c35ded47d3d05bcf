// ParquetShardSpill: each point's rows appended to one file per dataset; at Encode the points are ordered by an index
// of (point_index, arrival, extents) and their rows streamed from the mapped file through a table function into
// one COPY per dataset, the per-point encoder's mechanism (column_binding.h) with a point_index column added.
#include "ridesweep/store/parquet_shard_spill.h"

#include <duckdb.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <mutex>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "parquet/column_binding.h"
#include "parquet/spill_file.h"
#include "parquet/spilled_parameters.h"
#include "parquet/writer_database.h"
#include "ridesweep/base/check.h"

namespace ridesweep::store {
namespace {

namespace fs = std::filesystem;
using parquet_internal::BindingFor;
using parquet_internal::DatasetBinding;
using parquet_internal::DuckTypeOf;
using parquet_internal::SpilledParametersView;
using parquet_internal::SpillFile;
using parquet_internal::WritePart;

constexpr std::array kSpillDatasets = {sweep::Dataset::kShardMetrics, sweep::Dataset::kTripData,
                                       sweep::Dataset::kSnapshotCounts, sweep::Dataset::kEffectiveParameters};
constexpr size_t kMetricsSlot = 0;
constexpr size_t kTripsSlot = 1;
constexpr size_t kSnapshotsSlot = 2;
constexpr size_t kParametersSlot = 3;  // records (spilled_parameters.h); the other three are raw row structs

// The raw-struct datasets are written and read back byte for byte. Their padding goes to the file as it is and is
// never read: the column bindings read fields only, so the Parquet bytes do not depend on it.
static_assert(std::is_trivially_copyable_v<sweep::ShardMetricsRow> && std::is_trivially_copyable_v<sim::TripRow> &&
              std::is_trivially_copyable_v<sim::SnapshotRow>);

// The same writer options as the per-point files (parquet_dataset_encoder.cc) except the row-group size, which
// stays DuckDB's default (122,880 rows): the writer holds one row group in memory, so a large shard is written as
// several row groups rather than buffered whole.
constexpr const char* kCopyOptions = "FORMAT parquet, COMPRESSION zstd, USE_TMP_FILE false, DICTIONARY_SIZE_LIMIT 0";

Status Failure(std::string_view what, std::string_view detail) {
  return InternalError("Shard spill: " + std::string(what) + ": " + std::string(detail));
}

// Where one point's rows of one dataset sit in that dataset's file: `rows` rows (records for effective_parameters)
// from byte `offset` on.
struct Extent {
  uint64_t offset = 0;
  uint64_t rows = 0;
};

// One appended point. Encode sorts these, not rows: (point_index, arrival) is the file order.
struct PointEntry {
  int64_t point_index = 0;
  uint64_t arrival = 0;  // AppendPoint calls before this one
  std::array<Extent, kSpillDatasets.size()> extents{};
};

// What one COPY reads: the mapped file and the points in file order, set just before executing, cleared right after.
struct ScanSource {
  size_t slot = 0;
  const DatasetBinding* binding = nullptr;  // effective_parameters: the binding over SpilledParametersView
  bool adds_point_index = false;            // effective_parameters has its own point_index column
  std::span<const std::byte> file;
  std::span<const PointEntry> points;
  size_t next_point = 0;
  uint64_t next_row = 0;   // within next_point's extent
  uint64_t next_byte = 0;  // effective_parameters: where the record next_row starts
  std::vector<SpilledParametersView> views;  // effective_parameters: one chunk's records, capacity kept
};

void BindSpill(duckdb_bind_info info) {
  const auto* source = static_cast<const ScanSource*>(duckdb_bind_get_extra_info(info));
  for (const parquet_internal::ColumnBinding& column : source->binding->columns) {
    duckdb_logical_type type = duckdb_create_logical_type(DuckTypeOf(column.column.type));
    const std::string name(column.column.name);
    duckdb_bind_add_result_column(info, name.c_str(), type);
    duckdb_destroy_logical_type(&type);
  }
  if (source->adds_point_index) {
    duckdb_logical_type type = duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
    duckdb_bind_add_result_column(info, "point_index", type);
    duckdb_destroy_logical_type(&type);
  }
}

void InitSpill(duckdb_init_info info) {
  auto* source = static_cast<ScanSource*>(duckdb_init_get_extra_info(info));
  source->next_point = 0;
  source->next_row = 0;
  source->next_byte = 0;
}

// Fills one chunk with the next rows in file order. Chunks are always full (but the last): a chunk spans point
// boundaries, so the writer sees the same chunks for the same rows however the points were appended.
void ScanSpill(duckdb_function_info info, duckdb_data_chunk output) {
  auto* source = static_cast<ScanSource*>(duckdb_function_get_extra_info(info));
  const auto& columns = source->binding->columns;
  const bool records = source->slot == kParametersSlot;
  const idx_t capacity = duckdb_vector_size();
  idx_t filled = 0;
  while (filled < capacity && source->next_point < source->points.size()) {
    const PointEntry& point = source->points[source->next_point];
    const Extent& extent = point.extents[source->slot];
    if (source->next_row == extent.rows) {
      ++source->next_point;
      source->next_row = 0;
      continue;
    }
    const idx_t count = std::min<idx_t>(capacity - filled, extent.rows - source->next_row);
    if (records) {
      if (source->next_row == 0) source->next_byte = extent.offset;
      for (idx_t i = 0; i < count; ++i) {
        const size_t size = parquet_internal::ReadSpilledParameters(source->file.subspan(source->next_byte),
                                                                    source->views[filled + i]);
        if (size == 0) {
          duckdb_function_set_error(info, "Shard spill: effective_parameters file ends inside a record");
          duckdb_data_chunk_set_size(output, 0);
          return;
        }
        source->next_byte += size;
      }
    } else {
      const std::byte* first_row = source->file.data() + extent.offset + source->next_row * source->binding->row_size;
      for (idx_t column = 0; column < columns.size(); ++column) {
        columns[column].fill(first_row, count, duckdb_data_chunk_get_vector(output, column), filled);
      }
    }
    if (source->adds_point_index) {
      auto* points =
          static_cast<int64_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(output, columns.size())));
      std::fill_n(points + filled, count, point.point_index);
    }
    filled += count;
    source->next_row += count;
  }
  if (records && filled > 0) {
    for (idx_t column = 0; column < columns.size(); ++column) {
      columns[column].fill(source->views.data(), filled, duckdb_data_chunk_get_vector(output, column), 0);
    }
  }
  duckdb_data_chunk_set_size(output, filled);
}

std::string TableFunctionName(sweep::Dataset dataset) {
  return "ridesweep_spilled_" + std::string(sweep::DatasetName(dataset)) + "_rows";
}

}  // namespace

class ParquetShardSpill::Impl {
 public:
  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    CloseDatabase();
    if (memfd_ >= 0) ::close(memfd_);
    for (SpillFile& file : files_) file.Unmap();
    if (!directory_.empty()) {
      std::error_code ec;
      fs::remove_all(directory_, ec);
    }
  }

  Status Open(const ShardSpillOptions& options) {
    fs::path parent = options.parent_dir;
    if (parent.empty()) {
      const char* tmp = ::getenv("TMPDIR");
      parent = tmp != nullptr && *tmp != '\0' ? fs::path(tmp) : fs::path("/tmp");
    }
    std::string pattern = (parent / "ridesweep-spill-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Failure("cannot create a directory under " + parent.string(), std::generic_category().message(errno));
    }
    directory_ = pattern;
    for (size_t i = 0; i < kSpillDatasets.size(); ++i) {
      const std::string file_name = std::string(sweep::DatasetName(kSpillDatasets[i])) + ".rows";
      RIDESWEEP_RETURN_IF_ERROR(files_[i].Open(directory_ / file_name));
      ScanSource& source = sources_[i];
      source.slot = i;
      source.binding = i == kParametersSlot ? &parquet_internal::SpilledParametersBinding()
                                            : &BindingFor(kSpillDatasets[i]);
      source.adds_point_index = i != kParametersSlot;
    }
    sources_[kParametersSlot].views.resize(duckdb_vector_size());
    // The finished file goes to an anonymous memory file, like the per-point encoder's: its bytes are the object's,
    // and nothing is written to (or synced on) the disk.
    memfd_ = ::memfd_create("ridesweep-shard-parquet", MFD_CLOEXEC);
    if (memfd_ < 0) return Failure("memfd_create", std::generic_category().message(errno));
    memfd_path_ = "/proc/self/fd/" + std::to_string(memfd_);
    return OpenDatabase();
  }

  Status AppendPoint(uint64_t point_index, const sweep::ShardMetricsRow& metrics, std::span<const sim::TripRow> trips,
                     std::span<const sim::SnapshotRow> snapshots, const sweep::EffectiveParametersRow& parameters) {
    parquet_internal::SpilledParametersHeader header;
    const std::array<iovec, 6> parameter_parts = parquet_internal::SpilledParametersParts(parameters, header);
    const std::array<iovec, 1> metrics_part = {WritePart(&metrics, sizeof(metrics))};
    const std::array<iovec, 1> trips_part = {WritePart(trips.data(), trips.size_bytes())};
    const std::array<iovec, 1> snapshots_part = {WritePart(snapshots.data(), snapshots.size_bytes())};
    std::lock_guard lock(mu_);
    PointEntry entry{.point_index = static_cast<int64_t>(point_index), .arrival = arrivals_, .extents = {}};
    // A failed write leaves the point out of the index; bytes it did write are never read and get overwritten.
    RIDESWEEP_RETURN_IF_ERROR(Write(kMetricsSlot, metrics_part, 1, entry));
    RIDESWEEP_RETURN_IF_ERROR(Write(kTripsSlot, trips_part, trips.size(), entry));
    RIDESWEEP_RETURN_IF_ERROR(Write(kSnapshotsSlot, snapshots_part, snapshots.size(), entry));
    RIDESWEEP_RETURN_IF_ERROR(Write(kParametersSlot, parameter_parts, 1, entry));
    points_.push_back(entry);
    ++arrivals_;
    return Status::Ok();
  }

  Result<std::string> Encode(sweep::Dataset dataset) {
    std::lock_guard lock(mu_);
    size_t slot = kSpillDatasets.size();
    for (size_t i = 0; i < kSpillDatasets.size(); ++i) {
      if (kSpillDatasets[i] == dataset) slot = i;
    }
    RIDESWEEP_CHECK(slot < kSpillDatasets.size()) << "not a per-point dataset";
    if (database_ == nullptr) RIDESWEEP_RETURN_IF_ERROR(OpenDatabase());
    // Points, not rows, are sorted; arrival breaks ties, so a point given twice keeps its rows in arrival order.
    std::sort(points_.begin(), points_.end(), [](const PointEntry& a, const PointEntry& b) {
      return a.point_index != b.point_index ? a.point_index < b.point_index : a.arrival < b.arrival;
    });
    RIDESWEEP_ASSIGN_OR_RETURN(std::span<const std::byte> file, files_[slot].Map());
    if (::ftruncate(memfd_, 0) != 0) {
      files_[slot].Unmap();
      return Failure("ftruncate", std::generic_category().message(errno));
    }
    ScanSource& source = sources_[slot];
    source.file = file;
    source.points = points_;
    duckdb_result result{};
    const duckdb_state state = duckdb_execute_prepared(statements_[slot], &result);
    std::string error;
    if (state == DuckDBError) {
      const char* text = duckdb_result_error(&result);
      error = text != nullptr ? text : "unknown error";
    }
    duckdb_destroy_result(&result);
    source.file = {};
    source.points = {};
    files_[slot].Unmap();
    ++copies_;
    if (state == DuckDBError) return Failure("writing " + std::string(sweep::DatasetName(dataset)), error);
    return ReadMemoryFile();
  }

  const fs::path& directory() const { return directory_; }

  // Empties the spill for the next shard: the files are truncated, the database stays open (it is made again
  // after kCopiesPerDatabase copies: every executed COPY leaves a little memory behind, as in the per-point encoder).
  Status Reset() {
    std::lock_guard lock(mu_);
    points_.clear();
    arrivals_ = 0;
    for (SpillFile& file : files_) RIDESWEEP_RETURN_IF_ERROR(file.Clear());
    if (copies_ >= kCopiesPerDatabase) CloseDatabase();
    return Status::Ok();
  }

 private:
  Status Write(size_t slot, std::span<const iovec> parts, uint64_t rows, PointEntry& entry) {
    entry.extents[slot] = Extent{.offset = files_[slot].size(), .rows = rows};
    return files_[slot].Append(parts);
  }

  void CloseDatabase() {
    for (duckdb_prepared_statement& statement : statements_) {
      if (statement != nullptr) duckdb_destroy_prepare(&statement);
      statement = nullptr;
    }
    if (connection_ != nullptr) duckdb_disconnect(&connection_);
    if (database_ != nullptr) duckdb_close(&database_);
    connection_ = nullptr;
    database_ = nullptr;
    copies_ = 0;
  }

  // Opens the database, registers one table function per dataset and prepares its COPY. On failure the database is
  // closed again, so the next Encode retries.
  Status OpenDatabase() {
    Status opened = OpenDatabaseOnce();
    if (!opened.ok()) CloseDatabase();
    return opened;
  }

  Status OpenDatabaseOnce() {
    if (Status opened = parquet_internal::OpenWriterDatabase(&database_, &connection_); !opened.ok()) {
      return Failure("opening the database", opened.message());
    }
    for (size_t i = 0; i < kSpillDatasets.size(); ++i) {
      const std::string name = TableFunctionName(kSpillDatasets[i]);
      duckdb_table_function function = duckdb_create_table_function();
      duckdb_table_function_set_name(function, name.c_str());
      duckdb_table_function_set_extra_info(function, &sources_[i], nullptr);
      duckdb_table_function_set_bind(function, BindSpill);
      duckdb_table_function_set_init(function, InitSpill);
      duckdb_table_function_set_function(function, ScanSpill);
      const duckdb_state registered = duckdb_register_table_function(connection_, function);
      duckdb_destroy_table_function(&function);
      if (registered == DuckDBError) return Failure("DuckDB", "cannot register table function " + name);
      const std::string sql =
          "COPY (SELECT * FROM " + name + "()) TO '" + memfd_path_ + "' (" + kCopyOptions + ")";
      if (duckdb_prepare(connection_, sql.c_str(), &statements_[i]) == DuckDBError) {
        const char* text = duckdb_prepare_error(statements_[i]);
        Status error = Failure("prepare", text != nullptr ? text : "unknown error");
        duckdb_destroy_prepare(&statements_[i]);
        statements_[i] = nullptr;
        return error;
      }
    }
    return Status::Ok();
  }

  // The finished file's bytes; the memory file is emptied afterwards, so an idle spill holds none of them.
  Result<std::string> ReadMemoryFile() {
    struct stat info {};
    if (::fstat(memfd_, &info) != 0) return Failure("fstat", std::generic_category().message(errno));
    std::string bytes(static_cast<size_t>(info.st_size), '\0');
    size_t filled = 0;
    while (filled < bytes.size()) {
      const ssize_t got = ::pread(memfd_, bytes.data() + filled, bytes.size() - filled, static_cast<off_t>(filled));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return Failure("reading the memory file", std::generic_category().message(errno));
      filled += static_cast<size_t>(got);
    }
    if (::ftruncate(memfd_, 0) != 0) return Failure("ftruncate", std::generic_category().message(errno));
    return bytes;
  }

  static constexpr uint64_t kCopiesPerDatabase = 4096;  // about 1,000 shards
  std::mutex mu_;
  fs::path directory_;
  std::array<SpillFile, kSpillDatasets.size()> files_{};
  std::vector<PointEntry> points_;  // in arrival order until an Encode sorts them
  uint64_t arrivals_ = 0;
  int memfd_ = -1;
  std::string memfd_path_;
  duckdb_database database_ = nullptr;
  duckdb_connection connection_ = nullptr;
  uint64_t copies_ = 0;  // since the database was opened
  std::array<ScanSource, kSpillDatasets.size()> sources_{};  // Addresses are stable: table functions point at them.
  std::array<duckdb_prepared_statement, kSpillDatasets.size()> statements_{};
};

// Idle spills of one factory, kept open for the next shard: opening the DuckDB database and preparing its statements
// costs about as much as a short point's simulation, which a shard of a few points would otherwise pay every time.
class ParquetShardSpill::Pool {
 public:
  explicit Pool(ShardSpillOptions options) : options_(std::move(options)) {}

  Result<std::unique_ptr<Impl>> Take() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        std::unique_ptr<Impl> impl = std::move(idle_.back());
        idle_.pop_back();
        return impl;
      }
    }
    auto impl = std::make_unique<Impl>();
    RIDESWEEP_RETURN_IF_ERROR(impl->Open(options_));
    return impl;
  }

  // Keeps `impl` for reuse when it empties cleanly and the pool has room; otherwise it is closed and removed.
  void Give(std::unique_ptr<Impl> impl) {
    if (!impl->Reset().ok()) return;
    std::lock_guard lock(mu_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(impl));
  }

 private:
  static constexpr size_t kMaxIdle = 8;
  const ShardSpillOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Impl>> idle_;
};

Result<std::unique_ptr<ParquetShardSpill>> ParquetShardSpill::Create(const ShardSpillOptions& options) {
  auto impl = std::make_unique<Impl>();
  RIDESWEEP_RETURN_IF_ERROR(impl->Open(options));
  return std::unique_ptr<ParquetShardSpill>(new ParquetShardSpill(std::move(impl), nullptr));
}

ParquetShardSpill::ParquetShardSpill(std::unique_ptr<Impl> impl, std::shared_ptr<Pool> pool)
    : impl_(std::move(impl)), pool_(std::move(pool)) {}

ParquetShardSpill::~ParquetShardSpill() {
  if (pool_ != nullptr) pool_->Give(std::move(impl_));
}

Status ParquetShardSpill::AppendPoint(uint64_t point_index, const sweep::ShardMetricsRow& metrics,
                                      std::span<const sim::TripRow> trips, std::span<const sim::SnapshotRow> snapshots,
                                      const sweep::EffectiveParametersRow& parameters) {
  return impl_->AppendPoint(point_index, metrics, trips, snapshots, parameters);
}

Result<std::string> ParquetShardSpill::Encode(sweep::Dataset dataset) { return impl_->Encode(dataset); }

const std::filesystem::path& ParquetShardSpill::directory() const { return impl_->directory(); }

sweep::ShardSpillFactory ParquetShardSpillFactory(ShardSpillOptions options) {
  auto pool = std::make_shared<ParquetShardSpill::Pool>(std::move(options));
  return [pool]() -> Result<std::unique_ptr<sweep::ShardSpill>> {
    RIDESWEEP_ASSIGN_OR_RETURN(std::unique_ptr<ParquetShardSpill::Impl> impl, pool->Take());
    return std::unique_ptr<sweep::ShardSpill>(new ParquetShardSpill(std::move(impl), pool));
  };
}

}  // namespace ridesweep::store
