// SplitMix64: the finaliser and the n-th output from a state. The simulation derives its random streams from it
// (sim/random/rng.h) and the experiment designs their draws (sweep/design.cc); both are part of the
// reproducibility contract, so these constants never change.
#ifndef RIDESWEEP_BASE_SPLIT_MIX_H_
#define RIDESWEEP_BASE_SPLIT_MIX_H_

#include <cstdint>

namespace ridesweep {

// The SplitMix64 finaliser.
constexpr uint64_t Mix64(uint64_t z) {
  z ^= z >> 30;
  z *= 0xBF58476D1CE4E5B9ULL;
  z ^= z >> 27;
  z *= 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return z;
}

// The n-th SplitMix64 output from state x.
constexpr uint64_t SplitMixAt(uint64_t x, uint64_t n) { return Mix64(x + n * 0x9E3779B97F4A7C15ULL); }

}  // namespace ridesweep

#endif  // RIDESWEEP_BASE_SPLIT_MIX_H_
