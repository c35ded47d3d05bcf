// The model-validity suite (`ctest -L model`): the marketplace responds to its levers the way a marketplace does.
// Every point runs with fixed seeds (kSeeds, at least five per level) and passes the invariants of
// model_support.h; every comparison states its tolerance in measured standard errors (SE of a level's mean over
// seeds; SeDiff for a difference). "Does not rise beyond noise" means the later level is at most 2 SE_diff above
// the earlier one; "rises" means the last level exceeds the first by more than 3 SE_diff and no step falls by
// more than 2 SE_diff. Each test prints its table ([model] lines) so the log records the measured responses.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "ridesweep/sim/scenarios.h"
#include "tests/model/model_support.h"

namespace ridesweep::sim::model_test {
namespace {

constexpr double kNoise = 2.0;   // A step may go the wrong way by at most this many SE_diff.
constexpr double kSignal = 3.0;  // An end-to-end response must exceed this many SE_diff.

// The default market (what `simulate` runs with no flags and a sweep point with no dimensions).
SimParams Market() { return SimParams{}; }

// Checks a monotone response over levels: no step against `direction` beyond kNoise SE_diff, and the last level
// beyond the first by kSignal SE_diff in `direction` (+1 rises, -1 falls).
void ExpectMonotone(const std::vector<Estimate>& levels, int direction, const std::string& what) {
  SCOPED_TRACE(what);
  for (size_t i = 1; i < levels.size(); ++i) {
    const double step = direction * (levels[i].mean - levels[i - 1].mean);
    EXPECT_GT(step, -kNoise * SeDiff(levels[i], levels[i - 1])) << "step " << i;
  }
  const double total = direction * (levels.back().mean - levels.front().mean);
  EXPECT_GT(total, kSignal * SeDiff(levels.back(), levels.front()));
}

// Never rises beyond noise from one level to the next.
void ExpectNotRising(const std::vector<Estimate>& levels, const std::string& what) {
  SCOPED_TRACE(what);
  for (size_t i = 1; i < levels.size(); ++i) {
    EXPECT_LE(levels[i].mean - levels[i - 1].mean, kNoise * SeDiff(levels[i], levels[i - 1])) << "step " << i;
  }
}

double AbandonedShare(const PointRun& r) {
  return r.metrics.total_riders == 0 ? 0.0
                                     : static_cast<double>(r.metrics.abandoned_quote_riders) /
                                           static_cast<double>(r.metrics.total_riders);
}

// --- Supply -------------------------------------------------------------------------------------------------

TEST(ModelSupplyTest, MoreDriversServeMoreRidersFaster) {
  std::vector<Estimate> conversion, abandoned, within60, pickup;
  for (uint64_t drivers : {50, 100, 200, 400, 800}) {
    SimParams p = Market();
    p.num_drivers = drivers;
    const std::vector<PointRun> runs = RunSeeds(p);
    conversion.push_back(Measure(runs, [](const PointRun& r) { return r.metrics.conversion_rate; }));
    abandoned.push_back(Measure(runs, AbandonedShare));
    within60.push_back(Measure(runs, [](const PointRun& r) { return r.metrics.share_matched_within_60s.value(); }));
    pickup.push_back(Measure(runs, [](const PointRun& r) { return r.metrics.avg_time_to_pickup_ms.value(); }));
    const double level = static_cast<double>(drivers);
    Report("supply: conversion", level, conversion.back());
    Report("supply: abandoned at quote share", level, abandoned.back());
    Report("supply: P(matched within 60 s)", level, within60.back());
    Report("supply: mean pickup ms", level, pickup.back());
  }
  ExpectMonotone(conversion, +1, "conversion rises with supply");
  ExpectNotRising(abandoned, "abandonment at the quote never rises with supply");
  ExpectMonotone(within60, +1, "P(matched within 60 s) rises with supply");
  ExpectMonotone(pickup, -1, "mean pickup time falls with supply");
}

// --- Demand -------------------------------------------------------------------------------------------------

TEST(ModelDemandTest, MoreRidersAtFixedDriversMatchLessAndWaitLonger) {
  std::vector<Estimate> match_rate, within60, wait;
  for (uint64_t riders : {250, 500, 1000, 2000}) {
    SimParams p = Market();
    p.num_riders = riders;
    const std::vector<PointRun> runs = RunSeeds(p);
    // Match probability of a rider: matched within 180 s of the request, over all riders.
    match_rate.push_back(Measure(runs, [](const PointRun& r) { return r.metrics.share_matched_within_180s.value(); }));
    within60.push_back(Measure(runs, [](const PointRun& r) { return r.metrics.share_matched_within_60s.value(); }));
    wait.push_back(Measure(runs, [](const PointRun& r) {
      return r.metrics.avg_time_to_match_ms.value() + r.metrics.avg_time_to_pickup_ms.value();
    }));
    const double level = static_cast<double>(riders);
    Report("demand: P(matched within 180 s)", level, match_rate.back());
    Report("demand: P(matched within 60 s)", level, within60.back());
    Report("demand: wait to pickup ms", level, wait.back());
  }
  ExpectMonotone(match_rate, -1, "match probability falls with demand");
  ExpectMonotone(wait, +1, "waits rise with demand");
}

// --- Commission ---------------------------------------------------------------------------------------------

TEST(ModelCommissionTest, DriversRespondToNetPayAndRevenuePeaksInside) {
  const std::vector<double> rates = {0.0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9};
  std::vector<Estimate> per_trip, acceptance, completed, revenue;
  for (double rate : rates) {
    SimParams p = Market();
    p.pricing_config.commission_rate = rate;
    const std::vector<PointRun> runs = RunSeeds(p);
    per_trip.push_back(Measure(runs, [](const PointRun& r) {
      return r.metrics.platform_revenue / static_cast<double>(std::max<int64_t>(1, r.metrics.completed_trips));
    }));
    acceptance.push_back(Measure(runs, [](const PointRun& r) { return r.driver_acceptance(); }));
    completed.push_back(Measure(runs, [](const PointRun& r) { return static_cast<double>(r.metrics.completed_trips); }));
    revenue.push_back(Measure(runs, [](const PointRun& r) { return r.metrics.platform_revenue; }));
    Report("commission: revenue per trip", rate, per_trip.back());
    Report("commission: driver acceptance", rate, acceptance.back());
    Report("commission: completed trips", rate, completed.back());
    Report("commission: platform revenue", rate, revenue.back());
  }
  // Revenue per trip rises from a commission of 0 (where it is exactly 0).
  ExpectMonotone(per_trip, +1, "revenue per trip rises with commission");
  ExpectMonotone(acceptance, -1, "driver acceptance falls with commission");
  ExpectNotRising(completed, "completed trips do not rise with commission");
  // Platform revenue has an interior maximum: the best level is neither end, and beats both ends by 3 SE_diff.
  const size_t best = static_cast<size_t>(
      std::max_element(revenue.begin(), revenue.end(), [](const Estimate& a, const Estimate& b) {
        return a.mean < b.mean;
      }) - revenue.begin());
  EXPECT_GT(best, 0u);
  EXPECT_LT(best, rates.size() - 1);
  EXPECT_GT(revenue[best].mean - revenue.front().mean, kSignal * SeDiff(revenue[best], revenue.front()));
  EXPECT_GT(revenue[best].mean - revenue.back().mean, kSignal * SeDiff(revenue[best], revenue.back()));
}

// --- Surge --------------------------------------------------------------------------------------------------

TEST(ModelSurgeTest, ExampleLargeSurgesSmoothly) {
  // At least half of the surged trips pay strictly between 1x and the cap, on each of five seeds.
  const SimParams large = *FindScenario("example-large");
  const double cap = large.pricing_config.surge_max_multiplier;
  std::vector<double> interior_shares;
  for (size_t i = 0; i < 5; ++i) {
    SimParams p = large;
    p.seed = kSeeds[i];
    const PointRun run = RunPoint(p);
    size_t surged = 0, interior = 0;
    for (double m : run.surge_multipliers) {
      if (m > 1.0 + 1e-9) ++surged;
      if (m > 1.0 + 1e-9 && m < cap - 1e-9) ++interior;
    }
    ASSERT_GT(surged, 0u) << "seed " << p.seed;
    interior_shares.push_back(static_cast<double>(interior) / static_cast<double>(surged));
    EXPECT_GE(interior_shares.back(), 0.5) << "seed " << p.seed;
  }
  Report("surge: interior share of surged trips", cap, Summarise(interior_shares));
}

TEST(ModelSurgeTest, AHigherCapLowersQuoteAcceptance) {
  std::vector<Estimate> acceptance;
  for (double cap : {1.0, 1.5, 2.0, 3.0}) {
    SimParams p = Market();
    p.pricing_config.surge_enabled = true;
    p.pricing_config.surge_radius_k = 3;
    p.pricing_config.surge_sensitivity = 1.0;
    p.pricing_config.surge_max_multiplier = cap;
    const std::vector<PointRun> runs = RunSeeds(p);
    acceptance.push_back(Measure(runs, [](const PointRun& r) { return r.quote_acceptance(); }));
    Report("surge: quote acceptance", cap, acceptance.back());
  }
  ExpectMonotone(acceptance, -1, "quote acceptance falls as the cap rises");
}

// --- Radius -------------------------------------------------------------------------------------------------

TEST(ModelRadiusTest, MoreRadiusMoreMatchesLongerPickups) {
  std::vector<Estimate> matched, pickup;
  for (uint32_t radius : {2u, 4u, 8u, 12u}) {
    SimParams p = Market();
    p.match_radius = radius;
    const std::vector<PointRun> runs = RunSeeds(p);
    matched.push_back(Measure(runs, [](const PointRun& r) { return static_cast<double>(r.trips_created); }));
    pickup.push_back(Measure(runs, [](const PointRun& r) { return r.metrics.avg_time_to_pickup_ms.value(); }));
    Report("radius: trips created (matches)", radius, matched.back());
    Report("radius: mean pickup ms", radius, pickup.back());
  }
  ExpectMonotone(matched, +1, "more radius, more matches");
  ExpectMonotone(pickup, +1, "more radius, longer pickups");
}

TEST(ModelRadiusTest, QuotesNeverPromiseAnUnreachableDriver) {
  // Step the default market; at every ShowQuote compare the engine's quote with a brute-force search of the Idle
  // drivers within match_radius.
  SimParams p = Market();
  p.seed = kSeeds[0];
  Engine engine(p, nullptr);
  engine.ScheduleStart();
  size_t quotes = 0, with_driver = 0;
  while (!engine.queue().empty()) {
    const Event next = engine.queue().Top();
    std::optional<uint32_t> best_hops;
    if (next.kind() == EventKind::kShowQuote && next.subject < engine.riders().size() &&
        engine.riders()[next.subject].state == RiderState::kBrowsing) {
      const Cell at = engine.riders()[next.subject].cell;
      for (const Driver& d : engine.drivers()) {
        const uint32_t hops = HexDistance(d.cell, at);
        if (d.state == DriverState::kIdle && hops <= p.match_radius) best_hops = std::min(best_hops.value_or(hops), hops);
      }
    }
    if (!engine.Step()) break;
    if (next.kind() != EventKind::kShowQuote || next.subject >= engine.riders().size()) continue;
    const Rider& r = engine.riders()[next.subject];
    if (!r.has_quote) continue;
    ++quotes;
    ASSERT_EQ(r.quote_has_driver, best_hops.has_value()) << "quote " << quotes;
    if (best_hops) {
      ++with_driver;
      EXPECT_EQ(r.quote_eta_ms, engine.RouteEtaMs(*best_hops, r.cell));
    }
  }
  EXPECT_GT(with_driver, 100u);  // Both kinds of quote were exercised.
  EXPECT_GT(quotes - with_driver, 100u);
}

TEST(ModelRadiusTest, QuotedAndRealisedPickupTimesAgree) {
  // The ETA matching assumes when a driver accepts and the pickup time movement realises agree within 10% on
  // average (sums over the completed trips of eight seeds), and so does the ETA riders were quoted.
  double dispatch = 0.0, quoted = 0.0, realised = 0.0;
  for (const PointRun& r : RunSeeds(Market())) {
    dispatch += r.dispatch_eta_ms_sum;
    quoted += r.quoted_eta_ms_sum;
    realised += r.realised_pickup_ms_sum;
  }
  std::printf("[model] pickup: realised / dispatch ETA %.4f, realised / quoted ETA %.4f\n", realised / dispatch,
              realised / quoted);
  EXPECT_NEAR(realised / dispatch, 1.0, 0.10);
  EXPECT_NEAR(realised / quoted, 1.0, 0.10);
}

// --- Limits -------------------------------------------------------------------------------------------------

TEST(ModelLimitsTest, AbundantDriversReachTheQuoteAcceptanceBound) {
  // With far more drivers than riders, every rider who accepts a quote is served: conversion is within one
  // point of the share of riders who accepted a quote.
  SimParams p = Market();
  p.num_drivers = 4'000;
  std::vector<double> gaps;
  for (const PointRun& r : RunSeeds(p, 5)) {
    const double accepted = static_cast<double>(r.metrics.completed_riders + r.metrics.cancelled_riders) /
                            static_cast<double>(r.metrics.total_riders);
    gaps.push_back(accepted - r.metrics.conversion_rate);
  }
  const Estimate gap = Summarise(gaps);
  Report("limits: bound - conversion", 4'000, gap);
  EXPECT_LT(gap.mean + kNoise * gap.se, 0.01);
}

TEST(ModelLimitsTest, VeryFewDriversAreFullyUsedAndWaitsGrow) {
  // Heavy demand (2,000 riders) on ever fewer drivers. Utilisation is measured while riders arrive. Waits are
  // read as the share of riders matched within 180 s: a rider never matched has an unbounded wait, so averaging
  // only the matched riders' waits would reward scarcity (survivorship).
  std::vector<Estimate> utilisation, within180;
  for (uint64_t drivers : {40, 20, 10}) {
    SimParams p = Market();
    p.num_riders = 2'000;
    p.num_drivers = drivers;
    const std::vector<PointRun> runs = RunSeeds(p);
    utilisation.push_back(Measure(runs, [](const PointRun& r) { return r.utilisation; }));
    within180.push_back(Measure(runs, [](const PointRun& r) { return r.metrics.share_matched_within_180s.value(); }));
    Report("limits: driver utilisation", static_cast<double>(drivers), utilisation.back());
    Report("limits: P(matched within 180 s)", static_cast<double>(drivers), within180.back());
  }
  EXPECT_GT(utilisation.back().mean - kNoise * utilisation.back().se, 0.95);
  ExpectMonotone(within180, -1, "waits grow (fewer riders matched within 180 s) as drivers get scarcer");
}

// --- Traffic and time of day ----------------------------------------------------------------------------------

TEST(ModelTrafficTest, BerlinTrafficSlowsPickupsInTheMorning) {
  // The default start is 07:00 on a weekday: the Berlin profile is 0.45 until 09:00 and 0.65 after, so pickups
  // take longer than with no profile.
  std::vector<Estimate> pickup;
  for (TrafficProfileKind kind : {TrafficProfileKind::kNone, TrafficProfileKind::kBerlin}) {
    SimParams p = Market();
    p.traffic_profile.kind = kind;
    const std::vector<PointRun> runs = RunSeeds(p);
    pickup.push_back(Measure(runs, [](const PointRun& r) { return r.metrics.avg_time_to_pickup_ms.value(); }));
    Report("traffic: mean pickup ms (0 none, 1 berlin)", kind == TrafficProfileKind::kBerlin ? 1 : 0,
           pickup.back());
  }
  EXPECT_GT(pickup[1].mean - pickup[0].mean, kSignal * SeDiff(pickup[1], pickup[0]));
}

// --- Trips ----------------------------------------------------------------------------------------------------

TEST(ModelTripTest, TripLengthsAreCityShaped) {
  std::vector<double> km;
  for (const PointRun& r : RunSeeds(Market(), 5)) km.insert(km.end(), r.trip_km.begin(), r.trip_km.end());
  ASSERT_GT(km.size(), 500u);
  std::sort(km.begin(), km.end());
  const double median = km[km.size() / 2];
  const double over15 = static_cast<double>(km.end() - std::upper_bound(km.begin(), km.end(), 15.0)) /
                        static_cast<double>(km.size());
  std::printf("[model] trips: %zu completed, median %.2f km, %.1f%% above 15 km\n", km.size(), median,
              100.0 * over15);
  EXPECT_GE(median, 4.0);
  EXPECT_LE(median, 7.0);
  EXPECT_LT(over15, 0.10);
}

// --- Metrics --------------------------------------------------------------------------------------------------

TEST(ModelMetricsTest, APointThatServesNoOneHasNoTimeMetrics) {
  SimParams p = Market();
  p.num_drivers = 0;
  p.seed = kSeeds[0];
  const PointRun run = RunPoint(p);
  EXPECT_EQ(run.metrics.completed_trips, 0);
  EXPECT_FALSE(run.metrics.avg_time_to_match_ms.has_value());
  EXPECT_FALSE(run.metrics.avg_time_to_pickup_ms.has_value());
  EXPECT_FALSE(run.metrics.match_rate.has_value());  // Nobody accepted a quote: no driver was ever available.
  EXPECT_EQ(run.metrics.riders_abandoned_no_driver, run.metrics.total_riders);
  EXPECT_EQ(run.metrics.share_matched_within_60s, std::optional<double>(0.0));
}

}  // namespace
}  // namespace ridesweep::sim::model_test
