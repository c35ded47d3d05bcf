// Text rules for the identifiers that end up in storage keys and SQL (spec/sweep.md §1.4, §7.1): Unicode
// White_Space trimming of run_id and dimension names, RUN_ID_PATTERN and the run_date shape. Pure functions.
#ifndef RIDESWEEP_SWEEP_IDENTIFIERS_H_
#define RIDESWEEP_SWEEP_IDENTIFIERS_H_

#include <string_view>

namespace ridesweep::sweep {

// True for the White_Space code points: U+0009–U+000D, U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028,
// U+2029, U+202F, U+205F, U+3000. Not U+001F (a control, not white space).
bool IsUnicodeWhiteSpace(char32_t code_point);

// Removes leading and trailing White_Space code points from UTF-8 text (like Rust's str::trim). Bytes that are
// not valid UTF-8 are never trimmed.
std::string_view TrimUnicodeWhiteSpace(std::string_view utf8);

// RUN_ID_PATTERN: [A-Za-z0-9._-]{1,128}.
bool MatchesRunIdPattern(std::string_view run_id);

// YYYY-MM-DD with a real calendar day (month 01–12, day within the month, leap years counted).
bool IsRunDate(std::string_view run_date);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_IDENTIFIERS_H_
