#!/usr/bin/env bash
# Shared-state check for the end-to-end and Lambda suites: each suite runs as two copies at the same time, one in
# the normal order and one in reverse order (tests/support/reverse_order.py). Every test must own its emulator state
# (moto server, queues, results directories, ports), so both copies pass whatever the interleaving. Run by
# scripts/test.sh when RIDESWEEP_TEST_REPEAT_PARALLEL=1; expects the release build (scripts/setup.sh release).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build="$root/build/release"
python="$root/.venv/bin/python"
cli="$build/apps/ridesweep/ridesweep"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

suite_args() {
  case "$1" in
    e2e) echo "tests/e2e --ridesweep=$cli" ;;
    lambda) echo "tests/lambda --runtime-zip=$build/dist/runtime.zip --rie=$root/third_party/bin/aws-lambda-rie --ridesweep=$cli" ;;
  esac
}

status=0
for suite in e2e lambda; do
  # shellcheck disable=SC2046
  "$python" -m pytest -q -p no:cacheprovider $(suite_args "$suite") >"$logs/$suite-forward.log" 2>&1 &
  forward=$!
  # shellcheck disable=SC2046
  PYTHONPATH="$root/tests/support${PYTHONPATH:+:$PYTHONPATH}" "$python" -m pytest -q -p no:cacheprovider \
    -p reverse_order $(suite_args "$suite") >"$logs/$suite-reverse.log" 2>&1 &
  reverse=$!
  for copy in forward reverse; do
    pid=$forward
    [[ "$copy" == reverse ]] && pid=$reverse
    if wait "$pid"; then
      echo "repeat_parallel: $suite ($copy order) passed: $(tail -n 1 "$logs/$suite-$copy.log")"
    else
      echo "repeat_parallel: $suite ($copy order) FAILED:"
      tail -n 60 "$logs/$suite-$copy.log"
      status=1
    fi
  done
done
exit "$status"
