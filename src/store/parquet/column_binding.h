// How one struct field becomes one DuckDB column: a ParquetColumn (name, type, nullability) plus a function that
// copies the field of `count` consecutive rows into a DuckDB output vector. Types and nullability are deduced
// from the member pointer (int64_t → BIGINT, int8_t → TINYINT, double → DOUBLE, bool → BOOLEAN, std::string →
// VARCHAR, std::string_view → VARCHAR for row views over bytes held elsewhere; std::optional<…> → nullable), so a
// table of bindings is the whole schema of a dataset. Private to the store layer; compiled against duckdb.h.
#ifndef RIDESWEEP_STORE_PARQUET_COLUMN_BINDING_H_
#define RIDESWEEP_STORE_PARQUET_COLUMN_BINDING_H_

#include <duckdb.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "ridesweep/store/parquet_schema.h"

namespace ridesweep::store::parquet_internal {

// Copies field values of rows [first_row, first_row + count) into `out` at [out_offset, out_offset + count)
// (capacity ≥ out_offset + count); the other entries of `out` are left as they are.
using FillFn = void (*)(const void* first_row, idx_t count, duckdb_vector out, idx_t out_offset);

struct ColumnBinding {
  ParquetColumn column;
  FillFn fill;
};

template <typename>
struct MemberTraits;
template <typename R, typename T>
struct MemberTraits<T R::*> {
  using Row = R;
  using Value = T;
};

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <typename T>
constexpr ColumnType ColumnTypeOf() {
  if constexpr (IsOptional<T>::value) {
    return ColumnTypeOf<typename T::value_type>();
  } else if constexpr (std::is_same_v<T, int64_t>) {
    return ColumnType::kBigint;
  } else if constexpr (std::is_same_v<T, int8_t>) {
    return ColumnType::kTinyint;
  } else if constexpr (std::is_same_v<T, double>) {
    return ColumnType::kDouble;
  } else if constexpr (std::is_same_v<T, bool>) {
    return ColumnType::kBoolean;
  } else {
    static_assert(std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>,
                  "no Parquet column type for this field type");
    return ColumnType::kVarchar;
  }
}

template <typename T>
constexpr bool kIsString = std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>;

template <typename T>
inline void SetValue(duckdb_vector out, T* data, idx_t index, const T& value) {
  if constexpr (kIsString<T>) {
    duckdb_vector_assign_string_element_len(out, index, value.data(), value.size());
  } else {
    data[index] = value;
  }
}

template <auto kMember>
void FillColumn(const void* first_row, idx_t count, duckdb_vector out, idx_t out_offset) {
  using Row = typename MemberTraits<decltype(kMember)>::Row;
  using Value = typename MemberTraits<decltype(kMember)>::Value;
  const Row* rows = static_cast<const Row*>(first_row);
  if constexpr (IsOptional<Value>::value) {
    using Inner = typename Value::value_type;
    Inner* data = nullptr;
    if constexpr (!kIsString<Inner>) data = static_cast<Inner*>(duckdb_vector_get_data(out));
    duckdb_vector_ensure_validity_writable(out);
    uint64_t* validity = duckdb_vector_get_validity(out);
    for (idx_t i = 0; i < count; ++i) {
      const Value& value = rows[i].*kMember;
      duckdb_validity_set_row_validity(validity, out_offset + i, value.has_value());
      // NULL slots still get a fixed value, so nothing stale from an earlier chunk can reach the writer.
      SetValue<Inner>(out, data, out_offset + i, value.has_value() ? *value : Inner{});
    }
  } else {
    Value* data = nullptr;
    if constexpr (!kIsString<Value>) data = static_cast<Value*>(duckdb_vector_get_data(out));
    for (idx_t i = 0; i < count; ++i) SetValue<Value>(out, data, out_offset + i, rows[i].*kMember);
  }
}

// Col<&Row::field>("field"): the binding of one field.
template <auto kMember>
constexpr ColumnBinding Col(std::string_view name) {
  using Value = typename MemberTraits<decltype(kMember)>::Value;
  return ColumnBinding{ParquetColumn{name, ColumnTypeOf<Value>(), IsOptional<Value>::value}, &FillColumn<kMember>};
}

// The schema part of a binding table.
template <size_t N>
constexpr std::array<ParquetColumn, N> SchemaOf(const std::array<ColumnBinding, N>& bindings) {
  std::array<ParquetColumn, N> columns{};
  for (size_t i = 0; i < N; ++i) columns[i] = bindings[i].column;
  return columns;
}

// Everything the encoder needs to know about one dataset.
struct DatasetBinding {
  sweep::Dataset dataset;
  std::span<const ColumnBinding> columns;
  std::span<const ParquetColumn> schema;
  size_t row_size;  // sizeof the row struct: the stride between consecutive rows.
};

// REQUIRES: a valid Dataset enumerator.
const DatasetBinding& BindingFor(sweep::Dataset dataset);

}  // namespace ridesweep::store::parquet_internal

#endif  // RIDESWEEP_STORE_PARQUET_COLUMN_BINDING_H_
