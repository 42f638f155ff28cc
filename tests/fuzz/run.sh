#!/usr/bin/env bash
# hangar's fuzz targets, as CI runs them: build every target once, replay
# each target's seed corpus, then fuzz each one briefly. Any crash, panic,
# timeout or leak fails the script; libFuzzer leaves the input that found it
# in tests/fuzz/artifacts/<target>/.
#
#   tests/fuzz/run.sh                  # 15 s a target
#   FUZZ_SECONDS=600 tests/fuzz/run.sh # longer
#
# The seeds in tests/fuzz/corpus/<target>/ are only read: what a run adds
# goes to a scratch folder (FUZZ_GROWN, by default a temporary one).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${FUZZ_SECONDS:-15}
grown=${FUZZ_GROWN:-$(mktemp -d)}
# cargo-fuzz passes nightly-only flags to rustc; the stable toolchain takes
# them when told it may.
export RUSTC_BOOTSTRAP=1

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

# No sanitizer: hangar and its fuzz crate forbid unsafe code, so
# AddressSanitizer would only watch the unsafe code of dependencies (and
# SQLite's C, which no target runs). Measured on 2 cores, it ran the
# targets 3 to 8 times slower (cursor 9,446 executions a second against
# 57,363; filter_query 646 against 5,046; json_body 784 against 2,536), and
# its binaries abort at start on an ODR violation in the bundled SQLite
# unless ASAN_OPTIONS=detect_odr_violation=0. Its build took about as long
# (9.5 min against 11 min, on a busy machine). What these targets find are
# panics, overflows (debug assertions are on), round trips that do not
# hold, timeouts and memory blow-ups, which need no sanitizer.
fuzz() {
    cargo fuzz "$1" --fuzz-dir tests/fuzz --sanitizer none "${@:2}"
}

dict_of() {
    case "$1" in
        filter_query | admin_filters) echo "$PWD/tests/fuzz/dict/query.dict" ;;
        json_body | cursor) echo "$PWD/tests/fuzz/dict/json.dict" ;;
        form_body | admin_form) echo "$PWD/tests/fuzz/dict/multipart.dict" ;;
        *) echo "" ;;
    esac
}

fuzz build
for target in $(cargo fuzz list --fuzz-dir tests/fuzz); do
    seeds="tests/fuzz/corpus/$target"
    echo "==> $target: the seed corpus ($(ls "$seeds" | wc -l) inputs)"
    fuzz run "$target" "$seeds" -- -runs=0
    echo "==> $target: ${seconds} s"
    mkdir -p "$grown/$target"
    dict=$(dict_of "$target")
    fuzz run "$target" "$grown/$target" "$seeds" -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 ${dict:+-dict="$dict"}
done
