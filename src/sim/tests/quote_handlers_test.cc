// ShowQuote, QuoteDecision, QuoteRejected and QuoteAccepted handlers: the honest quote (no assignable driver is a
// rejection reason of its own), the rejection reasons and abandonment counters, the rider's price tolerance, the
// stream-5/6 draws and `fixed_acceptance_draw`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/engine.h"
#include "random/rng.h"
#include "tests/world_test_support.h"

namespace ridesweep::sim {
namespace {

using fixtures::E;
using fixtures::HandlerParams;
using fixtures::kC0;
using fixtures::PendingOf;
using fixtures::PendingTimes;
using fixtures::StepOne;
using fixtures::StepUntil;

// True if `rng` has not been drawn from since it was seeded as stream (purpose, index).
bool Untouched(const Engine& engine, Xoshiro256 rng, StreamPurpose purpose, uint32_t index) {
  Xoshiro256 fresh = StreamKeys(engine.params().seed).Stream(purpose, index);
  return rng.Next() == fresh.Next() && rng.Next() == fresh.Next();
}

TEST(QuoteHandlersTest, ShowQuoteWithNoDriversH4) {
  Engine engine(HandlerParams(), nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.Schedule(0, EventKind::kShowQuote, rider);
  StepOne(engine);
  const Rider& r = engine.riders()[rider];
  EXPECT_TRUE(r.has_quote);
  EXPECT_GE(r.quote_fare, 2.50);
  EXPECT_NEAR(r.quote_fare, 2.50 + 5 * 0.330 * 1.50, 1e-9);
  EXPECT_FALSE(r.quote_has_driver);  // No fixed fallback ETA: the rider is told no driver is available.
  EXPECT_EQ(PendingTimes(engine, EventKind::kQuoteDecision, rider), std::vector<uint64_t>{1'000});
  EXPECT_TRUE(engine.CheckInvariants().ok());
  StepOne(engine);
  EXPECT_EQ(engine.riders()[rider].last_rejection_reason, RejectionReason::kNoDriver);
  EXPECT_EQ(PendingOf(engine, EventKind::kQuoteRejected, rider).size(), 1u);
}

TEST(QuoteHandlersTest, ADriverBeyondTheRadiusIsNoDriver) {
  SimParams p = HandlerParams();
  p.match_radius = 3;
  Engine engine(p, nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddDriver(E(4));
  engine.Schedule(0, EventKind::kShowQuote, rider);
  StepOne(engine);
  EXPECT_FALSE(engine.riders()[rider].quote_has_driver);
}

TEST(QuoteHandlersTest, ShowQuoteUsesTheNearestIdleDriver) {
  SimParams p = HandlerParams();
  p.match_radius = 2;
  Engine engine(p, nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddDriver(E(-2));
  engine.Schedule(0, EventKind::kShowQuote, rider);
  StepOne(engine);
  EXPECT_TRUE(engine.riders()[rider].quote_has_driver);
  EXPECT_EQ(engine.riders()[rider].quote_eta_ms, 60'400u);  // 1 s start + 2 hops of 29.7 s at 40 km/h.
}

struct Decision {
  EventKind follow_up;
  uint64_t at;
  RejectionReason reason;
  bool drew;  // Whether stream 5 was drawn.
};

// One quote with a single Idle driver at `driver` (the radius is widened to reach it).
Decision Decide(SimParams p, Cell driver = kC0) {
  p.match_radius = std::max(p.match_radius, HexDistance(driver, kC0));
  Engine engine(p, nullptr);
  engine.AddDriver(driver);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.Schedule(0, EventKind::kShowQuote, rider);
  StepUntil(engine, EventKind::kQuoteDecision, rider);
  Decision d{EventKind::kSimulationStarted, 0, engine.riders()[rider].last_rejection_reason,
             !Untouched(engine, engine.riders()[rider].quote_rng, StreamPurpose::kRiderQuote, rider)};
  const std::vector<Event> pending = fixtures::Pending(engine);
  for (const Event& e : pending) {
    if (e.kind() == EventKind::kQuoteAccepted || e.kind() == EventKind::kQuoteRejected) {
      d.follow_up = e.kind();
      d.at = e.time_ms;
    }
  }
  return d;
}

TEST(QuoteHandlersTest, DecisionWithCertainAcceptOrRejectH5) {
  SimParams accept = HandlerParams();
  accept.behaviour.accept_probability = 1.0;
  const Decision a = Decide(accept);
  EXPECT_EQ(a.follow_up, EventKind::kQuoteAccepted);
  EXPECT_EQ(a.at, 1'000u);  // +0 after the decision at 1 s.
  EXPECT_EQ(a.reason, RejectionReason::kNotRejected);
  EXPECT_TRUE(a.drew);

  SimParams reject = HandlerParams();
  reject.behaviour.accept_probability = 0.0;
  const Decision r = Decide(reject);
  EXPECT_EQ(r.follow_up, EventKind::kQuoteRejected);
  EXPECT_EQ(r.at, 1'000u);
  EXPECT_EQ(r.reason, RejectionReason::kStochastic);
  EXPECT_TRUE(r.drew);
}

TEST(QuoteHandlersTest, HardThresholdsRejectWithoutADraw) {
  SimParams price = HandlerParams();
  price.behaviour.accept_probability = 1.0;
  price.behaviour.max_willingness_to_pay = 4.0;  // The fare is 4.975.
  const Decision p = Decide(price);
  EXPECT_EQ(p.follow_up, EventKind::kQuoteRejected);
  EXPECT_EQ(p.reason, RejectionReason::kPriceTooHigh);
  EXPECT_FALSE(p.drew);

  SimParams eta = HandlerParams();
  eta.behaviour.accept_probability = 1.0;
  eta.behaviour.max_acceptable_eta_ms = 60'399;  // The driver two hops away: the ETA is 60,400.
  const Decision e = Decide(eta, E(-2));
  EXPECT_EQ(e.follow_up, EventKind::kQuoteRejected);
  EXPECT_EQ(e.reason, RejectionReason::kEtaTooLong);
  EXPECT_FALSE(e.drew);

  // Price is checked before the ETA.
  SimParams both = eta;
  both.behaviour.max_willingness_to_pay = 4.0;
  EXPECT_EQ(Decide(both, E(-2)).reason, RejectionReason::kPriceTooHigh);

  // At the thresholds themselves the rider goes on to the draw.
  SimParams edge = HandlerParams();
  edge.behaviour.accept_probability = 1.0;
  edge.behaviour.max_acceptable_eta_ms = 60'400;
  const Decision at_edge = Decide(edge, E(-2));
  EXPECT_EQ(at_edge.follow_up, EventKind::kQuoteAccepted);
  EXPECT_TRUE(at_edge.drew);
}

TEST(QuoteHandlersTest, RejectionBelowTheMaximumReQuotesH6) {
  Engine engine(HandlerParams(), nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.mutable_riders()[rider].quote_rejections = 1;
  engine.mutable_riders()[rider].has_quote = true;
  engine.mutable_riders()[rider].last_rejection_reason = RejectionReason::kStochastic;
  engine.Schedule(5'000, EventKind::kQuoteRejected, rider);
  StepOne(engine);
  const Rider& r = engine.riders()[rider];
  EXPECT_EQ(r.quote_rejections, 2u);
  EXPECT_EQ(r.state, RiderState::kBrowsing);
  EXPECT_FALSE(r.has_quote);
  EXPECT_EQ(PendingTimes(engine, EventKind::kShowQuote, rider), std::vector<uint64_t>{15'000});
  EXPECT_EQ(engine.counters().riders_abandoned_quote_total, 0u);
  EXPECT_TRUE(engine.CheckInvariants().ok());
}

TEST(QuoteHandlersTest, RejectionAboveTheMaximumAbandonsH7) {
  const struct {
    RejectionReason reason;
    uint64_t Counters::*counter;
  } kCases[] = {{RejectionReason::kPriceTooHigh, &Counters::riders_abandoned_price},
                {RejectionReason::kEtaTooLong, &Counters::riders_abandoned_eta},
                {RejectionReason::kStochastic, &Counters::riders_abandoned_stochastic},
                {RejectionReason::kNoDriver, &Counters::riders_abandoned_no_driver}};
  for (const auto& c : kCases) {
    SimParams p = HandlerParams();
    p.behaviour.max_quote_rejections = 2;
    Engine engine(p, nullptr);
    const uint32_t rider = engine.AddRider(kC0, E(5));
    engine.mutable_riders()[rider].quote_rejections = 2;
    engine.mutable_riders()[rider].last_rejection_reason = c.reason;
    engine.Schedule(0, EventKind::kQuoteRejected, rider);
    StepOne(engine);
    EXPECT_EQ(engine.riders()[rider].state, RiderState::kAbandoned);
    EXPECT_FALSE(engine.riders()[rider].alive());
    EXPECT_EQ(engine.counters().riders_abandoned_quote_total, 1u);
    EXPECT_EQ(engine.counters().*c.counter, 1u);
    EXPECT_EQ(engine.counters().riders_abandoned_price + engine.counters().riders_abandoned_eta +
                  engine.counters().riders_abandoned_stochastic + engine.counters().riders_abandoned_no_driver,
              1u);
    EXPECT_TRUE(PendingOf(engine, EventKind::kShowQuote).empty());
    EXPECT_EQ(engine.counters().riders_in_state[0], 0);
    EXPECT_TRUE(engine.CheckInvariants().ok());
  }
}

TEST(QuoteHandlersTest, DefaultRiderSeesAtMostFourQuotes) {
  SimParams p = HandlerParams();
  p.behaviour.accept_probability = 0.0;
  Engine engine(p, nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddDriver(kC0);
  engine.Schedule(0, EventKind::kShowQuote, rider);
  ASSERT_TRUE(engine.Run(nullptr, true).ok());
  EXPECT_EQ(engine.stats().events_by_kind[static_cast<size_t>(EventKind::kShowQuote)], 4u);
  EXPECT_EQ(engine.stats().events_by_kind[static_cast<size_t>(EventKind::kQuoteRejected)], 4u);
  EXPECT_EQ(engine.riders()[rider].state, RiderState::kAbandoned);
  EXPECT_EQ(engine.counters().riders_abandoned_stochastic, 1u);
  // Quotes at 0, 11 s, 22 s, 33 s (decision +1 s, re-quote +10 s after the rejection); abandoned at 34 s.
  EXPECT_EQ(engine.now(), 34'000u);
}

TEST(QuoteHandlersTest, QuoteAcceptedH8) {
  for (bool batch : {false, true}) {
    SCOPED_TRACE(batch ? "batch" : "per-rider");
    SimParams p = HandlerParams();
    p.batch_matching_enabled = batch;
    Engine engine(p, nullptr);
    const uint32_t rider = engine.AddRider(kC0, E(5));
    engine.mutable_riders()[rider].has_quote = true;
    engine.mutable_riders()[rider].quote_fare = 12.5;
    engine.Schedule(1'000, EventKind::kQuoteAccepted, rider);
    StepOne(engine);
    const Rider& r = engine.riders()[rider];
    EXPECT_EQ(r.state, RiderState::kWaiting);
    EXPECT_EQ(r.accepted_fare, 12.5);
    EXPECT_FALSE(r.has_quote);
    EXPECT_EQ(PendingTimes(engine, EventKind::kTryMatch, rider),
              batch ? std::vector<uint64_t>{} : std::vector<uint64_t>{2'000});
    const std::vector<uint64_t> cancel = PendingTimes(engine, EventKind::kRiderCancel, rider);
    ASSERT_EQ(cancel.size(), 1u);
    EXPECT_GE(cancel[0], 121'000u);
    EXPECT_LE(cancel[0], 2'401'000u);
    // W is the first integer in [120, 2400] of the rider's stream 6.
    Xoshiro256 w_stream = StreamKeys(p.seed).Stream(StreamPurpose::kRiderCancel, rider);
    EXPECT_EQ(cancel[0], 1'000 + UniformInt(w_stream, 120, 2'400) * 1'000);
    EXPECT_EQ(engine.counters().riders_in_state[1], 1);
    EXPECT_TRUE(engine.CheckInvariants().ok());
  }
}

TEST(QuoteHandlersTest, PickupTimeoutWindowIsAParameter) {
  SimParams p = HandlerParams();
  p.behaviour.min_wait_secs = 30;
  p.behaviour.max_wait_secs = 10;  // Raised to the minimum: W = 30 exactly.
  Engine engine(p, nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  fixtures::AcceptQuoteNow(engine, rider, 5.0);
  EXPECT_EQ(PendingTimes(engine, EventKind::kRiderCancel, rider), std::vector<uint64_t>{30'000});
}

TEST(QuoteHandlersTest, StaleQuoteEvents) {
  Engine engine(HandlerParams(), nullptr);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  // A decision without a quote, an acceptance without a quote, events for unknown riders.
  engine.Schedule(0, EventKind::kQuoteDecision, rider);
  engine.Schedule(0, EventKind::kQuoteAccepted, rider);
  engine.Schedule(0, EventKind::kShowQuote, 99);
  engine.Schedule(0, EventKind::kQuoteRejected, 99);
  for (int i = 0; i < 4; ++i) StepOne(engine);
  EXPECT_EQ(engine.stats().stale_events, 4u);
  EXPECT_EQ(engine.riders()[rider].state, RiderState::kBrowsing);
  EXPECT_TRUE(engine.queue().empty());
  // A Waiting rider is not quoted again.
  fixtures::AcceptQuoteNow(engine, rider, 5.0);
  engine.Schedule(engine.now(), EventKind::kShowQuote, rider);
  StepUntil(engine, EventKind::kShowQuote, rider);
  EXPECT_EQ(engine.stats().stale_events, 5u);
  EXPECT_FALSE(engine.riders()[rider].has_quote);
}

// §2.2: with the option off, each decision draws afresh; with it on, each rider reuses its first draw.
TEST(QuoteHandlersTest, AcceptanceDrawsFreshOrFixed) {
  for (bool fixed : {false, true}) {
    SCOPED_TRACE(fixed ? "fixed" : "fresh");
    SimParams p = HandlerParams();
    p.seed = 3;
    p.behaviour.accept_probability = 0.5;
    p.behaviour.fixed_acceptance_draw = fixed;
    p.simulation_end_time_ms = 60'000;  // After every decision, before any pickup timeout.
    p.behaviour.base_acceptance_score = -100;  // Offered drivers decline, so riders stay Waiting.
    Engine engine(p, nullptr);
    constexpr uint32_t kRiders = 60;
    for (uint32_t i = 0; i < 4 * kRiders; ++i) engine.AddDriver(kC0);  // Every quote finds an Idle driver.
    for (uint32_t i = 0; i < kRiders; ++i) {
      engine.AddRider(kC0, E(5));
      engine.Schedule(0, EventKind::kShowQuote, i);
    }
    ASSERT_TRUE(engine.Run(nullptr, true).ok());
    int accepted_after_rejection = 0;
    for (uint32_t i = 0; i < kRiders; ++i) {
      Xoshiro256 stream = StreamKeys(p.seed).Stream(StreamPurpose::kRiderQuote, i);
      double draws[4];
      for (double& u : draws) u = U01(stream);
      int accepted_at = -1;
      for (int k = 0; k < 4 && accepted_at < 0; ++k) {
        if ((fixed ? draws[0] : draws[k]) < 0.5) accepted_at = k;
      }
      const Rider& r = engine.riders()[i];
      if (accepted_at < 0) {
        EXPECT_EQ(r.state, RiderState::kAbandoned) << "rider " << i;
      } else {
        EXPECT_EQ(r.state, RiderState::kWaiting) << "rider " << i;
        EXPECT_EQ(r.quote_rejections, static_cast<uint32_t>(accepted_at)) << "rider " << i;
        accepted_after_rejection += accepted_at > 0 ? 1 : 0;
      }
    }
    if (fixed) {
      EXPECT_EQ(accepted_after_rejection, 0);
    } else {
      EXPECT_GT(accepted_after_rejection, 0);
    }
  }
}

TEST(QuoteHandlersTest, APriceAboveTheRidersToleranceIsPriceTooHigh) {
  SimParams p = HandlerParams();
  p.behaviour.accept_probability = 1.0;
  p.pricing_config.surge_enabled = true;
  p.pricing_config.surge_sensitivity = 1.0;
  p.pricing_config.surge_max_multiplier = 3.0;
  Engine engine(p, nullptr);
  engine.AddDriver(kC0);
  const uint32_t rider = engine.AddRider(kC0, E(5));
  engine.AddRider(kC0, E(5));
  engine.AddRider(kC0, E(5));  // Two other riders, one driver: m = 1 + 1 / 2 = 1.5.
  engine.mutable_riders()[rider].max_multiplier = 1.4;
  engine.Schedule(0, EventKind::kShowQuote, rider);
  StepUntil(engine, EventKind::kQuoteDecision, rider);
  EXPECT_DOUBLE_EQ(engine.riders()[rider].quote_multiplier, 1.5);
  EXPECT_EQ(engine.riders()[rider].last_rejection_reason, RejectionReason::kPriceTooHigh);
}

TEST(QuoteHandlersTest, PriceToleranceIsExponentialAboveOne) {
  // 1 + w, w ~ Exponential(mean 0.5): the sample mean of 4,000 riders is within 4 standard errors
  // (sd 0.5 / sqrt(4000) = 0.0079) of 1.5, and every tolerance is at least 1.
  Engine engine(HandlerParams(), nullptr);
  double sum = 0.0;
  constexpr int kRiders = 4'000;
  for (int i = 0; i < kRiders; ++i) {
    const uint32_t r = engine.AddRider(kC0, E(5));
    ASSERT_GE(engine.riders()[r].max_multiplier, 1.0);
    sum += engine.riders()[r].max_multiplier;
  }
  EXPECT_NEAR(sum / kRiders, 1.5, 4 * 0.5 / std::sqrt(double{kRiders}));
}

}  // namespace
}  // namespace ridesweep::sim
