// Shortest round-trip digits via std::to_chars, laid out as spec/sweep.md §2.2 requires.
#include "ridesweep/base/json_number_format.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include "ridesweep/base/check.h"

namespace ridesweep {

ShortestDecimal DecomposeShortest(double value) {
  RIDESWEEP_CHECK(std::isfinite(value)) << "non-finite double in JSON";
  // Scientific shortest form: "[-]d[.ddd]e±XX".
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  RIDESWEEP_CHECK(ec == std::errc());
  ShortestDecimal out;
  const char* p = buffer;
  if (*p == '-') {
    out.negative = true;
    ++p;
  }
  for (; p < end && *p != 'e'; ++p) {
    if (*p != '.') out.digits.push_back(*p);
  }
  RIDESWEEP_CHECK(p < end);
  ++p;  // 'e'
  int exponent = 0;
  const bool negative_exponent = *p == '-';
  if (*p == '+' || *p == '-') ++p;
  for (; p < end; ++p) exponent = exponent * 10 + (*p - '0');
  if (negative_exponent) exponent = -exponent;
  // d1.d2…dn × 10^e == 0.d1…dn × 10^(e+1).
  out.exponent = exponent + 1;
  return out;
}

namespace {

void AppendZeros(std::string* out, int count) {
  if (count > 0) out->append(static_cast<size_t>(count), '0');
}

// Layout rows of §2.2 that print without an exponent; returns false when the value needs one.
bool AppendWithoutExponent(std::string* out, const ShortestDecimal& d, bool allow_large) {
  const int n = static_cast<int>(d.digits.size());
  const int k = d.exponent;
  if (n <= k && (allow_large || k <= 16)) {
    out->append(d.digits);
    AppendZeros(out, k - n);
    out->append(".0");
    return true;
  }
  if (0 < k && k < n) {
    out->append(d.digits, 0, static_cast<size_t>(k));
    out->push_back('.');
    out->append(d.digits, static_cast<size_t>(k), std::string::npos);
    return true;
  }
  if (k <= 0 && (allow_large || k > -5)) {
    out->append("0.");
    AppendZeros(out, -k);
    out->append(d.digits);
    return true;
  }
  return false;
}

}  // namespace

void AppendJsonDouble(std::string* out, double value) {
  const ShortestDecimal d = DecomposeShortest(value);
  if (d.negative) out->push_back('-');
  if (AppendWithoutExponent(out, d, /*allow_large=*/false)) return;
  out->push_back(d.digits[0]);
  if (d.digits.size() > 1) {
    out->push_back('.');
    out->append(d.digits, 1, std::string::npos);
  }
  out->push_back('e');
  AppendJsonSigned(out, d.exponent - 1);
}

std::string FormatJsonDouble(double value) {
  std::string out;
  AppendJsonDouble(&out, value);
  return out;
}

std::string FormatPlainDecimal(double value) {
  const ShortestDecimal d = DecomposeShortest(value);
  std::string out;
  if (d.negative) out.push_back('-');
  AppendWithoutExponent(&out, d, /*allow_large=*/true);
  return out;
}

void AppendJsonUnsigned(std::string* out, uint64_t value) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, static_cast<size_t>(end - buffer));
}

void AppendJsonSigned(std::string* out, int64_t value) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, static_cast<size_t>(end - buffer));
}

}  // namespace ridesweep
