// Fingerprints (spec/sweep.md §2.3).
#include "ridesweep/sweep/fingerprint.h"

#include "ridesweep/base/json_number_format.h"
#include "ridesweep/base/sha256.h"

namespace ridesweep::sweep {

std::string RequestFingerprint(const NormalizedRequest& request) { return Sha256Hex(NormalizedRequestJson(request)); }

std::string ConfigJson(const Dimensions& dimensions, int64_t seed, uint64_t replications, const Design& design) {
  std::string out = "{\"dimensions\":";
  AppendDimensionsJson(&out, dimensions);
  out += ",\"seed\":";
  AppendJsonSigned(&out, seed);
  if (replications != kDefaultReplications) {
    out += ",\"replications\":";
    AppendJsonUnsigned(&out, replications);
  }
  if (!design.is_grid()) {
    out += ",\"design\":";
    AppendDesignJson(&out, design);
  }
  out += "}";
  return out;
}

std::string ConfigFingerprint(const Dimensions& dimensions, int64_t seed, uint64_t replications,
                              const Design& design) {
  return Sha256Hex(ConfigJson(dimensions, seed, replications, design));
}

std::string ParameterFingerprint(std::string_view effective_parameters_json) {
  return Sha256Hex(effective_parameters_json);
}

}  // namespace ridesweep::sweep
