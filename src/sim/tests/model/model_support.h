// Support for the model-validity suite (`ctest -L model`): run one point with a fixed seed, check the model's
// invariants on it, and summarise a metric over seeds (mean and standard error) so that every comparison states
// its tolerance in standard errors. Each point owns its engine; nothing is shared between tests.
#ifndef RIDESWEEP_SIM_TESTS_MODEL_MODEL_SUPPORT_H_
#define RIDESWEEP_SIM_TESTS_MODEL_MODEL_SUPPORT_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "ridesweep/sim/observer.h"
#include "ridesweep/sim/params.h"

namespace ridesweep::sim::model_test {

// Seeds of every level: at least five per level (the rule); eight where a run costs milliseconds.
inline constexpr uint64_t kSeeds[] = {11, 23, 37, 41, 53, 67, 79, 97};

// Driver utilisation while riders arrive: busy / (busy + idle) drivers, time-weighted over the snapshot rows up
// to the last rider's request (the spawner reaches its cap before the window ends in a busy morning).
class UtilisationObserver : public SimObserver {
 public:
  void OnSnapshot(const SnapshotRow& row) override { rows_.push_back(row); }
  void OnTripCompleted(const CompletedTripRecord&) override {}
  void OnTripTable(std::span<const TripRow>) override {}
  double Utilisation(uint64_t until_ms) const {
    double busy = 0.0, idle = 0.0;
    for (size_t i = 1; i < rows_.size() && rows_[i].timestamp_ms <= static_cast<int64_t>(until_ms); ++i) {
      const double dt = static_cast<double>(rows_[i].timestamp_ms - rows_[i - 1].timestamp_ms);
      const SnapshotRow& r = rows_[i - 1];
      busy += dt * static_cast<double>(r.drivers_evaluating + r.drivers_en_route + r.drivers_on_trip);
      idle += dt * static_cast<double>(r.drivers_idle);
    }
    return busy + idle > 0 ? busy / (busy + idle) : 0.0;
  }

