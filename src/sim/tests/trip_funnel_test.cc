// U17 (trip funnel validator) of spec/simulation.md §16.1: every valid shape passes and each violation is
// rejected.
#include "ridesweep/sim/trip_funnel.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace ridesweep::sim {
namespace {

TripRow Row(TripState state, int64_t requested, int64_t matched, std::optional<int64_t> pickup,
            std::optional<int64_t> dropoff, std::optional<int64_t> cancelled) {
  TripRow row;
  row.trip_entity = int64_t{1} << 32;
  row.state = static_cast<int8_t>(state);
  row.requested_at = requested;
  row.matched_at = matched;
  row.pickup_at = pickup;
  row.dropoff_at = dropoff;
  row.cancelled_at = cancelled;
  return row;
}

struct Case {
  const char* name;
  TripRow row;
};

TEST(TripFunnelTest, ValidShapesPassU17) {
  const Case kValid[] = {
      {"en route", Row(TripState::kEnRoute, 0, 4'000, {}, {}, {})},
      {"en route, requested = matched", Row(TripState::kEnRoute, 4'000, 4'000, {}, {}, {})},
      {"on trip", Row(TripState::kOnTrip, 0, 4'000, 6'000, {}, {})},
      {"on trip, pickup = matched", Row(TripState::kOnTrip, 0, 4'000, 4'000, {}, {})},
      {"completed", Row(TripState::kCompleted, 0, 4'000, 6'000, 126'800, {})},
      {"completed, equal times", Row(TripState::kCompleted, 5, 5, 5, 5, {})},
      {"cancelled en route", Row(TripState::kCancelled, 0, 4'000, {}, {}, 200'000)},
      {"cancelled at matched", Row(TripState::kCancelled, 0, 4'000, {}, {}, 4'000)},
      {"cancelled after a pickup", Row(TripState::kCancelled, 0, 4'000, 6'000, {}, 6'000)},
  };
  for (const Case& c : kValid) {
    const Status status = ValidateTripFunnel(c.row);
    EXPECT_TRUE(status.ok()) << c.name << ": " << status.ToString();
  }
}

TEST(TripFunnelTest, EachViolationIsRejectedU17) {
  const Case kInvalid[] = {
      // Requested ≤ matched always.
      {"en route requested > matched", Row(TripState::kEnRoute, 5'000, 4'000, {}, {}, {})},
      {"completed requested > matched", Row(TripState::kCompleted, 5'000, 4'000, 6'000, 9'000, {})},
      {"cancelled requested > matched", Row(TripState::kCancelled, 5'000, 4'000, {}, {}, 9'000)},
      // EnRoute: no pickup, dropoff or cancel.
      {"en route with pickup", Row(TripState::kEnRoute, 0, 4'000, 6'000, {}, {})},
      {"en route with dropoff", Row(TripState::kEnRoute, 0, 4'000, {}, 9'000, {})},
      {"en route with cancel", Row(TripState::kEnRoute, 0, 4'000, {}, {}, 9'000)},
      // OnTrip: pickup present, matched ≤ pickup, no dropoff or cancel.
      {"on trip without pickup", Row(TripState::kOnTrip, 0, 4'000, {}, {}, {})},
      {"on trip pickup before match", Row(TripState::kOnTrip, 0, 4'000, 3'999, {}, {})},
      {"on trip with dropoff", Row(TripState::kOnTrip, 0, 4'000, 6'000, 9'000, {})},
      {"on trip with cancel", Row(TripState::kOnTrip, 0, 4'000, 6'000, {}, 9'000)},
      // Completed: matched ≤ pickup ≤ dropoff, no cancel.
      {"completed without pickup", Row(TripState::kCompleted, 0, 4'000, {}, 9'000, {})},
      {"completed without dropoff", Row(TripState::kCompleted, 0, 4'000, 6'000, {}, {})},
      {"completed pickup before match", Row(TripState::kCompleted, 0, 4'000, 3'000, 9'000, {})},
      {"completed dropoff before pickup", Row(TripState::kCompleted, 0, 4'000, 6'000, 5'999, {})},
      {"completed with cancel", Row(TripState::kCompleted, 0, 4'000, 6'000, 9'000, 9'000)},
      // Cancelled: cancelled present, matched ≤ cancelled, pickup (if any) ≤ cancelled, no dropoff.
      {"cancelled without cancel", Row(TripState::kCancelled, 0, 4'000, {}, {}, {})},
      {"cancelled before match", Row(TripState::kCancelled, 0, 4'000, {}, {}, 3'999)},
      {"cancelled before pickup", Row(TripState::kCancelled, 0, 4'000, 6'000, {}, 5'999)},
      {"cancelled with dropoff", Row(TripState::kCancelled, 0, 4'000, {}, 9'000, 9'000)},
  };
  for (const Case& c : kInvalid) {
    const Status status = ValidateTripFunnel(c.row);
    EXPECT_FALSE(status.ok()) << c.name;
    EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << c.name;
    EXPECT_NE(status.message().find("4294967296"), std::string::npos) << "the message names the trip";
  }
}

TEST(TripFunnelTest, UnknownStateIsRejected) {
  TripRow row = Row(TripState::kEnRoute, 0, 4'000, {}, {}, {});
  for (int8_t state : {int8_t{4}, int8_t{-1}, int8_t{127}}) {
    row.state = state;
    EXPECT_FALSE(ValidateTripFunnel(row).ok()) << static_cast<int>(state);
  }
}

}  // namespace
}  // namespace ridesweep::sim
