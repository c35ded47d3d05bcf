// Hungarian method (shortest augmenting paths with potentials) on a dense cost matrix.
#include "model/assignment.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace ridesweep::sim {

void AssignmentSolver::Solve(uint32_t n_left, uint32_t n_right, std::span<const WeightedEdge> edges,
                             std::vector<std::pair<uint32_t, uint32_t>>* out) {
  if (n_left == 0 || n_right == 0 || edges.empty()) return;
  const bool transpose = n_left > n_right;  // Rows are the smaller side.
  const size_t rows = transpose ? n_right : n_left;
  const size_t cols = transpose ? n_left : n_right;

  int64_t max_abs = 1;
  for (const WeightedEdge& e : edges) max_abs = std::max<int64_t>(max_abs, e.weight < 0 ? -e.weight : e.weight);
  const int64_t infeasible_weight = -(2 * static_cast<int64_t>(rows) * max_abs + 1);

  // Minimise cost = -weight.
  cost_.assign(rows * cols, -infeasible_weight);
  feasible_.assign(rows * cols, 0);
  for (const WeightedEdge& e : edges) {
    const size_t r = transpose ? e.right : e.left;
    const size_t c = transpose ? e.left : e.right;
    cost_[r * cols + c] = -e.weight;
    feasible_[r * cols + c] = 1;
  }

  // 1-based potentials; p_[j] = row matched to column j (0 = none).
  constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;
  u_.assign(rows + 1, 0);
  v_.assign(cols + 1, 0);
  p_.assign(cols + 1, 0);
  way_.assign(cols + 1, 0);
  for (size_t i = 1; i <= rows; ++i) {
    p_[0] = static_cast<uint32_t>(i);
    size_t j0 = 0;
    minv_.assign(cols + 1, kInf);
    used_.assign(cols + 1, 0);
    do {
      used_[j0] = 1;
      const size_t i0 = p_[j0];
      int64_t delta = kInf;
      size_t j1 = 0;
      for (size_t j = 1; j <= cols; ++j) {
        if (used_[j]) continue;
        const int64_t cur = cost_[(i0 - 1) * cols + (j - 1)] - u_[i0] - v_[j];
        if (cur < minv_[j]) {
          minv_[j] = cur;
          way_[j] = static_cast<uint32_t>(j0);
        }
        if (minv_[j] < delta) {
          delta = minv_[j];
          j1 = j;
        }
      }
      for (size_t j = 0; j <= cols; ++j) {
        if (used_[j]) {
          u_[p_[j]] += delta;
          v_[j] -= delta;
        } else {
          minv_[j] -= delta;
        }
      }
      j0 = j1;
    } while (p_[j0] != 0);
    do {
      const size_t j1 = way_[j0];
      p_[j0] = p_[j1];
      j0 = j1;
    } while (j0 != 0);
  }

  for (size_t j = 1; j <= cols; ++j) {
    if (p_[j] == 0) continue;
    const size_t r = p_[j] - 1;
    const size_t c = j - 1;
    if (!feasible_[r * cols + c]) continue;
    if (transpose) {
      out->emplace_back(static_cast<uint32_t>(c), static_cast<uint32_t>(r));
    } else {
      out->emplace_back(static_cast<uint32_t>(r), static_cast<uint32_t>(c));
    }
  }
}

}  // namespace ridesweep::sim
