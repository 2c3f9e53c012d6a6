#!/usr/bin/env bash
# plonky2's own unit tests on the vendored, patched copy: scripts/plonky2_tests.sh [FILTER...]
#
# The vendored crate (vendor/plonky2) is not a workspace member and lost its dev-dependencies, so
# `cargo test -p plonky2 --lib` does not compile here. This script makes a scratch workspace in $TMPDIR whose
# package is vendor/plonky2's Cargo.toml with the dev-dependencies its tests use (env_logger, serde_cbor,
# serde_json, rand with OsRng, rand_chacha; fetched from crates.io on first use) and whose src is a symlink to
# vendor/plonky2/src, and runs `cargo test --lib` there (arguments are passed to the test binary as filters).
# Build and run: about 2 minutes and 1 minute on 2 cores. voizk's own tests of its patches are in
# stark-frames/tests/plonky2_patch.rs and stark-frames/tests/plonky2_zk.rs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${TMPDIR:-/tmp}/voizk-plonky2-tests"
mkdir -p "$scratch/.cargo"
ln -sfn "$root/vendor/plonky2/src" "$scratch/src"
cp "$root/.cargo/config.toml" "$scratch/.cargo/config.toml"
[ -f "$scratch/Cargo.lock" ] || cp "$root/Cargo.lock" "$scratch/Cargo.lock"
{
    cat "$root/vendor/plonky2/Cargo.toml"
    cat <<'TOML'

[dev-dependencies]
env_logger = "0.11"
serde_cbor = "0.11"
serde_json = "1"
rand = { version = "0.8.4", default-features = false, features = ["getrandom", "std", "std_rng"] }
rand_chacha = "0.3.1"

[profile.test]
opt-level = 3
debug = 0

[workspace]
TOML
} > "$scratch/Cargo.toml"
cd "$scratch"
CARGO_TARGET_DIR="$scratch/target" cargo test --lib -- "$@"
