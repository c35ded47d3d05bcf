// Structured log lines (spec/sweep.md §9) and the UTC time texts shared by logs, records and the manifest.
#include "ridesweep/sweep/structured_log.h"

#include <chrono>
#include <cstdio>
#include <utility>

#include "ridesweep/base/json_writer.h"

namespace ridesweep::sweep {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::microseconds;

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != b[i]) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
    case LogLevel::kDebug:
    case LogLevel::kInfo: return "";
  }
  return "";
}

}  // namespace

LogLevel ParseLogLevel(std::string_view text) {
  const std::string_view t = Trim(text);
  if (EqualsIgnoreCase(t, "debug")) return LogLevel::kDebug;
  if (EqualsIgnoreCase(t, "warn")) return LogLevel::kWarn;
  if (EqualsIgnoreCase(t, "error")) return LogLevel::kError;
  return LogLevel::kInfo;
}

StructuredLog::StructuredLog(Sink sink, const Clock* clock, LogLevel min_level)
    : sink_(std::move(sink)), clock_(clock), min_level_(min_level) {}

void StructuredLog::Emit(std::string_view component, std::string_view event, LogLevel level, JsonObject details) {
  if (level < min_level_ || !sink_) return;
  // Keys are written in byte-wise order: component, details, event, level, timestamp.
  std::string line;
  line.reserve(160);
  JsonWriter w(&line);
  w.BeginObject().Key("component").String(component).Key("details").Value(JsonValue::Object(std::move(details)));
  w.Key("event").String(event);
  if (const std::string_view name = LevelName(level); !name.empty()) w.Key("level").String(name);
  w.Key("timestamp").String(Rfc3339Micros(clock_->Now())).EndObject();
  std::lock_guard<std::mutex> lock(mu_);
  sink_(line);
}

std::string Rfc3339Micros(WallTime t) {
  const auto us = floor<microseconds>(t.time_since_epoch());
  const auto day = floor<days>(us);
  const std::chrono::year_month_day ymd{std::chrono::sys_days{day}};
  const int64_t in_day = (us - day).count();  // microseconds since midnight, [0, 86 400 000 000)
  const int64_t seconds = in_day / 1'000'000;
  char buf[64];  // Sized for any int year, so the compiler can prove no truncation.
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02lld:%02lld:%02lld.%06lld+00:00", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(seconds / 3600), static_cast<long long>((seconds / 60) % 60),
                static_cast<long long>(seconds % 60), static_cast<long long>(in_day % 1'000'000));
  return buf;
}

std::string UtcDate(WallTime t) {
  const auto day = floor<days>(t.time_since_epoch());
  const std::chrono::year_month_day ymd{std::chrono::sys_days{day}};
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace ridesweep::sweep
