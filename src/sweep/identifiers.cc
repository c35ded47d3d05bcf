// Identifier trimming and shape checks (spec/sweep.md §1.4 steps 2, 4, 11; §7.1).
#include "ridesweep/sweep/identifiers.h"

#include <cstdint>

#include "ridesweep/sweep/limits.h"

namespace ridesweep::sweep {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point whose lead byte is at `pos`; sets *length. kInvalid for malformed sequences.
char32_t DecodeAt(std::string_view s, size_t pos, size_t* length) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  size_t n = 0;
  char32_t cp = 0;
  if (b0 < 0x80) {
    *length = 1;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    *length = 1;
    return kInvalid;
  }
  if (pos + n > s.size()) {
    *length = 1;
    return kInvalid;
  }
  for (size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) {
      *length = 1;
      return kInvalid;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *length = n;
  return cp;
}

}  // namespace

bool IsUnicodeWhiteSpace(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

std::string_view TrimUnicodeWhiteSpace(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    size_t length = 0;
    const char32_t cp = DecodeAt(s, begin, &length);
    if (cp == kInvalid || !IsUnicodeWhiteSpace(cp)) break;
    begin += length;
  }
  size_t end = s.size();
  while (end > begin) {
    // Step back to the lead byte of the last code point (at most 3 continuation bytes).
    size_t lead = end - 1;
    while (lead > begin && end - lead < 4 && (static_cast<unsigned char>(s[lead]) & 0xC0) == 0x80) --lead;
    size_t length = 0;
    const char32_t cp = DecodeAt(s, lead, &length);
    if (cp == kInvalid || lead + length != end || !IsUnicodeWhiteSpace(cp)) break;
    end = lead;
  }
  return s.substr(begin, end - begin);
}

bool MatchesRunIdPattern(std::string_view run_id) {
  if (run_id.empty() || run_id.size() > kMaxRunIdLength) return false;
  for (char c : run_id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsRunDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const auto number = [d](size_t from, size_t count) {
    int value = 0;
    for (size_t i = from; i < from + count; ++i) value = value * 10 + (d[i] - '0');
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = kDaysInMonth[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= days;
}

}  // namespace ridesweep::sweep
