// Grid, random, Latin-hypercube and Sobol designs: parsing, canonical form and per-index sampling.
#include "ridesweep/sweep/design.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "ridesweep/base/json_writer.h"
#include "ridesweep/base/split_mix.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/limits.h"
#include "ridesweep/sweep/sweep_parameters.h"

namespace ridesweep::sweep {
namespace {

// Draws come from SplitMix64 (base/split_mix.h, the mixing of the simulation's streams), never a std:: engine.

// [0, 1) from the top 53 bits.
double UnitFromBits(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

// Key of one dimension's stream: sm(sm(seed, 1 + type code), 1 + dimension).
uint64_t DimensionKey(const Design& design, int64_t seed, size_t dimension) {
  const uint64_t design_key = SplitMixAt(static_cast<uint64_t>(seed), 1 + static_cast<uint64_t>(design.type));
  return SplitMixAt(design_key, 1 + dimension);
}

// Stream offsets inside a dimension key.
constexpr uint64_t kJitterStream = 0x4C48534A49545445ULL;  // "LHSJITTE"
constexpr uint64_t kFeistelRounds = 4;

// A bijection of [0, n) keyed by `key`: a balanced 4-round Feistel network over the smallest even number of bits
// 2h with 4^h >= n, cycle-walked back into [0, n) (at most 4n/n = 4 steps expected, since 4^h < 4n).
uint64_t PermuteIndex(uint64_t index, uint64_t n, uint64_t key) {
  unsigned half = 1;
  while ((uint64_t{1} << (2 * half)) < n) ++half;
  const uint64_t mask = (uint64_t{1} << half) - 1;
  uint64_t x = index;
  do {
    uint64_t left = x >> half;
    uint64_t right = x & mask;
    for (uint64_t round = 0; round < kFeistelRounds; ++round) {
      const uint64_t next = left ^ (SplitMixAt(key ^ right, round + 1) & mask);
      left = right;
      right = next;
    }
    x = (left << half) | right;
  } while (x >= n);
  return x;
}

// Sobol direction numbers: S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
// projections", SIAM J. Sci. Comput. 30 (2008) 2635–2654; file new-joe-kuo-6.21201, rows d = 2..22 (s, a, m_1..m_s).
// Dimension 1 is the van der Corput sequence (all m_i = 1).
struct JoeKuoRow {
  unsigned s;
  unsigned a;
  std::array<uint32_t, 7> m;
};
constexpr std::array<JoeKuoRow, kSobolMaxDimensions - 1> kJoeKuo = {{
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
    {7, 7, {1, 1, 3, 13, 7, 35, 63}},
}};

constexpr unsigned kSobolBits = 32;
using DirectionNumbers = std::array<std::array<uint32_t, kSobolBits>, kSobolMaxDimensions>;

// V[d][j] = m_{j+1} · 2^(32-(j+1)), extended by the primitive-polynomial recurrence (Joe and Kuo's generator).
constexpr DirectionNumbers MakeDirectionNumbers() {
  DirectionNumbers v{};
  for (unsigned j = 0; j < kSobolBits; ++j) v[0][j] = uint32_t{1} << (31 - j);
  for (size_t d = 1; d < kSobolMaxDimensions; ++d) {
    const JoeKuoRow& row = kJoeKuo[d - 1];
    for (unsigned j = 0; j < row.s && j < kSobolBits; ++j) v[d][j] = row.m[j] << (31 - j);
    for (unsigned j = row.s; j < kSobolBits; ++j) {
      uint32_t x = v[d][j - row.s] ^ (v[d][j - row.s] >> row.s);
      for (unsigned k = 1; k < row.s; ++k) x ^= ((row.a >> (row.s - 1 - k)) & 1u) * v[d][j - k];
      v[d][j] = x;
    }
  }
  return v;
}
constexpr DirectionNumbers kDirections = MakeDirectionNumbers();

uint32_t SobolBits(size_t dimension, uint64_t index) {
  uint64_t gray = index ^ (index >> 1);
  uint32_t x = 0;
  for (unsigned j = 0; gray != 0 && j < kSobolBits; ++j, gray >>= 1) {
    if ((gray & 1u) != 0) x ^= kDirections[dimension][j];
  }
  return x;
}

}  // namespace

std::string_view DesignTypeName(DesignType type) {
  switch (type) {
    case DesignType::kGrid: return "grid";
    case DesignType::kRandom: return "random";
    case DesignType::kLatinHypercube: return "latin_hypercube";
    case DesignType::kSobol: return "sobol";
  }
  return "grid";
}

Result<Design> DesignFromJson(const JsonValue& value) {
  if (!value.is_object()) return InvalidArgumentError(std::string(errors::kDesignShape));
  const JsonObject& object = value.as_object();
  for (const JsonMember& member : object.members()) {
    if (member.key != "type" && member.key != "samples") return InvalidArgumentError(std::string(errors::kDesignShape));
  }
  const JsonValue* type = object.Find("type");
  if (type == nullptr || !type->is_string()) return InvalidArgumentError(std::string(errors::kDesignShape));
  Design design;
  const std::string& name = type->as_string();
  if (name == "grid") {
    design.type = DesignType::kGrid;
  } else if (name == "random") {
    design.type = DesignType::kRandom;
  } else if (name == "latin_hypercube") {
    design.type = DesignType::kLatinHypercube;
  } else if (name == "sobol") {
    design.type = DesignType::kSobol;
  } else {
    return InvalidArgumentError(errors::UnsupportedDesignType(name));
  }
  const JsonValue* samples = object.Find("samples");
  if (design.is_grid()) {
    if (samples != nullptr) return InvalidArgumentError(std::string(errors::kDesignGridTakesNoSamples));
    return design;
  }
  if (samples == nullptr) return InvalidArgumentError(errors::DesignNeedsSamples(name));
  if (!samples->is_unsigned()) return InvalidArgumentError(std::string(errors::kDesignSamplesNotUnsigned));
  design.samples = samples->as_unsigned();
  if (design.samples < 1 || design.samples > kMaxTotalParameterPoints) {
    return InvalidArgumentError(std::string(errors::kDesignSamplesOutOfRange));
  }
  return design;
}

void AppendDesignJson(std::string* out, const Design& design) {
  JsonWriter w(out);
  w.BeginObject();
  if (!design.is_grid()) w.Key("samples").Unsigned(design.samples);
  w.Key("type").String(DesignTypeName(design.type)).EndObject();
}

uint64_t DesignConfigurations(const Design& design, const Dimensions& dimensions) {
  return design.is_grid() ? DimensionProduct(dimensions) : design.samples;
}

double SobolCoordinate(size_t dimension, uint64_t index) {
  return static_cast<double>(SobolBits(dimension, index)) * 0x1.0p-32;
}

double DesignUnitCoordinate(const Design& design, int64_t seed, size_t dimension, uint64_t config_index) {
  const uint64_t key = DimensionKey(design, seed, dimension);
  switch (design.type) {
    case DesignType::kGrid:
    case DesignType::kRandom: return UnitFromBits(SplitMixAt(key, config_index + 1));
    case DesignType::kLatinHypercube: {
      const uint64_t stratum = PermuteIndex(config_index, design.samples, key);
      const double jitter = UnitFromBits(SplitMixAt(key ^ kJitterStream, config_index + 1));
      const double u = (static_cast<double>(stratum) + jitter) / static_cast<double>(design.samples);
      return std::min(u, std::nextafter(1.0, 0.0));
    }
    case DesignType::kSobol: {
      // Random digital shift: XOR with 32 bits of the dimension's key keeps the net structure of the sequence.
      const uint32_t shift = static_cast<uint32_t>(key >> 32);
      return static_cast<double>(SobolBits(dimension, config_index) ^ shift) * 0x1.0p-32;
    }
  }
  return 0;
}

JsonValue DimensionValueAt(const Dimension& dimension, bool integral, double u) {
  if (!dimension.is_range) {
    const size_t n = dimension.values.size();
    const size_t index = std::min(n - 1, static_cast<size_t>(u * static_cast<double>(n)));
    return dimension.values[index];
  }
  const double lo = dimension.values[0].NumberAsDouble();
  const double hi = dimension.values[1].NumberAsDouble();
  if (!integral) {
    const double v = dimension.log ? std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo))) : lo + u * (hi - lo);
    return JsonValue::Double(std::clamp(v, lo, hi));
  }
  // Integers: every integer of [lo, hi] gets the width-1 slice [k, k+1) of [lo, hi + 1) (or its logarithm).
  const double top = hi + 1;
  double v = dimension.log ? std::exp(std::log(lo) + u * (std::log(top) - std::log(lo))) : lo + u * (top - lo);
  v = std::clamp(std::floor(v), lo, hi);
  if (v >= 0) return JsonValue::Unsigned(static_cast<uint64_t>(std::min(v, 18446744073709549568.0)));
  return JsonValue::Signed(static_cast<int64_t>(std::max(v, -9223372036854775808.0)));
}

