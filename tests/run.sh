#!/usr/bin/env bash
# The one test command: installs what the tests need (on a fresh Debian machine, as root),
# then runs every test of the workspace, clippy and rustfmt.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests need. The vendored SQLCipher/OpenSSL build needs perl and make,
# present on the machine image; later suites add theirs here.
PACKAGES=(pkg-config perl make)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "tests/run.sh: missing packages ${missing[*]}; run as root or install them" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

export CARGO_TERM_COLOR=never
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace
