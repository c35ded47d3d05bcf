// PointCollector is the SimObserver that keeps a point's rows in memory for the dataset writers: every
// snapshot row, the completed-trip records and the final trip table. One collector per run; not thread-safe.
#ifndef RIDESWEEP_SIM_POINT_COLLECTOR_H_
#define RIDESWEEP_SIM_POINT_COLLECTOR_H_

#include <vector>

#include "ridesweep/sim/observer.h"

namespace ridesweep::sim {

class PointCollector : public SimObserver {
 public:
  void OnSnapshot(const SnapshotRow& row) override { snapshots_.push_back(row); }
  void OnTripCompleted(const CompletedTripRecord& record) override { completed_.push_back(record); }
  void OnTripTable(std::span<const TripRow> rows) override { trips_.assign(rows.begin(), rows.end()); }

  const std::vector<SnapshotRow>& snapshots() const { return snapshots_; }
  const std::vector<CompletedTripRecord>& completed() const { return completed_; }
  const std::vector<TripRow>& trips() const { return trips_; }
  void Clear() {
    snapshots_.clear();
    completed_.clear();
    trips_.clear();
  }

 private:
  std::vector<SnapshotRow> snapshots_;
  std::vector<CompletedTripRecord> completed_;
  std::vector<TripRow> trips_;
};

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_POINT_COLLECTOR_H_
