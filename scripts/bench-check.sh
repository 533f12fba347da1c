#!/usr/bin/env bash
# Model-checking speed (issue 10, item 5): unique states per second on Gray & Lamport's TwoPhase,
# single thread, breadth- and depth-first, for
#   Ballot native        target/release/ballot check twopc --model twophase --rms N --bfs|--dfs --json
#   Ballot wasm          the same checker compiled to wasm, under Node.js (bench/wasm/check.mjs)
#   Stateright native    Stateright 0.31.0's own examples/2pc.rs, .threads(1) (bench/stateright-2pc)
# and prints one Markdown table: unique states, median elapsed, unique states/s, ratio to
# Stateright. Exits 1 if the tools disagree on the unique-state count (or it is not TLC's
# 4^N + 2^N + 6^N), so the comparison is always of the same state space.
#
# Usage: bash scripts/bench-check.sh [RUNS] [SIZES]     (default: 5 runs, sizes "7 8")
# Takes about two minutes once built (2-core machine, 5 runs), most of it Stateright at N = 8.
# Runs of the three tools are interleaved (run 1 of each, then run 2 …), each in a fresh
# process, so a change in the machine's load hits them alike. Not part of scripts/test.sh:
# wall-clock figures on a shared CI machine would be flaky. Stateright is built here only; its
# crate has its own workspace and Cargo.lock, outside Ballot's.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
RUNS="${1:-5}"
SIZES="${2:-7 8}"
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
PKG="bench/wasm-pkg"

cargo build --release --quiet -p ballot-cli
cargo build --release --quiet -p ballot-bench-wasm --target wasm32-unknown-unknown
rm -rf "$PKG"
wasm-bindgen --target nodejs --out-dir "$PKG" "$TARGET/wasm32-unknown-unknown/release/ballot_bench_wasm.wasm"
cargo build --release --quiet --locked --manifest-path bench/stateright-2pc/Cargo.toml --target-dir "$TARGET"

BALLOT="$TARGET/release/ballot"
STATERIGHT="$TARGET/release/stateright-2pc"

# One run of TOOL; prints "UNIQUE ELAPSED_SECONDS".
run_once() {
    local tool=$1 n=$2 search=$3 line
    case $tool in
        native)
            line=$("$BALLOT" check twopc --model twophase --rms "$n" "--$search" --json)
            echo "$(sed -n 's/.*"unique_states":\([0-9]*\).*/\1/p' <<<"$line")" \
                "$(sed -n 's/.*"elapsed_seconds":\([0-9.]*\).*/\1/p' <<<"$line")"
            ;;
        wasm | stateright)
            if [ "$tool" = wasm ]; then
                line=$(node bench/wasm/check.mjs "$PKG" "$n" "$search" 1)
            else
                line=$("$STATERIGHT" "$n" "$search" 1)
            fi
            echo "$(sed -n 's/.* unique=\([0-9]*\) .*/\1/p' <<<"$line")" \
                "$(sed -n 's/.* elapsed=\([0-9.]*\) .*/\1/p' <<<"$line")"
            ;;
    esac
}

spread() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f–%.1f ms", lo * 1000, hi * 1000 }'; }
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A UNIQUE TIMES
status=0
for n in $SIZES; do
    expected=$((4 ** n + 2 ** n + 6 ** n))
    for search in bfs dfs; do
        for ((r = 1; r <= RUNS; r++)); do
            for tool in native wasm stateright; do
                out=$(run_once "$tool" "$n" "$search")
                read -r unique elapsed <<<"$out"
                key="$tool $n $search"
                echo "run $r: $key: $unique unique states in ${elapsed}s" >&2
                if [ "$unique" != "$expected" ]; then
                    echo "MISMATCH: $key found $unique unique states, TLC's count is $expected" >&2
                    status=1
                fi
                UNIQUE[$key]=$unique
                TIMES[$key]="${TIMES[$key]:-} $elapsed"
            done
        done
    done
done

echo
echo "TwoPhase, single thread, median of $RUNS runs each; $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $(rustc --version | cut -d' ' -f1-2), node $(node --version)"
echo
echo "| RMs | search | tool | unique states | elapsed (median) | min–max of $RUNS | unique states/s | vs Stateright |"
echo "|---:|---|---|---:|---:|---:|---:|---:|"
for n in $SIZES; do
    for search in bfs dfs; do
        sr=$(median <<<"${TIMES[stateright $n $search]}")
        for tool in native wasm stateright; do
            key="$tool $n $search"
            t=$(median <<<"${TIMES[$key]}")
            range=$(spread <<<"${TIMES[$key]}")
            case $tool in
                native) name="Ballot native" ;;
                wasm) name="Ballot wasm (Node.js)" ;;
                stateright) name="Stateright 0.31 native" ;;
            esac
            awk -v n="$n" -v s="$search" -v name="$name" -v u="${UNIQUE[$key]}" -v t="$t" -v sr="$sr" -v range="$range" 'BEGIN {
                printf "| %d | %s | %s | %d | %.1f ms | %s | %.0f | %.2f× |\n", n, toupper(s), name, u, t * 1000, range, u / t, sr / t }'
        done
    done
done
echo
echo "Goals (issue 10): Ballot native ≥ 2× Stateright; Ballot wasm within 3× of Ballot native."
for n in $SIZES; do
    for search in bfs dfs; do
        nat=$(median <<<"${TIMES[native $n $search]}")
        was=$(median <<<"${TIMES[wasm $n $search]}")
        sr=$(median <<<"${TIMES[stateright $n $search]}")
        awk -v n="$n" -v s="$search" -v nat="$nat" -v was="$was" -v sr="$sr" 'BEGIN {
            a = sr / nat; b = was / nat
            printf "N = %d %s: native %.2f× Stateright (%s), wasm takes %.2f× native'"'"'s time (%s)\n", n, toupper(s),
                a, (a >= 2 ? "met" : "NOT met"), b, (b <= 3 ? "met" : "NOT met") }'
    done
done
if [ "$status" -ne 0 ]; then
    echo "a unique-state count differs from TLC's 4^N + 2^N + 6^N: the tools do not check the same state space" >&2
fi
exit $status
