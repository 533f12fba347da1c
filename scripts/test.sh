#!/usr/bin/env bash
# The one command that runs every test (CI runs it through .ci/run):
#   setup → fmt → clippy → native tests → scenarios → hostile scenarios → swarm → model check
#   → benchmark → no_std builds → trunk release build → bundle budget → browser tests.
# Every stage runs even if an earlier one failed (except that nothing runs without setup, and
# the budget and browser stages need the build), so one run shows all failures. Exits non-zero
# if any stage failed, after a summary table.
#
# Environment: BALLOT_FIRST_LOAD_BUDGET, BALLOT_ENGINE_BUDGET, BALLOT_WITH_ENGINE_BUDGET (bytes;
# see stage_budget), CI=true (Cargo.lock must be current).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

names=()
results=()
times=()
failed=0
t_all=$(date +%s)

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
banner() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }

# run_stage NAME FUNCTION: runs FUNCTION in a subshell with errexit, records result and time.
run_stage() {
    local name=$1 fn=$2 t0 rc
    banner "$name"
    t0=$(date +%s)
    set +e
    (set -euo pipefail; "$fn")
    rc=$?
    set -e
    names+=("$name")
    times+=("$(($(date +%s) - t0))")
    if [ "$rc" -eq 0 ]; then
        results+=("ok")
    else
        results+=("FAILED (exit $rc)")
        failed=1
    fi
    return 0
}
skip_stage() {
    names+=("$1")
    results+=("skipped: $2")
    times+=("-")
}
last_ok() { [ "${results[${#results[@]} - 1]}" = ok ]; }

summary() {
    banner summary
    local i
    for i in "${!names[@]}"; do
        printf '  %-26s %6ss  %s\n' "${names[$i]}" "${times[$i]}" "${results[$i]}"
    done
    printf '  %-26s %6ss\n' "total" "$(($(date +%s) - t_all))"
    local passed=0 bad=0
    for i in "${!results[@]}"; do
        if [ "${results[$i]}" = ok ]; then passed=$((passed + 1)); else bad=$((bad + 1)); fi
    done
    printf 'stages: %d passed, %d failed\n' "$passed" "$bad"
    if [ "$failed" -eq 0 ]; then
        printf 'ALL TESTS PASSED\n'
    else
        printf 'SOME TESTS FAILED\n'
    fi
}

# --- stages -----------------------------------------------------------------------------------

stage_setup() { bash scripts/setup.sh; }

stage_fmt() { cargo fmt --all -- --check; }

stage_clippy() { cargo clippy --workspace --all-targets -- -D warnings; }

# All workspace members, natively (ballot-web's pure modules have native unit tests too).
stage_native_tests() { cargo test --workspace --no-fail-fast; }

# Every library crate under crates/ except the std-only CLI must build for a browser and a
# bare-metal target. New crates are picked up from crates/*/Cargo.toml; a directory without a
# manifest, or one that is not yet a workspace member, is reported and skipped.
no_std_crates() {
    local members manifest name
    members=$(cargo metadata --no-deps --format-version 1 \
        | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const p of JSON.parse(s).packages)console.log(p.name)})')
    for manifest in crates/*/Cargo.toml; do
        [ -f "$manifest" ] || continue
        name=$(awk -F'"' '/^\[package\]/{p=1} p && /^name *=/{print $2; exit}' "$manifest")
        if [ -z "$name" ] || [ "$name" = ballot-cli ]; then continue; fi
        if grep -qx "$name" <<<"$members"; then
            echo "$name"
        else
            echo "note: $manifest ($name) is not a workspace member; skipped" >&2
        fi
    done
}
stage_no_std() {
    local crates target args=()
    mapfile -t crates < <(no_std_crates)
    if [ ${#crates[@]} -eq 0 ]; then
        echo "no crates to build"
        return 0
    fi
    for c in "${crates[@]}"; do args+=(-p "$c"); done
    echo "crates: ${crates[*]}"
    for target in wasm32-unknown-unknown thumbv7em-none-eabihf; do
        echo "--- $target"
        cargo build "${args[@]}" --target "$target"
    done
}

# The release `ballot` binary runs the text scenarios, the seed swarms and the benchmark.
stage_scenarios() {
    cargo build --release -p ballot-cli --quiet
    ./target/release/ballot run scenarios/*/*.scn
}

