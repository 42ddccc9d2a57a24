#!/usr/bin/env bash
# Runs every check CI runs: formatting, lints, unit and command tests, CLI
# tests, the end-to-end tests that drive the real window under Xvfb, and a
# tiny run of the benchmark (it must work; its numbers are not judged).
# Installs what a fresh machine lacks first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh --with-driver
echo "== format" >&2
cargo fmt --all -- --check
echo "== lint" >&2
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== build" >&2
cargo build --workspace --locked
echo "== tests (unit, commands, CLI, end-to-end under Xvfb)" >&2
xvfb-run -a -s "-screen 0 1280x1024x24" cargo test --workspace --locked -- --test-threads=2
echo "== benchmark, tiny (debug build, numbers not judged)" >&2
scripts/bench.sh --tiny
