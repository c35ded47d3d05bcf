// Trip funnel validator (spec/simulation.md §16.1 U17).
#include "ridesweep/sim/trip_funnel.h"

#include <string>

namespace ridesweep::sim {
namespace {

Status Violation(const TripRow& row, const char* rule) {
  return FailedPreconditionError("trip " + std::to_string(row.trip_entity) + " violates the funnel: " + rule);
}

}  // namespace

Status ValidateTripFunnel(const TripRow& row) {
  if (row.requested_at > row.matched_at) return Violation(row, "requested_at > matched_at");
  switch (static_cast<TripState>(row.state)) {
    case TripState::kEnRoute:
      if (row.pickup_at || row.dropoff_at || row.cancelled_at) return Violation(row, "EnRoute with a later timestamp");
      return Status::Ok();
    case TripState::kOnTrip:
      if (!row.pickup_at) return Violation(row, "OnTrip without pickup_at");
      if (row.matched_at > *row.pickup_at) return Violation(row, "matched_at > pickup_at");
      if (row.dropoff_at || row.cancelled_at) return Violation(row, "OnTrip with dropoff_at or cancelled_at");
      return Status::Ok();
    case TripState::kCompleted:
      if (!row.pickup_at || !row.dropoff_at) return Violation(row, "Completed without pickup_at or dropoff_at");
      if (row.matched_at > *row.pickup_at || *row.pickup_at > *row.dropoff_at) {
        return Violation(row, "Completed timestamps out of order");
      }
      if (row.cancelled_at) return Violation(row, "Completed with cancelled_at");
      return Status::Ok();
    case TripState::kCancelled:
      if (!row.cancelled_at) return Violation(row, "Cancelled without cancelled_at");
      if (row.matched_at > *row.cancelled_at) return Violation(row, "matched_at > cancelled_at");
      if (row.pickup_at && *row.pickup_at > *row.cancelled_at) return Violation(row, "pickup_at > cancelled_at");
      if (row.dropoff_at) return Violation(row, "Cancelled with dropoff_at");
      return Status::Ok();
  }
  return Violation(row, "unknown state");
}

}  // namespace ridesweep::sim
