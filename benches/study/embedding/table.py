"""Regenerates the report's table: every row below, held out over 5 speaker folds, into results_final.jsonl and
table.md. Usage: venv/bin/python table.py"""
import os
import json
import numpy as np
import study as st
from study import evaluate, fixed, cached, moment_stats, moment_feats, base_stats, melcep_stats, melcep_feats, \
    best_stats, best_feats, fdiff, vq_stats_fn, vq_feats, cov_stats, cov_feats, VF, VD

rows = []
def ev(*a, **k):
    rows.append(evaluate(*a, **k))

base_f = lambda S, c: moment_feats(S, 13, skip_mean0=True)
mel_S = cached("mel", lambda: moment_stats(VF))
mel_f = lambda S, c: moment_feats(S, 26)
# baseline
ev(fixed(base_stats()), base_f, "wccn", False, "baseline (25)")
ev(fixed(base_stats()), base_f, "wccn", True, "baseline (25)")
ev(fixed(base_stats()), base_f, "wccn:0.3", False, "baseline (25)")
ev(fixed(base_stats()), base_f, "wccn:0.3", False, "baseline (25)", snorm=True)
# a. log-mel moments
for sn in (False, True):
    ev(fixed(mel_S), mel_f, "wccn:0.3", False, "a. mel mean+sd (52)", snorm=sn)
    ev(fixed(melcep_stats()), melcep_feats, "wccn:0.3", False, "a. mel+cep (77)", snorm=sn)
# b. VQ hard assignment
for C in (8, 16, 32, 64):
    fn = vq_stats_fn(C)
    ev(fn, vq_feats("svN", False), "wccn:0.3", False, f"b. VQ{C} occ+sum(x-m_c)/N ({C * 13})")
    ev(fn, vq_feats("map", False), "wccn:1", False, f"b. VQ{C} hard-MAP offsets r=16 ({C * 12})")
    ev(fn, vq_feats("map", True), "wccn:1", False, f"b. VQ{C} hard-MAP + baseline ({C * 12 + 25})")
fn = vq_stats_fn(32)
ev(fn, vq_feats("occ", False), "wccn:1", False, "b. VQ32 occupancy only (32)")
ev(fn, vq_feats("map", True), "lda:39+wccn", False, "b. VQ32 hard-MAP + baseline (409)")
ev(fn, vq_feats("map", True), "pca:200+lda:30+wccn", False, "b. VQ32 hard-MAP + baseline (409)")
ev(fn, vq_feats("map", True), "wccn:1", False, "b. VQ32 hard-MAP + baseline (409)", snorm=True)
# c. GMM-UBM soft MAP (upper bound)
for C in (16, 32, 64):
    fn = vq_stats_fn(C, soft=True)
    ev(fn, vq_feats("map", False), "wccn:1", False, f"c. GMM{C} soft MAP offsets r=16 ({C * 12})")
    ev(fn, vq_feats("map", True), "wccn:1", False, f"c. GMM{C} soft MAP + baseline ({C * 12 + 25})")
ev(vq_stats_fn(32, soft=True), vq_feats("map", True), "wccn:1", False, "c. GMM32 soft MAP + baseline (409)", snorm=True)
# d. others
S = cached("cov", lambda: cov_stats(st.VM))
ev(fixed(S), lambda S, c: cov_feats(S, 13, "corr"), "wccn:0.3", False, "d. full corr/sd c0-12 + means (103)")
Sd = np.hstack([base_stats(), cached("d", lambda: moment_stats(VD()))])
ev(fixed(Sd), lambda S, c: np.hstack([base_f(S[:, :27], c), moment_feats(S[:, 27:], 13)[:, 13:]]), "wccn:0.3", False,
   "d. baseline + sd(delta c) (38)")
for reg in ("wccn:0.1", "wccn:0.3"):
    for sn in (False, True):
        ev(fixed(best_stats()), best_feats, reg, False, "d. BEST mel+cep+sd(d c)+sd(d mel) (116)", snorm=sn)
    ev(fixed(best_stats()), best_feats, reg, True, "d. BEST mel+cep+sd(d c)+sd(d mel) (116)", snorm=True)
ev(fixed(best_stats(fdiff)), best_feats, "wccn:0.3", False, "d. same, forward differences (116)", snorm=True)
ev(fixed(best_stats()), best_feats, "lda:30+wccn:0.3", False, "d. BEST (116) LDA 30", snorm=True)

def pct(v): return f"{100 * v:.2f}"
with open(os.path.join(os.environ["STUDY_DIR"], "table.md"), "w") as fh:
    fh.write("| embedding (dims) | back-end | score norm | enroll | 1-rec EER % | FRR@FAR1 % | FRR@FAR2 % | nested FAR/FRR @2% | "
             "3-rec EER % | FRR@FAR1 % | FRR@FAR2 % | nested FAR/FRR @2% |\n|" + "---|" * 12 + "\n")
    for o in rows:
        m = o["method"].replace(" +snorm", "")
        fh.write(f"| {m} | {o['backend']} | {'S-norm' if o['method'].endswith('+snorm') else '-'} | "
                 f"{'pooled frames' if o['pooled_enroll'] else 'mean of z'} | "
                 f"{pct(o['1:eer'])} | {100 * o['1:frr@far1']:.1f} | {100 * o['1:frr@far2']:.1f} | "
                 f"{pct(o['1:nested2'][0])} / {100 * o['1:nested2'][1]:.1f} | "
                 f"{pct(o['3:eer'])} | {100 * o['3:frr@far1']:.1f} | {100 * o['3:frr@far2']:.1f} | "
                 f"{pct(o['3:nested2'][0])} / {100 * o['3:nested2'][1]:.1f} |\n")
with open(os.path.join(os.environ["STUDY_DIR"], "results_final.jsonl"), "w") as fh:
    for o in rows:
        fh.write(json.dumps(o, default=float) + "\n")
