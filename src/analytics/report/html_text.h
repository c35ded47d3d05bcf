// Text helpers of the HTML report: escaping for element content and attribute values, and the number formats the
// report prints (fixed decimals for people, shortest round-trip text for the data-* attributes that tests and
// scripts read back). Pure functions; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_REPORT_HTML_TEXT_H_
#define RIDESWEEP_ANALYTICS_REPORT_HTML_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace ridesweep::analytics::report {

// Escapes & < > " ' so the text is safe both as element content and inside a double- or single-quoted attribute.
std::string EscapeHtml(std::string_view text);

// `value` with exactly `digits` decimals ("0.031", "207.88"); "-" for a non-finite value.
std::string FormatFixed(double value, int digits);

// Shortest text that reads back as the same double ("0.2213", "1e-7"); "nan"/"inf"/"-inf" for non-finite values.
// Used for data-* attributes, so a reader recovers the exact value.
std::string FormatExact(double value);

// A compact label with about three significant digits: 0.2213 -> "0.221", 207.88 -> "208", 1234567 -> "1.23M".
std::string FormatCompact(double value);

// An axis tick: as many decimals as the tick step needs (step 5 -> "15", step 0.25 -> "0.75"); compact ("12k")
// from 10 000 up.
std::string FormatTick(double value, double step);

// Integer with thin-space thousands grouping for tables ("12 345"); plain digits below 10 000.
std::string FormatCount(int64_t value);

// Milliseconds as seconds for people: 31 -> "0.031 s", 93600 -> "93.6 s", 7 200 000 -> "2 h 0 min".
std::string FormatDurationMs(double milliseconds);

// A dimension value's canonical JSON text as a label: strings lose their quotes, everything else stays.
std::string DimensionValueLabel(std::string_view value_json);

}  // namespace ridesweep::analytics::report

#endif  // RIDESWEEP_ANALYTICS_REPORT_HTML_TEXT_H_
