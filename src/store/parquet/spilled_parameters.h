// How a shard spill stores one effective_parameters row (sweep::EffectiveParametersRow, variable-sized because of
// its strings): a fixed header (the four BIGINT columns, then the five strings' byte lengths), followed by the five
// strings' bytes back to back in column order, unterminated, so any byte (NUL included) round-trips. A record is
// written with one gathered write from the row's own strings and read back as a SpilledParametersView whose
// string_views point into the mapped file; neither side copies the strings. Private to the store layer.
#ifndef RIDESWEEP_STORE_PARQUET_SPILLED_PARAMETERS_H_
#define RIDESWEEP_STORE_PARQUET_SPILLED_PARAMETERS_H_

#include <sys/uio.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "parquet/column_binding.h"
#include "ridesweep/sweep/records.h"

namespace ridesweep::store::parquet_internal {

struct SpilledParametersHeader {
  int64_t shard_id = 0;
  int64_t point_index = 0;
  int64_t config_index = 0;
  int64_t replicate = 0;
  // run_id, status, record_schema, parameter_fingerprint, effective_parameters_json.
  std::array<uint64_t, 5> string_sizes{};
};

// One record read back. Members in the dataset's column order (dataset_bindings.cc checks the schema).
struct SpilledParametersView {
  std::string_view run_id;
  int64_t shard_id = 0;
  int64_t point_index = 0;
  std::string_view status;
  std::string_view record_schema;
  std::string_view parameter_fingerprint;
  std::string_view effective_parameters_json;
  int64_t config_index = 0;
  int64_t replicate = 0;
};

// The record of `row` as the parts of one gathered write: `header` (filled here) then the five strings. The caller
// keeps `row` and `header` alive until the parts are written.
std::array<iovec, 6> SpilledParametersParts(const sweep::EffectiveParametersRow& row, SpilledParametersHeader& header);

// Reads the record that starts `bytes` into `view`. Returns its size, or 0 when `bytes` ends inside it.
size_t ReadSpilledParameters(std::span<const std::byte> bytes, SpilledParametersView& view);

// effective_parameters' columns read from SpilledParametersView rows (row_size = sizeof(SpilledParametersView)).
const DatasetBinding& SpilledParametersBinding();

}  // namespace ridesweep::store::parquet_internal

#endif  // RIDESWEEP_STORE_PARQUET_SPILLED_PARAMETERS_H_
