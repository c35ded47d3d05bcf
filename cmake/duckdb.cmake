# DuckDB C API (v1.4.4) as the imported target ridesweep::duckdb, used PRIVATE by store and analytics.
# A system DuckDB (duckdb.h + libduckdb.so in the standard locations, or under DUCKDB_ROOT) wins; otherwise the copy
# that scripts/fetch_duckdb.sh extracts into third_party/duckdb/{include,lib}. Binaries get the library's folder
# as a build-tree rpath, so tests and apps run from build/ without LD_LIBRARY_PATH.
if(TARGET ridesweep::duckdb)
  return()
endif()

set(RIDESWEEP_DUCKDB_THIRD_PARTY "${PROJECT_SOURCE_DIR}/third_party/duckdb")

# System first (default search paths plus an optional DUCKDB_ROOT), then the fetched copy.
find_path(RIDESWEEP_DUCKDB_INCLUDE_DIR duckdb.h
  HINTS ${DUCKDB_ROOT} ENV DUCKDB_ROOT
  PATH_SUFFIXES include)
find_library(RIDESWEEP_DUCKDB_LIBRARY NAMES duckdb
  HINTS ${DUCKDB_ROOT} ENV DUCKDB_ROOT
  PATH_SUFFIXES lib lib64)
if(NOT RIDESWEEP_DUCKDB_INCLUDE_DIR OR NOT RIDESWEEP_DUCKDB_LIBRARY)
  unset(RIDESWEEP_DUCKDB_INCLUDE_DIR CACHE)
  unset(RIDESWEEP_DUCKDB_LIBRARY CACHE)
  find_path(RIDESWEEP_DUCKDB_INCLUDE_DIR duckdb.h PATHS "${RIDESWEEP_DUCKDB_THIRD_PARTY}/include" NO_DEFAULT_PATH)
  find_library(RIDESWEEP_DUCKDB_LIBRARY NAMES duckdb PATHS "${RIDESWEEP_DUCKDB_THIRD_PARTY}/lib" NO_DEFAULT_PATH)
endif()

if(NOT RIDESWEEP_DUCKDB_INCLUDE_DIR OR NOT RIDESWEEP_DUCKDB_LIBRARY)
  unset(RIDESWEEP_DUCKDB_INCLUDE_DIR CACHE)
  unset(RIDESWEEP_DUCKDB_LIBRARY CACHE)
  message(FATAL_ERROR
    "DuckDB (duckdb.h and libduckdb.so) was not found, neither installed on the system nor in "
    "${RIDESWEEP_DUCKDB_THIRD_PARTY}. Run scripts/setup.sh (or just scripts/fetch_duckdb.sh) from the "
    "repository root to fetch the pinned DuckDB 1.4.4, then configure again.")
endif()

add_library(ridesweep::duckdb SHARED IMPORTED GLOBAL)
set_target_properties(ridesweep::duckdb PROPERTIES
  IMPORTED_LOCATION "${RIDESWEEP_DUCKDB_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${RIDESWEEP_DUCKDB_INCLUDE_DIR}")
# The fetched header must not trigger the project's warnings: mark it a system include.
set_property(TARGET ridesweep::duckdb PROPERTY
  INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${RIDESWEEP_DUCKDB_INCLUDE_DIR}")
get_filename_component(RIDESWEEP_DUCKDB_LIBRARY_DIR "${RIDESWEEP_DUCKDB_LIBRARY}" DIRECTORY)
set(RIDESWEEP_DUCKDB_LIBRARY_DIR "${RIDESWEEP_DUCKDB_LIBRARY_DIR}" CACHE INTERNAL "Folder holding libduckdb.so")
message(STATUS "DuckDB: ${RIDESWEEP_DUCKDB_LIBRARY} (headers in ${RIDESWEEP_DUCKDB_INCLUDE_DIR})")
