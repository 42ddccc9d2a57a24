#!/usr/bin/env bash
# Prints a table of how long the operations a user waits on take, against
# the goals, on a database of 20,000 credentials. Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --workspace --release --locked --bins --examples
exec target/release/examples/bench
