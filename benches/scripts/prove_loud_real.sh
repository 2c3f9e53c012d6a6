#!/usr/bin/env bash
# Times 3.00 s of loud real speech from WAV to a verified final proof with the CLI (release build), twice, and the
# 3.00 s synthetic recording of docs/PERFORMANCE.md twice, against one template (docs/PERFORMANCE.md, "Soundness
# fixes and the whole input domain"). Needs sox (installs it with apt-get if missing). Usage: prove_loud_real.sh [DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:-$(mktemp -d)}"
mkdir -p "$dir"
command -v sox >/dev/null || { apt-get update -qq && apt-get install -y -qq sox libsox-fmt-base >/dev/null; }
(cd "$root" && cargo build --release -p voizk-cli)
V="$root/target/release/voizk"
R="$root/fixtures/real"
S="$root/fixtures/speech"
export VOIZK_CACHE_DIR="$dir/cache"
N=0000000000000001000000000000000200000000000000030000000000000004
cd "$dir"
sox "$R/klettres_ml_jheae_loudest.wav" "$R/tuxpaint_es_toy_truck_loud.wav" loud3.wav trim 0 3
sox "$S/flite_awb_1.wav" "$S/flite_awb_2.wav" synth3.wav trim 0 3
/usr/bin/time -f "keygen wall %e s, peak RSS %M kB" "$V" keygen --out key.bin
"$V" enroll "$R/codec2_hts1a_male.wav" "$R/codec2_forig_female.wav" "$R/codec2_wia_loud_unclipped.wav" --out t.json
for wav in loud3 loud3 synth3 synth3; do
  /usr/bin/time -f "$wav: prove wall %e s, peak RSS %M kB" "$V" prove "$wav.wav" --template t.json --nonce $N --out "$wav.proof"
  "$V" verify "$wav.proof" --key key.bin --nonce $N || true
done
