// DuckDbLibraryVersion over duckdb_library_version() of the C API.
#include "ridesweep/analytics/duckdb_version.h"

#include <duckdb.h>

namespace ridesweep::analytics {

std::string DuckDbLibraryVersion() { return duckdb_library_version(); }

}  // namespace ridesweep::analytics
