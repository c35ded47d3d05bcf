// Statistical checks S1-S10 of spec/simulation.md §16.5, with the spec's tolerances and fixed seeds. Every sample is
// taken from the engine itself: spawn counts from the metrics, acceptance and cancellation draws and speeds from the
// event trace (a speed is recovered from the hop time it produced), driver attributes from the engine's world, and
// the logit calibration from the decision trace. Each test prints its measured statistic ("[ STAT ]").
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "acceptance_support.h"
#include "engine/engine.h"
#include "ridesweep/sim/scenarios.h"
#include "ridesweep/sim/simulation.h"

namespace ridesweep::sim::acceptance {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kMondayEpochMs = 4 * kDayMs;  // 1970-01-05 00:00 UTC.

// The large example at the night epoch (Thursday 00:00), where the spawn counts are below the caps and follow
// the profile (3,077 riders, 3,500 drivers expected).
SimParams ExampleLarge() {
  const std::optional<SimParams> p = FindScenario("example-large-night");
  EXPECT_TRUE(p.has_value());
  return p.value_or(SimParams{});
}

void Stat(const std::string& line) {
  std::printf("[ STAT     ] %s\n", line.c_str());
  ::testing::Test::RecordProperty("stat", line);
}

struct MeanSd {
  double mean = 0, sd = 0;
  size_t n = 0;
};

MeanSd Moments(const std::vector<double>& v) {
  MeanSd m;
  m.n = v.size();
  if (v.empty()) return m;
  double sum = 0;
  for (double x : v) sum += x;
  m.mean = sum / static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - m.mean) * (x - m.mean);
  m.sd = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
  return m;
}

// Runs a normal simulation on a directly held engine so that an observer can look at the world it traces.
class EngineRun {
 public:
  EngineRun(const SimParams& p, SimObserver* observer) : engine_(p, observer) {}
  Engine& engine() { return engine_; }
  void Run() {
    engine_.ScheduleStart();
    const Status status = engine_.Run(nullptr, false);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

 private:
  Engine engine_;
};

TEST(StatisticalTest, S1ExampleLargeSpawnCountsOverTwentySeeds) {
  const double lambda_r = 3'077, lambda_d = 3'500;
  double sum_r = 0, sum_d = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SimParams p = ExampleLarge();
    p.seed = seed;
    Result<SimOutput> out = RunSimulation(p);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const double r = static_cast<double>(out->metrics.riders_spawned);
    const double d = static_cast<double>(out->metrics.total_drivers);
    EXPECT_LE(std::fabs(r - lambda_r), 4 * std::sqrt(lambda_r)) << "seed " << seed << ": " << r << " riders";
    EXPECT_LE(std::fabs(d - lambda_d), 4 * std::sqrt(lambda_d)) << "seed " << seed << ": " << d << " drivers";
    sum_r += r;
    sum_d += d;
  }
  const double mean_r = sum_r / 20, mean_d = sum_d / 20;
  EXPECT_LE(std::fabs(mean_r - lambda_r), 0.015 * lambda_r);
  EXPECT_LE(std::fabs(mean_d - lambda_d), 0.015 * lambda_d);
  Stat("S1 mean riders " + std::to_string(mean_r) + " (3077 +- 1.5%), mean drivers " + std::to_string(mean_d) +
       " (3500 +- 1.5%)");
}

TEST(StatisticalTest, S2EveryBenchmarkRowSpawnsItsExpectedCounts) {
  for (const NamedScenario& s : NamedScenarios()) {
    SimParams p = s.params;
    p.seed = 42;
    Result<SimOutput> out = RunSimulation(p);
    ASSERT_TRUE(out.ok()) << s.name << ": " << out.status().ToString();
    const double r = static_cast<double>(out->metrics.riders_spawned);
    const double d = static_cast<double>(out->metrics.total_drivers);
    const double er = static_cast<double>(s.expected_riders), ed = static_cast<double>(s.expected_drivers);
    EXPECT_LE(std::fabs(r - er), 4 * std::sqrt(er) + 1) << s.name << ": " << r << " riders, expected " << er;
    EXPECT_LE(std::fabs(d - ed), 4 * std::sqrt(ed) + 1) << s.name << ": " << d << " drivers, expected " << ed;
    Stat("S2 " + std::string(s.name) + " riders " + std::to_string(static_cast<int64_t>(r)) + "/" +
         std::to_string(s.expected_riders) + " drivers " + std::to_string(static_cast<int64_t>(d)) + "/" +
         std::to_string(s.expected_drivers));
  }
}

