// Fingerprints of spec/sweep.md §2.3: SHA-256 (lowercase hex) over canonical JSON. request_fingerprint changes
// with run_id and sharding controls; config_fingerprint covers only what changes results (dimensions, seed);
// parameter_fingerprint covers one point's effective parameters. Pure functions.
#ifndef RIDESWEEP_SWEEP_FINGERPRINT_H_
#define RIDESWEEP_SWEEP_FINGERPRINT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "ridesweep/sweep/design.h"
#include "ridesweep/sweep/dimensions.h"
#include "ridesweep/sweep/normalized_request.h"

namespace ridesweep::sweep {

// SHA-256 of NormalizedRequestJson(request).
std::string RequestFingerprint(const NormalizedRequest& request);

// {"dimensions":<map>,"seed":<seed>}, then ,"replications":<n> only when n is not 1 (replicates change results),
// then ,"design":{…} only when it is not the default grid (the design picks the configurations).
std::string ConfigJson(const Dimensions& dimensions, int64_t seed, uint64_t replications = kDefaultReplications,
                       const Design& design = {});
std::string ConfigFingerprint(const Dimensions& dimensions, int64_t seed,
                              uint64_t replications = kDefaultReplications, const Design& design = {});

// SHA-256 of a point's effective-parameters JSON (§3.4).
std::string ParameterFingerprint(std::string_view effective_parameters_json);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_FINGERPRINT_H_
