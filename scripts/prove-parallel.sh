#!/usr/bin/env bash
# Proves a recording with GNU parallel, one `voizk stage` job per stage, wave after wave (issue 18).
#
#   scripts/prove-parallel.sh FILE --template T --nonce HEX --out PROOF [-k K] [--arity A] [--max-seconds S]
#                             [--model M] [--jobs J] [--dir DIR] [--voizk PATH] [--cache-dir D]
#
# Writes the plan of FILE into DIR (default: a temporary directory, removed afterwards unless --dir is given),
# runs each wave's stages with `parallel -j J` (default: the number of cores), stops at the first failed stage
# (its output is shown), and copies DIR/final.proof to PROOF; `voizk verify PROOF --key KEY --nonce HEX`
# accepts it with the key of `voizk keygen` with the same settings and model. Installs GNU parallel (Debian
# package `parallel`) if it is missing. The voizk binary: --voizk, else target/release/voizk of this checkout
# (built if missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

usage() { sed -n '4,5p' "$0" | sed 's/^# *//' >&2; exit 2; }

file="" template="" nonce="" out="" jobs="$(nproc)" dir="" voizk="" model=""
settings=() cache=()
while [ $# -gt 0 ]; do
    case "$1" in
        --template) template="$2"; shift 2 ;;
        --nonce) nonce="$2"; shift 2 ;;
        --out|-o) out="$2"; shift 2 ;;
        -k|--frames-per-chunk|--arity|-a|--max-seconds) settings+=("$1" "$2"); shift 2 ;;
        --model) model="$2"; shift 2 ;;
        --jobs|-j) jobs="$2"; shift 2 ;;
        --dir) dir="$2"; shift 2 ;;
        --voizk) voizk="$2"; shift 2 ;;
        --cache-dir) cache=(--cache-dir "$2"); shift 2 ;;
        -h|--help) usage ;;
        -*) echo "prove-parallel.sh: unknown option $1" >&2; usage ;;
        *) [ -z "$file" ] || usage; file="$1"; shift ;;
    esac
done
[ -n "$file" ] && [ -n "$template" ] && [ -n "$nonce" ] && [ -n "$out" ] || usage

if ! command -v parallel > /dev/null; then
    echo "prove-parallel.sh: installing GNU parallel (Debian package parallel)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq parallel > /dev/null \
        || { apt-get update -qq > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq parallel > /dev/null; }
fi
if [ -z "$voizk" ]; then
    voizk="$root/target/release/voizk"
    [ -x "$voizk" ] || (cd "$root" && cargo build --release -q -p voizk-cli)
fi

keep=1
if [ -z "$dir" ]; then
    dir="$(mktemp -d -t voizk-plan.XXXXXX)"
    keep=0
fi
cleanup() { [ "$keep" = 1 ] || rm -rf "$dir"; }
trap cleanup EXIT

model_opt=()
[ -z "$model" ] || model_opt=(--model "$model")
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }
start=$(date +%s.%N)
"$voizk" --quiet plan "$file" --dir "$dir" --template "$template" --nonce "$nonce" "${model_opt[@]}" "${settings[@]}"
waves=$(ls "$dir"/wave-*.jobs | wc -l)
for ((w = 0; w < waves; w++)); do
    list="$dir/wave-$w.jobs"
    t=$(date +%s.%N)
    # --halt now,fail=1: the first failed stage stops the wave, and the script (set -e).
    parallel --will-cite --halt now,fail=1 -j "$jobs" "$voizk" --quiet stage "${cache[@]}" "$dir" {} :::: "$list"
    printf 'wave %d: %d stage(s) in %.1f s\n' "$w" "$(wc -l < "$list")" "$(since "$t")" >&2
done
cp "$dir/final.proof" "$out"
printf 'final proof: %s (%d bytes), %.1f s in all, %d job(s) at a time\n' \
    "$out" "$(stat -c %s "$out")" "$(since "$start")" "$jobs" >&2
