// ParquetShardSpill: per-dataset DuckDB tables fed by appenders, one ordered COPY per dataset at the end.
#include "ridesweep/store/parquet_shard_spill.h"

#include <duckdb.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <mutex>
#include <system_error>
#include <utility>
#include <vector>

#include "parquet/column_binding.h"
#include "ridesweep/base/check.h"

namespace ridesweep::store {
namespace {

namespace fs = std::filesystem;
using parquet_internal::BindingFor;
using parquet_internal::DatasetBinding;

constexpr std::array kSpillDatasets = {sweep::Dataset::kShardMetrics, sweep::Dataset::kTripData,
                                       sweep::Dataset::kSnapshotCounts, sweep::Dataset::kEffectiveParameters};

// The same writer options as the per-point files (parquet_dataset_encoder.cc), with DuckDB's default row-group size.
constexpr const char* kCopyOptions =
    "FORMAT parquet, COMPRESSION zstd, USE_TMP_FILE false, DICTIONARY_SIZE_LIMIT 0";
constexpr std::string_view kArrivalColumn = "rs_spill_arrival";

duckdb_type DuckTypeOf(ColumnType type) {
  switch (type) {
    case ColumnType::kBigint: return DUCKDB_TYPE_BIGINT;
    case ColumnType::kTinyint: return DUCKDB_TYPE_TINYINT;
    case ColumnType::kDouble: return DUCKDB_TYPE_DOUBLE;
    case ColumnType::kVarchar: return DUCKDB_TYPE_VARCHAR;
    case ColumnType::kBoolean: return DUCKDB_TYPE_BOOLEAN;
  }
  return DUCKDB_TYPE_INVALID;
}

// effective_parameters rows carry point_index already; the other three get it appended.
bool AddsPointIndex(sweep::Dataset dataset) { return dataset != sweep::Dataset::kEffectiveParameters; }

std::string Quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

Status Failure(std::string_view what, std::string_view detail) {
  return InternalError("Shard spill: " + std::string(what) + ": " + std::string(detail));
}

}  // namespace

class ParquetShardSpill::Impl {
 public:
  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    for (Table& table : tables_) {
      if (table.appender != nullptr) duckdb_appender_destroy(&table.appender);
      if (table.chunk != nullptr) duckdb_destroy_data_chunk(&table.chunk);
    }
    if (connection_ != nullptr) duckdb_disconnect(&connection_);
    if (database_ != nullptr) duckdb_close(&database_);
    if (memfd_ >= 0) ::close(memfd_);
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
    const std::string temp_dir = (directory_ / "tmp").string();
    const std::pair<const char*, std::string> settings[] = {
        {"threads", "1"},
        {"memory_limit", options.memory_limit},
        {"temp_directory", temp_dir},
        {"autoload_known_extensions", "false"},
        {"autoinstall_known_extensions", "false"},
        {"preserve_insertion_order", "true"},
    };
    duckdb_config config = nullptr;
    if (duckdb_create_config(&config) == DuckDBError) return Failure("DuckDB", "cannot create a config");
    for (const auto& [name, value] : settings) {
      if (duckdb_set_config(config, name, value.c_str()) == DuckDBError) {
        duckdb_destroy_config(&config);
        return Failure("DuckDB", std::string("cannot set ") + name);
      }
    }
    char* open_error = nullptr;
    const duckdb_state opened = duckdb_open_ext(nullptr, &database_, config, &open_error);
    duckdb_destroy_config(&config);
    if (opened == DuckDBError) {
      Status error = Failure("cannot open the database", open_error != nullptr ? open_error : "unknown error");
      duckdb_free(open_error);
      database_ = nullptr;
      return error;
    }
    if (duckdb_connect(database_, &connection_) == DuckDBError) {
      connection_ = nullptr;
      return Failure("DuckDB", "cannot connect");
    }
    // The finished file goes to an anonymous memory file, like the per-point encoder's: its bytes are the object's,
    // and nothing is written to (or synced on) the disk.
    memfd_ = ::memfd_create("ridesweep-shard-parquet", MFD_CLOEXEC);
    if (memfd_ < 0) return Failure("memfd_create", std::generic_category().message(errno));
    memfd_path_ = "/proc/self/fd/" + std::to_string(memfd_);
    for (size_t i = 0; i < kSpillDatasets.size(); ++i) RIDESWEEP_RETURN_IF_ERROR(CreateTable(i));
    return Status::Ok();
  }

