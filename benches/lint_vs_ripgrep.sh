#!/usr/bin/env bash
# `cachekeys lint` against ripgrep on the benchmark corpus (about 350 MB of
# real Rust source vendored from crates.io), measured in the same run: the
# median wall time of each, the ratio lint/rg, lint's peak memory, and the
# goals of issue 8 (ratio <= 5x, peak RSS < 300 MB).
#
#   bash benches/lint_vs_ripgrep.sh [CORPUS]
#
# CORPUS is the first argument, else $CACHEKEYS_BENCH_CORPUS, else
# /tmp/cachekeys-bench-corpus. It is built with ../shared/bench-corpus/make-corpus
# when missing (override the script with $MAKE_CORPUS). Never commit it.
#
# Environment:
#   RUNS=5              timed runs of each tool (interleaved); medians reported
#   CACHEKEYS_BIN=PATH  benchmark this binary instead of building
#                       target/release/cachekeys (e.g. a prototype build)
#
# Both tools see every .rs file: a vendored tree has no .gitignore, and rg
# runs with --no-ignore. Each tool runs once untimed first to warm the page
# cache. Lint runs in an empty directory, so no ./keys.yaml is picked up as
# the catalogue. Wall time, CPU time and peak RSS come from wait4(2) on the
# child. MB here is MiB (2^20 bytes). Needs rg, python3 and cargo.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-${CACHEKEYS_BENCH_CORPUS:-/tmp/cachekeys-bench-corpus}}
runs=${RUNS:-5}
make_corpus=${MAKE_CORPUS:-$repo/../shared/bench-corpus/make-corpus}
ratio_goal=5.0
rss_goal_mb=300

if ! command -v rg >/dev/null; then
    echo "error: ripgrep (rg) is not installed: apt-get install -y ripgrep" >&2
    exit 2
fi
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
    echo "error: RUNS must be a positive integer, not '$runs'" >&2
    exit 2
fi

if [[ -n ${CACHEKEYS_BIN:-} ]]; then
    bin=$(realpath "$CACHEKEYS_BIN")
else
    (cd "$repo" && cargo build --release --quiet)
    bin=$repo/target/release/cachekeys
fi

if ! [[ -d $corpus && -n $(ls -A "$corpus" 2>/dev/null) ]]; then
    echo "building the corpus at $corpus (a few minutes) ..." >&2
    bash "$make_corpus" "$corpus" >&2
fi
corpus=$(realpath "$corpus")

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch" # no keys.yaml here

rs_files=$(find "$corpus" -type f -name '*.rs' | wc -l)
rs_bytes=$(find "$corpus" -type f -name '*.rs' -printf '%s\n' | awk '{s += $1} END {print s + 0}')

rg_cmd=(rg -c --no-ignore -t rust 'format!\("[^"]*:' "$corpus")
lint_cmd=("$bin" lint --exit-zero --format concise "$corpus")

# Runs a command with stdout to /dev/null and stderr to $scratch/stderr;
# prints "wall_s cpu_s maxrss_kib exit_code".
measure() {
    python3 - "$@" <<'EOF'
import os, subprocess, sys, time
err = open("stderr", "wb")
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - start
child.returncode = os.waitstatus_to_exitcode(status)
print(f"{wall:.4f} {usage.ru_utime + usage.ru_stime:.4f} {usage.ru_maxrss} {child.returncode}")
EOF
}

# Fails the benchmark when a tool fails: a crashed lint run is no timing.
check_exit() { # name, exit code, accepted codes...
    local name=$1 code=$2
    shift 2
    for ok in "$@"; do
        [[ $code == "$ok" ]] && return 0
    done
    echo "error: $name exited with status $code; its stderr begins:" >&2
    head -n 15 "$scratch/stderr" | sed 's/^/    /' >&2
    exit 1
}

load_start=$(cut -d' ' -f1 /proc/loadavg)

# Warm-up, untimed: one run of each. Lint's warm-up gives the statistics.
"${rg_cmd[@]}" >/dev/null || [[ $? == 1 ]]
set +e
statistics=$("$bin" lint --exit-zero --format concise --statistics "$corpus" 2>"$scratch/stderr")
code=$?
set -e
check_exit "cachekeys lint --statistics" "$code" 0

rg_wall=() rg_cpu=() rg_rss=() lint_wall=() lint_cpu=() lint_rss=()
for ((i = 1; i <= runs; i++)); do
    read -r wall cpu rss code < <(measure "${rg_cmd[@]}")
    check_exit rg "$code" 0 1
    rg_wall+=("$wall") rg_cpu+=("$cpu") rg_rss+=("$rss")
    read -r wall cpu rss code < <(measure "${lint_cmd[@]}")
    check_exit "cachekeys lint" "$code" 0
    lint_wall+=("$wall") lint_cpu+=("$cpu") lint_rss+=("$rss")
    printf '  run %d/%d: rg %.2f s, lint %.2f s\n' "$i" "$runs" "${rg_wall[-1]}" "$wall" >&2
done

load_end=$(cut -d' ' -f1 /proc/loadavg)

python3 - <<EOF
import statistics as st

runs = $runs
rg_wall, lint_wall = [$(IFS=,; echo "${rg_wall[*]}")], [$(IFS=,; echo "${lint_wall[*]}")]
rg_cpu, lint_cpu = [$(IFS=,; echo "${rg_cpu[*]}")], [$(IFS=,; echo "${lint_cpu[*]}")]
rg_rss, lint_rss = [$(IFS=,; echo "${rg_rss[*]}")], [$(IFS=,; echo "${lint_rss[*]}")]
files, size = $rs_files, $rs_bytes
ratio_goal, rss_goal = $ratio_goal, $rss_goal_mb

print(f"cachekeys lint vs ripgrep on $corpus")
print(f"corpus: {files} .rs files, {size} bytes ({size / 2**20:.1f} MB)")
print(f"machine: $(nproc) cores, load average {'$load_start'} at start, {'$load_end'} at end; "
      f"{runs} timed runs each, interleaved, after one warm-up run each")
print()
rows = [
    ("tool", "median wall", "min wall", "max wall", "median cpu", "peak RSS"),
    ("rg", *(f"{x:.2f} s" for x in (st.median(rg_wall), min(rg_wall), max(rg_wall), st.median(rg_cpu))),
     f"{max(rg_rss) / 1024:.1f} MB"),
    ("cachekeys lint", *(f"{x:.2f} s" for x in (st.median(lint_wall), min(lint_wall), max(lint_wall), st.median(lint_cpu))),
     f"{max(lint_rss) / 1024:.1f} MB"),
]
widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
for r in rows:
    print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
print()
ratio = st.median(lint_wall) / st.median(rg_wall)
peak = max(lint_rss) / 1024
ok = lambda b: "ok" if b else "MISSED"
print(f"ratio lint/rg (median wall): {ratio:6.2f}x    goal <= {ratio_goal:.1f}x    {ok(ratio <= ratio_goal)}")
print(f"ratio lint/rg (median cpu):  {st.median(lint_cpu) / st.median(rg_cpu):6.2f}x    (for reference)")
print(f"lint peak RSS:               {peak:6.1f} MB   goal < {rss_goal} MB   {ok(peak < rss_goal)}")
EOF
echo
echo "lint findings (--statistics):"
if [[ -n $statistics ]]; then
    sed 's/^/  /' <<<"$statistics"
else
    echo "  none"
fi
