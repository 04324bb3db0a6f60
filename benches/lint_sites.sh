#!/usr/bin/env bash
# `cachekeys lint` time against the number of key sites in ONE file, to
# show it is linear: per-site time must stay flat from 1k to 100k sites.
#
#   bash benches/lint_sites.sh
#
# Three shapes of generated file, each at 1k, 3k, 10k, 30k and 100k sites:
#   functions  one small key function per site, each its own format
#              (`fn user_key_7(id: u64) -> String { format!("user7:{}", id) }`)
#   group      one function per site, all one format: one CK002 group of
#              every site (`cache.get(&format!("user:{}:profile", id))`)
#   body       every site in the body of one function
#   findings   one function per site, each a finding (CK006, a key with a
#              space), in the default human report: the report's cost too
# then one 16 MiB file (the largest lint reads) of `group` sites.
#
# Time is the child's CPU time (user + sys, from wait4(2)): on a shared
# machine, wall time measures the neighbours. Each point is the median of
# RUNS runs (default 3). "ratio" is the per-site time over the 1k file's.
#
# Environment:
#   RUNS=3              runs per point
#   CACHEKEYS_BIN=PATH  benchmark this binary instead of building
#                       target/release/cachekeys
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
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

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

python3 - "$bin" "$scratch" "$runs" <<'EOF'
import os, statistics, subprocess, sys

bin, scratch, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def line(shape, i):
    if shape == "functions":
        return f'pub fn user_key_{i}(id: u64) -> String {{ format!("user{i}:{{}}", id) }}\n'
    if shape == "findings":
        return f'pub fn load_{i}(cache: &memcache::Client, id: u64) {{ cache.get(&format!("user {i}:{{}}", id)); }}\n'
    if shape == "group":
        return f'pub fn load_{i}(cache: &memcache::Client, id: u64) {{ cache.get(&format!("user:{{}}:profile", id)); }}\n'
    return f'    cache.get(&format!("user{i}:{{}}", id));\n'

def write(shape, n, limit=None):
    path = os.path.join(scratch, f"{shape}_{n}.rs")
    with open(path, "w") as f:
        size = 0
        if shape == "body":
            f.write("pub fn all(cache: &memcache::Client, id: u64) {\n")
        i = 0
        while (limit is None and i < n) or (limit is not None and size < limit):
            text = line(shape, i)
            if limit is not None and size + len(text) > limit:
                break
            f.write(text)
            size += len(text)
            i += 1
        if shape == "body":
            f.write("}\n")
    return path, i

def cpu(path, human=False):
    """Median CPU seconds and peak RSS (MiB) of `cachekeys lint` on path."""
    times, peak = [], 0
    format = [] if human else ["--format", "concise"]
    for _ in range(runs):
        child = subprocess.Popen(
            [bin, "lint", "--exit-zero", *format, path],
            cwd=scratch, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            sys.exit(f"error: cachekeys lint exited with {code} on {path}")
        times.append(usage.ru_utime + usage.ru_stime)
        peak = max(peak, usage.ru_maxrss / 1024)
    return statistics.median(times), peak

print(f"cachekeys lint, CPU time against key sites in one file ({bin})")
print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; median of {runs} runs")
print()
print(f"{'shape':<10} {'sites':>7} {'file':>9} {'cpu':>8} {'per site':>9} {'ratio':>6} {'peak RSS':>9}")
for shape in ("functions", "group", "body", "findings"):
    base = None
    for n in (1_000, 3_000, 10_000, 30_000, 100_000):
        path, sites = write(shape, n)
        seconds, peak = cpu(path, human=shape == "findings")
        per_site = seconds / sites * 1e6
        base = base or per_site
        size = os.path.getsize(path) / 2**20
        print(f"{shape:<10} {sites:>7} {size:>6.1f} MB {seconds:>6.2f} s {per_site:>6.1f} us {per_site / base:>5.2f}x {peak:>6.0f} MB")
path, sites = write("group", 0, limit=16 << 20)
seconds, peak = cpu(path)
print()
print(f"16 MiB file of group sites: {sites} sites, {seconds:.2f} s CPU, {seconds / sites * 1e6:.1f} us per site, peak RSS {peak:.0f} MB")
EOF
