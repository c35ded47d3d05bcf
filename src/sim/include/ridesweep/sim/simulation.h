// RunSimulation runs one point of the ride-hailing marketplace model (spec/simulation.md) and returns its
// metrics and run statistics; rows leave through the optional observer. Pure: no I/O, threads or globals,
// so any number of runs may proceed in parallel in one process. Deterministic for given params.
#ifndef RIDESWEEP_SIM_SIMULATION_H_
#define RIDESWEEP_SIM_SIMULATION_H_

#include <atomic>
#include <functional>

#include "ridesweep/base/result.h"
#include "ridesweep/sim/observer.h"
#include "ridesweep/sim/params.h"
#include "ridesweep/sim/records.h"

namespace ridesweep::sim {

struct RunControl {
  // When set and true, the run stops with kCancelled (checked at least every 10,000 events).
  const std::atomic<bool>* cancel = nullptr;
  // When set and it returns true, the run stops with kCancelled (polled at the same points as `cancel`; a
  // deadline check needs no watchdog thread).
  std::function<bool()> should_stop;
  // Checks every invariant of spec/simulation.md §16.4 after every event (tests; slow). Debug builds
  // always check at the end of the run.
  bool check_invariants_each_event = false;
};

struct SimOutput {
  PointMetrics metrics;
  RunStats stats;
};

// Validates params (InvalidArgument with the §14.3 message), then runs to the end time or the step cap.
// Returns kCancelled if control.cancel was raised; an invariant violation is kInternal.
Result<SimOutput> RunSimulation(const SimParams& params, SimObserver* observer = nullptr,
                                const RunControl& control = {});

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_SIMULATION_H_
