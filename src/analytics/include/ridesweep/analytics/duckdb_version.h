// The version of the DuckDB library this process runs (the one that writes Parquet and runs local SQL), e.g.
// "v1.4.4". Shown by `ridesweep --version`. Thread-safe.
#ifndef RIDESWEEP_ANALYTICS_DUCKDB_VERSION_H_
#define RIDESWEEP_ANALYTICS_DUCKDB_VERSION_H_

#include <string>

namespace ridesweep::analytics {

std::string DuckDbLibraryVersion();

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_DUCKDB_VERSION_H_
