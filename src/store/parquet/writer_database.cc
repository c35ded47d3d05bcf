// Opening the Parquet writers' private DuckDB database; see writer_database.h.
#include "parquet/writer_database.h"

#include <string>
#include <utility>

namespace ridesweep::store::parquet_internal {
namespace {

constexpr std::pair<const char*, const char*> kSettings[] = {
    {"threads", "1"},
    {"temp_directory", ""},
    {"autoload_known_extensions", "false"},
    {"autoinstall_known_extensions", "false"},
    {"preserve_insertion_order", "true"},
};

}  // namespace

Status OpenWriterDatabase(duckdb_database* database, duckdb_connection* connection) {
  *database = nullptr;
  *connection = nullptr;
  duckdb_config config = nullptr;
  if (duckdb_create_config(&config) == DuckDBError) return InternalError("DuckDB: cannot create a config");
  for (const auto& [name, value] : kSettings) {
    if (duckdb_set_config(config, name, value) == DuckDBError) {
      duckdb_destroy_config(&config);
      return InternalError(std::string("DuckDB: cannot set ") + name);
    }
  }
  char* open_error = nullptr;
  const duckdb_state opened = duckdb_open_ext(nullptr, database, config, &open_error);
  duckdb_destroy_config(&config);
  if (opened == DuckDBError) {
    std::string message = "DuckDB: cannot open an in-memory database: ";
    message += open_error != nullptr ? open_error : "unknown error";
    duckdb_free(open_error);
    *database = nullptr;
    return InternalError(std::move(message));
  }
  if (duckdb_connect(*database, connection) == DuckDBError) {
    *connection = nullptr;
    duckdb_close(database);
    *database = nullptr;
    return InternalError("DuckDB: cannot connect to the in-memory database");
  }
  return Status::Ok();
}

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

}  // namespace ridesweep::store::parquet_internal
