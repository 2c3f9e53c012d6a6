#!/usr/bin/env bash
# Fuzzing with cargo fuzz (libFuzzer): scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Targets (fuzz/fuzz_targets): wav (WAV reading), files (every file decoder), verify (voizk verify end to end on
# mutated final proofs and decision keys; needs VOIZK_FUZZ_KEY and VOIZK_FUZZ_PROOF, which this script makes with
# the CLI when they are not set: a key and a proof at --max-seconds 2, a few minutes on first use).
# Default: 20 s each of wav and files (.ci/run's smoke run takes 15 s each). Runs longer than 60 s seed files with
# honest files of every format (made once with the CLI, kept in fuzz/corpus/verify-pair). Installs cargo-fuzz if it is missing. Exits non-zero
# on any finding (a crash, a panic, a timeout, an out-of-memory, an assertion of the target); crashing inputs are
# kept in fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(wav files)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.1 --locked
# libFuzzer's instrumentation flags are nightly-only; the project builds with a stable toolchain (as .cargo/config.toml).
export RUSTC_BOOTSTRAP=1

# Seeds: real and malformed WAVs, the default model, a template; chunk proofs and headers come from the mutations.
seed() {
    local dir=fuzz/corpus/$1
    mkdir -p "$dir"
    shift
    cp "$@" "$dir"/
}
seed wav fixtures/malformed/*.wav fixtures/real/codec2_hts1a_male.wav
seed files decision/src/default_model.json fixtures/malformed/not_a_wav.wav

# Honest files of every binary format, made with the CLI of this build: a decision key, a template, a final proof,
# a chunk proof, a root proof and its key. verify needs the pair; long runs of files start from all of them, so that
# mutations get past the magic numbers and headers (the 15 s smoke run of CI does without: a few minutes to make).
work=fuzz/corpus/verify-pair
if { printf '%s\n' "${targets[@]}" | grep -qx verify && [ -z "${VOIZK_FUZZ_KEY:-}" ]; } \
    || { [ "$secs" -gt 60 ] && [ ! -f "$work/root.key" ]; }; then
    mkdir -p "$work"
    # The dev profile (dependencies optimised, as the tests build them) proves at nearly release speed.
    cargo build -p voizk-cli
    voizk=target/debug/voizk
    real=fixtures/real
    nonce=0707070707070707070707070707070707070707070707070707070707070707
    "$voizk" keygen --max-seconds 2 --out "$work/key"
    "$voizk" enroll "$real/tuxpaint_es_frog_1.wav" "$real/tuxpaint_es_adelaide_rosella.wav" \
        "$real/tuxpaint_es_albino_peahen.wav" --out "$work/template.json"
    "$voizk" prove "$real/tuxpaint_es_crowned_crane.wav" --max-seconds 2 --template "$work/template.json" \
        --nonce "$nonce" --compressed --out "$work/proof"
    "$voizk" prove-chunks "$real/tuxpaint_es_crowned_crane.wav" --nonce "$nonce" --out "$work/chunks"
    "$voizk" prove-frames "$real/tuxpaint_es_crowned_crane.wav" --max-seconds 2 --nonce "$nonce" \
        --out "$work/root" --key-out "$work/root.key"
fi
if printf '%s\n' "${targets[@]}" | grep -qx verify && [ -z "${VOIZK_FUZZ_KEY:-}" ]; then
    export VOIZK_FUZZ_KEY=$work/key VOIZK_FUZZ_PROOF=$work/proof
fi
if [ -f "$work/root.key" ]; then
    seed files "$work/key" "$work/proof" "$work/template.json" "$work/chunks/chunk-00000.proof" "$work/root" \
        "$work/root.key"
fi
if printf '%s\n' "${targets[@]}" | grep -qx verify; then
    # Seeds: the honest proof (first byte even: mutate the proof) and the honest key (odd: mutate the key).
    mkdir -p fuzz/corpus/verify
    { printf '\0'; cat "$VOIZK_FUZZ_PROOF"; } > fuzz/corpus/verify/proof
    { printf '\1'; cat "$VOIZK_FUZZ_KEY"; } > fuzz/corpus/verify/key
fi

for t in "${targets[@]}"; do
    echo "== fuzz target $t: $secs s"
    # verify mutates whole proof and key files (about 140 kB): without -max_len libFuzzer may cap inputs at 4 kB and
    # truncate the seeds, which then never get past the header.
    max_len=()
    [ "$t" != verify ] || max_len=(-max_len=262144)
    cargo fuzz run --sanitizer none "$t" -- -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 \
        -print_final_stats=1 "${max_len[@]}"
done
