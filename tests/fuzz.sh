#!/usr/bin/env bash
# A bounded fuzz run of every target in fuzz/ (the CSV imports, the sync batch body, the
# enrolment body): installs the nightly toolchain (rustup) and cargo-fuzz (crates.io) when
# missing, builds the targets once, runs each for FUZZ_SECONDS (60 by default) from a copy
# of its seed corpus in fuzz/corpus/TARGET, and prints each run's executions per second.
# A crash leaves its input in fuzz/artifacts/TARGET/ and fails the script (after the other
# targets ran); turn it into a regular test (tests/it/fuzz_regressions.rs or
# platforms/server/tests/it/fuzz_regressions.rs) before fixing it.
#
#   FUZZ_SECONDS=600 tests/fuzz.sh batch     # one target, longer
#
# Environment: FUZZ_SECONDS, FUZZ_TOOLCHAIN (nightly), FUZZ_TARGET_DIR (fuzz/target: the
# flags differ from the ordinary builds', so never the main target directory).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
toolchain=${FUZZ_TOOLCHAIN:-nightly}
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-$PWD/fuzz/target}
export CARGO_TERM_COLOR=never

if ! command -v c++ >/dev/null; then
  echo "tests/fuzz.sh: libFuzzer is C++: install g++ (Debian: apt-get install g++)" >&2
  exit 1
fi
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
  rustup toolchain install "$toolchain" --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  # Its own target directory, so the fuzz build's is not filled with cargo-fuzz's.
  CARGO_TARGET_DIR="$CARGO_TARGET_DIR/cargo-fuzz-install" cargo install cargo-fuzz --version '^0.13' --locked
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd fuzz && cargo +"$toolchain" fuzz list)
fi

# Debug assertions on (-a): integer overflow is a crash too.
start=$(date +%s)
(cd fuzz && cargo +"$toolchain" fuzz build -a)
echo "fuzz: built ${#targets[@]} targets in $(($(date +%s) - start)) s"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$work/$t" "fuzz/artifacts/$t"
  log="$work/$t.log"
  # New inputs go to the scratch copy; the committed seeds stay as they are.
  if (cd fuzz && cargo +"$toolchain" fuzz run -a "$t" "$work/$t" "corpus/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="artifacts/$t/") >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+' || true)
    echo "fuzz: $t: ${runs:-?} runs in ${seconds} s, ${rate:-?} exec/s, ${cov:-cov: ?}, no crash"
  else
    failed+=("$t")
    echo "fuzz: $t: CRASH" >&2
    grep -E "panicked at|^(==[0-9]+==)?ERROR|SUMMARY|Test unit written to|Reproduce with" "$log" >&2 || tail -40 "$log" >&2
  fi
done

echo "fuzz: done in $(($(date +%s) - start)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}: inputs in fuzz/artifacts/" >&2
  exit 1
fi
