#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang 14, ASan + UBSan) and runs each against its checked-in seed
# corpus for a bounded time. Any crash, hang (> 10 s per input) or sanitizer report fails the script.
# Usage: scripts/run_fuzzers.sh            (FUZZ_SECONDS per target, default 30)
#        FUZZ_SECONDS=3600 scripts/run_fuzzers.sh   (a longer campaign; see docs/fuzzing.md)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${FUZZ_SECONDS:-30}"
if [[ ! -f build/fuzz/build.ninja ]]; then
  cmake --preset fuzz >/dev/null
fi
# target name → directory of its binary under build/fuzz; the seed corpus is tests/fuzz/corpus/<name>.
declare -A dirs=([request]=src/sweep [payload]=src/sweep [xml]=src/aws [http]=src/local)
targets=(request payload xml http)
binaries=()
for target in "${targets[@]}"; do binaries+=("ridesweep_${target}_fuzzer"); done
cmake --build build/fuzz --target "${binaries[@]}" -- -j"$(nproc)"
for target in "${targets[@]}"; do
  work="$(mktemp -d)"
  # New inputs go to a scratch corpus; the checked-in seeds are read only.
  echo "fuzz: ridesweep_${target}_fuzzer for ${seconds}s"
  (cd "$work" && "$root/build/fuzz/${dirs[$target]}/ridesweep_${target}_fuzzer" -max_total_time="$seconds" \
      -timeout=10 -print_final_stats=1 "$work" "$root/tests/fuzz/corpus/$target" 2>"$work/log") || {
    tail -50 "$work/log"
    echo "fuzz: ridesweep_${target}_fuzzer FAILED"
    exit 1
  }
  grep -E "stat::number_of_executed_units|Done" "$work/log" | tr '\n' ' '
  echo
  rm -rf "$work"
done
