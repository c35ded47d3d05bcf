// The sharding default of `ridesweep run`: a local run may leave out both shard_count and shard_size, and then
// runs with shard_count = kLocalDefaultShardCount (the plan caps it at one shard per point). The API and `serve`
// keep requiring one of them. A fixed number rather than one derived from the machine keeps the normalized
// request, and so the run's fingerprints, the same everywhere. Pure function.
#ifndef RIDESWEEP_LOCAL_LOCAL_SHARDING_DEFAULT_H_
#define RIDESWEEP_LOCAL_LOCAL_SHARDING_DEFAULT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ridesweep::local {

inline constexpr uint64_t kLocalDefaultShardCount = 64;

// When `body` is a JSON object whose shard_count and shard_size are both absent or null, the same request with
// "shard_count": kLocalDefaultShardCount added (canonical JSON); otherwise nullopt (use `body` as it is, and
// ingress reports any problem in it).
std::optional<std::string> WithLocalShardingDefault(std::string_view body);

}  // namespace ridesweep::local

#endif  // RIDESWEEP_LOCAL_LOCAL_SHARDING_DEFAULT_H_
