#!/usr/bin/env bash
# The engine benchmark, native and wasm: `ballot bench raft` (1000 simulated seconds of the
# classic 5-node workload), then the same core compiled to wasm and timed under Node.js.
# The two runs must end in the same state fingerprint.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_SIM="${1:-1000}"
source scripts/env.sh
cargo build --release -p ballot-cli --quiet
native=$(./target/release/ballot bench raft --seconds "$SECONDS_SIM" ${MIN_SPEED:+--min-speed "$MIN_SPEED"})
echo "native: $native"
fingerprint=$(echo "$native" | sed -n 's/.*fingerprint \([0-9a-f]*\)).*/\1/p')
cargo build --release -p ballot-bench-wasm --target wasm32-unknown-unknown --quiet
rm -rf bench/wasm-pkg
wasm-bindgen --target nodejs --out-dir bench/wasm-pkg target/wasm32-unknown-unknown/release/ballot_bench_wasm.wasm
NATIVE_FINGERPRINT="$fingerprint" node bench/wasm/run.mjs bench/wasm-pkg "$SECONDS_SIM"
