// Re-rendering remote engines' values in the local engine's text form.
#include "ridesweep/analytics/engine_value_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>
#include <utility>

namespace ridesweep::analytics {

std::string LocalDoubleText(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  // Shortest round-trip digits in scientific form, e.g. "-1.5e-07": split into sign, digits and exponent.
  std::array<char, 64> buffer{};
  const auto [end, ec] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::scientific);
  const std::string_view sci(buffer.data(), static_cast<size_t>(end - buffer.data()));
  const bool negative = sci.front() == '-';
  const size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(negative ? 1 : 0, e - (negative ? 1 : 0))) {
    if (c != '.') digits.push_back(c);
  }
  const int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
  const int point = exponent + 1;  // digits before the decimal point
  const int count = static_cast<int>(digits.size());
  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    if (point <= 0) {
      out += "0." + std::string(static_cast<size_t>(-point), '0') + digits;
    } else if (point >= count) {
      out += digits + std::string(static_cast<size_t>(point - count), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(point)) + "." + digits.substr(static_cast<size_t>(point));
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (count > 1) out += "." + digits.substr(1);
  const int magnitude = std::abs(exponent);
  out += exponent < 0 ? "e-" : "e+";
  if (magnitude < 10) out += "0";
  return out + std::to_string(magnitude);
}

std::optional<std::string> CanonicalDoubleText(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return LocalDoubleText(value);
}

std::string LocalEngineText(std::string_view sql_type, std::string text) {
  std::string type;
  for (char c : sql_type) type.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  if (type != "double") return text;
  std::optional<std::string> canonical = CanonicalDoubleText(text);
  return canonical.has_value() ? std::move(*canonical) : std::move(text);
}

}  // namespace ridesweep::analytics
