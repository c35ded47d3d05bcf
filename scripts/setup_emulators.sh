#!/usr/bin/env bash
# Provisions AWS's Lambda runtime interface emulator (aws-lambda-rie) for the tests that run the packaged
# `bootstrap` exactly as Lambda would (tests/lambda, bench/lambda_bench.py): third_party/bin/aws-lambda-rie.
#
# Why not `go install` (design.md): the emulator's Go module declares its path under AWS's own vanity domain, and
# the Go module proxy holds no copy of it, so `go install` cannot resolve it from the registries this project may
# use. AWS ships the same emulator, built by AWS, inside its SAM CLI wheel on PyPI (samcli/local/rapid/
# aws-lambda-rie-<arch>); this script downloads that wheel pinned by version and SHA-256 with the project venv's
# pip (no dependencies installed, the wheel is only unpacked) and extracts the binary for this machine's arch.
#
# Idempotent: a stamp holding the pinned hash makes reruns a no-op. The wheel cache (third_party/cache/) and
# third_party/bin/ are git-ignored. Needs the venv of scripts/setup_python.sh (setup.sh runs that first).
# Usage: scripts/setup_emulators.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Pinned wheel. Change the version and the hash together.
readonly sam_version="1.170.0"
readonly wheel="aws_sam_cli-${sam_version}-py3-none-any.whl"
readonly wheel_sha256="24ebaf5ecba38dc1758089968cb89ab61e124b84e92a344fc7a2771a47f4d0bf"

readonly cache_dir="$root/third_party/cache/aws-sam-cli-$sam_version"
readonly bin_dir="$root/third_party/bin"
readonly target="$bin_dir/aws-lambda-rie"
readonly stamp="$bin_dir/.aws-lambda-rie.stamp"
readonly pip_bin="$root/.venv/bin/pip"

log() { echo "setup_emulators: $*"; }
die() {
  echo "setup_emulators: error: $*" >&2
  exit 1
}

case "$(uname -m)" in
  x86_64 | amd64) arch="x86_64" ;;
  aarch64 | arm64) arch="arm64" ;;
  *) die "no aws-lambda-rie build for machine architecture $(uname -m)" ;;
esac
readonly member="samcli/local/rapid/aws-lambda-rie-$arch"
readonly stamp_text="aws-sam-cli==$sam_version $wheel_sha256 $member"

# The emulator has no version flag (its only options are addresses and the log level); the wheel pins it.
print_version() {
  log "aws-lambda-rie from aws-sam-cli $sam_version ($arch), sha256 $(sha256sum "$target" | cut -d' ' -f1)"
}

if [[ -f "$stamp" && "$(cat "$stamp")" == "$stamp_text" && -x "$target" ]]; then
  print_version
  exit 0
fi

[[ -x "$pip_bin" ]] || die "$pip_bin not found; run scripts/setup_python.sh first"
command -v sha256sum >/dev/null || die "sha256sum is required"
command -v unzip >/dev/null || die "unzip is required (scripts/setup.sh installs it)"

mkdir -p "$cache_dir" "$bin_dir"
if [[ ! -f "$cache_dir/$wheel" ]] || ! echo "$wheel_sha256  $cache_dir/$wheel" | sha256sum --check --quiet - 2>/dev/null; then
  log "downloading aws-sam-cli==$sam_version (wheel only, no dependencies) from PyPI"
  rm -f "$cache_dir/$wheel"
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
    "$pip_bin" download --quiet --no-deps --only-binary=:all: --dest "$cache_dir" "aws-sam-cli==$sam_version" ||
    die "pip download of aws-sam-cli==$sam_version failed"
fi
[[ -f "$cache_dir/$wheel" ]] || die "pip did not produce $wheel"
if ! echo "$wheel_sha256  $cache_dir/$wheel" | sha256sum --check --quiet -; then
  sha256sum "$cache_dir/$wheel" >&2
  die "wheel SHA-256 does not match the pinned value; refusing to use it"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
unzip -q -o "$cache_dir/$wheel" "$member" -d "$tmp" || die "$member not found in $wheel"

# Install by rename so an interrupted run never leaves a half-written binary; the stamp goes last.
rm -f "$stamp"
install -m 0755 "$tmp/$member" "$bin_dir/.aws-lambda-rie.tmp"
mv -f "$bin_dir/.aws-lambda-rie.tmp" "$target"
printf '%s\n' "$stamp_text" >"$bin_dir/.aws-lambda-rie.stamp.tmp"
mv -f "$bin_dir/.aws-lambda-rie.stamp.tmp" "$stamp"
log "installed $target"
print_version
