// A deterministic estimate of how expensive a grid point is to simulate, for scheduling only: the local executor
// runs the most expensive queued points first so that two threads finish together (longest processing time
// first). The value is a relative rank, not a time; it never affects what a point computes or writes.
// Pure functions; thread-safe.
#ifndef RIDESWEEP_SWEEP_POINT_COST_H_
#define RIDESWEEP_SWEEP_POINT_COST_H_

#include <cstdint>

#include "ridesweep/sim/params.h"
#include "ridesweep/sweep/design.h"
#include "ridesweep/sweep/dimensions.h"

namespace ridesweep::sweep {

// num_riders × num_drivers + num_riders + num_drivers (saturating). Batch matching dominates a point's time and
// grows with waiting riders × idle drivers; the linear terms order points whose other factor is 0 or 1. On the
// benchmark's 200-point grid the estimate ranks the measured simulation times with a Spearman correlation of about
// 0.93 (spec/simulation.md §7; docs/BENCHMARKS.md "Sweep").
uint64_t EstimatePointCost(const sim::SimParams& params);

// The estimate of point `point_index` of `dimensions`: the dimension values applied to the defaults as in
// ResolvePoint, without building the effective-parameters JSON. 0 when the point does not resolve (the worker
// reports that error when it runs the point).
// With a sampling design the configuration's sampled values (which depend on the request seed) are used.
uint64_t EstimatePointCost(const Dimensions& dimensions, uint64_t point_index, uint64_t replications = 1,
                           const Design& design = {}, int64_t request_seed = 0);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_POINT_COST_H_
