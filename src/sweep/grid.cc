// Mixed-radix point enumeration (spec/sweep.md §3.1).
#include "ridesweep/sweep/grid.h"

#include "ridesweep/sweep/errors.h"

namespace ridesweep::sweep {

Result<std::vector<size_t>> PointValueIndices(const Dimensions& dimensions, uint64_t point_index) {
  std::vector<size_t> indices(dimensions.size(), 0);
  uint64_t remainder = point_index;
  for (size_t i = dimensions.size(); i-- > 0;) {
    const uint64_t n = dimensions[i].values.size();
    if (n == 0) return InvalidArgumentError(errors::DimensionCannotBeEmpty(dimensions[i].name));
    indices[i] = static_cast<size_t>(remainder % n);
    remainder /= n;
  }
  if (remainder != 0) return InvalidArgumentError(std::string(errors::kIndexExceedsProduct));
  return indices;
}

}  // namespace ridesweep::sweep