// Classifies quote outcomes as they happen: accepted, or rejected at the stochastic step.
class QuoteOutcomeCounter : public SimObserver {
 public:
  void OnSnapshot(const SnapshotRow&) override {}
  void OnTripCompleted(const CompletedTripRecord&) override {}
  void OnTripTable(std::span<const TripRow>) override {}
  bool WantsEventTrace() const override { return true; }
  void OnEvent(const EventTrace& e) override {
    if (e.stale) return;
    if (e.kind == KindOrdinal(EventKind::kQuoteAccepted)) ++accepted;
    if (e.kind == KindOrdinal(EventKind::kQuoteRejected) &&
        engine->riders()[e.subject].last_rejection_reason == RejectionReason::kStochastic) {
      ++stochastic_rejections;
    }
  }
  const Engine* engine = nullptr;
  int64_t accepted = 0;
  int64_t stochastic_rejections = 0;
};

TEST(StatisticalTest, S3QuoteAcceptanceAtTheStochasticStep) {
  QuoteOutcomeCounter counter;
  EngineRun run(ExampleLarge(), &counter);
  counter.engine = &run.engine();
  run.Run();
  const double n = static_cast<double>(counter.accepted + counter.stochastic_rejections);
  ASSERT_GT(n, 2'000);
  const double rate = static_cast<double>(counter.accepted) / n;
  EXPECT_NEAR(rate, 0.80, 0.02);
  Stat("S3 acceptance at the stochastic step " + std::to_string(rate) + " over " + std::to_string(n) +
       " decisions (0.80 +- 0.02)");
}

TEST(StatisticalTest, S4StochasticAbandonmentWithAndWithoutFixedDraw) {
  SimParams p = ExampleLarge();
  Result<SimOutput> fresh = RunSimulation(p);
  ASSERT_TRUE(fresh.ok());
  const double fresh_share = static_cast<double>(fresh->metrics.riders_abandoned_stochastic) /
                             static_cast<double>(fresh->metrics.riders_spawned);
  EXPECT_LE(fresh_share, 0.005);
  p.behaviour.fixed_acceptance_draw = true;
  Result<SimOutput> fixed = RunSimulation(p);
  ASSERT_TRUE(fixed.ok());
  const double fixed_share = static_cast<double>(fixed->metrics.riders_abandoned_stochastic) /
                             static_cast<double>(fixed->metrics.riders_spawned);
  EXPECT_NEAR(fixed_share, 0.20, 0.03);
  Stat("S4 stochastic abandonment: option off " + std::to_string(fresh_share) + " (<= 0.005, expected 0.0016)" +
       ", option on " + std::to_string(fixed_share) + " (0.20 +- 0.03)");
}

// Recovers each drawn speed from the hop it timed: consecutive MoveSteps of one leg are hop_ms(S, v) apart, so
// v = S * 3,600,000 / gap (within 0.002 km/h, the rounding of hop_ms to whole ms).
class HopSpeedRecorder : public SimObserver {
 public:
  explicit HopSpeedRecorder(uint64_t window_end_ms) : window_end_ms_(window_end_ms) {}
  void OnSnapshot(const SnapshotRow&) override {}
  void OnTripCompleted(const CompletedTripRecord&) override {}
  void OnTripTable(std::span<const TripRow>) override {}
  bool WantsEventTrace() const override { return true; }
  void OnEvent(const EventTrace& e) override {
    if (e.stale) return;
    if (e.kind == KindOrdinal(EventKind::kTripStarted) || e.kind == KindOrdinal(EventKind::kTripCompleted)) {
      last_move_.erase(e.subject);  // The next MoveStep starts a new leg.
    } else if (e.kind == KindOrdinal(EventKind::kMoveStep)) {
      const auto it = last_move_.find(e.subject);
      if (it != last_move_.end() && it->second < window_end_ms_) {
        speeds.push_back(kCellSpacingKm * 3'600'000.0 / static_cast<double>(e.timestamp_ms - it->second));
      }
      last_move_[e.subject] = e.timestamp_ms;
    }
  }
  std::vector<double> speeds;

 private:
  uint64_t window_end_ms_;
  std::map<uint32_t, uint64_t> last_move_;
};

TEST(StatisticalTest, S5SpeedsFollowTheSpeedModel) {
  struct Case {
    const char* name;
    std::optional<double> base_speed;
    bool berlin_at_7;
    double expected_mean;
    double lo, hi;
  } const kCases[] = {
      {"default range", std::nullopt, false, 40.0, 20.0, 60.0},
      {"base 30", 30.0, false, 30.0, 20.0, 40.0},
      {"berlin 07:00", std::nullopt, true, 18.0, 20.0 * 0.45, 60.0 * 0.45},
  };
  for (const Case& c : kCases) {
    SimParams p = ExampleLarge();
    p.base_speed_kmh = c.base_speed;
    uint64_t window_end = UINT64_MAX;
    if (c.berlin_at_7) {
      p.traffic_profile.kind = TrafficProfileKind::kBerlin;
      p.epoch_ms = 7 * static_cast<int64_t>(kHourMs);  // Hours 7 and 8: factor 0.45.
      window_end = 2 * kHourMs;
    }
    HopSpeedRecorder recorder(window_end);
    Result<SimOutput> out = RunSimulation(p, &recorder);
    ASSERT_TRUE(out.ok());
    const MeanSd m = Moments(recorder.speeds);
    EXPECT_GE(m.n, 10'000u) << c.name;
    EXPECT_NEAR(m.mean, c.expected_mean, 0.5) << c.name;
    double min = 1e300, max = -1e300;
    for (double v : recorder.speeds) {
      min = std::min(min, v);
      max = std::max(max, v);
    }
    EXPECT_GE(min, c.lo - 0.002) << c.name;
    EXPECT_LE(max, c.hi + 0.002) << c.name;
    Stat("S5 " + std::string(c.name) + ": " + std::to_string(m.n) + " speeds, mean " + std::to_string(m.mean) +
         " (" + std::to_string(c.expected_mean) + " +- 0.5), range [" + std::to_string(min) + ", " +
         std::to_string(max) + "]");
  }
}

// Pickup-timeout delays W: with drivers that decline every offer, every Waiting rider's timer fires,
// W = RiderCancel - QuoteAccepted. (Riders only accept a quote when an assignable driver exists.)
class TimeoutRecorder : public SimObserver {
 public:
  void OnSnapshot(const SnapshotRow&) override {}
  void OnTripCompleted(const CompletedTripRecord&) override {}
  void OnTripTable(std::span<const TripRow>) override {}
  bool WantsEventTrace() const override { return true; }
  void OnEvent(const EventTrace& e) override {
    if (e.stale) return;
    if (e.kind == KindOrdinal(EventKind::kQuoteAccepted)) accepted_at[e.subject] = e.timestamp_ms;
    if (e.kind == KindOrdinal(EventKind::kRiderCancel)) waits_ms.push_back(e.timestamp_ms - accepted_at.at(e.subject));
  }
  std::map<uint32_t, uint64_t> accepted_at;
  std::vector<uint64_t> waits_ms;
};

TEST(StatisticalTest, S6PickupTimeoutDelays) {
  SimParams p = ExampleLarge();
  p.behaviour.base_acceptance_score = -1e3;
  p.simulation_end_time_ms.reset();  // Window + 2 h: every timer (<= 2,400 s) fires.
  TimeoutRecorder recorder;
  Result<SimOutput> out = RunSimulation(p, &recorder);
  ASSERT_TRUE(out.ok());
  ASSERT_GE(recorder.waits_ms.size(), 2'000u);
  EXPECT_EQ(recorder.waits_ms.size(), recorder.accepted_at.size()) << "every accepted rider times out";
  std::vector<double> secs;
  for (uint64_t w : recorder.waits_ms) {
    EXPECT_EQ(w % 1'000, 0u);
    EXPECT_GE(w, 120'000u);
    EXPECT_LE(w, 2'400'000u);
    secs.push_back(static_cast<double>(w) / 1'000.0);
  }
  const MeanSd m = Moments(secs);
  EXPECT_NEAR(m.mean, 1'260.0, 45.0);
  Stat("S6 pickup timeout W: " + std::to_string(m.n) + " riders, mean " + std::to_string(m.mean) +
       " s (1260 +- 45), sd " + std::to_string(m.sd));
}

TEST(StatisticalTest, S7DriverAttributes) {
  EngineRun run(ExampleLarge(), nullptr);
  run.Run();
  std::vector<double> targets, fatigue_h;
  for (const Driver& d : run.engine().drivers()) {
    EXPECT_GE(d.earnings_target, 100.0);
    EXPECT_LT(d.earnings_target, 300.0);
    EXPECT_GE(d.fatigue_threshold_ms, 8 * kHourMs);
    EXPECT_LT(d.fatigue_threshold_ms, 12 * kHourMs);
    targets.push_back(d.earnings_target);
    fatigue_h.push_back(static_cast<double>(d.fatigue_threshold_ms) / static_cast<double>(kHourMs));
  }
  ASSERT_GE(targets.size(), 3'000u);
  const MeanSd t = Moments(targets), f = Moments(fatigue_h);
  EXPECT_NEAR(t.mean, 200.0, 3.0);
  EXPECT_NEAR(f.mean, 10.0, 0.07);
  Stat("S7 " + std::to_string(t.n) + " drivers: target mean " + std::to_string(t.mean) + " (200 +- 3), fatigue mean " +
       std::to_string(f.mean) + " h (10 +- 0.07)");
}

// Timestamps of the non-stale events of one kind.
class KindTimes : public SimObserver {
 public:
  explicit KindTimes(EventKind kind) : kind_(KindOrdinal(kind)) {}
  void OnSnapshot(const SnapshotRow&) override {}
  void OnTripCompleted(const CompletedTripRecord&) override {}
  void OnTripTable(std::span<const TripRow>) override {}
  bool WantsEventTrace() const override { return true; }
  void OnEvent(const EventTrace& e) override {
    if (!e.stale && e.kind == kind_) times.push_back(e.timestamp_ms);
  }
  std::vector<uint64_t> times;

 private:
  uint8_t kind_;
};

TEST(StatisticalTest, S8SpawnGapsAreExponentialAtAConstantMultiplier) {
  // Thursday 10:00-16:00: both weekday multipliers are 1.2 throughout.
  struct Case {
    const char* name;
    bool riders;
  } const kCases[] = {{"riders", true}, {"drivers", false}};
  for (const Case& c : kCases) {
    SimParams p;
    p.seed = 77;
    p.epoch_ms = 10 * static_cast<int64_t>(kHourMs);
    p.request_window_ms = 6 * kHourMs;
    p.driver_spread_ms = 6 * kHourMs;
    p.simulation_end_time_ms = 3 * kHourMs / 2;
    p.num_riders = c.riders ? 40'000 : 0;
    p.num_drivers = c.riders ? 0 : 40'000;
    KindTimes spawns(c.riders ? EventKind::kSpawnRider : EventKind::kSpawnDriver);
    Result<SimOutput> out = RunSimulation(p, &spawns);
    ASSERT_TRUE(out.ok());
    std::vector<double> gaps;
    for (size_t i = 1; i < spawns.times.size(); ++i) {
      gaps.push_back(static_cast<double>(spawns.times[i] - spawns.times[i - 1]));
    }
    ASSERT_GE(gaps.size(), 5'000u) << c.name;
    const double divisor = c.riders ? 1.3 : 1.2;
    const double lambda_per_ms = 40'000.0 / (6 * 3'600.0) / divisor * 1.2 / 1'000.0;
    const MeanSd m = Moments(gaps);
    EXPECT_NEAR(m.mean * lambda_per_ms, 1.0, 0.05) << c.name;
    EXPECT_NEAR(m.sd / m.mean, 1.0, 0.05) << c.name;
    Stat("S8 " + std::string(c.name) + ": " + std::to_string(m.n) + " gaps, mean x lambda " +
         std::to_string(m.mean * lambda_per_ms) + " (1 +- 0.05), CV " + std::to_string(m.sd / m.mean) +
         " (1 +- 0.05)");
  }
}

TEST(StatisticalTest, S9HourOfDayMultipliersShapeArrivals) {
  SimParams p;
  p.seed = 9;
  p.num_riders = 100'000;
  p.num_drivers = 0;
  p.request_window_ms = 24 * kHourMs;
  p.epoch_ms = kMondayEpochMs;
  p.simulation_end_time_ms = 9 * kHourMs;  // Hours 3 and 8 are all that is compared.
  KindTimes spawns(EventKind::kSpawnRider);
  Result<SimOutput> out = RunSimulation(p, &spawns);
  ASSERT_TRUE(out.ok());
  std::array<int64_t, 24> by_hour{};
  for (uint64_t t : spawns.times) ++by_hour[static_cast<size_t>(t / kHourMs)];
  ASSERT_GT(by_hour[3], 500);
  const double ratio = static_cast<double>(by_hour[8]) / static_cast<double>(by_hour[3]);
  EXPECT_NEAR(ratio, 7.5, 0.75);
  Stat("S9 hour-8 / hour-3 riders " + std::to_string(by_hour[8]) + " / " + std::to_string(by_hour[3]) + " = " +
       std::to_string(ratio) + " (7.5 +- 10%)");
}

TEST(StatisticalTest, S10DriverLogitIsCalibrated) {
  std::array<double, 10> sum_p{};
  std::array<int64_t, 10> count{}, accepted{};
  double total_p = 0, total_var = 0;
  int64_t total_accepted = 0;
  for (uint64_t seed = 42; seed < 52; ++seed) {
    SimParams p = ExampleLarge();
    p.seed = seed;
    RunCapture capture(false, /*trace_decisions=*/true);
    Result<SimOutput> out = RunSimulation(p, &capture);
    ASSERT_TRUE(out.ok());
    for (const auto& [prob, ok] : capture.decisions()) {
      const size_t bin = std::min<size_t>(9, static_cast<size_t>(prob * 10));
      sum_p[bin] += prob;
      ++count[bin];
      accepted[bin] += ok ? 1 : 0;
      total_p += prob;
      total_var += prob * (1 - prob);
      total_accepted += ok ? 1 : 0;
    }
  }
  int checked_bins = 0;
  std::string line = "S10 deciles (n, observed, mean P):";
  for (size_t bin = 0; bin < 10; ++bin) {
    if (count[bin] == 0) continue;
    const double observed = static_cast<double>(accepted[bin]) / static_cast<double>(count[bin]);
    const double mean_p = sum_p[bin] / static_cast<double>(count[bin]);
    char buf[96];
    std::snprintf(buf, sizeof(buf), " [%zu: %lld, %.4f, %.4f]", bin, static_cast<long long>(count[bin]), observed,
                  mean_p);
    line += buf;
    if (count[bin] < 500) continue;
    ++checked_bins;
    EXPECT_LE(std::fabs(observed - mean_p), 0.07) << "decile " << bin;
  }
  // Pickups are short in example-large, so most P are high: the top two deciles hold almost every decision.
  EXPECT_GE(checked_bins, 2) << "too few deciles with >= 500 decisions";
  EXPECT_LE(std::fabs(static_cast<double>(total_accepted) - total_p), 4 * std::sqrt(total_var));
  Stat(line + "; accepted " + std::to_string(total_accepted) + " vs sum P " + std::to_string(total_p) +
       " (+- " + std::to_string(4 * std::sqrt(total_var)) + ")");
}

// S10 on example-large only tests the two top deciles (pickups are short, so P is high). With a logit intercept
// of -6, P depends mostly on the trip length and spreads over every decile; the same tolerance must hold there.
TEST(StatisticalTest, S10bLogitIsCalibratedAcrossTheWholeRange) {
  std::array<double, 10> sum_p{};
  std::array<int64_t, 10> count{}, accepted{};
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    SimParams p = ExampleLarge();
    p.seed = seed;
    p.behaviour.base_acceptance_score = -6.0;
    RunCapture capture(false, /*trace_decisions=*/true);
    Result<SimOutput> out = RunSimulation(p, &capture);
    ASSERT_TRUE(out.ok());
    for (const auto& [prob, ok] : capture.decisions()) {
      const size_t bin = std::min<size_t>(9, static_cast<size_t>(prob * 10));
      sum_p[bin] += prob;
      ++count[bin];
      accepted[bin] += ok ? 1 : 0;
    }
  }
  int checked_bins = 0;
  std::string line = "S10b intercept -6, deciles (n, observed, mean P):";
  for (size_t bin = 0; bin < 10; ++bin) {
    if (count[bin] == 0) continue;
    const double observed = static_cast<double>(accepted[bin]) / static_cast<double>(count[bin]);
    const double mean_p = sum_p[bin] / static_cast<double>(count[bin]);
    char buf[96];
    std::snprintf(buf, sizeof(buf), " [%zu: %lld, %.4f, %.4f]", bin, static_cast<long long>(count[bin]), observed,
                  mean_p);
    line += buf;
    if (count[bin] < 500) continue;
    ++checked_bins;
    EXPECT_LE(std::fabs(observed - mean_p), 0.07) << "decile " << bin;
  }
  Stat(line);
  EXPECT_GE(checked_bins, 8);
}

}  // namespace
}  // namespace ridesweep::sim::acceptance
