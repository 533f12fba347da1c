#!/usr/bin/env bash
# Simulator speed against RaftScope (issue 10, item 5): simulated seconds per wall second on the
# classic 5-node Raft workload (crates/sim/src/bench.rs, classic_raft) for
#   Ballot native        target/release/ballot bench raft --seconds S_NATIVE
#   Ballot wasm          the same workload compiled to wasm, under Node.js (bench/wasm/run.mjs)
#   RaftScope raft.js    RaftScope's raft.js, unmodified, headless under Node.js (bench/raftscope/run.mjs)
# and prints one Markdown table with the ratios to RaftScope. Ballot checks every invariant after
# every step; raft.js checks none. Each run is timed as a whole process (start-up included), the
# three tools in turn (run 1 of each, then run 2 …) so a change in the machine's load hits all
# three; the figure is the simulated seconds over the median wall time.
#
# Usage: bash scripts/bench-raftscope.sh [RUNS] [S_NATIVE] [S_WASM] [S_RAFTSCOPE]
#        (default: 5 runs; 20000, 10000 and 2000 simulated seconds: each run lasts a few seconds)
# Exits 1 if a Ballot run breaks an invariant, if the wasm run's fingerprint differs from the
# native run's for the same length, or if raft.js did not commit its requests. Not part of
# scripts/test.sh: wall-clock figures on a shared CI machine would be flaky.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
source scripts/env.sh
RUNS="${1:-5}"
S_NATIVE="${2:-20000}"
S_WASM="${3:-10000}"
S_RAFTSCOPE="${4:-2000}"
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
PKG="bench/wasm-pkg"

cargo build --release --quiet -p ballot-cli
cargo build --release --quiet -p ballot-bench-wasm --target wasm32-unknown-unknown
rm -rf "$PKG"
wasm-bindgen --target nodejs --out-dir "$PKG" "$TARGET/wasm32-unknown-unknown/release/ballot_bench_wasm.wasm"
BALLOT="$TARGET/release/ballot"

# The native fingerprint of the wasm runs' length: the wasm runs must end in it.
fingerprint=$("$BALLOT" bench raft --seconds "$S_WASM" | sed -n 's/.*fingerprint \([0-9a-f]*\)).*/\1/p')

# Runs a command, fails the script if it fails, prints its wall seconds (whole process).
wall() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f\n", (e - s) / 1e9 }'
}

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f–%.2f s", lo, hi }'; }

declare -A TIMES
for ((r = 1; r <= RUNS; r++)); do
    for tool in native wasm raftscope; do
        case $tool in
            native) t=$(wall "$BALLOT" bench raft --seconds "$S_NATIVE") ;;
            wasm) t=$(NATIVE_FINGERPRINT="$fingerprint" wall node bench/wasm/run.mjs "$PKG" "$S_WASM") ;;
            raftscope) t=$(wall node bench/raftscope/run.mjs "$S_RAFTSCOPE") ;;
        esac
        echo "run $r: $tool: ${t}s" >&2
        TIMES[$tool]="${TIMES[$tool]:-} $t"
    done
done

rs=$(median <<<"${TIMES[raftscope]}")
echo
echo "Classic Raft workload, median of $RUNS runs each (whole process); $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $(rustc --version | cut -d' ' -f1-2), node $(node --version); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| tool | invariants | simulated s | wall (median) | min–max of $RUNS | simulated s per wall s | vs RaftScope |"
echo "|---|---|---:|---:|---:|---:|---:|"
for tool in native wasm raftscope; do
    t=$(median <<<"${TIMES[$tool]}")
    range=$(spread <<<"${TIMES[$tool]}")
    case $tool in
        native) name="Ballot native"; s=$S_NATIVE; inv="all five of Figure 3 + Persist Before Send, every step" ;;
        wasm) name="Ballot wasm (Node.js)"; s=$S_WASM; inv="all five of Figure 3 + Persist Before Send, every step" ;;
        raftscope) name="RaftScope raft.js (Node.js)"; s=$S_RAFTSCOPE; inv="none" ;;
    esac
    awk -v name="$name" -v inv="$inv" -v s="$s" -v t="$t" -v range="$range" -v rs="$rs" -v srs="$S_RAFTSCOPE" 'BEGIN {
        printf "| %s | %s | %d | %.2f s | %s | %.0f | %.1f× |\n", name, inv, s, t, range, s / t, (s / t) / (srs / rs) }'
done
echo
echo "Goals (issue 10): Ballot native ≥ 100× RaftScope, Ballot wasm ≥ 50× RaftScope."
