#!/usr/bin/env bash
# Clean build time of 50 models with hangar's derives (Model, RestResource,
# AdminModel) against the same 50 with Diesel's derives only. Both crates have
# the same dependencies, built once first; then each is cleaned and built in
# turn, RUNS times, and the medians and their ratio are printed.
#
#   bench/build-cost/run.sh [RUNS]      (default 5; debug builds, like `cargo build`)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
runs="${1:-5}"
out="${BUILD_COST_DIR:-$here/../../target/build-cost}"
python3 "$here/generate.py" "$out" "$here/../../runtime"
cd "$out"
# Share the lock file's versions with the main workspace where it has one.
[ -f Cargo.lock ] || cp "$here/../../Cargo.lock" Cargo.lock
cargo build -q -p models-diesel -p models-hangar 2>/dev/null || cargo build -p models-diesel -p models-hangar
seconds() { local start end; start=$(date +%s.%N); cargo build -q -p "$1"; end=$(date +%s.%N); echo "$end - $start" | bc; }
diesel=(); hangar=()
for _ in $(seq "$runs"); do
    cargo clean -q -p models-diesel; diesel+=("$(seconds models-diesel)")
    cargo clean -q -p models-hangar; hangar+=("$(seconds models-hangar)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
d=$(median "${diesel[@]}"); h=$(median "${hangar[@]}")
echo "50 models, Diesel's derives only:          median ${d} s  (runs: ${diesel[*]})"
echo "50 models, with Model, RestResource, AdminModel: median ${h} s  (runs: ${hangar[*]})"
echo "ratio: $(echo "scale=2; $h / $d" | bc)"