  Status AppendPoint(uint64_t point_index, const sweep::ShardMetricsRow& metrics, std::span<const sim::TripRow> trips,
                     std::span<const sim::SnapshotRow> snapshots, const sweep::EffectiveParametersRow& parameters) {
    std::lock_guard lock(mu_);
    const auto point = static_cast<int64_t>(point_index);
    if (point < last_point_) in_point_order_ = false;
    last_point_ = point;
    RIDESWEEP_RETURN_IF_ERROR(Append(0, &metrics, 1, point));
    RIDESWEEP_RETURN_IF_ERROR(Append(1, trips.data(), trips.size(), point));
    RIDESWEEP_RETURN_IF_ERROR(Append(2, snapshots.data(), snapshots.size(), point));
    return Append(3, &parameters, 1, point);
  }

  Result<std::string> Encode(sweep::Dataset dataset) {
    std::lock_guard lock(mu_);
    size_t index = kSpillDatasets.size();
    for (size_t i = 0; i < kSpillDatasets.size(); ++i) {
      if (kSpillDatasets[i] == dataset) index = i;
    }
    RIDESWEEP_CHECK(index < kSpillDatasets.size()) << "not a per-point dataset";
    Table& table = tables_[index];
    if (duckdb_appender_flush(table.appender) == DuckDBError) {
      return Failure("flushing " + table.name, AppenderError(table));
    }
    if (::ftruncate(memfd_, 0) != 0) return Failure("ftruncate", std::generic_category().message(errno));
    // Points that arrived in order (one point thread) are already in file order: threads = 1 and
    // preserve_insertion_order keep it, and the sort is skipped. Either way the same rows in the same order reach
    // the writer, so the bytes are the same (ParquetShardSpillTest.BytesDoNotDependOnTheAppendOrder).
    const std::string order =
        in_point_order_ ? "" : " ORDER BY point_index, " + std::string(kArrivalColumn);
    const std::string sql = "COPY (SELECT " + table.select_list + " FROM " + Quoted(table.name) + order + ") TO '" +
                            memfd_path_ + "' (" + kCopyOptions + ")";
    RIDESWEEP_RETURN_IF_ERROR(Execute(sql));
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
    return bytes;
  }

  const fs::path& directory() const { return directory_; }

