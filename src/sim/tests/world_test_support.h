// Shared helpers for the sim unit and handler tests (spec/simulation.md §16): the §16 fixtures (C0, Eₖ),
// handler-test parameters (batching off, speed pinned to [40, 40]), queue inspection without disturbing the
// engine, stepping helpers, and a geometric check that a cell's hexagon touches a lat/lng box.
// Header-only; test code only.
#ifndef RIDESWEEP_SIM_TESTS_WORLD_TEST_SUPPORT_H_
#define RIDESWEEP_SIM_TESTS_WORLD_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <optional>
#include <ostream>
#include <vector>

#include "engine/engine.h"
#include "engine/event.h"
#include "engine/event_queue.h"
#include "geo/hex_grid.h"

namespace ridesweep::sim {

// gtest printers (found by ADL).
inline void PrintTo(const Cell& c, std::ostream* os) { *os << "(" << c.q << ", " << c.r << ")"; }
inline void PrintTo(const EventKind& k, std::ostream* os) { *os << EventKindName(k); }

namespace fixtures {

inline constexpr Cell kC0{0, 0};
inline Cell E(int32_t k) { return {k, 0}; }
inline constexpr uint32_t kAnySubject = UINT32_MAX - 1;
inline constexpr uint64_t kSec = 1'000;
inline constexpr uint64_t kHour = 3'600'000;

// Handler-test parameters: the wide Berlin box (52.34-52.68, 13.08-13.76) at epoch 0 (Thursday 00:00, traffic
// factor 1), commission 0, match radius 0 and the logit weights (1, 0.1, -2, 0.5) the hand-computed expectations
// use; batching off, speed pinned to [40, 40]. The nominal caps only bound the I6 invariant: handler tests add
// agents directly and never schedule SimulationStarted.
inline SimParams HandlerParams() {
  SimParams p;
  p.lat_min = 52.34;
  p.lat_max = 52.68;
  p.lng_min = 13.08;
  p.lng_max = 13.76;
  p.epoch_ms = 0;
  p.match_radius = 0;
  p.pricing_config.commission_rate = 0.0;
  p.behaviour.base_acceptance_score = 1.0;
  p.behaviour.fare_weight = 0.1;
  p.behaviour.pickup_distance_penalty = -2.0;
  p.behaviour.trip_distance_bonus = 0.5;
  p.batch_matching_enabled = false;
  p.speed_range_override_kmh = std::array<double, 2>{40.0, 40.0};
  p.num_riders = 10'000;
  p.num_drivers = 10'000;
  p.simulation_end_time_ms = 100 * kHour;
  return p;
}

// Every pending event in pop order; the engine's queue is copied, not touched.
inline std::vector<Event> Pending(const Engine& engine) {
  EventQueue copy = engine.queue();
  std::vector<Event> out;
  while (!copy.empty()) out.push_back(copy.Pop());
  return out;
}

// Pending events of one kind, optionally for one subject, in pop order.
inline std::vector<Event> PendingOf(const Engine& engine, EventKind kind, uint32_t subject = kAnySubject) {
  std::vector<Event> out;
  for (const Event& e : Pending(engine)) {
    if (e.kind() == kind && (subject == kAnySubject || e.subject == subject)) out.push_back(e);
  }
  return out;
}

// Timestamps of the pending events of one kind (and subject).
inline std::vector<uint64_t> PendingTimes(const Engine& engine, EventKind kind, uint32_t subject = kAnySubject) {
  std::vector<uint64_t> out;
  for (const Event& e : PendingOf(engine, kind, subject)) out.push_back(e.time_ms);
  return out;
}

// Processes the next event and returns it; fails the test if the loop would stop instead.
inline Event StepOne(Engine& engine) {
  if (engine.queue().empty()) {
    ADD_FAILURE() << "StepOne on an empty queue";
    return Event{};
  }
  const Event next = engine.queue().Top();
  const bool stepped = engine.Step();
  EXPECT_TRUE(stepped) << "the run loop stopped before " << EventKindName(next.kind()) << " at " << next.time_ms;
  return next;
}

// Processes events until one of `kind` (for `subject`, unless kAnySubject) has been processed; returns it, or
// none if the loop stopped or `max_steps` events went by first. Checks the invariants after every event.
inline std::optional<Event> StepUntil(Engine& engine, EventKind kind, uint32_t subject = kAnySubject,
                                      int max_steps = 100'000) {
  for (int i = 0; i < max_steps && !engine.queue().empty(); ++i) {
    const Event next = engine.queue().Top();
    if (!engine.Step()) return std::nullopt;
    const Status status = engine.CheckInvariants();
    EXPECT_TRUE(status.ok()) << status.ToString() << " after " << EventKindName(next.kind()) << " at "
                             << next.time_ms;
    if (next.kind() == kind && (subject == kAnySubject || next.subject == subject)) return next;
  }
  return std::nullopt;
}

// Processes every event with a timestamp <= t (invariants checked after each).
inline void StepThrough(Engine& engine, uint64_t t) {
  while (!engine.queue().empty() && engine.queue().Top().time_ms <= t) {
    const Event next = engine.queue().Top();
    if (!engine.Step()) return;
    const Status status = engine.CheckInvariants();
    EXPECT_TRUE(status.ok()) << status.ToString() << " after " << EventKindName(next.kind()) << " at "
                             << next.time_ms;
  }
}

// Makes a Browsing rider Waiting through the real QuoteAccepted handler, with `fare` as the accepted quote.
inline void AcceptQuoteNow(Engine& engine, uint32_t rider, double fare) {
  Rider& r = engine.mutable_riders()[rider];
  r.has_quote = true;
  r.quote_fare = fare;
  engine.Schedule(engine.now(), EventKind::kQuoteAccepted, rider);
  const std::optional<Event> e = StepUntil(engine, EventKind::kQuoteAccepted, rider);
  ASSERT_TRUE(e.has_value());
  ASSERT_EQ(engine.riders()[rider].state, RiderState::kWaiting);
}

// Per-rider flow for a Waiting-to-be rider: accepts `fare`, is matched at its TryMatch (+1 s) and the driver
// decides. REQUIRES: per-rider mode and a base_acceptance_score high enough to accept. Returns the trip id.
inline uint32_t MatchAndAccept(Engine& engine, uint32_t rider, double fare) {
  AcceptQuoteNow(engine, rider, fare);
  if (::testing::Test::HasFatalFailure()) return kNone;
  const std::optional<Event> decision = StepUntil(engine, EventKind::kDriverDecision);
  EXPECT_TRUE(decision.has_value());
  const uint32_t trip = engine.riders()[rider].assigned_trip;
  EXPECT_NE(trip, kNone) << "the driver did not accept";
  return trip;
}

// The projected rectangle of a lat/lng box under `grid`'s projection (the projection is separable).
struct PlaneBox {
  double x_min, x_max, y_min, y_max;
};
inline PlaneBox ProjectBox(const HexGrid& grid, const GeoBounds& box) {
  const PlanePoint lo = grid.Project({box.lat_min, box.lng_min});
  const PlanePoint hi = grid.Project({box.lat_max, box.lng_max});
  return {lo.x, hi.x, lo.y, hi.y};
}

// True if the hexagon of `cell` (pointy-top, circumradius S/√3) and the box intersect (separating-axis test).
inline bool CellTouchesBox(const HexGrid& grid, Cell cell, const GeoBounds& box) {
  const PlaneBox b = ProjectBox(grid, box);
  const PlanePoint c = CellCentre(cell);
  const double radius = kCellSpacingKm / kSqrt3;
  std::array<PlanePoint, 6> hex;
  for (int i = 0; i < 6; ++i) {
    const double a = (30.0 + 60.0 * i) * std::numbers::pi / 180.0;
    hex[static_cast<size_t>(i)] = {c.x + radius * std::cos(a), c.y + radius * std::sin(a)};
  }
  const std::array<PlanePoint, 4> rect = {PlanePoint{b.x_min, b.y_min}, PlanePoint{b.x_min, b.y_max},
                                          PlanePoint{b.x_max, b.y_min}, PlanePoint{b.x_max, b.y_max}};
  // Axes: the box's edge normals (x, y) and the hexagon's edge normals (0°, 60°, 120°).
  const double axes[5][2] = {{1, 0}, {0, 1}, {1, 0}, {0.5, kSqrt3 / 2}, {-0.5, kSqrt3 / 2}};
  for (const auto& axis : axes) {
    double h_lo = INFINITY, h_hi = -INFINITY, r_lo = INFINITY, r_hi = -INFINITY;
    for (const PlanePoint& p : hex) {
      const double v = p.x * axis[0] + p.y * axis[1];
      h_lo = std::min(h_lo, v);
      h_hi = std::max(h_hi, v);
    }
    for (const PlanePoint& p : rect) {
      const double v = p.x * axis[0] + p.y * axis[1];
      r_lo = std::min(r_lo, v);
      r_hi = std::max(r_hi, v);
    }
    if (h_hi < r_lo - 1e-9 || r_hi < h_lo - 1e-9) return false;
  }
  return true;
}

}  // namespace fixtures
}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_TESTS_WORLD_TEST_SUPPORT_H_
