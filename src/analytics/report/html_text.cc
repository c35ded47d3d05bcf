// Text helpers of the HTML report.
#include "report/html_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>

#include "ridesweep/base/json_parser.h"

namespace ridesweep::analytics::report {

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FormatFixed(double value, int digits) {
  if (!std::isfinite(value)) return "-";
  char buffer[64];
  // Avoid "-0.0" for tiny negatives that round to zero.
  const double rounded_probe = std::abs(value) * std::pow(10.0, digits);
  if (rounded_probe < 0.5) value = 0.0;
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::string FormatExact(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  const std::to_chars_result r = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (r.ec != std::errc()) return "nan";
  return std::string(buffer, r.ptr);
}

std::string FormatCompact(double value) {
  if (!std::isfinite(value)) return "-";
  // About three significant digits: the decimals shrink as the integer part grows.
  const auto three_digits = [](double v) {
    const double m = std::abs(v);
    return FormatFixed(v, m >= 99.95 ? 0 : (m >= 9.995 ? 1 : 2));
  };
  const double magnitude = std::abs(value);
  if (magnitude >= 1e9) return three_digits(value / 1e9) + "G";
  if (magnitude >= 1e6) return three_digits(value / 1e6) + "M";
  if (magnitude >= 1e4) return three_digits(value / 1e3) + "k";
  if (magnitude >= 1) return three_digits(value);
  if (magnitude == 0) return "0";
  if (magnitude >= 0.001) return FormatFixed(value, 3);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2e", value);
  return buffer;
}

std::string FormatTick(double value, double step) {
  if (!std::isfinite(value)) return "-";
  if (std::abs(value) >= 1e4) return FormatCompact(value);
  // The fewest decimals that show the step exactly (0.25 needs two, 5 none), at most six.
  int decimals = 0;
  if (step > 0 && std::isfinite(step)) {
    double scaled = step;
    while (decimals < 6 && std::abs(scaled - std::round(scaled)) > 1e-9 * std::max(1.0, scaled)) {
      scaled *= 10;
      ++decimals;
    }
  }
  return FormatFixed(value, decimals);
}

std::string FormatCount(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  if (digits.size() > 4) {
    std::string grouped;
    const size_t lead = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    grouped = digits.substr(0, lead);
    for (size_t i = lead; i < digits.size(); i += 3) grouped += "\u2009" + digits.substr(i, 3);
    digits = grouped;
  }
  return value < 0 ? "-" + digits : digits;
}

std::string FormatDurationMs(double milliseconds) {
  if (!std::isfinite(milliseconds)) return "-";
  const double seconds = milliseconds / 1000.0;
  if (seconds < 10) return FormatFixed(seconds, 3) + " s";
  if (seconds < 600) return FormatFixed(seconds, 1) + " s";
  const auto total_minutes = static_cast<int64_t>(std::llround(seconds / 60.0));
  if (total_minutes < 120) return std::to_string(total_minutes) + " min";
  return std::to_string(total_minutes / 60) + " h " + std::to_string(total_minutes % 60) + " min";
}

std::string DimensionValueLabel(std::string_view value_json) {
  if (value_json.size() >= 2 && value_json.front() == '"') {
    Result<JsonValue> parsed = ParseJson(value_json);
    if (parsed.ok() && parsed->is_string()) return parsed->as_string();
  }
  return std::string(value_json);
}

}  // namespace ridesweep::analytics::report
