#!/usr/bin/env bash
# Stages the Lambda runtime package and writes it as a deterministic zip (docs/runtime.md, spec/sweep.md §15):
# bootstrap (mode 0755, must carry RUNPATH $ORIGIN/lib) at the root and, under lib/, every shared library it needs
# (ldd's full closure) except the base set that Amazon Linux 2023 (provided.al2023) provides itself: glibc's
# libraries (libc, libm, libpthread, libdl, librt, libresolv, the dynamic loader) and GCC's runtime (libstdc++,
# libgcc_s; bootstrap links both statically, libduckdb uses the system's). Entries sorted, timestamps fixed.
#
# Usage: scripts/package_lambda.sh BOOTSTRAP STAGE_DIR OUTPUT_ZIP
# Used by the CMake target ridesweep_lambda_package; needs ldd, objdump and zip.
set -euo pipefail

if (($# != 3)); then
  echo "usage: $0 BOOTSTRAP STAGE_DIR OUTPUT_ZIP" >&2
  exit 2
fi
bootstrap_src="$1"
stage="$2"
output="$3"

for cmd in ldd objdump zip; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "Error: required command '$cmd' was not found." >&2
    exit 1
  fi
done
if [[ ! -f "$bootstrap_src" ]]; then
  echo "Error: $bootstrap_src does not exist." >&2
  exit 1
fi

is_base_library() {
  case "$1" in
    libc.so* | libm.so* | libpthread.so* | libdl.so* | librt.so* | libresolv.so* | ld-linux*.so* | ld64.so*) return 0 ;;
    libstdc++.so* | libgcc_s.so*) return 0 ;;
  esac
  return 1
}

# Captured first: `objdump | grep -q` under pipefail fails at random when grep exits early and objdump gets SIGPIPE.
headers="$(objdump -p "$bootstrap_src")"
# shellcheck disable=SC2016 # $ORIGIN is the literal dynamic-loader token, not a shell expansion.
if ! grep -Eq '^[[:space:]]*RUNPATH[[:space:]]+\$ORIGIN/lib$' <<<"$headers"; then
  echo "Error: $bootstrap_src lacks RUNPATH \$ORIGIN/lib (build it with RIDESWEEP_BOOTSTRAP_STATIC_RUNTIME=ON)." >&2
  exit 1
fi

rm -rf "$stage"
mkdir -p "$stage/lib"
cp "$bootstrap_src" "$stage/bootstrap"
chmod 0755 "$stage/bootstrap"

# Resolved where bootstrap was built: its $ORIGIN/lib there holds libduckdb (the build copies it next to the binary).
ldd_out="$(ldd "$bootstrap_src")"
while read -r name arrow path _; do
  [[ "$arrow" == "=>" ]] || continue
  is_base_library "$name" && continue
  if [[ "$path" == "not" || ! -f "$path" ]]; then
    echo "Error: shared library $name needed by bootstrap was not found." >&2
    exit 1
  fi
  cp -L "$path" "$stage/lib/$name"
  chmod 0644 "$stage/lib/$name"
done <<<"$ldd_out"

mkdir -p "$(dirname "$output")"
output_abs="$(cd "$(dirname "$output")" && pwd)/$(basename "$output")"
tmp_zip="$output_abs.tmp"
rm -f "$tmp_zip"
find "$stage" -exec env TZ=UTC touch -h -t 198001010000.00 {} +
# The list is built first, not piped into zip: a zip that exits without reading it would SIGPIPE sort (exit 141
# under pipefail) instead of reaching the clear error below.
entries="$(cd "$stage" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)"
(cd "$stage" && TZ=UTC zip -X -D -q -@ "$tmp_zip" <<<"$entries")
if [[ ! -f "$tmp_zip" ]]; then
  echo "Expected packaged artifact at:" >&2
  echo "- $output" >&2
  exit 1
fi
mv -f "$tmp_zip" "$output_abs"
echo "Packaged $output ($(wc -c <"$output_abs" | tr -d '[:space:]') bytes)."
