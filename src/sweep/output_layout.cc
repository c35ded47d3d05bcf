// Output layout names (output_layout.h).
#include "ridesweep/sweep/output_layout.h"

namespace ridesweep::sweep {

std::string_view OutputLayoutName(OutputLayout layout) {
  switch (layout) {
    case OutputLayout::kPerPoint: return "per_point";
    case OutputLayout::kPerShard: return "per_shard";
  }
  return "per_point";
}

std::optional<OutputLayout> OutputLayoutFromName(std::string_view name) {
  for (OutputLayout layout : {OutputLayout::kPerPoint, OutputLayout::kPerShard}) {
    if (OutputLayoutName(layout) == name) return layout;
  }
  return std::nullopt;
}

}  // namespace ridesweep::sweep
