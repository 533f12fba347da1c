#!/usr/bin/env bash
# Time-travel budget (issue: seek ≤ 16 ms, ≤ 64 MB for an hour of simulated time), native and
# wasm under Node.js; exits non-zero when over budget. Not part of scripts/test.sh: wall-clock
# budgets on a shared CI machine would be flaky (see ARCHITECTURE.md, "Time travel").
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo build --release -p ballot-cli -p ballot-bench-wasm --quiet
cargo build --release -p ballot-bench-wasm --target wasm32-unknown-unknown --quiet
rm -rf bench/wasm-pkg
wasm-bindgen --target nodejs --out-dir bench/wasm-pkg target/wasm32-unknown-unknown/release/ballot_bench_wasm.wasm
status=0
./target/release/ballot bench timeline --seconds 3600 || status=1
node bench/wasm/timeline.mjs bench/wasm-pkg 3600 48 300 || status=1
exit $status
