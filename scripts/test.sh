#!/usr/bin/env bash
# The one command that runs every test (CI runs it through .ci/run):
#   setup → fmt → clippy → native tests → no_std builds → trunk release build → bundle budget
#   → browser tests.
# Every stage runs even if an earlier one failed (except that nothing runs without setup, and
# the budget and browser stages need the build), so one run shows all failures. Exits non-zero
# if any stage failed, after a summary table.
#
# Environment: BALLOT_BUNDLE_BUDGET (bytes, default 256000), CI=true (Cargo.lock must be current).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUDGET_BYTES=${BALLOT_BUNDLE_BUDGET:-256000}
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

stage_trunk() {
    rm -rf dist
    trunk build --release
    ls -l dist
}

# wasm + js of dist/, each compressed with gzip -9, must fit the budget.
stage_budget() {
    local f size total=0
    shopt -s nullglob
    local files=(dist/*.wasm dist/*.js)
    [ ${#files[@]} -gt 0 ] || { echo "no .wasm/.js in dist/"; return 1; }
    for f in "${files[@]}"; do
        size=$(gzip -9 -c "$f" | wc -c)
        total=$((total + size))
        printf '  %-40s %8d bytes raw %8d bytes gzip -9\n' "${f#dist/}" "$(wc -c <"$f")" "$size"
    done
    printf '  bundle (wasm+js, gzip -9): %d bytes = %d.%d KB of %d KB budget\n' \
        "$total" $((total / 1000)) $((total % 1000 / 100)) $((BUDGET_BYTES / 1000))
    if [ "$total" -gt "$BUDGET_BYTES" ]; then
        echo "bundle over budget by $((total - BUDGET_BYTES)) bytes"
        return 1
    fi
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
run_stage "no_std builds" stage_no_std
run_stage "trunk build --release" stage_trunk
if last_ok; then
    run_stage "bundle budget" stage_budget
    run_stage "browser tests" stage_browser
else
    skip_stage "bundle budget" "no build"
    skip_stage "browser tests" "no build"
fi

summary
exit "$failed"
