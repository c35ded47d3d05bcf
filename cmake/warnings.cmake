# Warnings are errors everywhere; floating point is never contracted so results do not move with flags.
set(RIDESWEEP_WARNINGS -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror)
set(RIDESWEEP_FP_FLAGS -ffp-contract=off -fno-fast-math)
