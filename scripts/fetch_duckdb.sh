#!/usr/bin/env bash
# Provisions the DuckDB C API (libduckdb.so + duckdb.h, v1.4.4 LTS) for the build; see docs/formats/parquet_schemas.md
# and design.md ("DuckDB provisioning"). Debian has no DuckDB package, so unless a system DuckDB is installed this
# fetches the official builds from the npm registry with `npm pack`, checks the tarballs against pinned SHA-256
# values and extracts the two files into the git-ignored third_party/duckdb/{lib,include}/ that cmake/duckdb.cmake
# reads. Idempotent: a stamp file holding the pinned hashes makes reruns a no-op.
# Usage: scripts/fetch_duckdb.sh            (RIDESWEEP_DUCKDB_IGNORE_SYSTEM=1 fetches even when a system DuckDB exists)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/third_party/duckdb"

# Pinned packages. The hashes are of the tarballs `npm pack` writes; change them only together with the versions.
readonly lib_pkg="@duckdb/node-bindings-linux-x64@1.4.4-r.4"
readonly lib_tgz="duckdb-node-bindings-linux-x64-1.4.4-r.4.tgz"
readonly lib_sha256="732fac4dc6b8f198870b9c4bb6ddf13544466daca00ad28ba2f1d80de5d7aa4b"
readonly hdr_pkg="duckdb@1.4.4"
readonly hdr_tgz="duckdb-1.4.4.tgz"
readonly hdr_sha256="5bb967dcbcd517670ba5f169f238fb9d6787e53752c60ebe24386169d76941ed"

readonly stamp="$dest/.fetched"
readonly stamp_text="$lib_pkg $lib_sha256
$hdr_pkg $hdr_sha256"

log() { echo "fetch_duckdb: $*"; }
die() {
  echo "fetch_duckdb: error: $*" >&2
  exit 1
}

# Same search as cmake/duckdb.cmake: a header and a library in the standard system locations.
system_duckdb() {
  local inc lib
  for inc in /usr/include /usr/local/include; do
    [[ -f "$inc/duckdb.h" ]] || continue
    for lib in /usr/lib /usr/local/lib /usr/lib/x86_64-linux-gnu /usr/lib64; do
      if [[ -f "$lib/libduckdb.so" ]]; then
        echo "$inc/duckdb.h, $lib/libduckdb.so"
        return 0
      fi
    done
  done
  return 1
}

if [[ "${RIDESWEEP_DUCKDB_IGNORE_SYSTEM:-0}" != 1 ]] && found="$(system_duckdb)"; then
  log "using system DuckDB ($found); nothing to fetch"
  exit 0
fi

if [[ -f "$stamp" && "$(cat "$stamp")" == "$stamp_text" && -f "$dest/lib/libduckdb.so" &&
  -f "$dest/include/duckdb.h" ]]; then
  log "DuckDB already in third_party/duckdb (stamp matches); nothing to do"
  exit 0
fi

if ! command -v npm >/dev/null; then
  command -v apt-get >/dev/null || die "npm is required to fetch DuckDB; install it, or install a system DuckDB"
  log "installing npm (Debian package) to fetch DuckDB"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
command -v sha256sum >/dev/null || die "sha256sum is required"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

log "fetching $lib_pkg and $hdr_pkg from the npm registry"
(cd "$tmp" && npm pack --silent "$lib_pkg" "$hdr_pkg" >/dev/null) || die "npm pack failed"
for tgz in "$lib_tgz" "$hdr_tgz"; do
  [[ -f "$tmp/$tgz" ]] || die "npm pack did not produce $tgz"
done

printf '%s  %s\n%s  %s\n' "$lib_sha256" "$lib_tgz" "$hdr_sha256" "$hdr_tgz" >"$tmp/SHA256SUMS"
if ! (cd "$tmp" && sha256sum --check --quiet SHA256SUMS); then
  (cd "$tmp" && sha256sum "$lib_tgz" "$hdr_tgz") >&2
  die "tarball SHA-256 does not match the pinned value; refusing to use it"
fi

tar -xzf "$tmp/$lib_tgz" -C "$tmp" package/libduckdb.so
mkdir -p "$tmp/hdr"
tar -xzf "$tmp/$hdr_tgz" -C "$tmp/hdr" package/src/duckdb/src/include/duckdb.h

# Install each file by rename so an interrupted run never leaves a half-written library behind; the stamp goes last.
mkdir -p "$dest/lib" "$dest/include"
rm -f "$stamp"
install -m 0755 "$tmp/package/libduckdb.so" "$dest/lib/.libduckdb.so.tmp"
mv -f "$dest/lib/.libduckdb.so.tmp" "$dest/lib/libduckdb.so"
install -m 0644 "$tmp/hdr/package/src/duckdb/src/include/duckdb.h" "$dest/include/.duckdb.h.tmp"
mv -f "$dest/include/.duckdb.h.tmp" "$dest/include/duckdb.h"
printf '%s\n' "$stamp_text" >"$dest/.fetched.tmp"
mv -f "$dest/.fetched.tmp" "$stamp"
log "installed DuckDB into third_party/duckdb/{lib,include}"
