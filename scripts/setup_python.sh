#!/usr/bin/env bash
# Creates the project's Python test environments (git-ignored) and installs their pinned packages: .venv from
# requirements-test.txt (pytest, pyarrow, pandas, duckdb, python-hcl2, jsonschema, boto3, moto[server], awscli) and
# .venv-checkov from requirements-checkov.txt (the checkov IaC scanner, whose pins conflict with the first set).
# Idempotent and fast on reruns: pip runs only when the stamp (hash of the requirements file and of the
# interpreter version) differs from the one recorded after the last successful install.
# Called by scripts/setup.sh; can be run on its own. Environment: RIDESWEEP_PYTHON (default python3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

python_bin="${RIDESWEEP_PYTHON:-python3}"

if ! command -v "$python_bin" >/dev/null 2>&1; then
  echo "setup_python: '$python_bin' not found; install Python 3.10 or later (apt-get install python3 python3-venv)" >&2
  exit 1
fi

# Debian splits venv/ensurepip into python3-venv; install it when the interpreter lacks them.
if ! "$python_bin" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup_python: installing python3-venv"
    sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
      python3-venv >/dev/null
  else
    echo "setup_python: '$python_bin' cannot create virtual environments (missing venv/ensurepip)" >&2
    exit 1
  fi
fi

python_version="$("$python_bin" -c 'import sys; print(sys.version.split()[0])')"

# ensure_venv DIR REQUIREMENTS: DIR holds exactly the pinned set of REQUIREMENTS for this interpreter.
ensure_venv() {
  local venv_dir="$1" requirements="$2" name wanted_stamp venv_version
  local stamp_file="$venv_dir/.requirements.stamp"
  name="$(basename "$venv_dir")"
  wanted_stamp="$(
    {
      echo "python=$python_version"
      sha256sum "$requirements" | cut -d' ' -f1
    } | sha256sum | cut -d' ' -f1
  )"

  # A venv whose interpreter no longer runs (moved, or Python upgraded underneath) is rebuilt from scratch.
  if [[ -d "$venv_dir" ]] && ! "$venv_dir/bin/python" -c 'import sys' >/dev/null 2>&1; then
    echo "setup_python: existing $name is broken; recreating it"
    rm -rf "$venv_dir"
  fi
  if [[ -x "$venv_dir/bin/python" ]]; then
    venv_version="$("$venv_dir/bin/python" -c 'import sys; print(sys.version.split()[0])')"
    if [[ "$venv_version" != "$python_version" ]]; then
      echo "setup_python: $name uses Python $venv_version, wanted $python_version; recreating it"
      rm -rf "$venv_dir"
    fi
  fi

  if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$wanted_stamp" ]]; then
    return 0
  fi

  if [[ ! -x "$venv_dir/bin/python" ]]; then
    echo "setup_python: creating $name with $python_bin ($python_version)"
    "$python_bin" -m venv "$venv_dir"
  fi

  echo "setup_python: installing pinned packages from $(basename "$requirements") into $name"
  rm -f "$stamp_file"
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
    "$venv_dir/bin/python" -m pip install --quiet --require-virtualenv -r "$requirements"
  echo "$wanted_stamp" >"$stamp_file"
  echo "setup_python: $name ready"
}

ensure_venv "$root/.venv" "$root/requirements-test.txt"
ensure_venv "$root/.venv-checkov" "$root/requirements-checkov.txt"
