// StructuredLog writes the structured log events of spec/sweep.md §9: one JSON object per line with sorted keys
// `component`, `details` (object, sorted keys), `event`, `level` (only for warn and error) and `timestamp`
// (RFC 3339 with microseconds and +00:00). Lines go to an injected sink (stderr in the apps, a vector in tests).
// Thread-safe: lines from concurrent workers never interleave.
#ifndef RIDESWEEP_SWEEP_STRUCTURED_LOG_H_
#define RIDESWEEP_SWEEP_STRUCTURED_LOG_H_

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "ridesweep/base/json_value.h"
#include "ridesweep/sweep/ports.h"

namespace ridesweep::sweep {

enum class LogLevel : uint8_t { kDebug, kInfo, kWarn, kError };

// Parses SWEEP_LOG_LEVEL text (debug | info | warn | error); anything else is info.
LogLevel ParseLogLevel(std::string_view text);

class StructuredLog {
 public:
  using Sink = std::function<void(std::string_view line)>;
  // `clock` must outlive the log. Events below `min_level` are dropped.
  StructuredLog(Sink sink, const Clock* clock, LogLevel min_level = LogLevel::kInfo);

  void Emit(std::string_view component, std::string_view event, LogLevel level, JsonObject details);
  void Info(std::string_view component, std::string_view event, JsonObject details) {
    Emit(component, event, LogLevel::kInfo, std::move(details));
  }
  void Warn(std::string_view component, std::string_view event, JsonObject details) {
    Emit(component, event, LogLevel::kWarn, std::move(details));
  }
  void Error(std::string_view component, std::string_view event, JsonObject details) {
    Emit(component, event, LogLevel::kError, std::move(details));
  }

 private:
  Sink sink_;
  const Clock* clock_;
  LogLevel min_level_;
  std::mutex mu_;
};

// RFC 3339 UTC with microseconds and "+00:00", e.g. 2026-02-14T10:11:12.123456+00:00.
std::string Rfc3339Micros(WallTime t);
// YYYY-MM-DD (UTC).
std::string UtcDate(WallTime t);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_STRUCTURED_LOG_H_