  // Empties the spill for the next shard: the tables are dropped and made again, the database stays open.
  Status Reset() {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < kSpillDatasets.size(); ++i) {
      Table& table = tables_[i];
      if (table.appender != nullptr) duckdb_appender_destroy(&table.appender);
      if (table.chunk != nullptr) duckdb_destroy_data_chunk(&table.chunk);
      table = Table{};
      in_point_order_ = true;
      last_point_ = 0;
      RIDESWEEP_RETURN_IF_ERROR(
          Execute("DROP TABLE IF EXISTS " + Quoted(std::string(sweep::DatasetName(kSpillDatasets[i])))));
      RIDESWEEP_RETURN_IF_ERROR(CreateTable(i));
    }
    return Status::Ok();
  }

 private:
  struct Table {
    std::string name;
    std::string select_list;  // the file's columns, in file order
    const DatasetBinding* binding = nullptr;
    duckdb_appender appender = nullptr;
    duckdb_data_chunk chunk = nullptr;
    int64_t arrivals = 0;
  };

  static std::string AppenderError(Table& table) {
    const char* text = duckdb_appender_error(table.appender);
    return text != nullptr ? text : "unknown error";
  }

  Status Execute(const std::string& sql) {
    duckdb_result result{};
    const duckdb_state state = duckdb_query(connection_, sql.c_str(), &result);
    std::string error;
    if (state == DuckDBError) {
      const char* text = duckdb_result_error(&result);
      error = text != nullptr ? text : "unknown error";
    }
    duckdb_destroy_result(&result);
    if (state == DuckDBError) return Failure("query", error);
    return Status::Ok();
  }

  // Table columns: the dataset's, [point_index,] arrival number.
  Status CreateTable(size_t index) {
    const sweep::Dataset dataset = kSpillDatasets[index];
    Table& table = tables_[index];
    table.name = std::string(sweep::DatasetName(dataset));
    table.binding = &BindingFor(dataset);
    std::string columns;
    std::vector<duckdb_logical_type> types;
    for (const parquet_internal::ColumnBinding& column : table.binding->columns) {
      if (!columns.empty()) {
        columns += ", ";
        table.select_list += ", ";
      }
      columns += Quoted(column.column.name) + " " + std::string(ColumnTypeName(column.column.type));
      table.select_list += Quoted(column.column.name);
      types.push_back(duckdb_create_logical_type(DuckTypeOf(column.column.type)));
    }
    if (AddsPointIndex(dataset)) {
      columns += ", point_index BIGINT";
      table.select_list += ", point_index";
      types.push_back(duckdb_create_logical_type(DUCKDB_TYPE_BIGINT));
    }
    columns += ", " + std::string(kArrivalColumn) + " BIGINT";
    types.push_back(duckdb_create_logical_type(DUCKDB_TYPE_BIGINT));
    table.chunk = duckdb_create_data_chunk(types.data(), types.size());
    for (duckdb_logical_type& type : types) duckdb_destroy_logical_type(&type);
    RIDESWEEP_RETURN_IF_ERROR(Execute("CREATE TABLE " + Quoted(table.name) + " (" + columns + ")"));
    if (duckdb_appender_create(connection_, nullptr, table.name.c_str(), &table.appender) == DuckDBError) {
      Status error = Failure("appender for " + table.name, AppenderError(table));
      duckdb_appender_destroy(&table.appender);
      table.appender = nullptr;
      return error;
    }
    return Status::Ok();
  }

  // Appends `count` rows of the table's row type from `rows`, all of point `point`, in chunks of the vector size.
  Status Append(size_t index, const void* rows, size_t count, int64_t point) {
    Table& table = tables_[index];
    const auto& columns = table.binding->columns;
    const idx_t capacity = duckdb_vector_size();
    for (size_t done = 0; done < count;) {
      const idx_t n = std::min<idx_t>(capacity, count - done);
      duckdb_data_chunk_reset(table.chunk);
      const void* first = static_cast<const char*>(rows) + done * table.binding->row_size;
      idx_t column = 0;
      for (; column < columns.size(); ++column) {
        columns[column].fill(first, n, duckdb_data_chunk_get_vector(table.chunk, column));
      }
      if (AddsPointIndex(kSpillDatasets[index])) {
        auto* points = static_cast<int64_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(table.chunk, column)));
        for (idx_t i = 0; i < n; ++i) points[i] = point;
        ++column;
      }
      auto* arrivals = static_cast<int64_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(table.chunk, column)));
      for (idx_t i = 0; i < n; ++i) arrivals[i] = table.arrivals++;
      duckdb_data_chunk_set_size(table.chunk, n);
      if (duckdb_append_data_chunk(table.appender, table.chunk) == DuckDBError) {
        return Failure("appending to " + table.name, AppenderError(table));
      }
      done += n;
    }
    return Status::Ok();
  }

  std::mutex mu_;
  fs::path directory_;
  int memfd_ = -1;
  std::string memfd_path_;
  bool in_point_order_ = true;  // every AppendPoint so far had point_index >= the one before
  int64_t last_point_ = 0;
  duckdb_database database_ = nullptr;
  duckdb_connection connection_ = nullptr;
  std::array<Table, kSpillDatasets.size()> tables_{};
};

// Idle spills of one factory, kept open for the next shard: opening a DuckDB database costs about as much as a
// short point's simulation, which a shard of a few points would otherwise pay every time.
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
