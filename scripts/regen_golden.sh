#!/usr/bin/env bash
# Regenerates the simulation golden outputs (tests/golden/sim/<name>.metrics.json and <name>.events.sha256) from
# the current engine, for every <name>.params.json in that folder (style.md item 22). This is the only sanctioned
# way to change them: run it after an intended behaviour change, then review and commit the diff it shows.
# Builds the acceptance test binary in the given build directory (configured with the release preset if new) and
# runs its golden test with RIDESWEEP_REGEN_GOLDEN=1, which writes the files instead of comparing.
# Usage: scripts/regen_golden.sh [build-dir]   (default: build/release)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build_dir="${1:-build/release}"
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake --preset release -B "$build_dir"
fi
cmake --build "$build_dir" --target ridesweep_sim_acceptance_tests -j2

RIDESWEEP_REGEN_GOLDEN=1 "$build_dir/src/sim/ridesweep_sim_acceptance_tests" \
  --gtest_filter='GoldenSimTest.OutputsMatchCheckedInGoldens'
# The regenerated files must now compare equal.
"$build_dir/src/sim/ridesweep_sim_acceptance_tests" --gtest_filter='GoldenSimTest.*'

echo "Golden outputs regenerated. Review the changes before committing:"
git status --short -- tests/golden/sim || true
git --no-pager diff --stat -- tests/golden/sim || true
