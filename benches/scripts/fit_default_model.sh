#!/usr/bin/env bash
# Rebuilds the real-speech development corpus (fixtures/real/build_corpus.sh, Debian packages tuxpaint-stamps-default,
# klettres-data, codec2-examples), fits a model on it with the command that made the built-in default, writes the
# held-out plots of docs/ACCURACY.md, and checks that the fit reproduces decision/src/default_model.json byte for byte.
# Usage: benches/scripts/fit_default_model.sh [CORPUS_DIR]   (default: target/corpus). Exit 1 if the file differs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-$root/target/corpus}"
"$root/fixtures/real/build_corpus.sh" "$corpus"
(cd "$root" && cargo build --release -p voizk-cli)
out="$(mktemp -d)"
"$root/target/release/voizk" model fit "$corpus/manifest.csv" --out "$out/model.json" --target-far 0.015 --folds 5 \
  --voicing-threshold 6 --plot "$root/docs/accuracy/held_out"
if cmp -s "$out/model.json" "$root/decision/src/default_model.json"; then
  echo "the fit reproduces decision/src/default_model.json"
else
  echo "the fit differs from decision/src/default_model.json: $out/model.json" >&2
  exit 1
fi
