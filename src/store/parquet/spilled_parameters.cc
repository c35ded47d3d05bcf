// The spilled effective_parameters record: header + strings, written gathered and read as views.
#include "parquet/spilled_parameters.h"

#include <cstring>

#include "parquet/spill_file.h"

namespace ridesweep::store::parquet_internal {

std::array<iovec, 6> SpilledParametersParts(const sweep::EffectiveParametersRow& row, SpilledParametersHeader& header) {
  header.shard_id = row.shard_id;
  header.point_index = row.point_index;
  header.config_index = row.config_index;
  header.replicate = row.replicate;
  const std::array<const std::string*, 5> strings = {&row.run_id, &row.status, &row.record_schema,
                                                     &row.parameter_fingerprint, &row.effective_parameters_json};
  std::array<iovec, 6> parts{};
  parts[0] = WritePart(&header, sizeof(header));
  for (size_t i = 0; i < strings.size(); ++i) {
    header.string_sizes[i] = strings[i]->size();
    parts[i + 1] = WritePart(strings[i]->data(), strings[i]->size());
  }
  return parts;
}

size_t ReadSpilledParameters(std::span<const std::byte> bytes, SpilledParametersView& view) {
  SpilledParametersHeader header;
  if (bytes.size() < sizeof(header)) return 0;
  std::memcpy(&header, bytes.data(), sizeof(header));  // records are not aligned
  size_t at = sizeof(header);
  std::array<std::string_view, 5> strings;
  for (size_t i = 0; i < strings.size(); ++i) {
    const uint64_t size = header.string_sizes[i];
    if (size > bytes.size() - at) return 0;
    strings[i] = std::string_view(reinterpret_cast<const char*>(bytes.data() + at), static_cast<size_t>(size));
    at += static_cast<size_t>(size);
  }
  view.run_id = strings[0];
  view.shard_id = header.shard_id;
  view.point_index = header.point_index;
  view.status = strings[1];
  view.record_schema = strings[2];
  view.parameter_fingerprint = strings[3];
  view.effective_parameters_json = strings[4];
  view.config_index = header.config_index;
  view.replicate = header.replicate;
  return at;
}

}  // namespace ridesweep::store::parquet_internal
