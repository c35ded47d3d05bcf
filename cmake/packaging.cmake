# The Debian package of the ridesweep CLI (cpack -G DEB in the build tree → ridesweep_<version>_amd64.deb): the
# install tree of apps/ridesweep/CMakeLists.txt under /usr. libduckdb ships inside it (lib/ridesweep), so the
# package depends only on the C/C++ runtime, libcurl and OpenSSL of the base system.
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "ridesweep")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Parameter sweeps of a ride-hailing marketplace simulation, queryable with SQL (Parquet + DuckDB)")
set(CPACK_PACKAGE_CONTACT "ridesweep maintainers <ridesweep@example.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "amd64")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6 (>= 2.34), libstdc++6 (>= 12), libgcc-s1, libcurl4, libssl3")
set(CPACK_STRIP_FILES ON)
include(CPack)
