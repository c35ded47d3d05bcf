// Own random numbers (spec/simulation.md §2): SplitMix64 key derivation feeding xoshiro256**, one stream per
// purpose and entity, and hand-written sampling primitives (never std::*_distribution, whose output differs
// between standard libraries). Streams are plain values; not thread-safe, one per owner. See
// docs/formats/rng_streams.md.
#ifndef RIDESWEEP_SIM_RANDOM_RNG_H_
#define RIDESWEEP_SIM_RANDOM_RNG_H_

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

#include "ridesweep/base/split_mix.h"

namespace ridesweep::sim {

using ridesweep::Mix64;
using ridesweep::SplitMixAt;

// DO NOT CHANGE: stream codes are part of the reproducibility contract (§2.2).
enum class StreamPurpose : uint64_t {
  kRiderSpawn = 1,
  kRiderArrival = 2,
  kDriverSpawn = 3,
  kDriverArrival = 4,
  kRiderQuote = 5,
  kRiderCancel = 6,
  kDriverAccept = 7,
  kSpeed = 8,
  kRiderPrice = 9,  // Per-rider price tolerance, drawn once at spawn.
  kLast = kRiderPrice,
};

class Xoshiro256 {
 public:
  Xoshiro256() = default;
  explicit Xoshiro256(const std::array<uint64_t, 4>& state) : s_(state) {
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
  }
  // Seeds the state from a stream key: s[i] = sm(key, i + 1).
  static Xoshiro256 FromKey(uint64_t stream_key) {
    return Xoshiro256({SplitMixAt(stream_key, 1), SplitMixAt(stream_key, 2), SplitMixAt(stream_key, 3),
                       SplitMixAt(stream_key, 4)});
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

 private:
  static constexpr uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_{1, 0, 0, 0};
};

// Derives stream keys for one run: K = mix64(seed ^ "RIDESIM1"), Kp = sm(K, code), Ks = sm(Kp, index + 1).
class StreamKeys {
 public:
  explicit StreamKeys(uint64_t seed) {
    const uint64_t run_key = Mix64(seed ^ 0x5249444553494D31ULL);
    for (uint64_t code = 0; code < purpose_keys_.size(); ++code) purpose_keys_[code] = SplitMixAt(run_key, code);
  }
  uint64_t StreamKey(StreamPurpose purpose, uint64_t index) const {
    return SplitMixAt(purpose_keys_[static_cast<uint64_t>(purpose)], index + 1);
  }
  Xoshiro256 Stream(StreamPurpose purpose, uint64_t index) const {
    return Xoshiro256::FromKey(StreamKey(purpose, index));
  }

 private:
  // One key per purpose code (0 unused): sized from the last code so a new purpose can never read past it.
  std::array<uint64_t, static_cast<size_t>(StreamPurpose::kLast) + 1> purpose_keys_{};
};

// Uniform double in [0, 1): the top 53 bits.
inline double U01(Xoshiro256& rng) { return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53; }

// U[a, b] as a + (b - a) * u01.
inline double UniformReal(Xoshiro256& rng, double a, double b) { return a + (b - a) * U01(rng); }

// Unbiased integer in [a, b] (a <= b) by Lemire's multiply-shift with rejection.
inline uint64_t UniformInt(Xoshiro256& rng, uint64_t a, uint64_t b) {
  __extension__ using U128 = unsigned __int128;
  const uint64_t n = b - a + 1;
  if (n == 0) return rng.Next();  // The full 64-bit range.
  uint64_t x = rng.Next();
  U128 m = static_cast<U128>(x) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      x = rng.Next();
      m = static_cast<U128>(x) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return a + static_cast<uint64_t>(m >> 64);
}

// Exponential gap in seconds for a rate per second: -ln(1 - u) / rate.
inline double ExponentialGapSecs(Xoshiro256& rng, double rate_per_sec) {
  return -std::log(1.0 - U01(rng)) / rate_per_sec;
}

// r = u01 * Σw; the first index whose cumulative weight is > r, the last index if none.
inline size_t WeightedChoice(Xoshiro256& rng, std::span<const double> weights) {
  double total = 0.0;
  for (double w : weights) total += w;
  const double r = U01(rng) * total;
  double cumulative = 0.0;
  for (size_t i = 0; i < weights.size(); ++i) {
    cumulative += weights[i];
    if (cumulative > r) return i;
  }
  return weights.empty() ? 0 : weights.size() - 1;
}

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_RANDOM_RNG_H_
