#!/usr/bin/env bash
# Runs the keygen benchmark and prints, per case, the median time of the
# generated key function and of its `*_into` form appending to a reused
# buffer, of the equivalent hand-written `format!` and `write!` into a
# reused buffer, and the speedups; the goal is for `*_into` over `format!`.
#
#   bash benches/ratios.sh             # run the bench, then print the table
#   bash benches/ratios.sh --no-run    # print the table from the last run
set -euo pipefail

cd "$(dirname "$0")/.."

run=1
for arg in "$@"; do
    case "$arg" in
        --no-run) run=0 ;;
        *)
            echo "usage: $0 [--no-run]" >&2
            exit 2
            ;;
    esac
done

if ((run)); then
    cargo bench --bench keygen -- --noplot >&2
fi

target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

python3 - "$target_dir/criterion" <<'EOF'
import json
import sys
from pathlib import Path

root = Path(sys.argv[1])

# case -> goal for the speedup of the generated `*_into`, appending to a
# reused buffer, over `format!`; in the order the bench runs them.
GOALS = {
    "u64_profile": 5.0,
    "enum_u32_home": 5.0,
    "4ints_signed": 5.0,
    "u64_bool_flags": 5.0,
    "uuid_session": 5.0,
    "str_email_short": 5.0,
    "str_email_long": 5.0,
    "u64_enum_avatar": None,
}


def median_ns(group, function):
    path = root / group / function / "new" / "estimates.json"
    try:
        with path.open() as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None


rows = []
for case, goal in GOALS.items():
    ours = median_ns(case, "cachekeys")
    into = median_ns(case, "cachekeys_into")
    theirs = median_ns(case, "format")
    write = median_ns(case, "write_into")
    if None in (ours, into, theirs, write):
        continue
    ratio = theirs / into
    if goal is None:
        goal_text, verdict = "-", "-"
    else:
        goal_text, verdict = f"{goal:.1f}x", "ok" if ratio >= goal else "MISSED"
    rows.append((
        case,
        f"{ours:.1f}",
        f"{into:.1f}",
        f"{theirs:.1f}",
        f"{write:.1f}",
        f"{theirs / ours:.2f}x",
        f"{ratio:.2f}x",
        f"{write / into:.2f}x",
        goal_text,
        verdict,
    ))

if not rows:
    sys.exit(f"no criterion results under {root}")

header = (
    "case",
    "cachekeys ns",
    "_into ns",
    "format! ns",
    "write! ns",
    "fn vs format!",
    "_into vs format!",
    "_into vs write!",
    "goal",
    "",
)
widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
align = ["<"] + [">"] * 8 + ["<"]


def line(cells):
    return "  ".join(f"{c:{a}{w}}" for c, a, w in zip(cells, align, widths)).rstrip()


print("median time per key (criterion estimates.json)")
print(line(header))
print(line(["-" * w for w in widths]))
for row in rows:
    print(line(row))

EOF
