// Calendar and time-of-day models (spec/simulation.md §1.1, §5.3, §11.1): day of week and hour of a sim time
// under an epoch, the demand/supply multipliers, the traffic profiles and the density factor. Pure functions.
#ifndef RIDESWEEP_SIM_MODEL_CALENDAR_H_
#define RIDESWEEP_SIM_MODEL_CALENDAR_H_

#include <cstdint>
#include <optional>

#include "ridesweep/sim/params.h"

namespace ridesweep::sim {

// Real (UTC Unix) ms of a sim time: epoch_ms + now (wrapping, so huge values never trap).
inline int64_t RealTimeMs(int64_t epoch_ms, uint64_t now_ms) {
  return static_cast<int64_t>(static_cast<uint64_t>(epoch_ms) + now_ms);
}
// Sim time of a real time, or none before the epoch.
std::optional<uint64_t> SimTimeMs(int64_t epoch_ms, int64_t real_ms);

// 0 = Monday; floor division so negative times work (1970-01-01 was a Thursday).
int DayOfWeek(int64_t real_ms);
int HourOfDay(int64_t real_ms);

// Spawn-rate multipliers m(day, hour) of §5.3. Fri/Sat rows apply on days 4 and 5.
double RiderDemandMultiplier(int day_of_week, int hour);
double DriverSupplyMultiplier(int day_of_week, int hour);

// Traffic profile factor for an hour (§11.1).
double TrafficFactor(const TrafficProfile& profile, int hour);
// Dynamic-congestion density factor for n non-OffDuty drivers in a cell.
double DensityFactor(uint32_t drivers_in_cell);

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_MODEL_CALENDAR_H_
