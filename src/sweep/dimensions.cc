// Canonical writing and product of dimensions.
#include "ridesweep/sweep/dimensions.h"

#include <limits>

#include "ridesweep/base/json_writer.h"

namespace ridesweep::sweep {

void AppendDimensionsJson(std::string* out, const Dimensions& dimensions) {
  out->push_back('{');
  bool first_dimension = true;
  for (const Dimension& dimension : dimensions) {
    if (!first_dimension) out->push_back(',');
    first_dimension = false;
    AppendJsonString(out, dimension.name);
    out->append(":[");
    bool first_value = true;
    for (const JsonValue& value : dimension.values) {
      if (!first_value) out->push_back(',');
      first_value = false;
      AppendCanonicalJson(out, value);
    }
    out->push_back(']');
  }
  out->push_back('}');
}

std::string DimensionsJson(const Dimensions& dimensions) {
  std::string out;
  AppendDimensionsJson(&out, dimensions);
  return out;
}

uint64_t DimensionProduct(const Dimensions& dimensions) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  uint64_t product = 1;
  for (const Dimension& dimension : dimensions) {
    const uint64_t n = dimension.values.size();
    if (n != 0 && product > kMax / n) return kMax;
    product *= n;
  }
  return product;
}

}  // namespace ridesweep::sweep
