#!/usr/bin/env bash
# Time and peak memory of the release binary's `check` and `gen` on the
# synthetic catalogues of benches/support (500 to 10,000 keys, and one entry
# of 500 adjacent raw `str` parameters), each run a process of its own under
# /usr/bin/time. Prints, per size, the best of RUNS runs and its peak RSS,
# the time per key, and how far growth is from linear (time per key over
# the time per key at 500 keys; 1.0 is linear).
#
#   bash benches/big_catalogues.sh           # RUNS=3 by default
#   RUNS=5 bash benches/big_catalogues.sh
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${RUNS:-3}

cargo build --release --bin cachekeys >&2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
CACHEKEYS_WRITE_CATALOGUES="$dir" cargo bench --bench gen >&2

target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/cachekeys"

# best <command> <catalogue>: "seconds kilobytes" of the fastest of $runs runs.
best() {
    local out=() i
    for ((i = 0; i < runs; i++)); do
        out+=("$(/usr/bin/time -f '%e %M' "$bin" "$1" -c "$2" 2>&1 >/dev/null | tail -1)")
    done
    printf '%s\n' "${out[@]}" | sort -n | head -1
}

printf '%-10s %-22s %-22s %-12s %-8s\n' keys "check (s, MB)" "gen (s, MB)" "gen us/key" growth
base=""
for n in $(ls "$dir" | sed -n 's/^keys-\([0-9]*\)\.yaml$/\1/p' | sort -n); do
    file="$dir/keys-$n.yaml"
    read -r check_s check_kb <<<"$(best check "$file")"
    read -r gen_s gen_kb <<<"$(best gen "$file")"
    per_key=$(python3 -c "print(f'{$gen_s / $n * 1e6:.0f}')")
    base=${base:-$per_key}
    growth=$(python3 -c "print(f'{$per_key / max($base, 1):.2f}')")
    printf '%-10s %-22s %-22s %-12s %-8s\n' "$n" "$check_s s, $((check_kb / 1024)) MB" \
        "$gen_s s, $((gen_kb / 1024)) MB" "$per_key" "$growth"
done

for file in "$dir"/adjacent-*.yaml; do
    read -r s kb <<<"$(best check "$file")"
    n=${file##*/adjacent-}
    echo "check, one entry of ${n%.yaml} adjacent raw str parameters: $s s, $((kb / 1024)) MB"
done
