#!/usr/bin/env bash
# Rewrites the README's screenshots (docs/*.png, the light and dark ones from
# tests/accessibility.rs among them) from the real window. An ordinary test
# run writes them under tests/artifacts/screenshots instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-driver
cargo build --workspace --locked
BOT_CREDENTIALS_UPDATE_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1280x1024x24" \
  cargo test --workspace --locked --test every_type --test security --test authorize --test accessibility \
    -- --test-threads=1
git status --short docs/
