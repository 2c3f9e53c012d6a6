#!/usr/bin/env bash
# The embedding study of issue 16 (docs/ACCURACY.md, "A stronger provable embedding: the study"): builds the
# development corpus, a Python venv with the pinned packages, the per-frame features of every recording (voizk's
# integer MFCCs and python_speech_features' log-mel energies), then every row of table.md, held out by speaker.
#
# Usage: benches/study/embedding/run.sh [STUDY_DIR]   (default target/study-embedding; about 15 min on 2 cores)
# Needs python3 with venv (installed with apt-get if missing) and network access to PyPI and Debian.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
export STUDY_DIR=$(mkdir -p "${1:-$ROOT/target/study-embedding}" && cd "${1:-$ROOT/target/study-embedding}" && pwd)
export CORPUS="$STUDY_DIR/corpus"
export VOIZK="$ROOT/target/release/voizk"
python3 -m venv -h >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; }
"$ROOT/fixtures/real/build_corpus.sh" "$CORPUS"
(cd "$ROOT" && cargo build --release -p voizk-cli)
[[ -x $STUDY_DIR/venv/bin/python ]] || python3 -m venv "$STUDY_DIR/venv"
"$STUDY_DIR/venv/bin/pip" install -q -r "$HERE/requirements.txt"
cd "$HERE"
[[ -f $STUDY_DIR/feats.npz ]] || "$STUDY_DIR/venv/bin/python" extract.py
"$STUDY_DIR/venv/bin/python" table.py
echo "table: $STUDY_DIR/table.md"