 private:
  std::vector<SnapshotRow> rows_;
};

// What a model test reads from one finished point.
struct PointRun {
  PointMetrics metrics;
  RunStats stats;
  double utilisation = 0.0;
  // Completed trips only.
  std::vector<double> trip_km;            // Straight-line pickup -> dropoff.
  std::vector<double> surge_multipliers;  // fare / base fare.
  double dispatch_eta_ms_sum = 0.0;       // ETA at the driver's acceptance.
  double quoted_eta_ms_sum = 0.0;         // ETA the rider was quoted.
  double realised_pickup_ms_sum = 0.0;    // pickup_at - matched_at.
  uint64_t quotes_shown = 0;
  uint64_t quotes_accepted = 0;
  uint64_t driver_decisions = 0;
  uint64_t trips_created = 0;
  double driver_acceptance() const {
    return driver_decisions == 0 ? 0.0 : static_cast<double>(trips_created) / static_cast<double>(driver_decisions);
  }
  double quote_acceptance() const {
    return quotes_shown == 0 ? 0.0 : static_cast<double>(quotes_accepted) / static_cast<double>(quotes_shown);
  }
};

// The invariants every point of every model test must satisfy (checked on the finished world).
inline void ExpectInvariants(const Engine& engine, const PointMetrics& m, const std::string& where) {
  SCOPED_TRACE(where);
  const SimParams& p = engine.params();
  EXPECT_TRUE(engine.CheckInvariants().ok()) << engine.CheckInvariants().message();
  // Money: every fare is split into the driver's net pay and the platform's commission.
  double payouts = 0.0;
  for (const Driver& d : engine.drivers()) payouts += d.daily_earnings;
  EXPECT_NEAR(payouts + m.platform_revenue, m.total_fares_collected, 1e-6 * (1.0 + m.total_fares_collected));
  EXPECT_NEAR(m.platform_revenue, p.pricing_config.commission_rate * m.total_fares_collected,
              1e-6 * (1.0 + m.total_fares_collected));
  // Riders are conserved.
  EXPECT_EQ(m.riders_spawned,
            m.completed_riders + m.cancelled_riders + m.abandoned_quote_riders + m.riders_unresolved);
  EXPECT_EQ(m.abandoned_quote_riders, m.riders_abandoned_price + m.riders_abandoned_eta +
                                          m.riders_abandoned_stochastic + m.riders_abandoned_no_driver);
  // Surge stays within [1, cap]; time moves forward along every trip.
  const double cap = p.pricing_config.surge_enabled ? p.pricing_config.surge_max_multiplier : 1.0;
  std::map<uint32_t, std::vector<std::pair<uint64_t, uint64_t>>> busy;  // driver -> [matched, end] per trip.
  for (const Trip& t : engine.trips()) {
    const double base = engine.BaseFare(t.pickup_cell, t.dropoff_cell);
    EXPECT_GE(t.agreed_fare, base - 1e-9);
    EXPECT_LE(t.agreed_fare, base * cap + 1e-9);
    EXPECT_LE(t.requested_at, t.matched_at);
    if (t.pickup_at) {
      EXPECT_LE(t.matched_at, *t.pickup_at);
    }
    if (t.dropoff_at) {
      ASSERT_TRUE(t.pickup_at.has_value());
      EXPECT_LT(*t.pickup_at, *t.dropoff_at);
    }
    const uint64_t end = t.dropoff_at ? *t.dropoff_at : t.cancelled_at ? *t.cancelled_at : UINT64_MAX;
    busy[t.driver].emplace_back(t.matched_at, end);
  }
  // No driver on two trips at once.
  for (auto& [driver, spans] : busy) {
    std::sort(spans.begin(), spans.end());
    for (size_t i = 1; i < spans.size(); ++i) {
      EXPECT_LE(spans[i - 1].second, spans[i].first) << "driver " << driver << " on two trips at once";
    }
  }
  // No re-offer loops: a driver that declined a rider never carries that rider.
  for (const Trip& t : engine.trips()) {
    const std::vector<uint32_t>& declined = engine.riders()[t.rider].declined_by;
    EXPECT_EQ(std::find(declined.begin(), declined.end(), t.driver), declined.end());
  }
}

inline PointRun RunPoint(const SimParams& params) {
  EXPECT_TRUE(ValidateSimParams(params).ok());
  UtilisationObserver observer;
  Engine engine(params, &observer);
  engine.ScheduleStart();
  EXPECT_TRUE(engine.Run(nullptr, false).ok());
  PointRun run;
  run.metrics = engine.Finish();
  run.stats = engine.stats();
  run.utilisation = observer.Utilisation(engine.riders().empty() ? 0 : engine.riders().back().requested_at);
  for (const Trip& t : engine.trips()) {
    if (!t.dropoff_at) continue;
    run.trip_km.push_back(DistKm(t.pickup_cell, t.dropoff_cell));
    run.surge_multipliers.push_back(t.agreed_fare / engine.BaseFare(t.pickup_cell, t.dropoff_cell));
    run.dispatch_eta_ms_sum += static_cast<double>(t.pickup_eta_at_accept_ms);
    run.quoted_eta_ms_sum += static_cast<double>(engine.riders()[t.rider].quote_eta_ms);
    run.realised_pickup_ms_sum += static_cast<double>(*t.pickup_at - t.matched_at);
  }
  const auto count = [&](EventKind k) { return run.stats.events_by_kind[static_cast<size_t>(k)]; };
  run.quotes_shown = count(EventKind::kShowQuote);
  run.quotes_accepted = count(EventKind::kQuoteAccepted);
  run.driver_decisions = count(EventKind::kDriverDecision);
  run.trips_created = run.stats.trips_created;
  ExpectInvariants(engine, run.metrics, "seed " + std::to_string(params.seed));
  return run;
}

// Mean and standard error of a metric over the seeds of one level.
struct Estimate {
  double mean = 0.0;
  double se = 0.0;
};

inline Estimate Summarise(const std::vector<double>& values) {
  Estimate e;
  if (values.empty()) return e;
  for (double v : values) e.mean += v;
  e.mean /= static_cast<double>(values.size());
  if (values.size() < 2) return e;
  double ss = 0.0;
  for (double v : values) ss += (v - e.mean) * (v - e.mean);
  e.se = std::sqrt(ss / static_cast<double>(values.size() - 1) / static_cast<double>(values.size()));
  return e;
}

// Runs `params` at every seed of kSeeds (the first `seeds` of them) and summarises `metric`.
inline std::vector<PointRun> RunSeeds(SimParams params, size_t seeds = std::size(kSeeds)) {
  std::vector<PointRun> runs;
  for (size_t i = 0; i < seeds; ++i) {
    params.seed = kSeeds[i];
    runs.push_back(RunPoint(params));
  }
  return runs;
}

inline Estimate Measure(const std::vector<PointRun>& runs, const std::function<double(const PointRun&)>& metric) {
  std::vector<double> values;
  for (const PointRun& r : runs) values.push_back(metric(r));
  return Summarise(values);
}

// Standard error of a difference of two independent estimates.
inline double SeDiff(const Estimate& a, const Estimate& b) { return std::sqrt(a.se * a.se + b.se * b.se); }

// Prints a response table row so the suite's log records the measured numbers.
inline void Report(const std::string& what, double level, const Estimate& e) {
  std::printf("[model] %-34s level %10.3f  mean %12.4f  se %10.4f\n", what.c_str(), level, e.mean, e.se);
}

}  // namespace ridesweep::sim::model_test

#endif  // RIDESWEEP_SIM_TESTS_MODEL_MODEL_SUPPORT_H_