Result<std::vector<JsonValue>> DesignConfigurationValues(const Design& design, const Dimensions& dimensions,
                                                         int64_t seed, uint64_t config_index) {
  if (config_index >= design.samples) return InvalidArgumentError(std::string(errors::kIndexExceedsProduct));
  if (design.type == DesignType::kSobol && dimensions.size() > kSobolMaxDimensions) {
    return InvalidArgumentError(std::string(errors::kDesignTooManyDimensions));
  }
  std::vector<JsonValue> values;
  values.reserve(dimensions.size());
  for (size_t d = 0; d < dimensions.size(); ++d) {
    const Dimension& dimension = dimensions[d];
    const SweepParameter* parameter = FindSweepParameter(dimension.name);
    if (parameter == nullptr) return InvalidArgumentError(errors::UnsupportedDimension(dimension.name));
    if (dimension.values.empty() || (dimension.is_range && dimension.values.size() != 2)) {
      return InvalidArgumentError(errors::DimensionCannotBeEmpty(dimension.name));
    }
    const bool integral = parameter->kind == ValueKind::kUnsigned || parameter->kind == ValueKind::kUnsigned32 ||
                          parameter->kind == ValueKind::kSigned;
    values.push_back(DimensionValueAt(dimension, integral, DesignUnitCoordinate(design, seed, d, config_index)));
  }
  return values;
}

}  // namespace ridesweep::sweep
