// Point cost estimate for scheduling (see point_cost.h).
#include "ridesweep/sweep/point_cost.h"

#include <limits>
#include <vector>

#include "ridesweep/sweep/dimension_mapping.h"
#include "ridesweep/sweep/grid.h"
#include "ridesweep/sweep/point_resolution.h"

namespace ridesweep::sweep {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return a > kMax - b ? kMax : a + b; }
uint64_t SaturatingMul(uint64_t a, uint64_t b) { return b != 0 && a > kMax / b ? kMax : a * b; }

}  // namespace

uint64_t EstimatePointCost(const sim::SimParams& params) {
  const uint64_t riders = params.num_riders;
  const uint64_t drivers = params.num_drivers;
  return SaturatingAdd(SaturatingMul(riders, drivers), SaturatingAdd(riders, drivers));
}

uint64_t EstimatePointCost(const Dimensions& dimensions, uint64_t point_index, uint64_t replications,
                           const Design& design, int64_t request_seed) {
  Result<std::vector<JsonValue>> values = ConfigurationValues(
      dimensions, request_seed, SplitPointIndex(point_index, replications).config_index, design);
  if (!values.ok()) return 0;
  sim::SimParams params;
  for (size_t i = 0; i < dimensions.size(); ++i) {
    if (!ApplyDimensionValue(dimensions[i].name, (*values)[i], &params).ok()) return 0;
  }
  return EstimatePointCost(params);
}

}  // namespace ridesweep::sweep
