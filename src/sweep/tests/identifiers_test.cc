// run_id trimming uses exactly the Unicode White_Space set; RUN_ID_PATTERN and run_date shapes are strict.
#include "ridesweep/sweep/identifiers.h"

#include <gtest/gtest.h>

#include <string>

namespace ridesweep::sweep {
namespace {

std::string Utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return out;
}

constexpr char32_t kWhiteSpace[] = {0x09,   0x0A,   0x0B,   0x0C,   0x0D,   0x20,   0x85,   0xA0,   0x1680,
                                    0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
                                    0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
constexpr char32_t kNotWhiteSpace[] = {0x1F, 0x1C, 0x00, 0x08, 0x0E, 0x200B, 0x180E, 0xFEFF, 0x2060, 0x7F, 0x3001};

TEST(IdentifiersTest, TrimsEveryWhiteSpaceCodePointAtBothEnds) {
  for (char32_t cp : kWhiteSpace) {
    EXPECT_TRUE(IsUnicodeWhiteSpace(cp)) << std::hex << static_cast<uint32_t>(cp);
    const std::string ws = Utf8(cp);
    EXPECT_EQ(TrimUnicodeWhiteSpace(ws + "ab" + ws + ws), "ab") << std::hex << static_cast<uint32_t>(cp);
    EXPECT_EQ(TrimUnicodeWhiteSpace(ws + "a" + ws + "b" + ws), "a" + ws + "b");
  }
}

TEST(IdentifiersTest, KeepsControlsAndFormatCharactersThatAreNotWhiteSpace) {
  for (char32_t cp : kNotWhiteSpace) {
    EXPECT_FALSE(IsUnicodeWhiteSpace(cp)) << std::hex << static_cast<uint32_t>(cp);
    const std::string s = Utf8(cp);
    EXPECT_EQ(TrimUnicodeWhiteSpace(" " + s + " "), s) << std::hex << static_cast<uint32_t>(cp);
  }
}

TEST(IdentifiersTest, TrimEdgeCases) {
  EXPECT_EQ(TrimUnicodeWhiteSpace(""), "");
  EXPECT_EQ(TrimUnicodeWhiteSpace(" \t\n"), "");
  EXPECT_EQ(TrimUnicodeWhiteSpace("\xE3\x80\x80"), "");
  EXPECT_EQ(TrimUnicodeWhiteSpace("  r1  "), "r1");
  EXPECT_EQ(TrimUnicodeWhiteSpace("\xC3\xA9"), "\xC3\xA9");
  // Bytes that are not valid UTF-8 stop trimming instead of being misread.
  EXPECT_EQ(TrimUnicodeWhiteSpace(" \x80 "), "\x80");
  EXPECT_EQ(TrimUnicodeWhiteSpace("\xA0 x"), "\xA0 x");
  EXPECT_EQ(TrimUnicodeWhiteSpace("x \x80\x80"), "x \x80\x80");
}

TEST(IdentifiersTest, RunIdPattern) {
  EXPECT_TRUE(MatchesRunIdPattern("demo-run-001"));
  EXPECT_TRUE(MatchesRunIdPattern("A.b_C-9"));
  EXPECT_TRUE(MatchesRunIdPattern(std::string(128, 'x')));
  EXPECT_FALSE(MatchesRunIdPattern(std::string(129, 'x')));
  EXPECT_FALSE(MatchesRunIdPattern(""));
  for (const char* bad : {"a/b", "a b", "a=b", "a\"b", "a'b", "\xC3\xA9", "a\x1f", "a*", "a%2F"}) {
    EXPECT_FALSE(MatchesRunIdPattern(bad)) << bad;
  }
}

TEST(IdentifiersTest, RunDateIsACalendarDay) {
  EXPECT_TRUE(IsRunDate("2026-02-14"));
  EXPECT_TRUE(IsRunDate("2024-02-29"));
  EXPECT_TRUE(IsRunDate("2000-02-29"));
  EXPECT_FALSE(IsRunDate("1900-02-29"));
  EXPECT_FALSE(IsRunDate("2026-02-29"));
  EXPECT_FALSE(IsRunDate("2026-13-01"));
  EXPECT_FALSE(IsRunDate("2026-00-10"));
  EXPECT_FALSE(IsRunDate("2026-04-31"));
  EXPECT_FALSE(IsRunDate("2026-4-01"));
  EXPECT_FALSE(IsRunDate("2026/04/01"));
  EXPECT_FALSE(IsRunDate("2026-04-01T"));
  EXPECT_FALSE(IsRunDate("../../etc"));
  EXPECT_FALSE(IsRunDate(""));
}

}  // namespace
}  // namespace ridesweep::sweep
