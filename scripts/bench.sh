#!/usr/bin/env bash
# scripts/bench.sh [--tiny] [--runs N]
#
# The benchmark of issue #9: installs what is missing, builds in release,
# makes the data set with ../shared/bench/make_dataset.py (100,000
# credentials over 50 organizations, one of them holding 50,000), then times
# import, export and org list as whole processes against
# ../shared/bench/baseline.py and the sqlite3 CLI, and the window (start,
# opening the big organization, Search, memory) through tauri-driver under
# Xvfb, each measurement several times with ours and the baseline
# alternating. Prints the table (measurement, ours median/min/max, baseline,
# ratio, goal, met) and writes it to target/bench/results.json (and .md).
#
# --tiny: a few hundred credentials, 2 runs, the debug build that
# scripts/test.sh has just built (a release build would add ~10 minutes on a
# 2-core CI machine): checks that the benchmark works, judges nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

tiny="" runs=""
while (($#)); do
  case $1 in
    --tiny) tiny=1 ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: $0 [--tiny] [--runs N]" >&2; exit 2 ;;
  esac
  shift
done

start=$SECONDS
scripts/setup.sh --with-driver

# The shared folder sits beside the repository's root (BENCH_SHARED overrides).
root=$(git rev-parse --show-toplevel 2>/dev/null || pwd)
shared=${BENCH_SHARED:-$root/../shared}
for f in make_dataset.py baseline.py; do
  [ -f "$shared/bench/$f" ] || { echo "bench: $shared/bench/$f not found (set BENCH_SHARED to the shared folder)" >&2; exit 1; }
done
shared=$(cd "$shared" && pwd)

# The interpreter of a fresh Debian 12 (APT python3) for the data set and the
# baseline, rather than whatever wrapper (pyenv, venv) comes first on PATH.
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)

target=${CARGO_TARGET_DIR:-target}
if [ -n "$tiny" ]; then
  profile=debug
  echo "bench: --tiny measures the DEBUG build (no release build in CI); its numbers are not judged" >&2
  cargo build --workspace --locked
  dataset_args=(--credentials 300 --orgs 5 --big 150)
  credentials=300 big=150
  runs=${runs:-2}
  # Digits of credential names: each keystroke changes the count on this data set.
  queries=(--query 014)
else
  profile=release
  cargo build --workspace --release --locked
  dataset_args=(--credentials 100000 --orgs 50 --big 50000)
  credentials=100000 big=50000
  runs=${runs:-5}
  queries=(--query 04217 --query 38605)
fi
built=$SECONDS

out=$target/bench
mkdir -p "$out"
dataset=$out/dataset-$credentials.json
echo "bench: making the data set: make_dataset.py ${dataset_args[*]}" >&2
"$py" "$shared/bench/make_dataset.py" "$dataset" "${dataset_args[@]}"

"$py" scripts/bench.py \
  --bin "$target/$profile/bot-credentials" --window-bench "$target/$profile/window_bench" \
  --dataset "$dataset" --dataset-args "${dataset_args[*]}" --shared "$shared" --python "$py" \
  --runs "$runs" --profile "$profile" ${tiny:+--tiny} "${queries[@]}" \
  --credentials "$credentials" --big "$big" --out-dir "$out"

echo "bench: took $((SECONDS - start)) s in all ($((built - start)) s set-up and build, $((SECONDS - built)) s measuring)" >&2
