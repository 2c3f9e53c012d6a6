#!/usr/bin/env bash
# The latency of `voizk prove -` after the last sample of a recording replayed at real-time speed, against
# `voizk prove FILE` on the same recording, alternated RUNS times (docs/PERFORMANCE.md, issue 19 step 7). Prints, per
# run, when the stream's circuits were ready, when it ended, the latency, the file's wall time, the layers' prove
# times and the peak RSS of both. Circuits are cached in DIR/cache (the first run of each builds or reads them and is
# not printed). Needs only this repository (the replay is `benches/examples/replay.rs`) and python3 for the JSON.
# Usage: stream_latency.sh [WAV] [RUNS] [DIR]   (default: fixtures/real/codec2_hts1a_male.wav, 3 runs, a temp dir)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
wav="$(realpath "${1:-$root/fixtures/real/codec2_hts1a_male.wav}")"
runs="${2:-3}"
dir="${3:-$(mktemp -d)}"
mkdir -p "$dir"
(cd "$root" && cargo build --release -q -p voizk-cli && cargo build --release -q -p voizk-benches --example replay)
V="$root/target/release/voizk"
replay="$root/target/release/examples/replay"
export VOIZK_CACHE_DIR="$dir/cache"
N=0000000000000000000000000000000000000000000000000000000000000007
R="$root/fixtures/real"
cd "$dir"
"$V" -q enroll "$R/tuxpaint_es_adelaide_rosella.wav" "$R/tuxpaint_es_albino_peahen.wav" \
  "$R/tuxpaint_es_crowned_crane.wav" --out t.json
summary='
import json, sys
d = json.load(open(sys.argv[1]))
layers = ", ".join("%.2f" % l["prove_secs"] for l in d["layers"])
s = d.get("stream")
if s:
    print("stream: circuits ready %.2f s, end %.2f s, latency %.2f s; layers %s s; peak %s kB"
          % (s["circuits_ready_secs"], s["end_of_stream_secs"], s["latency_secs"], layers, sys.argv[2]))
else:
    print("file:   wall %.2f s; layers %s s; peak %s kB" % (d["wall_secs"], layers, sys.argv[2]))
'
for i in $(seq 0 "$runs"); do
  "$replay" "$wav" 2>/dev/null | /usr/bin/time -f %M -o rss "$V" -q --json prove - --template t.json --nonce $N \
    --out s.proof > s.json
  [ "$i" -gt 0 ] && python3 -c "$summary" s.json "$(cat rss)"
  /usr/bin/time -f %M -o rss "$V" -q --json prove "$wav" --template t.json --nonce $N --out f.proof > f.json
  [ "$i" -gt 0 ] && python3 -c "$summary" f.json "$(cat rss)"
done
