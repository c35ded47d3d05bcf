// Plan files (spec/sweep.md §11.1): the ordered list of SQL files `ridesweep athena apply` and `ridesweep ingest
// --engine athena` execute. One path per line, relative to the plan's own directory (absolute paths allowed);
// lines whose first non-blank character is `#` and blank lines are ignored. Editing a plan changes the order
// with no code change. Reads the file system; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_SQL_PLAN_H_
#define RIDESWEEP_ANALYTICS_SQL_PLAN_H_

#include <filesystem>
#include <string_view>
#include <vector>

#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

// DO NOT CHANGE: plan file names of the SQL directory (§11.1).
inline constexpr std::string_view kBootstrapPlan = "athena_bootstrap.plan";
inline constexpr std::string_view kPartitionsPlan = "athena_partitions.plan";
inline constexpr std::string_view kTablesPlan = "athena_tables.plan";

// Reads a plan and returns its SQL files in plan order, each resolved against the plan's directory.
// Errors (InvalidArgument, texts in errors.h; `ridesweep athena apply` prefixes `Plan error: `):
//   `Plan file not found: <plan_path>`                    the plan is missing or unreadable
//   `Plan entries must point to .sql files, got: <entry>` an entry (trimmed) does not end in `.sql`
//   `SQL file in plan does not exist: <resolved path>`    an entry names no regular file
//   `Plan file contains no SQL entries`                   nothing but comments and blank lines
// Entries are checked in order; the first problem wins.
Result<std::vector<std::filesystem::path>> LoadPlan(const std::filesystem::path& plan_path);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_SQL_PLAN_H_
