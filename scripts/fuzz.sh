#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs each for SECONDS (default 600).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Each target starts from its seeds in fuzz/corpus/<target>/ with its
# dictionary; the inputs it finds go to a scratch corpus
# ($FUZZ_SCRATCH, default build-fuzz/fuzz-corpus/<target>/), never into
# fuzz/corpus. Crashes, leaks, timeouts and out-of-memory inputs are saved
# in fuzz/crashes/<target>/; libFuzzer runs in fork mode so fuzzing goes on
# after one. Minimise one with
#   build-fuzz/fuzz/<target>_fuzzer -minimize_crash=1 -runs=10000 FILE
# and add it to fuzz/corpus/<target>/ so the replay test covers it.
#
# UndefinedBehaviorSanitizer reports listed in fuzz/ubsan.supp (known and
# reported) are suppressed.
#
# Environment: FUZZ_JOBS=N runs N targets at a time (default 1);
# FUZZ_NICE=N runs them under `nice -n N` (default 0); FUZZ_BUILD_DIR
# (default build-fuzz). Prints a table: target, runs, seconds, exec/s, crashes.
# Exits 1 when a target crashed, 0 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
[ $# -gt 0 ] && shift
case $seconds in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2;; esac
all_targets=(compile cite date_status diff mustache render_data tree_path)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
build=${FUZZ_BUILD_DIR:-build-fuzz}
scratch=${FUZZ_SCRATCH:-$build/fuzz-corpus}
jobs=${FUZZ_JOBS:-1}
nice_level=${FUZZ_NICE:-0}

# Per target: dictionary and the longest input worth trying.
dict_of() {
  case $1 in
    compile|diff|date_status) echo fuzz/markdown.dict ;;
    cite) echo fuzz/cite.dict ;;
    mustache|render_data) echo fuzz/mustache.dict ;;
    tree_path) echo fuzz/path.dict ;;
  esac
}
max_len_of() {
  case $1 in
    compile) echo 16384 ;;
    diff) echo 32768 ;;
    cite) echo 4096 ;;
    date_status) echo 1024 ;;
    mustache) echo 8192 ;;
    render_data) echo 32768 ;;
    tree_path) echo 4096 ;;
  esac
}
for t in "${targets[@]}"; do
  [ -n "$(dict_of "$t")" ] || { echo "fuzz.sh: unknown target '$t' (targets: ${all_targets[*]})" >&2; exit 2; }
done

# clang-14 and its runtimes: libclang-rt-14-dev holds libclang_rt.fuzzer.a
# (-fsanitize=fuzzer) and the sanitizer runtimes.
. scripts/deps.sh
am_install_deps clang libclang-rt-14-dev || { echo "fuzz.sh: could not install clang" >&2; exit 1; }

# b_lundef=false: the installed shared library is built too, and clang does
# not link the sanitizer runtimes into shared objects.
setup=(-Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized)
if [ -d "$build" ]; then
  CC=clang meson setup --reconfigure "$build" "${setup[@]}" >/dev/null
else
  CC=clang meson setup "$build" "${setup[@]}" >/dev/null
fi || { echo "fuzz.sh: meson setup failed" >&2; exit 1; }
exes=()
for t in "${targets[@]}"; do exes+=("fuzz/${t}_fuzzer"); done
nice -n "$nice_level" ninja -C "$build" "${exes[@]}" >/dev/null ||
  { echo "fuzz.sh: build failed" >&2; ninja -C "$build" "${exes[@]}"; exit 1; }

logs="$build/fuzz-logs"
mkdir -p "$logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:suppressions=$PWD/fuzz/ubsan.supp}

# run TARGET: fuzzes it for $seconds; the log is $logs/TARGET.log.
run() {
  local t=$1
  mkdir -p "$scratch/$t" "fuzz/crashes/$t"
  touch "$logs/$t.start"
  nice -n "$nice_level" "$build/fuzz/${t}_fuzzer" "$scratch/$t" "fuzz/corpus/$t" \
    -dict="$(dict_of "$t")" -max_len="$(max_len_of "$t")" -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -artifact_prefix="fuzz/crashes/$t/" -print_final_stats=1 >"$logs/$t.log" 2>&1
  echo "fuzz.sh: $t done (exit $?)" >&2
}

echo "fuzzing ${targets[*]} for ${seconds}s each, $jobs at a time; logs in $logs/" >&2
running=0
for t in "${targets[@]}"; do
  run "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

# Summary: runs and exec/s from libFuzzer's last status line, crashes
# from the artifacts saved during this run.
status=0
printf '%-12s %12s %8s %8s %8s  %s\n' target runs seconds exec/s crashes artifacts
for t in "${targets[@]}"; do
  line=$(grep -E '^#[0-9]+:? ' "$logs/$t.log" | tail -1)
  runs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$line")
  # Fork mode's exec/s is the last job's: the average is runs / time.
  secs=$(grep -oE ' time: [0-9]+s' <<<"$line" | grep -oE '[0-9]+')
  execs=$([ -n "$runs" ] && [ "${secs:-0}" -gt 0 ] && echo $((runs / secs)))
  new=$(find "fuzz/crashes/$t" -type f -newer "$logs/$t.start" | sort)
  crashes=$(grep -c . <<<"$new")
  [ "$crashes" -gt 0 ] && status=1
  printf '%-12s %12s %8s %8s %8s  %s\n' "$t" "${runs:-?}" "${secs:-?}" "${execs:-?}" "$crashes" \
    "$(tr '\n' ' ' <<<"$new")"
done
exit $status
