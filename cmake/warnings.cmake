# Warnings are errors everywhere; floating point is never contracted so results do not move with flags.
set(RIDESWEEP_WARNINGS -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 at -O3 reports -Wrestrict on ordinary std::string concatenation (GCC bug 105651, fixed in 13).
  list(APPEND RIDESWEEP_WARNINGS -Wno-restrict)
endif()
set(RIDESWEEP_FP_FLAGS -ffp-contract=off -fno-fast-math)
