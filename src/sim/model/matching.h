// Batch matching algorithms (spec/simulation.md §7.3): given the feasible (rider, driver) pairs of one batch with
// their scores, choose at most one driver per rider and one rider per driver. Simple takes lowest ids first;
// CostBased is a global greedy by score; Hungarian uses the greedy shortcut for small batches and an optimal
// assignment per connected component otherwise. Reuses buffers; one matcher per simulation.
#ifndef RIDESWEEP_SIM_MODEL_MATCHING_H_
#define RIDESWEEP_SIM_MODEL_MATCHING_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "model/assignment.h"
#include "ridesweep/sim/params.h"

namespace ridesweep::sim {

struct CandidatePair {
  uint32_t rider;   // Rider index.
  uint32_t driver;  // Driver index.
  double score;     // §7.2, higher is better.
};

// Pair score: -km - eta_weight * (eta_s - wait_s); eta_ms is the pickup ETA at the speed movement achieves
// (the same ETA quotes show).
double PairScore(double km, uint64_t eta_ms, double eta_weight, uint64_t wait_ms);

class BatchMatcher {
 public:
  // `pairs` may be reordered. `riders_considered` / `drivers_considered` are the batch sizes that decide the
  // Hungarian greedy shortcut (<= 10 riders and <= 20 drivers). Output: (rider, driver) sorted by rider id.
  void Match(MatchingAlgorithm algorithm, size_t riders_considered, size_t drivers_considered,
             std::vector<CandidatePair>* pairs, std::vector<std::pair<uint32_t, uint32_t>>* out);

 private:
  void Simple(std::vector<CandidatePair>* pairs, std::vector<std::pair<uint32_t, uint32_t>>* out);
  void Greedy(std::vector<CandidatePair>* pairs, std::vector<std::pair<uint32_t, uint32_t>>* out);
  void Optimal(std::vector<CandidatePair>* pairs, std::vector<std::pair<uint32_t, uint32_t>>* out);
  bool TakeRider(uint32_t rider);
  bool TakeDriver(uint32_t driver);

  std::vector<uint32_t> rider_mark_, driver_mark_;  // Batch stamp per id: "taken in this batch".
  uint32_t stamp_ = 0;
  AssignmentSolver solver_;
  std::vector<uint32_t> parent_;
  std::vector<WeightedEdge> edges_;
  std::vector<uint32_t> left_ids_, right_ids_;
  // Optimal's scratch, reused across batches: per pair its compact rider and driver node, per node its component
  // root, nodes and edges grouped by component (counting sort), local indices, a component's global ids.
  std::vector<uint32_t> pair_left_, pair_right_, root_of_, nodes_, edge_order_, local_, bucket_;
  std::vector<uint32_t> left_global_, right_global_;
  std::vector<std::pair<uint32_t, uint32_t>> solved_;
};

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_MODEL_MATCHING_H_
