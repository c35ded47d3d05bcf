// Event kinds and the fixed-size event record of the run loop (spec/simulation.md §1.2).
// DO NOT CHANGE the ordinals: they decide the processing order of same-millisecond events.
#ifndef RIDESWEEP_SIM_ENGINE_EVENT_H_
#define RIDESWEEP_SIM_ENGINE_EVENT_H_

#include <cstdint>
#include <string_view>

namespace ridesweep::sim {

enum class EventKind : uint8_t {
  kSimulationStarted = 0,
  kSpawnRider = 1,
  kSpawnDriver = 2,
  kShowQuote = 3,
  kQuoteDecision = 4,
  kQuoteAccepted = 5,
  kQuoteRejected = 6,
  kTryMatch = 7,
  kBatchMatchRun = 8,
  kMatchAccepted = 9,
  kDriverDecision = 10,
  kMatchRejected = 11,
  kMoveStep = 12,
  kPickupEtaUpdated = 13,
  kTripStarted = 14,
  kTripCompleted = 15,
  kRiderCancel = 16,
  kCheckDriverOffDuty = 17,
};

std::string_view EventKindName(EventKind kind);

inline constexpr uint32_t kNoSubject = UINT32_MAX;

// 24 bytes. `order` packs (17 - ordinal) in the top byte and the run-global sequence number below it, so
// (time, order) ascending is exactly (time ascending, ordinal descending, seq ascending).
struct Event {
  uint64_t time_ms;
  uint64_t order;
  uint32_t subject;  // Entity index (rider, driver or trip by kind), or kNoSubject.
  uint32_t token;    // Driver assignment_seq for kinds 9-10, else 0.

  static constexpr int kSeqBits = 56;
  EventKind kind() const { return static_cast<EventKind>(17 - static_cast<int>(order >> kSeqBits)); }
  uint64_t seq() const { return order & ((uint64_t{1} << kSeqBits) - 1); }
};
static_assert(sizeof(Event) == 24);

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_ENGINE_EVENT_H_
