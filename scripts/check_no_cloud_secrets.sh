#!/usr/bin/env bash
# Scans the tracked files of this repository for cloud credentials that must never be committed (spec/sweep.md §16):
# AWS access key ids, AWS secret key assignments, private key blocks and AWS temporary token assignments.
# Matches containing EXAMPLE (AWS's documented sample credentials, used by the SigV4 tests) are ignored; .env and
# .env.local files are excluded. Exit 0 when clean, 1 when something was found, 2 when git grep itself failed.
# Runs in the CI check job. Usage: scripts/check_no_cloud_secrets.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Parallel lists: check name, extended regular expression, extra git grep flags.
check_names=(
  "AWS access key id"
  "AWS secret key assignment"
  "private key block"
  "AWS temporary token assignment"
)
check_patterns=(
  'AKIA[0-9A-Z]{16}'
  "aws.{0,20}(secret|access).{0,20}[=:][[:space:]]*[\"']?[A-Za-z0-9/+=]{40}"
  '-----BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY-----'
  "AWS_[A-Z_]*TOKEN[[:space:]]*[=:][[:space:]]*[\"']?[A-Za-z0-9/+=]{20,}"
)
check_flags=(
  ""
  "--ignore-case"
  ""
  ""
)

findings=()
for i in "${!check_names[@]}"; do
  flags=(--no-color -n -I -o -E)
  if [[ -n "${check_flags[$i]}" ]]; then
    flags+=("${check_flags[$i]}")
  fi
  status=0
  matches="$(git grep "${flags[@]}" -e "${check_patterns[$i]}" -- . \
    ':(exclude,glob)**/.env' ':(exclude,glob)**/.env.local')" || status=$?
  if [[ $status -gt 1 ]]; then
    echo "Error: git grep failed (exit $status) while checking for ${check_names[$i]}." >&2
    exit 2
  fi
  while IFS= read -r match; do
    [[ -z "$match" || "$match" == *EXAMPLE* ]] && continue
    findings+=("- $match (${check_names[$i]})")
  done <<<"$matches"
done

if ((${#findings[@]} > 0)); then
  echo "Potential secrets detected:"
  printf '%s\n' "${findings[@]}"
  exit 1
fi
echo "No obvious cloud secrets detected in tracked files."
