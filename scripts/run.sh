#!/usr/bin/env bash
# Installs what is missing, builds, and opens the Bot Credentials window.
# Extra arguments go to the app (e.g. `--db /tmp/try.sqlite3`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --workspace --locked
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display found; opening the window on a virtual one (xvfb-run)" >&2
  exec xvfb-run -a -s "-screen 0 1280x1024x24" target/debug/bot-credentials "$@"
fi
exec target/debug/bot-credentials "$@"
