"""Per-frame features of every corpus recording: voizk's integer MFCCs (c0..c12) and python_speech_features
log fbank (26 log-mel, Hamming window as voizk energies, same framing). Writes feats.npz: speakers, paths, offsets, mfcc (N,13), fbank (N,26)."""
import os
import csv, io, subprocess, sys
import numpy as np
import scipy.io.wavfile as wav
from python_speech_features import fbank

CORPUS = os.environ["CORPUS"]
VOIZK = os.environ["VOIZK"]
rows = list(csv.DictReader(open(f"{CORPUS}/manifest.csv")))
speakers, paths, mf, fb, offs = [], [], [], [], [0]
for k, r in enumerate(rows):
    p = f"{CORPUS}/{r['path']}"
    out = subprocess.run([VOIZK, "-q", "--threads", "1", "mfcc", p], capture_output=True, text=True, check=True).stdout
    m = np.loadtxt(io.StringIO(out), delimiter=",", skiprows=1, ndmin=2)
    sr, sig = wav.read(p)
    assert sr == 16000
    f = np.log(fbank(sig.astype(np.float64), 16000, winlen=0.025, winstep=0.01, nfilt=26, nfft=512, preemph=0.97, winfunc=np.hamming)[0])
    if f.shape[0] != m.shape[0]:
        print("frame count mismatch", p, f.shape, m.shape, file=sys.stderr)
        n = min(f.shape[0], m.shape[0]); f = f[:n]; m = m[:n]
    speakers.append(r["speaker"]); paths.append(r["path"]); mf.append(m.astype(np.float32)); fb.append(f.astype(np.float32))
    offs.append(offs[-1] + m.shape[0])
    if k % 500 == 0:
        print(k, len(rows), file=sys.stderr, flush=True)
np.savez(os.path.join(os.environ["STUDY_DIR"], "feats.npz"), speakers=np.array(speakers), paths=np.array(paths), offsets=np.array(offs),
         mfcc=np.concatenate(mf), fbank=np.concatenate(fb))
print("done", len(rows), offs[-1])
