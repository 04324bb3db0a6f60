#!/usr/bin/env bash
# What a build script user pays to build: the `examples/build-script` crate
# (its build.rs compiles keys.yaml with cachekeys, `default-features =
# false`) against a scratch crate of the same shape whose build.rs compiles
# a .proto with prost-build, its generated module included and printed by
# main.rs in the same way. Each build is clean (a fresh target directory)
# and in debug, the two alternate in the same run, so both see the same
# machine; sources are fetched before any build is timed.
#
#   bash benches/build_cost.sh            # 2 rounds
#   bash benches/build_cost.sh 3          # 3 rounds
#
# Prints each build's wall time and crate count, the medians, and the
# ratio cachekeys / prost-build (goal: at most 0.80). prost-build needs
# protoc: `apt-get install -y protobuf-compiler`, or set PROTOC.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD

rounds=${1:-2}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [rounds]" >&2
    exit 2
fi
if [[ -z "${PROTOC:-}" ]] && ! command -v protoc >/dev/null; then
    echo "error: prost-build needs protoc; install it (apt-get install -y protobuf-compiler) or set PROTOC" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The prost-build crate: the shape of examples/build-script, keys.yaml's
# entries as messages.
prost="$work/prost-keys"
mkdir -p "$prost/src"
cat >"$prost/Cargo.toml" <<'TOML'
[package]
name = "prost-keys-example"
version = "0.1.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
prost = "0.14"

[build-dependencies]
prost-build = "0.14"
TOML
cat >"$prost/keys.proto" <<'PROTO'
syntax = "proto3";
package shop;

message UserProfile { uint64 user_id = 1; }
message UserByEmail { string email = 1; }
message UserFlags { uint64 user_id = 1; bool beta = 2; }
message UserSession { bytes session_id = 1; }
enum Locale { EN = 0; FR = 1; DE = 2; }
message FeedPage { Locale locale = 1; uint32 page = 2; }
PROTO
cat >"$prost/build.rs" <<'RUST'
//! Compiles `keys.proto` into `$OUT_DIR/shop.rs`.

fn main() {
    if let Err(error) = prost_build::compile_protos(&["keys.proto"], &["."]) {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
RUST
cat >"$prost/src/main.rs" <<'RUST'
//! Prints a few values of the generated types.

mod shop {
    include!(concat!(env!("OUT_DIR"), "/shop.rs"));
}

fn main() {
    println!("{:?}", shop::UserProfile { user_id: 42 });
    println!("{:?}", shop::FeedPage { locale: shop::Locale::Fr as i32, page: 3 });
}
RUST

cachekeys_manifest="$root/examples/build-script/Cargo.toml"
prost_manifest="$prost/Cargo.toml"
cargo fetch --quiet --manifest-path "$cachekeys_manifest"
cargo fetch --quiet --manifest-path "$prost_manifest"

# One clean debug build: prints "<seconds> <crates compiled>".
build() {
    local manifest=$1 target
    target=$(mktemp -d "$work/target.XXXX")
    local start end
    start=$(date +%s.%N)
    CARGO_TERM_COLOR=never CARGO_TERM_PROGRESS_WHEN=never \
        cargo build --offline --manifest-path "$manifest" --target-dir "$target" \
        2>"$target.log" || {
        cat "$target.log" >&2
        exit 1
    }
    end=$(date +%s.%N)
    local crates
    crates=$(grep -c '^ *Compiling ' "$target.log")
    rm -rf "$target"
    echo "$(echo "$end - $start" | bc) $crates"
}

declare -a cachekeys_times prost_times
for ((round = 1; round <= rounds; round++)); do
    read -r t n < <(build "$prost_manifest")
    prost_times+=("$t")
    prost_crates=$n
    printf 'round %d  prost-build  %6.1f s  %d crates\n' "$round" "$t" "$n"
    read -r t n < <(build "$cachekeys_manifest")
    cachekeys_times+=("$t")
    cachekeys_crates=$n
    printf 'round %d  cachekeys    %6.1f s  %d crates\n' "$round" "$t" "$n"
done

median() {
    printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}
c=$(median "${cachekeys_times[@]}")
p=$(median "${prost_times[@]}")
ratio=$(echo "scale=2; $c / $p" | bc)
verdict=$(echo "$ratio <= 0.80" | bc)
echo
printf 'median      cachekeys %.1f s (%d crates), prost-build %.1f s (%d crates)\n' \
    "$c" "$cachekeys_crates" "$p" "$prost_crates"
printf 'ratio       cachekeys / prost-build = %s (goal <= 0.80: %s)\n' \
    "$ratio" "$([[ $verdict == 1 ]] && echo ok || echo MISSED)"
