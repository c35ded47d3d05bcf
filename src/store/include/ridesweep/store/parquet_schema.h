// The Parquet schemas of the six datasets (spec/sweep.md §10.3–§10.8, docs/formats/parquet_schemas.md) as data:
// column names, DuckDB types and semantic nullability, in file order. ParquetDatasetEncoder writes exactly these;
// other code (DDL checks, docs, readers) may use them. Immutable; thread-safe.
// DO NOT CHANGE names, order or types: Athena's DDL and existing results depend on them.
#ifndef RIDESWEEP_STORE_PARQUET_SCHEMA_H_
#define RIDESWEEP_STORE_PARQUET_SCHEMA_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "ridesweep/sweep/keys.h"

namespace ridesweep::store {

// The DuckDB column types we write; all signed (see §10.2 for the Parquet physical types they become).
enum class ColumnType : uint8_t { kBigint, kTinyint, kDouble, kVarchar, kBoolean };
std::string_view ColumnTypeName(ColumnType type);  // "BIGINT", "TINYINT", "DOUBLE", "VARCHAR", "BOOLEAN"

struct ParquetColumn {
  std::string_view name;
  ColumnType type;
  bool nullable;  // Semantic: may hold NULL. (DuckDB marks every Parquet column OPTIONAL.)
};

// The columns of `dataset`, in file order.
std::span<const ParquetColumn> DatasetColumns(sweep::Dataset dataset);

}  // namespace ridesweep::store

#endif  // RIDESWEEP_STORE_PARQUET_SCHEMA_H_
