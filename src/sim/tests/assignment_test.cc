// U18 (optimal assignment against brute force) of spec/simulation.md §16.1, and the §7.3-§7.4 batch matcher
// (Simple, global greedy, the Hungarian shortcut and the per-component optimal path).
#include "model/assignment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "model/matching.h"
#include "random/rng.h"

namespace ridesweep::sim {
namespace {

struct Objective {
  int count = 0;
  int64_t weight = 0;
  friend bool operator==(const Objective&, const Objective&) = default;
  bool operator<(const Objective& o) const { return count != o.count ? count < o.count : weight < o.weight; }
};

// Brute force by DP over (left index, mask of used right nodes): the most feasible pairs, then the largest Σw.
Objective BruteForce(uint32_t n_left, uint32_t n_right, const std::vector<WeightedEdge>& edges) {
  std::vector<std::vector<std::optional<int64_t>>> w(n_left, std::vector<std::optional<int64_t>>(n_right));
  for (const WeightedEdge& e : edges) w[e.left][e.right] = e.weight;
  const uint32_t masks = 1u << n_right;
  std::vector<Objective> best(masks), next(masks);
  std::vector<bool> reachable(masks, false), next_reachable(masks, false);
  reachable[0] = true;
  for (uint32_t i = 0; i < n_left; ++i) {
    std::fill(next_reachable.begin(), next_reachable.end(), false);
    for (uint32_t m = 0; m < masks; ++m) {
      if (!reachable[m]) continue;
      const auto relax = [&](uint32_t to, Objective o) {
        if (!next_reachable[to] || next[to] < o) next[to] = o;
        next_reachable[to] = true;
      };
      relax(m, best[m]);  // Left i stays unmatched.
      for (uint32_t j = 0; j < n_right; ++j) {
        if ((m >> j) & 1u || !w[i][j]) continue;
        relax(m | (1u << j), {best[m].count + 1, best[m].weight + *w[i][j]});
      }
    }
    best.swap(next);
    reachable.swap(next_reachable);
  }
  Objective out;
  for (uint32_t m = 0; m < masks; ++m) {
    if (reachable[m] && out < best[m]) out = best[m];
  }
  return out;
}

// Validates a solution (a matching over feasible edges) and returns its objective.
Objective Evaluate(uint32_t n_left, uint32_t n_right, const std::vector<WeightedEdge>& edges,
                   const std::vector<std::pair<uint32_t, uint32_t>>& solution) {
  std::set<uint32_t> lefts, rights;
  Objective o;
  for (const auto& [l, r] : solution) {
    EXPECT_LT(l, n_left);
    EXPECT_LT(r, n_right);
    EXPECT_TRUE(lefts.insert(l).second) << "left " << l << " used twice";
    EXPECT_TRUE(rights.insert(r).second) << "right " << r << " used twice";
    const auto it = std::find_if(edges.begin(), edges.end(),
                                 [&](const WeightedEdge& e) { return e.left == l && e.right == r; });
    EXPECT_NE(it, edges.end()) << "infeasible pair (" << l << ", " << r << ")";
    if (it == edges.end()) continue;
    ++o.count;
    o.weight += it->weight;
  }
  return o;
}

Xoshiro256 TestRng() { return StreamKeys(2024).Stream(StreamPurpose::kSpeed, 18); }

TEST(AssignmentSolverTest, MatchesBruteForceOn500RandomInstancesU18) {
  Xoshiro256 rng = TestRng();
  AssignmentSolver solver;  // Reused across instances, as in a run.
  int nontrivial = 0;
  for (int instance = 0; instance < 500; ++instance) {
    const uint32_t n_left = static_cast<uint32_t>(UniformInt(rng, 0, 6));
    const uint32_t n_right = static_cast<uint32_t>(UniformInt(rng, 0, 8));
    const double density = U01(rng);
    // Narrow weight ranges produce ties; wide ones include large negative weights.
    const int64_t spread = UniformInt(rng, 0, 1) == 0 ? 3 : 50'000'000;
    std::vector<WeightedEdge> edges;
    for (uint32_t l = 0; l < n_left; ++l) {
      for (uint32_t r = 0; r < n_right; ++r) {
        if (U01(rng) < density) {
          const int64_t w = static_cast<int64_t>(UniformInt(rng, 0, static_cast<uint64_t>(2 * spread))) - spread;
          edges.push_back({l, r, w});
        }
      }
    }
    // Transposed instances exercise both row orientations.
    std::vector<std::pair<uint32_t, uint32_t>> solution;
    solver.Solve(n_left, n_right, edges, &solution);
    const Objective expected = BruteForce(n_left, n_right, edges);
    const Objective got = Evaluate(n_left, n_right, edges, solution);
    ASSERT_EQ(got.count, expected.count) << "instance " << instance;
    ASSERT_EQ(got.weight, expected.weight) << "instance " << instance;
    nontrivial += expected.count >= 2 ? 1 : 0;

    std::vector<WeightedEdge> flipped;
    for (const WeightedEdge& e : edges) flipped.push_back({e.right, e.left, e.weight});
    std::vector<std::pair<uint32_t, uint32_t>> flipped_solution;
    solver.Solve(n_right, n_left, flipped, &flipped_solution);
    const Objective flipped_got = Evaluate(n_right, n_left, flipped, flipped_solution);
    ASSERT_EQ(flipped_got, expected) << "transposed instance " << instance;

    // Deterministic for a given input order.
    std::vector<std::pair<uint32_t, uint32_t>> again;
    solver.Solve(n_left, n_right, edges, &again);
    ASSERT_EQ(again, solution);
  }
  EXPECT_GT(nontrivial, 100);
}

TEST(AssignmentSolverTest, FeasibleCountComesBeforeWeight) {
  // Taking the single heavy edge (0,0) would leave rider 1 unmatched; two light pairs win.
  const std::vector<WeightedEdge> edges = {{0, 0, 1'000'000}, {0, 1, -5'000'000}, {1, 0, -5'000'000}};
  AssignmentSolver solver;
  std::vector<std::pair<uint32_t, uint32_t>> out;
  solver.Solve(2, 2, edges, &out);
  std::sort(out.begin(), out.end());
  EXPECT_EQ(out, (std::vector<std::pair<uint32_t, uint32_t>>{{0, 1}, {1, 0}}));
}

TEST(AssignmentSolverTest, EmptyInputs) {
  AssignmentSolver solver;
  std::vector<std::pair<uint32_t, uint32_t>> out;
  solver.Solve(0, 5, {}, &out);
  solver.Solve(3, 0, {}, &out);
  solver.Solve(3, 3, {}, &out);
  EXPECT_TRUE(out.empty());
}

// --- BatchMatcher -----------------------------------------------------------------------------------------

using Matches = std::vector<std::pair<uint32_t, uint32_t>>;

Matches RunMatcher(MatchingAlgorithm algorithm, size_t riders, size_t drivers, std::vector<CandidatePair> pairs) {
  BatchMatcher matcher;
  Matches out;
  matcher.Match(algorithm, riders, drivers, &pairs, &out);
  return out;
}

TEST(BatchMatcherTest, SimpleGivesEachRiderTheLowestFreeDriver) {
  const std::vector<CandidatePair> pairs = {{5, 9, -1.0}, {5, 2, -3.0}, {1, 2, -0.5}, {1, 7, 0.0}, {3, 2, -0.1}};
  EXPECT_EQ(RunMatcher(MatchingAlgorithm::kSimple, 3, 3, pairs), (Matches{{1, 2}, {5, 9}}));
}

TEST(BatchMatcherTest, GreedyTakesBestScoresWithIdTieBreaks) {
  const std::vector<CandidatePair> pairs = {{0, 0, -1.0}, {0, 1, -2.0}, {1, 0, -1.0}, {1, 1, -1.5}};
  // (0,0) and (1,0) tie at -1: rider 0 first; then (1,1).
  EXPECT_EQ(RunMatcher(MatchingAlgorithm::kCostBased, 2, 2, pairs), (Matches{{0, 0}, {1, 1}}));
  // Equal scores everywhere: ascending (rider, driver).
  const std::vector<CandidatePair> flat = {{2, 4, 0.0}, {2, 3, 0.0}, {1, 4, 0.0}, {1, 3, 0.0}};
  EXPECT_EQ(RunMatcher(MatchingAlgorithm::kCostBased, 2, 2, flat), (Matches{{1, 3}, {2, 4}}));
}

TEST(BatchMatcherTest, HungarianShortcutIsTheGreedy) {
  // Greedy takes (0,0) at -1 and leaves rider 1 unmatched; the optimum matches both.
  const std::vector<CandidatePair> pairs = {{0, 0, -1.0}, {0, 1, -2.0}, {1, 0, -1.5}};
  EXPECT_EQ(RunMatcher(MatchingAlgorithm::kHungarian, 10, 20, pairs), (Matches{{0, 0}}));
  EXPECT_EQ(RunMatcher(MatchingAlgorithm::kCostBased, 10, 20, pairs), (Matches{{0, 0}}));
  EXPECT_EQ(RunMatcher(MatchingAlgorithm::kHungarian, 11, 20, pairs), (Matches{{0, 1}, {1, 0}}));
  EXPECT_EQ(RunMatcher(MatchingAlgorithm::kHungarian, 10, 21, pairs), (Matches{{0, 1}, {1, 0}}));
}

TEST(BatchMatcherTest, OptimalPathMatchesBruteForceAcrossComponents) {
  // Sparse instances with sparse ids (several components per batch): the per-component optimum must equal the
  // brute-force optimum over the whole batch.
  Xoshiro256 rng = TestRng();
  BatchMatcher matcher;
  for (int instance = 0; instance < 300; ++instance) {
    const uint32_t n_left = static_cast<uint32_t>(UniformInt(rng, 1, 6));
    const uint32_t n_right = static_cast<uint32_t>(UniformInt(rng, 1, 8));
    std::vector<CandidatePair> pairs;
    std::vector<WeightedEdge> edges;
    for (uint32_t l = 0; l < n_left; ++l) {
      for (uint32_t r = 0; r < n_right; ++r) {
        if (U01(rng) < 0.3) {
          const double score = -static_cast<double>(UniformInt(rng, 0, 5'000)) / 1'000.0 +
                               static_cast<double>(UniformInt(rng, 0, 300)) * 0.1;
          // Sparse global ids: rider 3l + 7, driver 5r + 2.
          pairs.push_back({3 * l + 7, 5 * r + 2, score});
          edges.push_back({l, r, static_cast<int64_t>(std::trunc(score * 1e6))});
        }
      }
    }
    Matches out;
    std::vector<CandidatePair> scratch = pairs;
    matcher.Match(MatchingAlgorithm::kHungarian, 50, 50, &scratch, &out);
    ASSERT_TRUE(std::is_sorted(out.begin(), out.end()));
    Matches local;
    for (const auto& [rider, driver] : out) local.emplace_back((rider - 7) / 3, (driver - 2) / 5);
    const Objective got = Evaluate(n_left, n_right, edges, local);
    ASSERT_EQ(got, BruteForce(n_left, n_right, edges)) << "instance " << instance;
  }
}

TEST(BatchMatcherTest, NoDriverTwiceInAnyAlgorithm) {
  Xoshiro256 rng = TestRng();
  BatchMatcher matcher;
  for (MatchingAlgorithm algorithm :
       {MatchingAlgorithm::kSimple, MatchingAlgorithm::kCostBased, MatchingAlgorithm::kHungarian}) {
    for (int instance = 0; instance < 100; ++instance) {
      std::vector<CandidatePair> pairs;
      for (uint32_t r = 0; r < 15; ++r) {
        for (uint32_t d = 0; d < 4; ++d) {
          if (U01(rng) < 0.5) pairs.push_back({r, d, -U01(rng)});
        }
      }
      Matches out;
      matcher.Match(algorithm, 15, 4, &pairs, &out);
      std::set<uint32_t> riders, drivers;
      for (const auto& [r, d] : out) {
        EXPECT_TRUE(riders.insert(r).second);
        EXPECT_TRUE(drivers.insert(d).second);
      }
      EXPECT_LE(out.size(), 4u);
    }
  }
}

}  // namespace
}  // namespace ridesweep::sim
