#!/usr/bin/env bash
# Installs whatever is missing on a fresh Debian machine of this kind, then configures and builds.
# Idempotent: a second run installs nothing and rebuilds only what changed.
# Usage: scripts/setup.sh [preset ...]   (default: release)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# --- Debian packages -------------------------------------------------------------------------------
apt_packages=(
  build-essential cmake ninja-build pkg-config git zip unzip
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcli11-dev libcurl4-openssl-dev libssl-dev libcpp-httplib-dev
  clang libclang-rt-14-dev shellcheck
  chromium fonts-dejavu-core
  iproute2  # ss: the serve tests read the listen backlog
)
missing=()
for pkg in "${apt_packages[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == *"install ok installed"* ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Further provisioning steps (each idempotent, each skipped when its script is absent) -----------
for step in scripts/fetch_duckdb.sh scripts/setup_python.sh scripts/setup_emulators.sh; do
  if [[ -x "$step" ]]; then
    "$step"
  fi
done

# --- Configure and build -----------------------------------------------------------------------------
presets=("$@")
((${#presets[@]})) || presets=(release)
for preset in "${presets[@]}"; do
  if [[ ! -f "build/$preset/build.ninja" ]]; then
    cmake --preset "$preset" >/dev/null
  fi
  echo "setup: building preset '$preset'"
  cmake --build --preset "$preset" -- -j"$(nproc)"
done
