#!/usr/bin/env bash
# Installs the Debian packages behind the tools named as "binary:package" arguments, skipping what is present.
# One `apt-get update` at most, and only when something is missing.
set -euo pipefail
missing=()
for pair in "$@"; do
  bin=${pair%%:*}; pkg=${pair##*:}
  # An absolute path instead of a tool name: a package without a binary of its own (libguestfs-xfs), known by a file.
  if [[ "$bin" == /* ]]; then
    [ -e "$bin" ] || missing+=("$pkg")
  elif ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$bin" ] && [ ! -x "/sbin/$bin" ]; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
