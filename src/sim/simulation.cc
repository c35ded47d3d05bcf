// RunSimulation: validate, build the engine, run, check the invariants (debug builds), report.
#include "ridesweep/sim/simulation.h"

#include "engine/engine.h"

namespace ridesweep::sim {

Result<SimOutput> RunSimulation(const SimParams& params, SimObserver* observer, const RunControl& control) {
  RIDESWEEP_RETURN_IF_ERROR(ValidateSimParams(params));
  Engine engine(params, observer);
  engine.ScheduleStart();
  RIDESWEEP_RETURN_IF_ERROR(engine.Run(control.cancel, control.check_invariants_each_event, control.should_stop));
#ifndef NDEBUG
  RIDESWEEP_RETURN_IF_ERROR(engine.CheckInvariants());
#endif
  SimOutput out;
  out.metrics = engine.Finish();
  out.stats = engine.stats();
  return out;
}

}  // namespace ridesweep::sim
