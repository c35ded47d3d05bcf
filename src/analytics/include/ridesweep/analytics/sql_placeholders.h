// Placeholders of the SQL files (spec/sweep.md §11.2): `${database}`, `${results_location}`, `${run_id}` and
// `${expected_shards}`. Values are validated first, then replaced textually in one pass (a value is never
// scanned for tokens again). Shared by the Athena path (`ridesweep athena apply`, `ridesweep ingest --engine
// athena`) and the local DuckDB engine. Pure functions; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_SQL_PLACEHOLDERS_H_
#define RIDESWEEP_ANALYTICS_SQL_PLACEHOLDERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/result.h"
#include "ridesweep/base/status.h"

namespace ridesweep::analytics {

// DO NOT CHANGE: the token names the SQL files use.
inline constexpr std::string_view kDatabasePlaceholder = "database";
inline constexpr std::string_view kResultsLocationPlaceholder = "results_location";
inline constexpr std::string_view kRunIdPlaceholder = "run_id";
inline constexpr std::string_view kExpectedShardsPlaceholder = "expected_shards";

// The Athena database / DuckDB schema when none is configured.
inline constexpr std::string_view kDefaultDatabase = "ride_sim_analytics";

// Values for one substitution; an absent value makes any use of its token an error.
struct PlaceholderValues {
  std::optional<std::string> database;          // [a-z0-9_]{1,255}
  std::optional<std::string> results_location;  // s3://bucket[/prefix] or a local directory; non-empty, no trailing '/'
  std::optional<std::string> run_id;            // [A-Za-z0-9._-]{1,128}
  std::optional<uint64_t> expected_shards;      // >= 1
};

// True when `name` matches [a-z0-9_]{1,255}.
bool IsValidDatabaseName(std::string_view name);

// Checks every present value against its rule. InvalidArgument `Invalid value for ${<name>}: <value>`.
Status ValidatePlaceholderValues(const PlaceholderValues& values);

// The names of the `${…}` tokens in `text`, in order of appearance, repeats included.
std::vector<std::string> PlaceholderTokens(std::string_view text);

// Replaces every token of `text`. Checks, in this order: each token in order of appearance is known
// (InvalidArgument `Unknown placeholder ${<name>} in <file_name>`) and has a value (`Missing value for ${<name>}
// in <file_name>`); then every present value is valid (ValidatePlaceholderValues). `'` in results_location is
// doubled, because that token always sits inside a SQL string literal.
Result<std::string> SubstitutePlaceholders(std::string_view text, const PlaceholderValues& values,
                                           std::string_view file_name);

// Replaces the first occurrence of `token` (e.g. "${limit}") in a built-in SQL text by `value`: the code's own
// fragments (score expressions, filters, limits), set before SubstitutePlaceholders sees the text.
// REQUIRES: `token` occurs in `sql`.
void ReplaceSqlFragment(std::string& sql, std::string_view token, std::string_view value);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_SQL_PLACEHOLDERS_H_
