// U1: the RNG known-answer vectors of spec/simulation.md §2.4.
#include "random/rng.h"

#include <gtest/gtest.h>

namespace ridesweep::sim {
namespace {

TEST(RngTest, XoshiroKnownAnswers) {
  Xoshiro256 rng({1, 2, 3, 4});
  EXPECT_EQ(rng.Next(), 11520u);
  EXPECT_EQ(rng.Next(), 0u);
  EXPECT_EQ(rng.Next(), 1509978240u);
  EXPECT_EQ(rng.Next(), 1215971899390074240u);
}

TEST(RngTest, SplitMixKnownAnswers) {
  EXPECT_EQ(SplitMixAt(1234567, 1), 6457827717110365317u);
  EXPECT_EQ(SplitMixAt(1234567, 2), 3203168211198807973u);
}

struct StreamCase {
  uint64_t seed;
  StreamPurpose purpose;
  uint64_t index;
  uint64_t stream_key;
  uint64_t first[3];
  double u01;
  uint64_t int_120_2400;
};

constexpr StreamCase kStreamCases[] = {
    {42, StreamPurpose::kRiderSpawn, 0, 0x0D68FC599B3AF7C0,
     {0x562B20E6187DC4CB, 0x2CD44FD49C8E6102, 0xDD414908BA227EB2}, 0.336595588851643, 887},
    {42, StreamPurpose::kRiderSpawn, 1, 0x564820E30D6F2544,
     {0x879D1C87BF0B8BF7, 0x949723A379EA8CD6, 0x7D377ACAF5BCA98B}, 0.5297410804187576, 1328},
    {42, StreamPurpose::kRiderArrival, 0, 0xACFF3DF38BB2C360,
     {0x5D15F5166D2C0B7F, 0x358644400D7C089E, 0x8C810226ED39D9C3}, 0.363616292929848, 949},
    {0, StreamPurpose::kSpeed, 0, 0x7E2742A6031AF297,
     {0x9F0DAF8C97E377C0, 0xF582D205CBD90483, 0x1D546BC878362654}, 0.62130257780508, 1537},
    {42, StreamPurpose::kRiderCancel, 7, 0x8C0AFD9D22395C70,
     {0xB3C4C824EE6E0B9C, 0xF1A84638100C52D7, 0x06CE8CD00D93165C}, 0.7022214021839589, 1721},
};

TEST(RngTest, StreamKnownAnswers) {
  for (const StreamCase& c : kStreamCases) {
    SCOPED_TRACE(c.stream_key);
    const StreamKeys keys(c.seed);
    EXPECT_EQ(keys.StreamKey(c.purpose, c.index), c.stream_key);
    Xoshiro256 rng = keys.Stream(c.purpose, c.index);
    for (uint64_t expected : c.first) EXPECT_EQ(rng.Next(), expected);
    Xoshiro256 u = keys.Stream(c.purpose, c.index);
    EXPECT_NEAR(U01(u), c.u01, 1e-15);
    Xoshiro256 i = keys.Stream(c.purpose, c.index);
    EXPECT_EQ(UniformInt(i, 120, 2400), c.int_120_2400);
  }
}

// Regression: the price-tolerance stream (code 9) once read past the purpose-key table, so surge runs differed
// from process to process. Its key follows the same derivation as every other purpose.
TEST(RngTest, EveryPurposeHasItsOwnDerivedKey) {
  for (uint64_t seed : {0ULL, 2ULL, 42ULL}) {
    const StreamKeys keys(seed);
    const uint64_t run_key = Mix64(seed ^ 0x5249444553494D31ULL);
    for (uint64_t code = 1; code <= static_cast<uint64_t>(StreamPurpose::kLast); ++code) {
      const auto purpose = static_cast<StreamPurpose>(code);
      EXPECT_EQ(keys.StreamKey(purpose, 7), SplitMixAt(SplitMixAt(run_key, code), 8)) << "code " << code;
    }
  }
}

}  // namespace
}  // namespace ridesweep::sim
