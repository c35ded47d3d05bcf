// Optimal rectangular assignment for batch matching (spec/simulation.md §7.4): maximise the number of feasible
// pairs first, then the total integer weight. Shortest-augmenting-path Hungarian method, O(rows^2 * cols) with
// rows = the smaller side. Deterministic for a given input order. Reuses its buffers between calls; one solver per
// simulation, not thread-safe.
#ifndef RIDESWEEP_SIM_MODEL_ASSIGNMENT_H_
#define RIDESWEEP_SIM_MODEL_ASSIGNMENT_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace ridesweep::sim {

struct WeightedEdge {
  uint32_t left;   // Index in [0, n_left).
  uint32_t right;  // Index in [0, n_right).
  int64_t weight;  // w = trunc(score * 10^6); |w| must stay below 2^40.
};

class AssignmentSolver {
 public:
  // Appends the (left, right) pairs of an optimal assignment restricted to feasible edges. Edges absent from
  // `edges` are infeasible (weight M = -(2 * rows * W + 1)), which makes the feasible count the first objective.
  void Solve(uint32_t n_left, uint32_t n_right, std::span<const WeightedEdge> edges,
             std::vector<std::pair<uint32_t, uint32_t>>* out);

 private:
  std::vector<int64_t> cost_;
  std::vector<uint8_t> feasible_;
  std::vector<int64_t> u_, v_, minv_;
  std::vector<uint32_t> p_, way_;
  std::vector<uint8_t> used_;
};

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_MODEL_ASSIGNMENT_H_
