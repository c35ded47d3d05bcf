// The private in-memory DuckDB database that writes Parquet for the per-point encoder and for the shard spill:
// one thread (the callers' worker threads provide the parallelism), nothing spilled to a temporary directory, no
// extension auto-loading (nothing is fetched or read from ~/.duckdb), insertion order kept. Also the DuckDB type of
// each Parquet column type. Private to the store layer; compiled against duckdb.h.
#ifndef RIDESWEEP_STORE_PARQUET_WRITER_DATABASE_H_
#define RIDESWEEP_STORE_PARQUET_WRITER_DATABASE_H_

#include <duckdb.h>

#include "ridesweep/base/status.h"
#include "ridesweep/store/parquet_schema.h"

namespace ridesweep::store::parquet_internal {

// Opens the database and one connection. On failure kInternal `DuckDB: <what failed>[: <DuckDB's reason>]`, and
// whatever was opened is closed again (both handles null).
Status OpenWriterDatabase(duckdb_database* database, duckdb_connection* connection);

// BIGINT, TINYINT, DOUBLE, VARCHAR or BOOLEAN.
duckdb_type DuckTypeOf(ColumnType type);

}  // namespace ridesweep::store::parquet_internal

#endif  // RIDESWEEP_STORE_PARQUET_WRITER_DATABASE_H_
