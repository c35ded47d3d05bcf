#!/usr/bin/env bash
# Installs whatever is missing on a fresh Debian machine of this kind, then configures and builds.
# Idempotent: a second run installs nothing and rebuilds only what changed.
# Usage: scripts/setup.sh [preset ...]   (default: release)
#        scripts/setup.sh --demo          only what the demo needs: the compiler, CMake, the libraries and DuckDB,
#                                         then the ridesweep binary of the release preset (no test tooling)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

demo_only=0
if [[ "${1:-}" == "--demo" ]]; then
  demo_only=1
  shift
fi

# --- Debian packages -------------------------------------------------------------------------------
# Building ridesweep (the release preset configures its tests too, hence GoogleTest and Google Benchmark).
apt_packages=(
  build-essential cmake ninja-build pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcli11-dev libcurl4-openssl-dev libssl-dev libcpp-httplib-dev
)
# Testing: packaging the Lambda zip, the fuzzers, shell linting, the report in a browser, the .deb.
if ((!demo_only)); then
  apt_packages+=(zip unzip clang libclang-rt-14-dev shellcheck chromium fonts-dejavu-core)
  apt_packages+=(iproute2)  # ss: the serve tests read the listen backlog
fi
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
steps=(scripts/fetch_duckdb.sh)
((demo_only)) || steps+=(scripts/setup_python.sh scripts/setup_emulators.sh)
for step in "${steps[@]}"; do
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
  if ((demo_only)); then
    echo "setup: building the ridesweep binary of preset '$preset'"
    cmake --build --preset "$preset" --target ridesweep -- -j"$(nproc)"
  else
    echo "setup: building preset '$preset'"
    cmake --build --preset "$preset" -- -j"$(nproc)"
  fi
done
