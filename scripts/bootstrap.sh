#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine with Swift: the C libraries the
# engine and node link against, and (with --test-peers) the Python packages the tests use as
# independent peers. Idempotent: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libelf-dev libsecp256k1-dev libgmp-dev libssl-dev pkg-config)

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "bootstrap: swift is not on PATH (expected Swift 6.1+)" >&2; exit 1; }
