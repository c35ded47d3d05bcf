// U8 (cost-based per-rider choice), H9 (TryMatch), H13 (MatchRejected), H22 (eta_weight) and H23 (batch
// uniqueness) of spec/simulation.md §16, plus the §7 candidate rules, algorithm semantics and same-ms order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <vector>

#include "engine/engine.h"
#include "model/matching.h"
#include "random/rng.h"
#include "tests/world_test_support.h"

namespace ridesweep::sim {
namespace {

using fixtures::AcceptQuoteNow;
using fixtures::E;
using fixtures::HandlerParams;
using fixtures::kC0;
using fixtures::kSec;
using fixtures::PendingOf;
using fixtures::PendingTimes;
using fixtures::StepOne;
using fixtures::StepUntil;

constexpr MatchingAlgorithm kAlgorithms[] = {MatchingAlgorithm::kSimple, MatchingAlgorithm::kCostBased,
                                             MatchingAlgorithm::kHungarian};

SimParams PerRider(MatchingAlgorithm algorithm, uint32_t radius) {
  SimParams p = HandlerParams();
  p.matching_algorithm_type = algorithm;
  p.match_radius = radius;
  return p;
}

SimParams Batch(MatchingAlgorithm algorithm, uint32_t radius, double eta_weight = 0.1) {
  SimParams p = PerRider(algorithm, radius);
  p.batch_matching_enabled = true;
  p.eta_weight = eta_weight;
  return p;
}

// Runs one TryMatch for `rider` (scheduled by its QuoteAccepted) and returns the chosen driver or kNone.
uint32_t TryMatchOnce(Engine& engine, uint32_t rider) {
  AcceptQuoteNow(engine, rider, 10.0);
  EXPECT_TRUE(StepUntil(engine, EventKind::kTryMatch, rider).has_value());
  return engine.riders()[rider].matched_driver;
}

// Runs a BatchMatchRun now and returns the (rider, driver) links it created.
std::vector<std::pair<uint32_t, uint32_t>> BatchOnce(Engine& engine) {
  engine.Schedule(engine.now(), EventKind::kBatchMatchRun);
  EXPECT_TRUE(StepUntil(engine, EventKind::kBatchMatchRun).has_value());
  std::vector<std::pair<uint32_t, uint32_t>> links;
  for (uint32_t r = 0; r < engine.riders().size(); ++r) {
    if (engine.riders()[r].matched_driver != kNone) links.emplace_back(r, engine.riders()[r].matched_driver);
  }
  return links;
}

// --- §7.2 pair score -----------------------------------------------------------------------------------

TEST(PairScoreTest, Formula) {
  // -km - eta_weight * (eta_s - wait_s), the ETA given in ms.
  EXPECT_DOUBLE_EQ(PairScore(0.0, 1'000, 0.1, 0), -0.1 * 1.0);
  EXPECT_DOUBLE_EQ(PairScore(0.0, 1'000, 0.1, 11'000), -0.1 * (1.0 - 11.0));
  EXPECT_DOUBLE_EQ(PairScore(0.330, 33'600, 0.0, 0), -0.330);
  EXPECT_DOUBLE_EQ(PairScore(0.330, 33'600, 0.1, 10'000), -0.330 - 0.1 * (33.6 - 10.0));
  EXPECT_DOUBLE_EQ(PairScore(0.990, 98'800, 0.1, 300'000), -0.990 - 0.1 * (98.8 - 300.0));
}

TEST(PairScoreTest, UsesTheQuoteEtaAtTheRealisedSpeed) {
  // Speeds uniform in [20, 60] km/h realise the harmonic mean 40 / ln 3 = 36.41 km/h; one hop of 0.330 km then
  // takes 32.63 s, plus the one-second start of a leg.
  Engine engine(SimParams{}, nullptr);
  const uint64_t eta = engine.RouteEtaMs(1, Cell{0, 0});
  EXPECT_NEAR(static_cast<double>(eta), 1'000.0 + 0.330 / (40.0 / std::log(3.0)) * 3'600'000.0, 1.0);
  EXPECT_EQ(engine.RouteEtaMs(0, Cell{0, 0}), 1'000u);
}

// --- U8 and per-rider rules ----------------------------------------------------------------------------

TEST(PerRiderMatchingTest, CostBasedPicksTheNearerDriverU8) {
  for (MatchingAlgorithm algorithm : {MatchingAlgorithm::kCostBased, MatchingAlgorithm::kHungarian}) {
    Engine engine(PerRider(algorithm, 5), nullptr);
    const uint32_t rider = engine.AddRider(kC0, E(5));
    const uint32_t far = engine.AddDriver(E(2));    // Lower id, farther.
    const uint32_t near = engine.AddDriver(E(-1));  // Higher id, nearer.
    ASSERT_LT(far, near);
    EXPECT_EQ(TryMatchOnce(engine, rider), near) << MatchingAlgorithmName(algorithm);
    EXPECT_TRUE(engine.CheckInvariants().ok());
  }
}

TEST(PerRiderMatchingTest, SimplePicksTheLowestId) {
  Engine engine(PerRider(MatchingAlgorithm::kSimple, 5), nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddDriver(E(3));  // Farther, but the lowest id wins.
  engine.AddDriver(kC0);
  EXPECT_EQ(TryMatchOnce(engine, rider), 0u);
}

TEST(PerRiderMatchingTest, EqualScoresGoToTheLowestDriverId) {
  Engine engine(PerRider(MatchingAlgorithm::kCostBased, 1), nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  const uint32_t west = engine.AddDriver(E(-1));  // id 0; its cell comes after E1 in disk order.
  engine.AddDriver(E(1));                         // id 1, same distance.
  EXPECT_EQ(TryMatchOnce(engine, rider), west);
}

TEST(PerRiderMatchingTest, RadiusZeroMeansSameCell) {
  Engine engine(PerRider(MatchingAlgorithm::kSimple, 0), nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddDriver(E(1));
  EXPECT_EQ(TryMatchOnce(engine, rider), kNone);
  // No candidate: TryMatch again in 30 s.
  EXPECT_EQ(PendingTimes(engine, EventKind::kTryMatch, rider), std::vector<uint64_t>{1'000 + 30'000});
  Engine one(PerRider(MatchingAlgorithm::kSimple, 1), nullptr);
  const uint32_t r1 = one.AddRider(kC0, E(5));
  one.AddDriver(E(1));
  EXPECT_EQ(TryMatchOnce(one, r1), 0u);
}

TEST(PerRiderMatchingTest, HugeRadiusReachesEveryIdleDriver) {
  Engine engine(PerRider(MatchingAlgorithm::kCostBased, UINT32_MAX), nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddDriver(E(60));
  const uint32_t nearer = engine.AddDriver({-40, 30});
  EXPECT_EQ(TryMatchOnce(engine, rider), nearer);
}

TEST(PerRiderMatchingTest, TryMatchWithASameCellIdleDriverH9) {
  Engine engine(PerRider(MatchingAlgorithm::kHungarian, 0), nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  const uint32_t driver = engine.AddDriver(kC0);
  AcceptQuoteNow(engine, rider, 10.0);
  const auto e = StepUntil(engine, EventKind::kTryMatch, rider);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->time_ms, 1'000u);
  const Rider& r = engine.riders()[rider];
  const Driver& d = engine.drivers()[driver];
  EXPECT_EQ(r.state, RiderState::kWaiting);
  EXPECT_EQ(r.matched_driver, driver);
  EXPECT_EQ(d.matched_rider, rider);
  EXPECT_EQ(d.state, DriverState::kEvaluating);
  EXPECT_EQ(d.assignment_seq, 1u);
  const auto accepted = PendingOf(engine, EventKind::kMatchAccepted, driver);
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].time_ms, 2'000u);
  EXPECT_EQ(accepted[0].token, 1u);
  EXPECT_TRUE(engine.CheckInvariants().ok());
}

TEST(PerRiderMatchingTest, StaleTryMatchDoesNothing) {
  Engine engine(PerRider(MatchingAlgorithm::kSimple, 0), nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddDriver(kC0);
  engine.AddDriver(kC0);
  AcceptQuoteNow(engine, rider, 10.0);
  StepUntil(engine, EventKind::kTryMatch, rider);
  ASSERT_EQ(engine.riders()[rider].matched_driver, 0u);
  // A second TryMatch for an already matched rider is stale.
  const uint64_t stale_before = engine.stats().stale_events;
  engine.Schedule(engine.now(), EventKind::kTryMatch, rider);
  StepUntil(engine, EventKind::kTryMatch, rider);
  EXPECT_EQ(engine.stats().stale_events, stale_before + 1);
  EXPECT_EQ(engine.drivers()[1].state, DriverState::kIdle);
  EXPECT_EQ(engine.drivers()[0].assignment_seq, 1u);
  // A TryMatch for a Browsing rider is stale too.
  const uint32_t browsing = engine.AddRider(kC0, E(5));
  engine.Schedule(engine.now(), EventKind::kTryMatch, browsing);
  StepUntil(engine, EventKind::kTryMatch, browsing);
  EXPECT_EQ(engine.riders()[browsing].matched_driver, kNone);
  EXPECT_EQ(engine.stats().stale_events, stale_before + 2);
}

// --- H13: MatchRejected -----------------------------------------------------------------------------------

TEST(MatchRejectedTest, PerRiderRetriesInThirtySecondsH13) {
  SimParams p = PerRider(MatchingAlgorithm::kSimple, 0);
  p.behaviour.base_acceptance_score = -100;
  Engine engine(p, nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  const uint32_t driver = engine.AddDriver(kC0);
  AcceptQuoteNow(engine, rider, 10.0);
  const auto rejected = StepUntil(engine, EventKind::kMatchRejected, rider);
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->time_ms, 3'000u);  // DriverDecision at 3 s, MatchRejected +0.
  EXPECT_EQ(engine.riders()[rider].matched_driver, kNone);
  EXPECT_EQ(engine.drivers()[driver].matched_rider, kNone);
  EXPECT_EQ(PendingTimes(engine, EventKind::kTryMatch, rider), std::vector<uint64_t>{33'000});
  // The driver declined this rider, so the retry does not offer it again (no re-offer loop); a new driver is.
  EXPECT_EQ(engine.riders()[rider].declined_by, std::vector<uint32_t>{driver});
  StepUntil(engine, EventKind::kTryMatch, rider);
  EXPECT_EQ(engine.riders()[rider].matched_driver, kNone);
  EXPECT_EQ(engine.drivers()[driver].assignment_seq, 1u);
  const uint32_t other = engine.AddDriver(kC0);
  StepUntil(engine, EventKind::kTryMatch, rider);
  EXPECT_EQ(engine.riders()[rider].matched_driver, other);
}

TEST(MatchRejectedTest, BatchModeDoesNothingH13) {
  SimParams p = Batch(MatchingAlgorithm::kSimple, 0);
  p.behaviour.base_acceptance_score = -100;
  Engine engine(p, nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  const uint32_t driver = engine.AddDriver(kC0);
  AcceptQuoteNow(engine, rider, 10.0);
  EXPECT_TRUE(PendingOf(engine, EventKind::kTryMatch).empty()) << "TryMatch is never scheduled in batch mode";
  BatchOnce(engine);
  ASSERT_EQ(engine.riders()[rider].matched_driver, driver);
  const auto rejected = StepUntil(engine, EventKind::kMatchRejected, rider);
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(engine.riders()[rider].matched_driver, kNone);
  EXPECT_EQ(engine.drivers()[driver].matched_rider, kNone);
  EXPECT_EQ(engine.drivers()[driver].state, DriverState::kIdle);
  EXPECT_TRUE(PendingOf(engine, EventKind::kTryMatch).empty());
  // The next batch does not offer the same pair again; another Idle driver is offered.
  ASSERT_TRUE(StepUntil(engine, EventKind::kBatchMatchRun).has_value());
  EXPECT_EQ(engine.riders()[rider].matched_driver, kNone);
  const uint32_t other = engine.AddDriver(kC0);
  ASSERT_TRUE(StepUntil(engine, EventKind::kBatchMatchRun).has_value());
  EXPECT_EQ(engine.riders()[rider].matched_driver, other);
}

// --- Batch rules ------------------------------------------------------------------------------------------

TEST(BatchMatchingTest, RiderAcceptingAtTheBatchMsWaitsForTheNextBatch) {
  Engine engine(Batch(MatchingAlgorithm::kHungarian, 0), nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddDriver(kC0);
  engine.mutable_riders()[rider].has_quote = true;
  engine.mutable_riders()[rider].quote_fare = 10.0;
  engine.Schedule(5'000, EventKind::kBatchMatchRun);
  engine.Schedule(5'000, EventKind::kQuoteAccepted, rider);
  EXPECT_EQ(StepOne(engine).kind(), EventKind::kBatchMatchRun);
  EXPECT_EQ(StepOne(engine).kind(), EventKind::kQuoteAccepted);
  EXPECT_EQ(engine.riders()[rider].state, RiderState::kWaiting);
  EXPECT_EQ(engine.riders()[rider].matched_driver, kNone);
  EXPECT_EQ(PendingTimes(engine, EventKind::kBatchMatchRun), std::vector<uint64_t>{10'000});
  StepUntil(engine, EventKind::kBatchMatchRun);
  EXPECT_EQ(engine.riders()[rider].matched_driver, 0u);
}

TEST(BatchMatchingTest, OnlyWaitingUnmatchedRidersAndIdleDrivers) {
  Engine engine(Batch(MatchingAlgorithm::kCostBased, 0), nullptr);
  engine.AddRider(kC0, E(5));  // Browsing: not considered.
  const uint32_t waiting = engine.AddRider(kC0, E(5));
  engine.AddDriver(kC0);
  AcceptQuoteNow(engine, waiting, 10.0);
  const auto links = BatchOnce(engine);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].first, waiting);
  // The batch re-arms every interval.
  EXPECT_EQ(PendingTimes(engine, EventKind::kBatchMatchRun), std::vector<uint64_t>{engine.now() + 5'000});
}

TEST(BatchMatchingTest, SimpleTakesLowestIdsCostBasedTakesBestScores) {
  // Riders r0, r1 at C0; driver d0 at E1, d1 at C0; radius 1.
  const auto build = [](MatchingAlgorithm algorithm) {
    auto engine = std::make_unique<Engine>(Batch(algorithm, 1), nullptr);
    const uint32_t r0 = engine->AddRider(kC0, E(5));
    const uint32_t r1 = engine->AddRider(kC0, E(5));
    engine->AddDriver(E(1));
    engine->AddDriver(kC0);
    AcceptQuoteNow(*engine, r0, 10.0);
    AcceptQuoteNow(*engine, r1, 10.0);
    return engine;
  };
  auto simple = build(MatchingAlgorithm::kSimple);
  EXPECT_EQ(BatchOnce(*simple), (std::vector<std::pair<uint32_t, uint32_t>>{{0, 0}, {1, 1}}));
  auto greedy = build(MatchingAlgorithm::kCostBased);
  EXPECT_EQ(BatchOnce(*greedy), (std::vector<std::pair<uint32_t, uint32_t>>{{0, 1}, {1, 0}}));
  auto hungarian = build(MatchingAlgorithm::kHungarian);
  EXPECT_EQ(BatchOnce(*hungarian), (std::vector<std::pair<uint32_t, uint32_t>>{{0, 1}, {1, 0}}));
}

TEST(BatchMatchingTest, MatchAcceptedScheduledInAscendingRiderId) {
  Engine engine(Batch(MatchingAlgorithm::kCostBased, 0), nullptr);
  // Rider 1 has waited longer, so the greedy picks its pair first; the matches still apply by rider id.
  engine.SetNowForTesting(100'000);
  const uint32_t r0 = engine.AddRider(kC0, E(5));
  const uint32_t r1 = engine.AddRider(E(1), E(5));
  engine.mutable_riders()[r1].requested_at = 0;
  const uint32_t d0 = engine.AddDriver(E(1));
  const uint32_t d1 = engine.AddDriver(kC0);
  AcceptQuoteNow(engine, r0, 10.0);
  AcceptQuoteNow(engine, r1, 10.0);
  BatchOnce(engine);
  const auto accepted = PendingOf(engine, EventKind::kMatchAccepted);
  ASSERT_EQ(accepted.size(), 2u);
  EXPECT_EQ(accepted[0].subject, d1);  // Rider 0's driver first (FIFO at equal time and kind).
  EXPECT_EQ(accepted[1].subject, d0);
}

// --- Candidate search against brute force ------------------------------------------------------------------

// Random worlds: every per-rider choice (rider by rider, as the TryMatches run) and every greedy batch must equal
// what a brute-force scan over all Idle drivers picks, for radii on both sides of the indexed-ring limit.
struct RandomWorld {
  std::vector<Cell> riders;
  std::vector<Cell> drivers;
};

RandomWorld MakeRandomWorld(uint64_t salt, int n_riders, int n_drivers, int32_t spread) {
  Xoshiro256 rng = StreamKeys(77).Stream(StreamPurpose::kSpeed, salt);
  const auto coord = [&] {
    return static_cast<int32_t>(UniformInt(rng, 0, 2 * static_cast<uint64_t>(spread))) - spread;
  };
  RandomWorld w;
  for (int i = 0; i < n_riders; ++i) w.riders.push_back({coord(), coord()});
  for (int i = 0; i < n_drivers; ++i) w.drivers.push_back({coord(), coord()});
  return w;
}

TEST(CandidateSearchTest, PerRiderChoicesMatchBruteForce) {
  for (uint32_t radius : {0u, 1u, 2u, 4u, 9u, 64u, 65u, 200u}) {
    SCOPED_TRACE(radius);
    const RandomWorld world = MakeRandomWorld(radius, 25, 150, 12);
    SimParams p = PerRider(MatchingAlgorithm::kCostBased, radius);
    p.behaviour.base_acceptance_score = 100;  // Matched drivers accept and never return to Idle here.
    Engine engine(p, nullptr);
    for (const Cell& c : world.drivers) engine.AddDriver(c);
    for (const Cell& c : world.riders) engine.AddRider(c, E(30));
    std::vector<bool> idle(world.drivers.size(), true);
    for (uint32_t r = 0; r < world.riders.size(); ++r) {
      const uint32_t got = TryMatchOnce(engine, r);
      uint32_t best = kNone;
      double best_score = 0;
      for (uint32_t d = 0; d < world.drivers.size(); ++d) {
        if (!idle[d] || HexDistance(world.riders[r], world.drivers[d]) > radius) continue;
        const double score =
            PairScore(DistKm(world.riders[r], world.drivers[d]),
                      engine.RouteEtaMs(HexDistance(world.riders[r], world.drivers[d]), world.drivers[d]), 0.1,
                      engine.now());
        if (best == kNone || score > best_score) {
          best = d;
          best_score = score;
        }
      }
      ASSERT_EQ(got, best) << "rider " << r;
      if (best != kNone) idle[best] = false;
    }
  }
}

TEST(CandidateSearchTest, GreedyBatchMatchesBruteForce) {
  for (uint32_t radius : {0u, 1u, 3u, 8u, 64u, 65u, 1000u}) {
    SCOPED_TRACE(radius);
    const RandomWorld world = MakeRandomWorld(100 + radius, 60, 40, 10);
    Engine engine(Batch(MatchingAlgorithm::kCostBased, radius), nullptr);
    engine.SetNowForTesting(100'000);
    for (const Cell& c : world.drivers) engine.AddDriver(c);
    for (uint32_t r = 0; r < world.riders.size(); ++r) {
      engine.AddRider(world.riders[r], E(30));
      engine.mutable_riders()[r].requested_at = 100'000 - 1'000 * r;  // Distinct waits.
      AcceptQuoteNow(engine, r, 10.0);
    }
    std::vector<CandidatePair> pairs;
    for (uint32_t r = 0; r < world.riders.size(); ++r) {
      // A batch offers each rider its 8 nearest feasible drivers (hops, then id).
      std::vector<uint32_t> nearest;
      for (uint32_t d = 0; d < world.drivers.size(); ++d) {
        if (HexDistance(world.riders[r], world.drivers[d]) <= radius) nearest.push_back(d);
      }
      std::sort(nearest.begin(), nearest.end(), [&](uint32_t a, uint32_t b) {
        const uint32_t ha = HexDistance(world.riders[r], world.drivers[a]);
        const uint32_t hb = HexDistance(world.riders[r], world.drivers[b]);
        return ha != hb ? ha < hb : a < b;
      });
      if (nearest.size() > 8) nearest.resize(8);
      for (uint32_t d : nearest) {
        {
          pairs.push_back({r, d,
                           PairScore(DistKm(world.riders[r], world.drivers[d]),
                                     engine.RouteEtaMs(HexDistance(world.riders[r], world.drivers[d]), world.drivers[d]),
                                     0.1, uint64_t{1'000} * r)});
        }
      }
    }
    std::sort(pairs.begin(), pairs.end(), [](const CandidatePair& a, const CandidatePair& b) {
      if (a.score != b.score) return a.score > b.score;
      return a.rider != b.rider ? a.rider < b.rider : a.driver < b.driver;
    });
    std::vector<bool> rider_taken(world.riders.size()), driver_taken(world.drivers.size());
    std::vector<std::pair<uint32_t, uint32_t>> expected;
    for (const CandidatePair& p : pairs) {
      if (rider_taken[p.rider] || driver_taken[p.driver]) continue;
      rider_taken[p.rider] = driver_taken[p.driver] = true;
      expected.emplace_back(p.rider, p.driver);
    }
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(BatchOnce(engine), expected);
  }
}

// --- H22: eta_weight ----------------------------------------------------------------------------------------

struct EtaWeightCase {
  MatchingAlgorithm algorithm;
  bool optimal_path;  // Add 11 out-of-radius riders so that the Hungarian batch solves optimally.
  bool a_first;       // Rider A gets the lower id.
  double eta_weight;
  bool expect_a;
};

TEST(BatchMatchingTest, EtaWeightServesLongWaitingRidersH22) {
  std::vector<EtaWeightCase> cases;
  for (bool a_first : {true, false}) {
    for (double w : {0.0, 0.1}) {
      cases.push_back({MatchingAlgorithm::kCostBased, false, a_first, w, w > 0});
      cases.push_back({MatchingAlgorithm::kHungarian, false, a_first, w, w > 0});
      cases.push_back({MatchingAlgorithm::kHungarian, true, a_first, w, w > 0});
    }
  }
  for (const EtaWeightCase& c : cases) {
    SCOPED_TRACE(::testing::Message() << MatchingAlgorithmName(c.algorithm) << " optimal=" << c.optimal_path
                                      << " a_first=" << c.a_first << " w=" << c.eta_weight);
    Engine engine(Batch(c.algorithm, 5, c.eta_weight), nullptr);
    engine.SetNowForTesting(400'000);
    const uint32_t driver = engine.AddDriver(kC0);
    uint32_t a = 0, b = 0;
    if (c.a_first) {
      a = engine.AddRider(E(3), E(10));
      b = engine.AddRider(E(1), E(10));
    } else {
      b = engine.AddRider(E(1), E(10));
      a = engine.AddRider(E(3), E(10));
    }
    engine.mutable_riders()[a].requested_at = 400'000 - 300'000;  // A has waited 300 s.
    engine.mutable_riders()[b].requested_at = 400'000 - 10'000;   // B has waited 10 s.
    AcceptQuoteNow(engine, a, 10.0);
    AcceptQuoteNow(engine, b, 10.0);
    if (c.optimal_path) {
      for (int i = 0; i < 11; ++i) AcceptQuoteNow(engine, engine.AddRider(E(20), E(30)), 10.0);
    }
    const auto links = BatchOnce(engine);
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0].first, c.expect_a ? a : b);
    EXPECT_EQ(links[0].second, driver);
  }
}

// --- H23: batch uniqueness ----------------------------------------------------------------------------------

TEST(BatchMatchingTest, OneDriverServesOneRiderPerBatchH23) {
  struct Case {
    MatchingAlgorithm algorithm;
    int riders;
  } const kCases[] = {{MatchingAlgorithm::kSimple, 5},
                      {MatchingAlgorithm::kCostBased, 5},
                      {MatchingAlgorithm::kHungarian, 5},
                      {MatchingAlgorithm::kHungarian, 12}};  // > 10 riders: the optimal assignment.
  for (const Case& c : kCases) {
    SCOPED_TRACE(::testing::Message() << MatchingAlgorithmName(c.algorithm) << " riders=" << c.riders);
    SimParams p = Batch(c.algorithm, 1);
    p.behaviour.base_acceptance_score = 100;
    p.behaviour.min_wait_secs = 3'600;  // No cancellations while the single driver works through the queue.
    p.behaviour.max_wait_secs = 3'600;
    Engine engine(p, nullptr);
    const uint32_t driver = engine.AddDriver(kC0);
    // Fare 1 keeps the driver far below its earnings target, so it never goes off duty here.
    for (int i = 0; i < c.riders; ++i) AcceptQuoteNow(engine, engine.AddRider(kC0, E(1)), 1.0);
    const auto links = BatchOnce(engine);
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(PendingOf(engine, EventKind::kMatchAccepted).size(), 1u);
    EXPECT_EQ(links[0].second, driver);

    // Later batches serve the others, one at a time.
    uint64_t batches = 0;
    while (engine.counters().riders_completed_total < static_cast<uint64_t>(c.riders) &&
           engine.now() < 3'000'000) {
      const auto e = StepUntil(engine, EventKind::kBatchMatchRun);
      ASSERT_TRUE(e.has_value());
      ++batches;
      EXPECT_LE(PendingOf(engine, EventKind::kMatchAccepted).size(), 1u);
    }
    EXPECT_EQ(engine.counters().riders_completed_total, static_cast<uint64_t>(c.riders));
    std::set<uint32_t> served;
    for (const Trip& t : engine.trips()) served.insert(t.rider);
    EXPECT_EQ(served.size(), static_cast<size_t>(c.riders));
    EXPECT_EQ(engine.trips().size(), static_cast<size_t>(c.riders));
    for (size_t i = 1; i < engine.trips().size(); ++i) {
      EXPECT_GT(engine.trips()[i].matched_at, engine.trips()[i - 1].matched_at);
    }
    EXPECT_GT(batches, 0u);
  }
}

}  // namespace
}  // namespace ridesweep::sim
