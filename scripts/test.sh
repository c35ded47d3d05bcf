#!/usr/bin/env bash
# Sets up whatever is missing, then runs every test: the full suite on the release build and the unit
# tests again under AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero if any test fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh release asan

echo "== release: all tests"
ctest --preset release
echo "== python: infrastructure, SQL, deploy and secret-scan tests"
.venv/bin/python -m pytest -p no:cacheprovider tests/infra tests/sql -q
echo "== secret scan"
scripts/check_no_cloud_secrets.sh
echo "== asan: unit and contract tests"
ctest --preset asan -L 'unit|contract'
if [[ "${RIDESWEEP_TEST_REPEAT_PARALLEL:-0}" == "1" ]]; then
  echo "== repeat: e2e and lambda suites, two copies at once (normal and reverse order)"
  scripts/repeat_parallel.sh
fi
echo "== fuzz: request and shard-payload decoders, XML reader, serve request path (bounded)"
scripts/run_fuzzers.sh
