#!/usr/bin/env bash
# Installs what registryd needs to build, if missing: the C libraries (Debian packages) and a
# Swift toolchain on PATH. Sourced by scripts/registryd and scripts/test; safe to run twice.
set -euo pipefail

packages=(libxml2-dev libsqlite3-dev libssl-dev libjemalloc-dev pkg-config)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$candidate/swift" ] && export PATH="$candidate:$PATH" && break
  done
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "setup: no Swift toolchain found; install Swift 6 from swift.org (or swiftly) and retry" >&2
  exit 1
fi
