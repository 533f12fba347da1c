# Source me (bash): puts the project's tools first on PATH and sets the variables every
# script here relies on. Safe to source more than once.
#   . scripts/env.sh
BALLOT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BALLOT_ROOT

_ballot_path_prepend() {
    case ":$PATH:" in
        *":$1:"*) PATH="$1:$(printf '%s' ":$PATH:" | sed "s#:$1:#:#; s#^:##; s#:\$##")" ;;
        *) PATH="$1:$PATH" ;;
    esac
}
# wasm-opt must be binaryen 132 from npm (Debian's binaryen 108 cannot read our wasm), so
# node_modules/.bin goes first, ahead of anything in /usr/bin.
[ -d "$HOME/.cargo/bin" ] && _ballot_path_prepend "$HOME/.cargo/bin"
_ballot_path_prepend "$BALLOT_ROOT/node_modules/.bin"
unset -f _ballot_path_prepend
export PATH

export TRUNK_SKIP_VERSION_CHECK=true          # no update check over the network
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1     # tests use Debian's /usr/bin/chromium
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"  # for wasm-bindgen-test, later
export CARGO_TERM_PROGRESS_WHEN=never

# Pinned tool versions. wasm-bindgen's comes from Cargo.lock, never from here.
export BALLOT_TRUNK_VERSION=0.21.14
export BALLOT_WASM_OPT_VERSION=132
