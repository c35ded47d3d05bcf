// Batch matching algorithms and the pair score (spec/simulation.md §7.2-§7.4).
#include "model/matching.h"

#include <algorithm>
#include <cmath>

namespace ridesweep::sim {
namespace {

constexpr double kWeightScale = 1e6;
constexpr double kMaxAbsWeight = 1099511627776.0;  // 2^40: keeps the Hungarian's integer sums far from overflow.

int64_t ScaledWeight(double score) {
  const double w = std::trunc(score * kWeightScale);
  return static_cast<int64_t>(std::clamp(w, -kMaxAbsWeight, kMaxAbsWeight));
}

uint32_t Find(std::vector<uint32_t>& parent, uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

}  // namespace

double PairScore(double km, uint64_t eta_ms, double eta_weight, uint64_t wait_ms) {
  const double eta_s = static_cast<double>(eta_ms) / 1000.0;
  const double wait_s = static_cast<double>(wait_ms) / 1000.0;
  return -km - eta_weight * (eta_s - wait_s);
}

bool BatchMatcher::TakeRider(uint32_t rider) {
  if (rider_mark_.size() <= rider) rider_mark_.resize(static_cast<size_t>(rider) + 1, 0);
  if (rider_mark_[rider] == stamp_) return false;
  rider_mark_[rider] = stamp_;
  return true;
}

bool BatchMatcher::TakeDriver(uint32_t driver) {
  if (driver_mark_.size() <= driver) driver_mark_.resize(static_cast<size_t>(driver) + 1, 0);
  if (driver_mark_[driver] == stamp_) return false;
  driver_mark_[driver] = stamp_;
  return true;
}

void BatchMatcher::Match(MatchingAlgorithm algorithm, size_t riders_considered, size_t drivers_considered,
                         std::vector<CandidatePair>* pairs, std::vector<std::pair<uint32_t, uint32_t>>* out) {
  out->clear();
  if (pairs->empty()) return;
  ++stamp_;
  switch (algorithm) {
    case MatchingAlgorithm::kSimple:
      Simple(pairs, out);
      break;
    case MatchingAlgorithm::kCostBased:
      Greedy(pairs, out);
      break;
    case MatchingAlgorithm::kHungarian:
      if (riders_considered <= 10 && drivers_considered <= 20) {
        Greedy(pairs, out);
      } else {
        Optimal(pairs, out);
      }
      break;
  }
  std::sort(out->begin(), out->end());
}

void BatchMatcher::Simple(std::vector<CandidatePair>* pairs, std::vector<std::pair<uint32_t, uint32_t>>* out) {
  std::sort(pairs->begin(), pairs->end(), [](const CandidatePair& a, const CandidatePair& b) {
    return a.rider != b.rider ? a.rider < b.rider : a.driver < b.driver;
  });
  for (size_t i = 0; i < pairs->size();) {
    const uint32_t rider = (*pairs)[i].rider;
    bool matched = false;
    for (; i < pairs->size() && (*pairs)[i].rider == rider; ++i) {
      if (!matched && TakeDriver((*pairs)[i].driver)) {
        out->emplace_back(rider, (*pairs)[i].driver);
        matched = true;
      }
    }
  }
}

void BatchMatcher::Greedy(std::vector<CandidatePair>* pairs, std::vector<std::pair<uint32_t, uint32_t>>* out) {
  std::sort(pairs->begin(), pairs->end(), [](const CandidatePair& a, const CandidatePair& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.rider != b.rider ? a.rider < b.rider : a.driver < b.driver;
  });
  for (const CandidatePair& p : *pairs) {
    if (rider_mark_.size() > p.rider && rider_mark_[p.rider] == stamp_) continue;
    if (driver_mark_.size() > p.driver && driver_mark_[p.driver] == stamp_) continue;
    (void)TakeRider(p.rider);
    (void)TakeDriver(p.driver);
    out->emplace_back(p.rider, p.driver);
  }
}

void BatchMatcher::Optimal(std::vector<CandidatePair>* pairs, std::vector<std::pair<uint32_t, uint32_t>>* out) {
  // Compact ids: left = distinct riders ascending, right = distinct drivers ascending.
  std::sort(pairs->begin(), pairs->end(), [](const CandidatePair& a, const CandidatePair& b) {
    return a.rider != b.rider ? a.rider < b.rider : a.driver < b.driver;
  });
  left_ids_.clear();
  right_ids_.clear();
  for (const CandidatePair& p : *pairs) {
    if (left_ids_.empty() || left_ids_.back() != p.rider) left_ids_.push_back(p.rider);
    right_ids_.push_back(p.driver);
  }
  std::sort(right_ids_.begin(), right_ids_.end());
  right_ids_.erase(std::unique(right_ids_.begin(), right_ids_.end()), right_ids_.end());
  const uint32_t n_left = static_cast<uint32_t>(left_ids_.size());
  const uint32_t n_nodes = n_left + static_cast<uint32_t>(right_ids_.size());
  // Each pair's compact nodes, found once: riders by position (pairs are sorted by rider), drivers by search.
  pair_left_.resize(pairs->size());
  pair_right_.resize(pairs->size());
  for (uint32_t i = 0, left = 0; i < pairs->size(); ++i) {
    if ((*pairs)[i].rider != left_ids_[left]) ++left;
    pair_left_[i] = left;
    pair_right_[i] = n_left + static_cast<uint32_t>(std::lower_bound(right_ids_.begin(), right_ids_.end(),
                                                                     (*pairs)[i].driver) - right_ids_.begin());
  }

  // Connected components of the feasibility graph; nodes [0, n_left) riders, then drivers.
  parent_.resize(n_nodes);
  for (uint32_t i = 0; i < n_nodes; ++i) parent_[i] = i;
  for (uint32_t i = 0; i < pairs->size(); ++i) {
    const uint32_t a = Find(parent_, pair_left_[i]);
    const uint32_t b = Find(parent_, pair_right_[i]);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);  // The root is the component's smallest node.
  }

