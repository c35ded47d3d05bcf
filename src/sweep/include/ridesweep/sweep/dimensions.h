// Dimensions are the swept parameters of a request: name → list of raw JSON values, kept sorted by name
// (byte-wise), which is both the canonical map order (spec/sweep.md §2.2) and the grid's digit order (§3.1).
// Values stay exactly as supplied (number kinds included); mapping them to parameters is dimension_mapping.h.
#ifndef RIDESWEEP_SWEEP_DIMENSIONS_H_
#define RIDESWEEP_SWEEP_DIMENSIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ridesweep/base/json_value.h"

namespace ridesweep::sweep {

struct Dimension {
  std::string name;
  // A list of levels; for a range of a sampling design (is_range), exactly {min, max}.
  std::vector<JsonValue> values;
  bool is_range = false;  // only in sampling designs (design.h); grids expand ranges to lists
  bool log = false;       // with is_range: sampled on a logarithmic scale

  friend bool operator==(const Dimension&, const Dimension&) = default;
};

// Sorted by name, names unique.
using Dimensions = std::vector<Dimension>;

// Canonical map text: {"name":[v,…],…} with values in canonical form; a range reads {"log":true,"max":b,"min":a}
// ("log" only when true).
void AppendDimensionsJson(std::string* out, const Dimensions& dimensions);
std::string DimensionsJson(const Dimensions& dimensions);

// One canonical map entry read back (run manifest, shard payload): a list, or a range object of exactly min, max
// (numbers) and optional log (boolean). Returns an error detail (serde wording for a wrong type) on failure.
std::optional<std::string> ReadCanonicalDimension(std::string name, const JsonValue& value, Dimension* out);

// Π of the value counts, saturating at UINT64_MAX. 1 for no dimensions.
uint64_t DimensionProduct(const Dimensions& dimensions);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_DIMENSIONS_H_
