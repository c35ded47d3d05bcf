// Structured log lines (spec/sweep.md §9): exact bytes with sorted keys, the level key only for warn and error,
// level filtering, and the UTC time texts shared by logs, records and manifests.
#include "ridesweep/sweep/structured_log.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace ridesweep::sweep {
namespace {

using namespace std::chrono;

WallTime At(year_month_day day, microseconds since_midnight) {
  return WallTime(sys_days{day}.time_since_epoch() + since_midnight);
}

TEST(StructuredLogTest, WritesSortedKeysAndMicrosecondTimestamps) {
  FakeClock clock(At(year{2026} / February / 14, hours(10) + minutes(11) + seconds(12) + microseconds(123456)));
  std::vector<std::string> lines;
  StructuredLog log([&](std::string_view line) { lines.emplace_back(line); }, &clock);
  JsonObject details;
  details.Set("run_id", JsonValue::String("demo-run-001"));
  details.Set("attempt", JsonValue::Unsigned(3));
  details.Set("nested", JsonValue::Object());
  log.Info("child_handler", "shard_started", details);
  log.Warn("child_handler", "point_truncated", JsonObject());
  log.Error("parent_handler", "dispatch_failed", JsonObject());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            R"({"component":"child_handler","details":{"attempt":3,"nested":{},"run_id":"demo-run-001"},)"
            R"("event":"shard_started","timestamp":"2026-02-14T10:11:12.123456+00:00"})");
  EXPECT_EQ(lines[1],
            R"({"component":"child_handler","details":{},"event":"point_truncated","level":"warn",)"
            R"("timestamp":"2026-02-14T10:11:12.123456+00:00"})");
  EXPECT_EQ(lines[2],
            R"({"component":"parent_handler","details":{},"event":"dispatch_failed","level":"error",)"
            R"("timestamp":"2026-02-14T10:11:12.123456+00:00"})");
}

TEST(StructuredLogTest, DropsEventsBelowTheMinimumLevel) {
  FakeClock clock(WallTime{});
  std::vector<std::string> lines;
  StructuredLog log([&](std::string_view line) { lines.emplace_back(line); }, &clock, LogLevel::kWarn);
  log.Emit("c", "debug_event", LogLevel::kDebug, {});
  log.Info("c", "info_event", {});
  log.Warn("c", "warn_event", {});
  log.Error("c", "error_event", {});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(R"("event":"warn_event")"), std::string::npos);
  EXPECT_NE(lines[1].find(R"("event":"error_event")"), std::string::npos);

  StructuredLog debug([&](std::string_view line) { lines.emplace_back(line); }, &clock, LogLevel::kDebug);
  debug.Emit("c", "debug_event", LogLevel::kDebug, {});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2].find("level"), std::string::npos);  // debug lines carry no level key, like info
}

TEST(StructuredLogTest, ParseLogLevel) {
  struct Case {
    std::string_view text;
    LogLevel level;
  } const cases[] = {
      {"debug", LogLevel::kDebug}, {"info", LogLevel::kInfo}, {"warn", LogLevel::kWarn},
      {"error", LogLevel::kError}, {"ERROR", LogLevel::kError}, {" warn ", LogLevel::kWarn},
      {"", LogLevel::kInfo},       {"verbose", LogLevel::kInfo}, {"warning", LogLevel::kInfo},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseLogLevel(c.text), c.level) << c.text;
}

TEST(TimeTextTest, Rfc3339MicrosAndUtcDate) {
  struct Case {
    WallTime t;
    std::string rfc3339;
    std::string date;
  } const cases[] = {
      {WallTime{}, "1970-01-01T00:00:00.000000+00:00", "1970-01-01"},
      {At(year{2024} / February / 29, hours(23) + minutes(59) + seconds(59) + microseconds(999999)),
       "2024-02-29T23:59:59.999999+00:00", "2024-02-29"},
      // Sub-microsecond digits are cut, not rounded.
      {At(year{2026} / December / 31, hours(1)) + nanoseconds(1999), "2026-12-31T01:00:00.000001+00:00",
       "2026-12-31"},
      {At(year{1969} / December / 31, hours(23) + minutes(59) + seconds(59) + microseconds(500000)),
       "1969-12-31T23:59:59.500000+00:00", "1969-12-31"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Rfc3339Micros(c.t), c.rfc3339);
    EXPECT_EQ(UtcDate(c.t), c.date);
  }
}

}  // namespace
}  // namespace ridesweep::sweep
