// Formatting of the contract messages that interpolate values (spec/sweep.md).
#include "ridesweep/sweep/errors.h"

#include <initializer_list>

namespace ridesweep::sweep::errors {
namespace {

std::string Concat(std::initializer_list<std::string_view> parts) {
  size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts) out.append(part);
  return out;
}

std::string DimensionMessage(std::string_view name, std::string_view tail) {
  return Concat({"Dimension '", name, "' ", tail});
}

}  // namespace

std::string DimensionNotNonEmptyList(std::string_view name) {
  return DimensionMessage(name, "must be a non-empty list");
}
std::string DimensionTooManyValues(std::string_view name) {
  return DimensionMessage(name, "exceeds MAX_DIMENSION_VALUES=10000");
}
std::string MustBeConfigured(std::string_view variable) { return Concat({variable, " must be configured"}); }
std::string IntegerSettingOutOfRange(std::string_view variable, uint64_t lo, uint64_t hi) {
  return Concat({variable, " must be an integer between ", std::to_string(lo), " and ", std::to_string(hi)});
}
std::string InvalidSetting(std::string_view variable, std::string_view value, std::string_view reason) {
  return Concat({variable, " '", value, "' is invalid: ", reason});
}
std::string ShardCountExceeds(uint64_t shard_count, uint64_t cap) {
  return Concat({"Computed shard count ", std::to_string(shard_count), " exceeds max_shards=", std::to_string(cap)});
}

std::string UnsupportedDimension(std::string_view name) { return Concat({"Unsupported dimension '", name, "'"}); }
std::string DimensionMustBeUnsigned(std::string_view name) {
  return DimensionMessage(name, "must be an unsigned integer");
}
std::string DimensionTooLarge(std::string_view name) { return DimensionMessage(name, "is too large"); }
std::string DimensionMustBeSigned(std::string_view name) { return DimensionMessage(name, "must be a signed integer"); }
std::string DimensionMustBeNumeric(std::string_view name) { return DimensionMessage(name, "must be numeric"); }
std::string DimensionMustBeBoolean(std::string_view name) { return DimensionMessage(name, "must be boolean"); }
std::string DimensionMustBeString(std::string_view name) { return DimensionMessage(name, "must be a string"); }
std::string DimensionCannotBeEmpty(std::string_view name) { return DimensionMessage(name, "cannot be empty"); }
std::string RangeShape(std::string_view name) {
  return DimensionMessage(
      name, R"(range must be {"min": number, "max": number} with optional "log": boolean and "steps": unsigned)");
}
std::string RangeOnListOnlyDimension(std::string_view name) {
  return DimensionMessage(name, "takes a list of values, not a range");
}
std::string RangeMinAboveMax(std::string_view name) { return DimensionMessage(name, "range has min > max"); }
std::string RangeLogNeedsPositiveMin(std::string_view name) { return DimensionMessage(name, "log range needs min > 0"); }
std::string RangeNeedsSteps(std::string_view name) {
  return DimensionMessage(name, R"(range needs "steps" in a grid design)");
}
std::string RangeStepsInSamplingDesign(std::string_view name, std::string_view type) {
  return DimensionMessage(name, R"(range takes no "steps" in a )" + std::string(type) + " design");
}
std::string UnsupportedDesignType(std::string_view raw) {
  return "Unsupported design type '" + std::string(raw) + "' (expected grid, random, latin_hypercube, or sobol)";
}
std::string UnknownLayout(std::string_view raw) {
  return "Unknown layout '" + std::string(raw) + "' (expected per_point or per_shard)";
}
std::string DesignNeedsSamples(std::string_view type) {
  return "design '" + std::string(type) + R"(' needs "samples")";
}
std::string RangeStepsTooFew(std::string_view name) {
  return DimensionMessage(name, "steps must be at least 2 when min and max differ (at least 1 when equal)");
}
std::string DimensionOutOfRange(std::string_view name, std::string_view value, std::string_view range) {
  return Concat({"Dimension '", name, "' value ", value, " is outside the allowed range ", range});
}
std::string UnsupportedMatchingAlgorithm(std::string_view raw) {
  return Concat({"Unsupported matching_algorithm_type '", raw, "' (expected simple, cost_based, or hungarian)"});
}
std::string UnsupportedTrafficProfile(std::string_view raw) {
  return Concat({"Unsupported traffic_profile '", raw, "' (expected none or berlin)"});
}

std::string RequestReferenceOutsidePrefix(std::string_view key, std::string_view expected) {
  return Concat(
      {"Request reference is not this run's manifest under the results prefix: ", key, " (expected ", expected, ")"});
}
std::string RequestReferenceNotFound(std::string_view key) { return Concat({"Request reference not found: ", key}); }
std::string RequestReferenceMismatch(std::string_view expected, std::string_view found) {
  return Concat({"Request reference mismatch: expected ", expected, ", found ", found});
}

std::string DeadlineStoppedBeforePoint(uint64_t point_index, int64_t remaining_ms, uint64_t written,
                                       uint64_t planned) {
  return Concat({"Deadline guard: stopped before point ", std::to_string(point_index), " with ",
                 std::to_string(remaining_ms), " ms left; ", std::to_string(written), " of ", std::to_string(planned),
                 " points written"});
}
std::string DeadlineCancelledPoint(uint64_t point_index, int64_t remaining_ms, uint64_t written, uint64_t planned) {
  return Concat({"Deadline guard: cancelled point ", std::to_string(point_index), " with ",
                 std::to_string(remaining_ms), " ms left; ", std::to_string(written), " of ", std::to_string(planned),
                 " points written"});
}

std::string RunIdConflict(std::string_view run_id) {
  return Concat({"run_id '", run_id, "' was already submitted with a different request"});
}
std::string FailedToEnqueue(std::string_view detail) { return Concat({"failed to enqueue shard message: ", detail}); }
std::string NoRoute(std::string_view method, std::string_view path) {
  return Concat({"No route for ", method, " ", path});
}

}  // namespace ridesweep::sweep::errors
