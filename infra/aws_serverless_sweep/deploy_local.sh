#!/usr/bin/env bash
# Builds the Lambda runtime package (dist/runtime.zip: bootstrap + lib/) when its inputs changed, checks it against
# the provided.al2023 limits, then deploys the stack with Terraform: init, validate, a saved plan, and (after "yes",
# or with -auto-approve) apply of exactly that plan (spec/sweep.md §15). Talks to AWS only with the operator's
# temporary credentials (aws sso login); never prints them.
#
# Usage: infra/aws_serverless_sweep/deploy_local.sh [--force-rebuild] [-auto-approve] [terraform plan arguments...]
# Environment: SWEEP_FORCE_REBUILD=1 (same as --force-rebuild), SWEEP_BUILD_PRESET (default lambda),
#   CXX (compiler whose version is hashed, default g++), SWEEP_BOOTSTRAP_BINARY (built bootstrap, default
#   build/<preset>/apps/bootstrap/bootstrap), SWEEP_DUCKDB_LIBRARY (DuckDB library whose hash is part of the key).
# Works with bash 3.2 and later, including zero pass-through arguments.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"
cd "$root"

readonly tf_dir="infra/aws_serverless_sweep/terraform"
readonly zip_rel="dist/runtime.zip"
readonly metadata_rel="dist/runtime-build.metadata"
readonly plan_rel="dist/terraform.tfplan"
readonly stage_rel="dist/runtime"
readonly max_zip_bytes=52428800
readonly max_glibc="2.34"

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

####################################################################################################
# Arguments: leading --force-rebuild, everything else goes to `terraform apply` unchanged
####################################################################################################

force_rebuild=0
[[ "${SWEEP_FORCE_REBUILD:-0}" == "1" ]] && force_rebuild=1
while (($# > 0)); do
  case "$1" in
    --force-rebuild)
      force_rebuild=1
      shift
      ;;
    --help)
      usage
      exit 0
      ;;
    *) break ;;
  esac
done
passthrough=("$@")

preset="${SWEEP_BUILD_PRESET:-lambda}"
cxx="${CXX:-g++}"

####################################################################################################
# Preflight
####################################################################################################

require() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "Error: required command '$1' was not found. $2" >&2
    exit 1
  fi
}

require aws "Install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
require terraform "Install Terraform 1.5 or later: https://developer.hashicorp.com/terraform/install"
require cmake "Install CMake 3.25 or later (apt-get install cmake)."
require ninja "Install Ninja (apt-get install ninja-build)."
require "$cxx" "Install a C++20 compiler such as GCC 12 (apt-get install g++), or point CXX at one."
require objdump "Install binutils (apt-get install binutils)."
require zip "Install zip (apt-get install zip)."
require sha256sum "Install GNU coreutils (apt-get install coreutils)."
require git "Install git (apt-get install git)."

if ! aws sts get-caller-identity >/dev/null 2>&1; then
  login="aws sso login"
  if [[ -n "${AWS_PROFILE:-}" ]]; then
    login="aws sso login --profile ${AWS_PROFILE}"
  fi
  echo "Error: no valid temporary AWS credentials detected. Run '${login}' and retry." >&2
  exit 1
fi

####################################################################################################
# Source hash: every build input git knows about (tracked or untracked, not ignored) + toolchain
####################################################################################################

host_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) echo "x86_64" ;;
    aarch64 | arm64) echo "arm64" ;;
    *) uname -m ;;
  esac
}

# Same search order as cmake/duckdb.cmake: a system DuckDB wins over the fetched copy.
duckdb_library_hash() {
  local lib="${SWEEP_DUCKDB_LIBRARY:-}" candidate
  if [[ -z "$lib" ]]; then
    for candidate in /usr/lib/libduckdb.so /usr/local/lib/libduckdb.so /usr/lib/x86_64-linux-gnu/libduckdb.so \
      /usr/lib64/libduckdb.so third_party/duckdb/lib/libduckdb.so; do
      if [[ -f "$candidate" ]]; then
        lib="$candidate"
        break
      fi
    done
  fi
  if [[ -n "$lib" && -f "$lib" ]]; then
    sha256sum "$lib" | cut -d' ' -f1
  else
    echo "not-found"
  fi
}

