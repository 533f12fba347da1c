#!/usr/bin/env bash
# Development server: http://127.0.0.1:8080 (see [serve] in Trunk.toml); rebuilds on change.
# Extra arguments go to `trunk serve` (e.g. --release, --port 9000).
# Autoreload is off: trunk injects it as an inline <script>, which index.html's CSP forbids,
# so reload the page yourself after a rebuild.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
. scripts/env.sh
exec trunk serve --no-autoreload "$@"
