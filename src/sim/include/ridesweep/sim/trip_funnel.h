// The trip funnel validator (spec/simulation.md §16.1 U17): checks the timestamps of one trip_data row against
// its state. Used by the invariant checker and by tests of exported rows.
#ifndef RIDESWEEP_SIM_TRIP_FUNNEL_H_
#define RIDESWEEP_SIM_TRIP_FUNNEL_H_

#include "ridesweep/base/status.h"
#include "ridesweep/sim/records.h"

namespace ridesweep::sim {

// OK, or FailedPrecondition naming the violated rule.
Status ValidateTripFunnel(const TripRow& row);

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_TRIP_FUNNEL_H_
