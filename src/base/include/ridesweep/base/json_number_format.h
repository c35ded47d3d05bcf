// Number formatting for canonical JSON (spec/sweep.md §2.2): doubles print their shortest round-trip digits in
// the layout of the earlier implementation's JSON writer (ryu: `1.0`, `1e16`, `1e-7`, `0.30000000000000004`),
// and, for serde-style error messages, as plain decimals (`18446744073709552000.0`). Pure functions.
// See docs/formats/request_json.md for examples.
#ifndef RIDESWEEP_BASE_JSON_NUMBER_FORMAT_H_
#define RIDESWEEP_BASE_JSON_NUMBER_FORMAT_H_

#include <cstdint>
#include <string>

namespace ridesweep {

// value = (negative ? -1 : 1) × 0.d1…dn × 10^exponent, with d1…dn the shortest digits that round-trip
// (no trailing zeros; zero is the single digit "0" with exponent 1).
struct ShortestDecimal {
  bool negative = false;
  std::string digits;
  int exponent = 0;
};

// REQUIRES: std::isfinite(value).
ShortestDecimal DecomposeShortest(double value);

// Canonical JSON layout of §2.2. REQUIRES: finite (JSON cannot carry NaN or infinities).
void AppendJsonDouble(std::string* out, double value);
std::string FormatJsonDouble(double value);

// Plain decimal without exponent, ".0" appended when integral: how serde reports a float in
// `invalid type: floating point `…`` messages. REQUIRES: finite.
std::string FormatPlainDecimal(double value);

void AppendJsonUnsigned(std::string* out, uint64_t value);
void AppendJsonSigned(std::string* out, int64_t value);

}  // namespace ridesweep

#endif  // RIDESWEEP_BASE_JSON_NUMBER_FORMAT_H_