source_files() {
  local path
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' path; do
    case "$path" in
      docs/* | infra/* | spec/* | tests/* | *.md) continue ;;
    esac
    if [[ -f "$path" ]]; then
      printf '%s\0' "$path"
    fi
  done
}

compute_source_hash() {
  {
    source_files | LC_ALL=C sort -z -u | xargs -0 sha256sum -- | sed 's/^\([0-9a-f]\{64\}\)  \(.*\)$/\2:\1/'
    echo "compiler:$("$cxx" --version 2>/dev/null | sed -n 1p)"
    echo "cmake:$(cmake --version | sed -n 1p)"
    echo "duckdb:$(duckdb_library_hash)"
  } | LC_ALL=C sort | sha256sum | cut -d' ' -f1
}

read_metadata() {
  sed -n "/^$1=/{s/^$1=//p;q;}" "$metadata_rel"
}

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "Error: $root is not a git work tree; the source hash is computed over git ls-files." >&2
  exit 1
fi
arch="$(host_arch)"
source_hash="$(compute_source_hash)"

####################################################################################################
# Cache decision (first matching reason wins)
####################################################################################################

reason=""
if ((force_rebuild)); then
  reason="forced rebuild"
elif [[ ! -f "$zip_rel" ]]; then
  reason="runtime artifact missing"
elif [[ ! -f "$metadata_rel" ]]; then
  reason="build metadata missing"
elif [[ "$(read_metadata arch)" != "$arch" ]]; then
  reason="architecture changed"
elif [[ "$(read_metadata preset)" != "$preset" ]]; then
  reason="build preset changed"
elif [[ "$(read_metadata source_hash)" != "$source_hash" ]]; then
  reason="source hash changed"
fi

####################################################################################################
# Build, stage, check, package
####################################################################################################

# Staging (bootstrap + every needed library outside provided.al2023's base set) and the deterministic zip are the
# build's own packaging script, the one behind the ridesweep_lambda_package target.
package_runtime() {
  local bootstrap_src="${SWEEP_BOOTSTRAP_BINARY:-build/$preset/apps/bootstrap/bootstrap}"
  if [[ ! -f "$bootstrap_src" ]]; then
    echo "Error: the build did not produce $bootstrap_src (set SWEEP_BOOTSTRAP_BINARY to the bootstrap binary)." >&2
    exit 1
  fi
  require ldd "Install the GNU C library tools (apt-get install libc-bin)."
  scripts/package_lambda.sh "$bootstrap_src" "$stage_rel" "$zip_rel"
}

check_glibc() {
  local file version highest
  for file in "$stage_rel/bootstrap" "$stage_rel"/lib/*; do
    [[ -f "$file" ]] || continue
    version="$(objdump -T "$file" 2>/dev/null | grep -oE 'GLIBC_[0-9]+(\.[0-9]+)+' | sed 's/^GLIBC_//' |
      sort -u -V | tail -n 1)" || version=""
    [[ -n "$version" ]] || continue
    highest="$(printf '%s\n%s\n' "$version" "$max_glibc" | sort -V | tail -n 1)"
    if [[ "$highest" != "$max_glibc" ]]; then
      echo "Error: $file requires GLIBC_$version; provided.al2023 offers $max_glibc." >&2
      rm -f "$zip_rel"
      exit 1
    fi
  done
}

check_zip() {
  local size
  if [[ ! -f "$zip_rel" ]]; then
    echo "Expected packaged artifact at:" >&2
    echo "- $zip_rel" >&2
    exit 1
  fi
  size="$(wc -c <"$zip_rel" | tr -d '[:space:]')"
  if ((size > max_zip_bytes)); then
    echo "Error: $zip_rel is $size bytes; the direct upload limit is $max_zip_bytes." >&2
    exit 1
  fi
}

build_runtime() {
  local started=$SECONDS
  mkdir -p dist
  cmake --preset "$preset"
  cmake --build --preset "$preset" --target ridesweep_lambda_package
  rm -f "$zip_rel"
  package_runtime
  check_glibc
  check_zip
  printf 'arch=%s\npreset=%s\nsource_hash=%s\n' "$arch" "$preset" "$source_hash" >"$metadata_rel.tmp"
  mv -f "$metadata_rel.tmp" "$metadata_rel"
  echo "Build completed in $((SECONDS - started))s."
}

if [[ -z "$reason" ]]; then
  echo "cache-hit: reusing $zip_rel."
else
  echo "cache-miss: $reason. rebuilding runtime artifacts..."
  build_runtime
fi
check_zip

####################################################################################################
# Deploy
####################################################################################################

# The runbook's sequence: init, validate, then a saved plan, and apply exactly that plan. Pass-through arguments go
# to the plan (-var, -var-file, -target, ...); -auto-approve instead skips the confirmation below.
auto_approve=0
plan_args=()
for arg in ${passthrough[@]+"${passthrough[@]}"}; do
  case "$arg" in
    -auto-approve | --auto-approve) auto_approve=1 ;;
    *) plan_args+=("$arg") ;;
  esac
done

terraform -chdir="$tf_dir" init -input=false
terraform -chdir="$tf_dir" validate
rm -f "$plan_rel"
terraform -chdir="$tf_dir" plan -input=false -out="$root/$plan_rel" -var "runtime_lambda_zip=$root/$zip_rel" \
  ${plan_args[@]+"${plan_args[@]}"}

if ((!auto_approve)); then
  printf 'Apply the plan above? Only "yes" applies: '
  answer=""
  read -r answer || true
  [[ -t 0 ]] || echo # a typed answer ends the prompt line; a piped one does not
  if [[ "$answer" != "yes" ]]; then
    rm -f "$plan_rel"
    echo "Apply cancelled; nothing was changed." >&2
    exit 1
  fi
fi
terraform -chdir="$tf_dir" apply -input=false "$root/$plan_rel"
rm -f "$plan_rel"
echo "Deployment flow complete."