  // Group nodes and edges by component (root = the component's smallest node, always a rider), then solve
  // each component with local indices in ascending global order. Both groupings are stable counting sorts by
  // root: within a component, nodes and edges keep their ascending order.
  root_of_.resize(n_nodes);
  for (uint32_t node = 0; node < n_nodes; ++node) root_of_[node] = Find(parent_, node);
  const auto group_by_root = [&](uint32_t count, auto root_of_item, std::vector<uint32_t>* order) {
    bucket_.assign(n_nodes + 1, 0);
    for (uint32_t i = 0; i < count; ++i) ++bucket_[root_of_item(i) + 1];
    for (uint32_t r = 0; r < n_nodes; ++r) bucket_[r + 1] += bucket_[r];
    order->resize(count);
    for (uint32_t i = 0; i < count; ++i) (*order)[bucket_[root_of_item(i)]++] = i;
  };
  group_by_root(n_nodes, [&](uint32_t node) { return root_of_[node]; }, &nodes_);
  group_by_root(static_cast<uint32_t>(pairs->size()), [&](uint32_t edge) { return root_of_[pair_left_[edge]]; },
                &edge_order_);
  local_.assign(n_nodes, 0);
  size_t node_at = 0;
  size_t edge_at = 0;
  while (node_at < nodes_.size()) {
    const uint32_t root = root_of_[nodes_[node_at]];
    left_global_.clear();
    right_global_.clear();
    for (; node_at < nodes_.size() && root_of_[nodes_[node_at]] == root; ++node_at) {
      const uint32_t node = nodes_[node_at];
      if (node < n_left) {
        local_[node] = static_cast<uint32_t>(left_global_.size());
        left_global_.push_back(left_ids_[node]);
      } else {
        local_[node] = static_cast<uint32_t>(right_global_.size());
        right_global_.push_back(right_ids_[node - n_left]);
      }
    }
    edges_.clear();
    for (; edge_at < edge_order_.size(); ++edge_at) {
      const uint32_t edge = edge_order_[edge_at];
      if (root_of_[pair_left_[edge]] != root) break;
      edges_.push_back({local_[pair_left_[edge]], local_[pair_right_[edge]], ScaledWeight((*pairs)[edge].score)});
    }
    solved_.clear();
    solver_.Solve(static_cast<uint32_t>(left_global_.size()), static_cast<uint32_t>(right_global_.size()), edges_,
                  &solved_);
    for (const auto& [l, r] : solved_) out->emplace_back(left_global_[l], right_global_[r]);
  }
}

}  // namespace ridesweep::sim
