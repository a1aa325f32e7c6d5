# Shared by the benchmarks (sourced): commands timed side by side, and the
# table of each against its anchor.
#
#   bench_add KEY INPUT CMD...   a command, run as CMD <INPUT >/dev/null
#   bench_run RUNS               one warm-up run of each, then RUNS rounds in
#                                which every command runs once, in turn: a
#                                burst of load on the machine slows anchor
#                                and auditmd alike. T[KEY] is the median wall
#                                time in seconds, M[KEY] the median peak
#                                memory in KiB (of the largest process), or
#                                n/a when a run exits with 2 or more (the
#                                message in ERR[KEY]); exit 1 (a check that
#                                fails) is a result, and is timed.
#   bench_row LABEL KEY ANCHOR [TARGET]   a Markdown row: seconds, the anchor's,
#                                the ratio and the target it must meet
#   bench_mem_row LABEL KEY ANCHOR [TARGET]  the same for peak memory
#   bench_auditmd DEFAULT        prints the binary to time: $AUDITMD as given
#                                (a path relative to where the benchmark was
#                                started, $OLDPWD after its cd, or a name on
#                                PATH), else DEFAULT; fails when it is not
#                                executable
#
# A KEY may name a list of commands run one after the other (bench_add
# KEY ... twice): its time is their sum, run by run. The caller's $work
# (a temporary directory it removes) holds the measurements.
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
declare -A T M ERR
BENCH_KEYS=()
BENCH_CMDS=()
_bench_tmp=${work:?set work before sourcing bench/lib.sh}/bench
mkdir -p "$_bench_tmp"

bench_auditmd() {
  local a=$1
  if [ -n "${AUDITMD:-}" ]; then
    case $AUDITMD in
      /*) a=$AUDITMD ;;
      */*) a=${OLDPWD:-$PWD}/$AUDITMD ;;
      *) a=$(command -v "$AUDITMD" || echo "$AUDITMD") ;;
    esac
  fi
  [ -x "$a" ] || { echo "no auditmd at $a (build it, or set AUDITMD)" >&2; return 1; }
  echo "$a"
}

bench_add() {
  local key=$1 in=$2; shift 2
  BENCH_KEYS+=("$key")
  BENCH_CMDS+=("$(printf '%q ' "$@")<$(printf '%q' "$in")")
}

# _bench_once I: runs command I once; appends seconds and KiB to its files.
_bench_once() {
  local i=$1 key=${BENCH_KEYS[$1]} t0 t1 rc=0
  t0=$EPOCHREALTIME
  eval "/usr/bin/time -f %M -o $_bench_tmp/mem.$i ${BENCH_CMDS[$i]} >/dev/null 2>$_bench_tmp/err.$i" || rc=$?
  t1=$EPOCHREALTIME
  if [ "$rc" -ge 2 ]; then
    ERR[$key]=$(head -c 300 "$_bench_tmp/err.$i" | grep -v '^Command exited' | head -n 3)
    echo fail >>"$_bench_tmp/$key.fail"
  fi
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$_bench_tmp/t.$i"
  tail -n 1 "$_bench_tmp/mem.$i" >>"$_bench_tmp/m.$i"
}

_bench_median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bench_run() {
  local runs=$1 i r key
  for i in "${!BENCH_KEYS[@]}"; do _bench_once "$i"; : >"$_bench_tmp/t.$i"; : >"$_bench_tmp/m.$i"; done
  for r in $(seq "$runs"); do
    for i in "${!BENCH_KEYS[@]}"; do _bench_once "$i"; done
  done
  # A key's runs: the sum of its commands' times, the largest of their peaks.
  for key in $(printf '%s\n' "${BENCH_KEYS[@]}" | sort -u); do
    local ts=() ms=()
    for i in "${!BENCH_KEYS[@]}"; do
      [ "${BENCH_KEYS[$i]}" = "$key" ] || continue
      ts+=("$_bench_tmp/t.$i")
      ms+=("$_bench_tmp/m.$i")
    done
    if [ -e "$_bench_tmp/$key.fail" ]; then
      T[$key]=n/a M[$key]=n/a
      continue
    fi
    T[$key]=$(paste "${ts[@]}" | awk '{ s = 0; for (k = 1; k <= NF; k++) s += $k; print s }' | _bench_median)
    M[$key]=$(paste "${ms[@]}" | awk '{ m = 0; for (k = 1; k <= NF; k++) if ($k > m) m = $k; print m }' | _bench_median)
  done
}

# _bench_ratio_row LABEL VALUE ANCHOR_VALUE FORMAT TARGET
_bench_ratio_row() {
  if [ "$2" = n/a ] || [ "$3" = n/a ]; then
    printf '| %s | %s | %s | n/a | %s |\n' "$1" "$2" "$3" "${5:--}"
    return
  fi
  awk -v l="$1" -v v="$2" -v a="$3" -v f="$4" -v g="${5:--}" 'BEGIN {
    r = a > 0 ? v / a : 0
    ok = g == "-" ? "" : (r <= substr(g, 3) + 0 ? " (met)" : " (not met)")
    printf "| %s | " f " | " f " | %.2f | %s%s |\n", l, a, v, r, g, ok }'
}

bench_row() { _bench_ratio_row "$1" "${T[$2]}" "${T[$3]}" "%.3f" "${4:-}"; }
bench_mem_row() { _bench_ratio_row "$1" "${M[$2]}" "${M[$3]}" "%d" "${4:-}"; }

# The table's header: bench_header UNIT
bench_header() {
  printf '| command | anchor %s | auditmd %s | ratio | target |\n|---|---:|---:|---:|---|\n' "$1" "$1"
}
