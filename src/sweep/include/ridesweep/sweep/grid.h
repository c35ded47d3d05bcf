// The parameter grid (spec/sweep.md §3.1–§3.2): a global point_index is a mixed-radix number over the
// dimensions sorted by name, the last name being the fastest digit; each point's engine seed is the request seed
// (as u64) XOR point_index. Keys and rows always use the global index. Pure functions.
#ifndef RIDESWEEP_SWEEP_GRID_H_
#define RIDESWEEP_SWEEP_GRID_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ridesweep/base/result.h"
#include "ridesweep/sweep/dimensions.h"

namespace ridesweep::sweep {

// Value index per dimension (same order as `dimensions`). InvalidArgument `Index exceeds dimension product` when
// point_index >= the product; InvalidArgument `Dimension '<name>' cannot be empty` for an empty value list.
Result<std::vector<size_t>> PointValueIndices(const Dimensions& dimensions, uint64_t point_index);

// With replications, point_index enumerates (configuration, replicate) pairs with the replicate fastest: point p
// is replicate p % replications of configuration p / replications, and the configuration index is the mixed-radix
// number above. One replication (the default) makes config_index == point_index.
struct PointCoordinates {
  uint64_t config_index = 0;
  uint64_t replicate = 0;
};
constexpr PointCoordinates SplitPointIndex(uint64_t point_index, uint64_t replications) {
  return replications <= 1 ? PointCoordinates{point_index, 0}
                           : PointCoordinates{point_index / replications, point_index % replications};
}

// (u64)request_seed XOR point_index, two's complement: seed -1 at point 0 gives 18446744073709551615.
constexpr uint64_t PointSeed(int64_t request_seed, uint64_t point_index) {
  return static_cast<uint64_t>(request_seed) ^ point_index;
}

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_GRID_H_