# The model checker in release, with every protocol's defaults (what `ballot check` does without
# flags): each correct protocol checks clean (status 0), and each broken variant yields a
# counterexample (status 1) that breaks the property the command names ("it breaks P", or
# "from there it breaks P" for a check that starts from a later state).
stage_model_check() {
    local protocol bug out want got bad=0
    for protocol in $(./target/release/ballot protocols); do
        if out=$(./target/release/ballot check "$protocol" 2>&1); then
            echo "  $protocol: $(grep 'unique states:' <<<"$out")"
        else
            echo "FAIL: ballot check $protocol"; echo "$out" | tail -n 5; bad=1
        fi
        for bug in $(./target/release/ballot swarm "$protocol" --list-bugs); do
            local rc=0
            out=$(./target/release/ballot check "$protocol" --bug "$bug" 2>&1) || rc=$?
            want=$(grep -o 'breaks [^)]*' <<<"$out" | tail -n 1 | sed 's/^breaks //')
            got=$(sed -n 's/^VIOLATION of \(.*\): counterexample.*/\1/p' <<<"$out")
            if [ "$rc" -eq 1 ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
                echo "  $protocol --bug $bug: $got, $(grep 'unique states:' <<<"$out")"
            else
                echo "FAIL: ballot check $protocol --bug $bug (status $rc, wanted $want, got ${got:-none})"
                echo "$out" | grep -v '^ *[0-9]*\. ' | tail -n 5; bad=1
            fi
        done
    done
    [ "$bad" -eq 0 ]
}

# Hostile scenarios (tests/hostile/): timers of a microsecond, latencies of a minute. Each must
# end within HOSTILE_SECONDS of wall time with a verdict (pass, or fail saying which limit it
# reached), never hang and never crash.
HOSTILE_SECONDS=${BALLOT_HOSTILE_SECONDS:-15}
stage_hostile() {
    local file rc start took failed=0
    for file in tests/hostile/*.scn; do
        start=$(date +%s%N)
        rc=0
        timeout 60 ./target/release/ballot run "$file" >/tmp/ballot-hostile.out 2>&1 || rc=$?
        took=$(( ($(date +%s%N) - start) / 1000000 ))
        echo "$file: exit $rc in ${took} ms: $(head -n 1 /tmp/ballot-hostile.out | cut -c1-200)"
        if [ "$rc" -gt 1 ]; then
            echo "  FAILED: exit $rc (hang, crash or usage error)"
            failed=1
        fi
        if [ "$took" -gt $((HOSTILE_SECONDS * 1000)) ]; then
            echo "  FAILED: took more than ${HOSTILE_SECONDS} s"
            failed=1
        fi
    done
    if ! grep -q "a scenario may process at most" <(./target/release/ballot run tests/hostile/raft-microsecond-timers.scn 2>&1); then
        echo "raft-microsecond-timers.scn did not stop at the event limit"
        failed=1
    fi
    return "$failed"
}

# Every protocol the CLI knows: many seeds with random faults, safety then liveness, no
# violation allowed. Every broken variant: the same swarm must catch it (a swarm that cannot
# fail proves nothing).
SWARM_SEEDS=${BALLOT_SWARM_SEEDS:-2000}
SWARM_STEPS=${BALLOT_SWARM_STEPS:-5000}
stage_swarm() {
    local protocols protocol bug out
    # Every registered protocol (crates/engine/src/registry.rs), one a line.
    protocols=$(./target/release/ballot protocols) || return 1
    if [ -z "$protocols" ]; then
        echo "ballot protocols printed no protocol"
        return 1
    fi
    for protocol in $protocols; do
        echo "== $protocol"
        ./target/release/ballot swarm "$protocol" --seeds "$SWARM_SEEDS" --steps "$SWARM_STEPS" | tail -n 2
        for bug in $(./target/release/ballot swarm "$protocol" --list-bugs); do
            if out=$(./target/release/ballot swarm "$protocol" --seeds "$SWARM_SEEDS" --steps "$SWARM_STEPS" --bug "$bug" 2>&1); then
                echo "$out" | tail -n 3
                echo "broken variant $protocol/$bug was NOT caught by $SWARM_SEEDS seeds"
                return 1
            fi
            echo "broken variant $bug caught: $(echo "$out" | grep -m1 -E 'VIOLATION|LIVENESS')"
            echo "  $(echo "$out" | grep -m1 'reproduce:' | sed 's/^ *//')"
            echo "  $(echo "$out" | grep -E '^[0-9]+ seeds,')"
        done
    done
}

# 1000 simulated seconds of the classic workload, native and in wasm under Node.js; the two
# must end in the same fingerprint, and the native run must simulate at least MIN_SPEED
# simulated seconds per wall second (it does ~8000 on this machine kind; the floor leaves room
# for a loaded CI machine).
stage_bench() { MIN_SPEED=${BALLOT_MIN_SPEED:-1000} bash scripts/bench.sh 1000; }

stage_trunk() {
    rm -rf dist
    trunk build --release
    ls -l dist
}

# What the browser fetches, each file compressed with gzip -9 (ARCHITECTURE.md, "Bundle budgets"):
#   first load (index.html, its css, icon, boot.js, the UI's js and wasm)  <= FIRST_LOAD_BUDGET
#   each engine (web/engine.js, engine-NAME.js, engine-NAME_bg.wasm)        <= ENGINE_BUDGET
#   first load + the default protocol's engine                            <= WITH_ENGINE_BUDGET
# Every registered protocol must have its engine in dist/.
FIRST_LOAD_BUDGET=${BALLOT_FIRST_LOAD_BUDGET:-120000}
ENGINE_BUDGET=${BALLOT_ENGINE_BUDGET:-90000}
WITH_ENGINE_BUDGET=${BALLOT_WITH_ENGINE_BUDGET:-200000}
gz() { gzip -9 -c "$1" | wc -c; }
# sum_gz FILE...: prints each file's sizes and leaves the gzip -9 total in SUM.
sum_gz() {
    local f size
    SUM=0
    for f in "$@"; do
        [ -f "$f" ] || { echo "    missing: $f"; return 1; }
        size=$(gz "$f")
        printf '    %-44s %8d bytes raw %8d bytes gzip -9\n' "${f#dist/}" "$(wc -c <"$f")" "$size"
        SUM=$((SUM + size))
    done
}
check() { # check NAME BYTES BUDGET
    local verdict=ok
    [ "$2" -le "$3" ] || { verdict="OVER by $(($2 - $3)) bytes"; bad=1; }
    printf '  %-34s %8d of %8d bytes  %s\n' "$1" "$2" "$3" "$verdict"
}
stage_budget() {
    shopt -s nullglob
    local bad=0 first engine name default with
    local ui=(dist/index.html dist/style-*.css dist/favicon-*.svg dist/boot.js dist/ballot-web-*.js dist/ballot-web-*_bg.wasm)
    echo "  first load:"
    sum_gz "${ui[@]}" || return 1
    first=$SUM
    check "first load" "$first" "$FIRST_LOAD_BUDGET"
    # No pipe into `head`: under pipefail a writer cut off by a closed pipe fails the stage.
    local names
    mapfile -t names < <(./target/release/ballot protocols)
    default=${names[0]:-}
    [ -n "$default" ] || { echo "ballot protocols printed nothing"; return 1; }
    for name in "${names[@]}"; do
        echo "  engine $name:"
        sum_gz dist/engine.js "dist/engine-$name.js" "dist/engine-${name}_bg.wasm" || return 1
        engine=$SUM
        check "engine $name" "$engine" "$ENGINE_BUDGET"
        if [ "$name" = "$default" ]; then with=$((first + engine)); fi
    done
    check "first load + $default engine" "$with" "$WITH_ENGINE_BUDGET"
    [ "$bad" -eq 0 ]
}

stage_browser() {
    BALLOT_TEST_PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    export BALLOT_TEST_PORT
    echo "static server on 127.0.0.1:$BALLOT_TEST_PORT"
    playwright test
}

# --- run ----------------------------------------------------------------------------------------

run_stage "setup" stage_setup
if ! last_ok; then
    summary
    exit 1
fi
. scripts/env.sh

run_stage "fmt" stage_fmt
run_stage "clippy" stage_clippy
run_stage "native tests" stage_native_tests
run_stage "scenarios" stage_scenarios
run_stage "hostile scenarios" stage_hostile
if last_ok; then
    run_stage "seed swarm" stage_swarm
    run_stage "model check (every protocol, every variant)" stage_model_check
    run_stage "benchmark (native + wasm)" stage_bench
else
    skip_stage "seed swarm" "no ballot binary"
    skip_stage "model check (every protocol, every variant)" "no ballot binary"
    skip_stage "benchmark (native + wasm)" "no ballot binary"
fi
run_stage "no_std builds" stage_no_std
run_stage "trunk build --release" stage_trunk
if last_ok && [ -x target/release/ballot ]; then
    run_stage "bundle budgets" stage_budget
    run_stage "browser tests" stage_browser
else
    skip_stage "bundle budgets" "no build"
    skip_stage "browser tests" "no build"
fi

summary
exit "$failed"
