#!/usr/bin/env bash
# Sets up whatever is missing, then runs the main job: the demo sweep on this machine (all cores) with its
# readiness check, followed by one query over the results with the same SQL that runs on Athena, the report, and a
# replicated sweep whose summary ends with the configurations' intervals and whose points are exported for pandas.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh --demo release
ridesweep=build/release/apps/ridesweep/ridesweep
results="${SWEEP_RESULTS_DIR:-./sweep-results}"
"$ridesweep" run examples/demo-request.json --results-dir "$results" --check
echo
echo "== ridesweep query query_run_level_profile --run-id demo-run-001"
"$ridesweep" query query_run_level_profile --run-id demo-run-001 --results-dir "$results"
echo
"$ridesweep" report --run-id demo-run-001 --results-dir "$results" --out "$results/demo-run-001-report.html"
echo
echo "== a replicated sweep: 16 configurations x 5 seeds, ending with the configurations' means and 95% intervals"
"$ridesweep" run examples/replicated-grid-request.json --results-dir "$results"
echo
echo "== ridesweep export --run-id replicated-grid-001 (one row per point, for pandas.read_parquet)"
"$ridesweep" export --run-id replicated-grid-001 --results-dir "$results" --force \
  --out "$results/replicated-grid-001-points.parquet"
