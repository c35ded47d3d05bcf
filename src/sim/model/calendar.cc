// Calendar, demand/supply multipliers and traffic factors (spec/simulation.md §1.1, §5.3, §11.1).
#include "model/calendar.h"

namespace ridesweep::sim {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kHourMs = 3'600'000;

int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

constexpr double kRiderWeekday[24] = {.4, .4, .4, .4, .4, .4, .4, 2.5, 3.0, 2.0, 1.2, 1.2,
                                      1.2, 1.2, 1.2, 1.2, 1.2, 2.8, 3.2, 2.5, 1.5, 1.5, 1.5, 1.5};
constexpr double kRiderWeekend[24] = {2.0, 2.5, 3.0, 2.8, 2.2, 1.8, 1.5, 1.2, 1.0, .8, .6, .5,
                                      .4, .4, .4, .4, .5, 2.8, 3.5, 3.0, 2.5, 2.0, 1.8, 1.5};
constexpr double kDriverWeekday[24] = {.6, .6, .6, .6, .6, .6, 1.0, 1.5, 1.8, 1.6, 1.2, 1.2,
                                       1.2, 1.2, 1.2, 1.2, 1.2, 1.7, 2.0, 1.8, 1.3, 1.3, 1.3, 1.3};
constexpr double kDriverWeekend[24] = {.7, .8, .9, 1.0, 1.1, 1.2, 1.3, 1.5, 1.6, 1.4, 1.2, 1.0,
                                       .9, .8, .7, .7, .8, 1.7, 2.2, 2.0, 1.8, 1.6, 1.4, 1.2};

bool IsFriOrSat(int day_of_week) { return day_of_week == 4 || day_of_week == 5; }

}  // namespace

std::optional<uint64_t> SimTimeMs(int64_t epoch_ms, int64_t real_ms) {
  if (real_ms < epoch_ms) return std::nullopt;
  return static_cast<uint64_t>(real_ms) - static_cast<uint64_t>(epoch_ms);
}

int DayOfWeek(int64_t real_ms) { return static_cast<int>(FloorMod(FloorDiv(real_ms, kDayMs) + 3, 7)); }
int HourOfDay(int64_t real_ms) { return static_cast<int>(FloorMod(FloorDiv(real_ms, kHourMs), 24)); }

double RiderDemandMultiplier(int day_of_week, int hour) {
  return IsFriOrSat(day_of_week) ? kRiderWeekend[hour] : kRiderWeekday[hour];
}

double DriverSupplyMultiplier(int day_of_week, int hour) {
  return IsFriOrSat(day_of_week) ? kDriverWeekend[hour] : kDriverWeekday[hour];
}

double TrafficFactor(const TrafficProfile& profile, int hour) {
  switch (profile.kind) {
    case TrafficProfileKind::kNone: return 1.0;
    case TrafficProfileKind::kCustom: return profile.custom_factors[static_cast<size_t>(hour)];
    case TrafficProfileKind::kBerlin:
      if (hour <= 6) return 1.0;
      if (hour <= 8) return 0.45;
      if (hour <= 15) return 0.65;
      if (hour <= 18) return 0.40;
      return 0.75;
  }
  return 1.0;
}

double DensityFactor(uint32_t n) {
  if (n <= 2) return 1.0;
  if (n <= 5) return 0.85;
  if (n <= 10) return 0.70;
  return 0.55;
}

}  // namespace ridesweep::sim
