// SimObserver is how telemetry leaves a run: the engine calls it synchronously from the run loop, on the
// thread that runs the simulation. The engine keeps no file, socket or global; an observer may collect rows
// (PointCollector) or hash an event log (golden tests). Callbacks must not throw.
#ifndef RIDESWEEP_SIM_OBSERVER_H_
#define RIDESWEEP_SIM_OBSERVER_H_

#include <cstdint>
#include <span>

#include "ridesweep/sim/records.h"

namespace ridesweep::sim {

// One processed event, as seen by the run loop (subject is the entity index, or UINT32_MAX for none).
struct EventTrace {
  uint64_t timestamp_ms;
  uint8_t kind;
  uint32_t subject;
  uint32_t token;
  uint64_t seq;
  bool stale;
};

class SimObserver {
 public:
  virtual ~SimObserver() = default;
  virtual void OnSnapshot(const SnapshotRow& row) = 0;
  virtual void OnTripCompleted(const CompletedTripRecord& record) = 0;
  // Called once at the stop with every trip ever created, in its final state, ascending trip_entity.
  virtual void OnTripTable(std::span<const TripRow> rows) = 0;
  // Event tracing is opt-in because it costs a virtual call per event.
  virtual bool WantsEventTrace() const { return false; }
  virtual void OnEvent(const EventTrace& /*event*/) {}
  // Driver logit decisions (probability and outcome), for calibration checks. Opt-in like event tracing.
  virtual bool WantsDecisionTrace() const { return false; }
  virtual void OnDriverDecision(double /*probability*/, bool /*accepted*/) {}
};

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_OBSERVER_H_
