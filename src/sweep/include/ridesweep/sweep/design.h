// The experiment design of a request: which configurations its points run. `grid` (the default) is the Cartesian
// product of the dimension lists (grid.h); `random`, `latin_hypercube` and `sobol` draw `samples` configurations
// from the dimensions, where a dimension is either a list of levels (sampled uniformly over its entries) or a
// range {"min","max"[,"log"]} (sampled over the interval; integer parameters rounded as documented in
// docs/formats/request_json.md, "Designs"). Every sample is a pure function of (seed, design, dimensions,
// configuration index), computed per index in O(dimensions) time and no memory: local and cloud workers, with
// any number of threads, resolve the same values. Pure functions; thread-safe.
#ifndef RIDESWEEP_SWEEP_DESIGN_H_
#define RIDESWEEP_SWEEP_DESIGN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/json_value.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sweep/dimensions.h"

namespace ridesweep::sweep {

// DO NOT CHANGE the codes: they seed the design's random streams.
enum class DesignType : uint8_t { kGrid = 0, kRandom = 1, kLatinHypercube = 2, kSobol = 3 };

struct Design {
  DesignType type = DesignType::kGrid;
  uint64_t samples = 0;  // 0 for a grid; 1..200 000 otherwise

  bool is_grid() const { return type == DesignType::kGrid; }
  friend bool operator==(const Design&, const Design&) = default;
};

std::string_view DesignTypeName(DesignType type);  // grid | random | latin_hypercube | sobol

// The request's `design` value, or InvalidArgument with the documented 400 message.
Result<Design> DesignFromJson(const JsonValue& value);

// {"samples":N,"type":"<name>"} (canonical key order). Written by requests, payloads and manifests only when the
// design is not the default grid.
void AppendDesignJson(std::string* out, const Design& design);

// Configurations of the design: the product of the list sizes for a grid (saturating), `samples` otherwise.
uint64_t DesignConfigurations(const Design& design, const Dimensions& dimensions);

// Number of dimensions the Sobol table covers (the Joe–Kuo rows written in design.cc): at least the number of
// sweepable parameters, so every request's dimensions fit (design_test checks this).
inline constexpr size_t kSobolMaxDimensions = 22;

// The coordinate in [0, 1) of configuration `config_index` along dimension `dimension` of a sampling design.
// REQUIRES: !design.is_grid(), config_index < design.samples, dimension < kSobolMaxDimensions for Sobol.
double DesignUnitCoordinate(const Design& design, int64_t seed, size_t dimension, uint64_t config_index);

// Unscrambled Sobol coordinate (Gray-code order, index 0 is the origin): the standard Joe–Kuo sequence,
// exposed for tests. REQUIRES: dimension < kSobolMaxDimensions.
double SobolCoordinate(size_t dimension, uint64_t index);

// The value one dimension takes at unit coordinate u: a list entry (index ⌊u·n⌋) or a point of the range.
// `integral` for unsigned and signed parameters. REQUIRES: a non-empty list, or a range whose ends are numbers.
JsonValue DimensionValueAt(const Dimension& dimension, bool integral, double u);

// The selected value of every dimension for configuration `config_index` of a sampling design. InvalidArgument
// `Index exceeds dimension product` when config_index >= samples, or for an unsupported dimension name.
Result<std::vector<JsonValue>> DesignConfigurationValues(const Design& design, const Dimensions& dimensions,
                                                         int64_t seed, uint64_t config_index);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_DESIGN_H_
