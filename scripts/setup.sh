#!/usr/bin/env bash
# Installs what Ballot's build and tests need, and only what is missing or of the wrong
# version (a cold run takes ~20 min, mostly compiling trunk and wasm-bindgen-cli; a warm run
# a few seconds). For a Debian bookworm-like machine with rustup's toolchain, run as root
# (or with sudo available for apt-get). Sources nothing from outside crates.io, npm and Debian.
#
#   bash scripts/setup.sh        # then: . scripts/env.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
. scripts/env.sh

t_all=$(date +%s)
installed=()
log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
# step NAME CMD...: runs an install step and records how long it took.
step() {
    local name=$1 t0
    shift
    log "installing $name ..."
    t0=$(date +%s)
    "$@"
    installed+=("$name ($(($(date +%s) - t0))s)")
}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

command -v rustup >/dev/null || die "rustup not found: install a Rust toolchain with rustup first"
command -v cargo >/dev/null || die "cargo not found on PATH"

# 1. Rust targets and components.
have_targets=$(rustup target list --installed)
for target in wasm32-unknown-unknown thumbv7em-none-eabihf; do
    grep -qx "$target" <<<"$have_targets" || step "rust target $target" rustup target add "$target"
done
have_components=$(rustup component list --installed)
for component in rustfmt clippy; do
    grep -q "^$component" <<<"$have_components" || step "rust component $component" rustup component add "$component"
done

# 2. trunk, pinned (0.22+ needs a newer rustc than ours).
trunk_have=$(trunk --version 2>/dev/null | awk '{print $2}' || true)
if [ "$trunk_have" != "$BALLOT_TRUNK_VERSION" ]; then
    log "trunk: have '${trunk_have:-none}', want $BALLOT_TRUNK_VERSION (cargo install, ~13 min on 2 cores)"
    step "trunk $BALLOT_TRUNK_VERSION" cargo install --locked --force trunk --version "$BALLOT_TRUNK_VERSION"
fi

# 3. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock.
bindgen_want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$bindgen_want" ] || die "no wasm-bindgen package in Cargo.lock"
bindgen_have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$bindgen_have" != "$bindgen_want" ]; then
    log "wasm-bindgen-cli: have '${bindgen_have:-none}', want $bindgen_want (Cargo.lock; ~5 min)"
    # Not --locked: its lockfile pins a webpki-roots that no longer builds.
    step "wasm-bindgen-cli $bindgen_want" cargo install --force wasm-bindgen-cli --version "$bindgen_want"
fi

# 4. Chromium for the browser tests (Debian's; Playwright never downloads one).
install_chromium() {
    as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends chromium chromium-driver
}
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    step "chromium + chromium-driver (apt)" install_chromium
fi

# 5. npm tooling: binaryen (wasm-opt), terser (scripts/minify-js.mjs), Playwright and axe-core
#    (tests/browser/axe.spec.ts), exactly as package-lock.json says. Installed again when any
#    devDependency of package.json is missing or of another version (a new one included),
#    whatever the files' dates.
command -v node >/dev/null || die "node not found: Playwright needs Node.js >= 20 (Debian bookworm's nodejs is 18)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: Playwright needs >= 20"
npm_current() {
    node -e '
        const want = require("./package.json").devDependencies;
        for (const [name, version] of Object.entries(want)) {
            let have;
            try { have = require(`./node_modules/${name}/package.json`).version; } catch { process.exit(1); }
            if (have !== version) process.exit(1);
        }'
}
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/playwright ] \
    || [ ! -f node_modules/.package-lock.json ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ] \
    || ! npm_current; then
    step "npm packages (npm ci)" npm ci --no-audit --no-fund --loglevel=error
fi
wasm_opt_have=$(wasm-opt --version 2>/dev/null | awk '{print $3}')
[ "$wasm_opt_have" = "$BALLOT_WASM_OPT_VERSION" ] \
    || die "wasm-opt on PATH is '$(command -v wasm-opt)' version '$wasm_opt_have', want $BALLOT_WASM_OPT_VERSION"

# 6. Crate sources, so that trunk's offline build never needs the network.
if [ "${CI:-}" = true ]; then
    cargo fetch --locked --quiet   # CI: Cargo.lock must already be up to date
else
    cargo fetch --quiet
fi

log "tools: $(rustc --version | cut -d' ' -f1-2), trunk $(trunk --version | awk '{print $2}'), wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), wasm-opt $wasm_opt_have, node $(node --version), playwright $(playwright --version | awk '{print $2}'), $(/usr/bin/chromium --version 2>/dev/null | awk '{print $1, $2}')"
if [ ${#installed[@]} -eq 0 ]; then
    log "nothing to install; done in $(($(date +%s) - t_all))s"
else
    log "installed: ${installed[*]}"
    log "done in $(($(date +%s) - t_all))s"
fi
