#!/usr/bin/env bash
# Sets up whatever is missing, then runs the main job: the demo scenario, with a readable summary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh release
build/release/apps/ridesweep/ridesweep simulate --scenario example-standard
