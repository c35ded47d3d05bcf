// Run footprint per layout; see run_footprint.h.
#include "ridesweep/local/run_footprint.h"

#include <algorithm>
#include <cmath>

namespace ridesweep::local {
namespace {

constexpr std::string_view kMagic = "PAR1";

uint64_t Rounded(double value) { return value <= 0 ? 0 : static_cast<uint64_t>(std::llround(value)); }

}  // namespace

uint64_t ParquetFixedBytes(std::string_view file) {
  if (file.size() < 12 || !file.starts_with(kMagic) || !file.ends_with(kMagic)) return 0;
  const auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<unsigned char>(file[i])); };
  const size_t at = file.size() - 8;
  const uint64_t footer = byte(at) | (byte(at + 1) << 8) | (byte(at + 2) << 16) | (byte(at + 3) << 24);
  return std::min<uint64_t>(file.size(), footer + 12);
}

RunFootprint PerPointFootprint(uint64_t points, uint64_t shards, const PointObjectSizes& sizes, uint64_t other_bytes) {
  double bytes = 0;
  for (size_t d = 0; d < kPointDatasets; ++d) bytes += static_cast<double>(points) * sizes.bytes[d];
  return {kPointDatasets * points + shards + 2, Rounded(bytes) + other_bytes};
}

RunFootprint PerShardFootprint(uint64_t points, uint64_t shards, const PointObjectSizes& sizes, uint64_t other_bytes) {
  double bytes = 0;
  for (size_t d = 0; d < kPointDatasets; ++d) {
    const double data = std::max(0.0, sizes.bytes[d] - sizes.fixed_bytes[d]);
    bytes += static_cast<double>(points) * data + static_cast<double>(shards) * sizes.fixed_bytes[d];
  }
  return {kPointDatasets * shards + shards + 2, Rounded(bytes) + other_bytes};
}

}  // namespace ridesweep::local
