// Dimension values to simulation parameters, driven by the sweepable-parameter table (sweep_parameters.h).
#include "ridesweep/sweep/dimension_mapping.h"

#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/sweep_parameters.h"

namespace ridesweep::sweep {

bool IsSupportedDimension(std::string_view name) { return FindSweepParameter(name) != nullptr; }

Status ApplyDimensionValue(std::string_view name, const JsonValue& value, sim::SimParams* params) {
  const SweepParameter* parameter = FindSweepParameter(name);
  if (parameter == nullptr) return InvalidArgumentError(errors::UnsupportedDimension(name));
  RIDESWEEP_RETURN_IF_ERROR(CheckParameterValue(*parameter, value));
  return parameter->assign(name, value, params);
}

Status CheckDimensionValue(std::string_view name, const JsonValue& value) {
  sim::SimParams scratch;
  return ApplyDimensionValue(name, value, &scratch);
}

Status CheckDimensions(const Dimensions& dimensions) {
  sim::SimParams scratch;
  for (const Dimension& dimension : dimensions) {
    if (!IsSupportedDimension(dimension.name)) return InvalidArgumentError(errors::UnsupportedDimension(dimension.name));
    if (dimension.values.empty()) return InvalidArgumentError(errors::DimensionCannotBeEmpty(dimension.name));
    for (const JsonValue& value : dimension.values) {
      RIDESWEEP_RETURN_IF_ERROR(ApplyDimensionValue(dimension.name, value, &scratch));
    }
  }
  return Status::Ok();
}

}  // namespace ridesweep::sweep
