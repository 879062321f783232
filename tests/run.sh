#!/usr/bin/env bash
# The one test command: installs what the tests need (on a fresh Debian machine, as root),
# then runs every test of the workspace, clippy and rustfmt.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests need: perl and make for the vendored SQLCipher/OpenSSL build;
# Chromium for the browser tests; WebKitGTK and friends for the desktop build; a virtual X
# display, xdotool and ImageMagick for the real-window test; PostgreSQL's server binaries
# for the sync server's store suite (each test starts its own cluster in a temp dir);
# LibreOffice Calc, poppler and openpyxl to open the console's XLSX exports as a funder would
# (Carlito has Calibri's metrics, so the printed layout is Excel's).
PACKAGES=(pkg-config perl make chromium libwebkit2gtk-4.1-dev libxdo-dev libssl-dev
  xvfb xauth xdotool imagemagick fonts-dejavu-core postgresql
  libreoffice-calc-nogui poppler-utils python3-openpyxl fonts-crosextra-carlito g++)

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

# playwright-core for the browser tests (pinned in tests/e2e/package-lock.json).
npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error

# The real window first: the desktop build shares the target directory, so its binary is
# copied aside before the default build replaces it.
target_dir=${CARGO_TARGET_DIR:-target}
cargo build --features desktop --quiet
cp "$target_dir/debug/lanterna" "$target_dir/lanterna-desktop"
tests/desktop_window.sh "$target_dir/lanterna-desktop"

cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy --features desktop --quiet -- -D warnings
# The phone build (what `dx` compiles for Android/iOS) stays portable: checked on the host.
cargo clippy --no-default-features --features mobile --quiet -- -D warnings
# The fuzz targets' feature set (no app, no store): caught here, not after the long suite.
cargo clippy --no-default-features --features import,wire-body --lib --quiet -- -D warnings
# The server's store suite runs against a throwaway PostgreSQL cluster too: required here.
LANTERNA_REQUIRE_POSTGRES=1 cargo test --workspace
# A bounded fuzz run (about 60 s a target; FUZZ_SECONDS to change it): nightly and cargo-fuzz.
tests/fuzz.sh
