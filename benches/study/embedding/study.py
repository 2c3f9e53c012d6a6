"""Speaker-held-out study of provable utterance embeddings (voizk, study 16).

Protocol = decision::fit / decision::eval of voizk (wideband only): voiced frames c0 >= 6; recordings without
voiced frames dropped; per speaker enroll the first 3 recordings, more until >= 150 voiced frames; template =
unit(mean of the enrollment recordings' projected vectors); single-recording trials = every recording outside the
template's enrollment (same fold only); 3-recording trials = a speaker's non-enrollment recordings 3 at a time in
manifest order, frames pooled, last short group dropped. Speakers sorted by name, fold = index mod 5, each fold
scored by a back-end (and codebook / UBM) fitted on the other four.

Usage: venv/bin/python study.py METHOD [METHOD ...]   (see METHODS at the bottom; results appended to results.jsonl)
"""
import os
import json, sys, time
import numpy as np
import scipy.sparse as sp
from scipy.linalg import eigh, cholesky, solve_triangular

VOICED = 6.0
FOLDS = 5
MIN_ENROLL = 150
ENROLL_N = 3
RNG_SEED = 16

# ---------------------------------------------------------------- data
D = np.load(os.path.join(os.environ["STUDY_DIR"], "feats.npz"))
spk_all = D["speakers"]
offs = D["offsets"]
MF = D["mfcc"].astype(np.float64)
FB = D["fbank"].astype(np.float64)
n_all = len(spk_all)
rec_of_frame = np.repeat(np.arange(n_all), np.diff(offs))
voiced = MF[:, 0] >= VOICED


def deltas(x, N=2):
    """HTK/python_speech_features deltas per recording (edge padding), linear in the frames."""
    out = np.zeros_like(x)
    den = 2 * sum(n * n for n in range(1, N + 1))
    for i in range(n_all):
        a, b = offs[i], offs[i + 1]
        seg = x[a:b]
        pad = np.pad(seg, ((N, N), (0, 0)), mode="edge")
        T = b - a
        out[a:b] = sum(n * (pad[N + n:N + n + T] - pad[N - n:N - n + T]) for n in range(1, N + 1)) / den
    return out


def fdiff(x):
    """forward first difference x[t+1] - x[t] per recording (0 on a recording's last frame): needs the next row only"""
    out = np.zeros_like(x)
    out[:-1] = x[1:] - x[:-1]
    out[offs[1:] - 1] = 0
    return out


nv_all = np.bincount(rec_of_frame[voiced], minlength=n_all)
keep = np.flatnonzero(nv_all > 0)  # recordings with voiced speech, manifest order
speakers = spk_all[keep]
n_rec = len(keep)
nv = nv_all[keep]
# voiced frames, with their recording index in 0..n_rec
remap = -np.ones(n_all, int)
remap[keep] = np.arange(n_rec)
vidx = np.flatnonzero(voiced)
frec = remap[rec_of_frame[vidx]]
assert (frec >= 0).all()
VM = MF[vidx]  # voiced MFCC c0..c12
VF = FB[vidx]  # voiced log-mel
_VD = None


def VD():
    global _VD
    if _VD is None:
        _VD = deltas(MF)[vidx]
    return _VD


R = sp.csr_matrix((np.ones(len(vidx)), (frec, np.arange(len(vidx)))), shape=(n_rec, len(vidx)))

names = sorted(set(speakers))
fold_of_spk = {s: i % FOLDS for i, s in enumerate(names)}
fold = np.array([fold_of_spk[s] for s in speakers])

# enrollment plan (order of first appearance) and trial groups
order = list(dict.fromkeys(speakers))
plan = {}
for s in order:
    idx = np.flatnonzero(speakers == s)
    chosen, fr = [], 0
    for i in idx:
        if len(chosen) >= ENROLL_N and fr >= MIN_ENROLL:
            break
        chosen.append(i)
        fr += nv[i]
    if fr >= MIN_ENROLL:
        plan[s] = chosen
enrolled = set(i for c in plan.values() for i in c)
groups3 = []
for s in order:
    rest = [i for i in np.flatnonzero(speakers == s) if i not in enrolled]
    groups3 += [rest[k:k + 3] for k in range(0, len(rest) - 2, 3)]
G3 = sp.csr_matrix((np.ones(3 * len(groups3)), (np.repeat(np.arange(len(groups3)), 3), np.array(groups3).ravel())),
                   shape=(len(groups3), n_rec))
g3_spk = speakers[[g[0] for g in groups3]]
g3_fold = fold[[g[0] for g in groups3]]
# pooled-frame enrollment (variant): one unit per template
tmpl_spk = [s for s in order if s in plan]
EP = sp.csr_matrix((np.ones(sum(len(plan[s]) for s in tmpl_spk)),
                    (np.concatenate([[k] * len(plan[s]) for k, s in enumerate(tmpl_spk)]),
                     np.concatenate([plan[s] for s in tmpl_spk]))), shape=(len(tmpl_spk), n_rec))


# ---------------------------------------------------------------- sufficient statistics -> raw features
def moment_stats(Y):
    """[n, sum y, sum y^2] per recording."""
    return np.hstack([np.asarray(R.sum(axis=1)), R @ Y, R @ (Y * Y)])


def moment_feats(S, d, skip_mean0=False):
    n = S[:, :1]
    m = S[:, 1:1 + d] / n
    v = np.maximum(S[:, 1 + d:1 + 2 * d] / n - m * m, 0)
    mean = m[:, 1:] if skip_mean0 else m
    return np.hstack([mean, np.sqrt(v)])


def cov_stats(Y):
    d = Y.shape[1]
    iu = np.triu_indices(d)
    P = (Y[:, :, None] * Y[:, None, :])[:, iu[0], iu[1]]
    return np.hstack([np.asarray(R.sum(axis=1)), R @ Y, R @ P])


def cov_feats(S, d, kind):
    iu = np.triu_indices(d)
    n = S[:, :1]
    m = S[:, 1:1 + d] / n
    P = S[:, 1 + d:] / n
    C = P - m[:, iu[0]] * m[:, iu[1]]
    if kind == "corr":  # correlations off the diagonal, std on it
        sd = np.sqrt(np.maximum(C[:, iu[0] == iu[1]], 1e-9))
        C = C / (sd[:, iu[0]] * sd[:, iu[1]])
        C[:, iu[0] == iu[1]] = sd
    return np.hstack([m[:, 1:], C])


def kmeans(X, C, iters=25, seed=RNG_SEED):
    rng = np.random.default_rng(seed)
    M = X[rng.choice(len(X), C, replace=False)].copy()
    for _ in range(iters):
        a = assign(X, M)
        for c in range(C):
            sel = a == c
            M[c] = X[sel].mean(0) if sel.any() else X[rng.integers(len(X))]
    return M


def assign(X, M):
    # argmin_c ||x - m_c||^2 = argmin_c (||m_c||^2 - 2 m_c . x): linear in x, provable by comparisons
    out = np.empty(len(X), int)
    for a in range(0, len(X), 200000):
        out[a:a + 200000] = np.argmin((M * M).sum(1)[None] - 2 * X[a:a + 200000] @ M.T, axis=1)
    return out


def gmm_fit(X, C, iters=15, seed=RNG_SEED):
    M = kmeans(X, C, iters=10, seed=seed)
    a = assign(X, M)
    V = np.array([X[a == c].var(0) + 1e-2 if (a == c).sum() > 1 else X.var(0) for c in range(C)])
    w = np.bincount(a, minlength=C) / len(X) + 1e-6
    w /= w.sum()
    for _ in range(iters):
        G = gmm_post(X, w, M, V)
        n = G.sum(0) + 1e-9
        M = (G.T @ X) / n[:, None]
        V = np.maximum((G.T @ (X * X)) / n[:, None] - M * M, 1e-3 * X.var(0))
        w = n / n.sum()
    return w, M, V


def gmm_post(X, w, M, V):
    out = np.empty((len(X), len(w)))
    for a in range(0, len(X), 100000):
        x = X[a:a + 100000]
        ll = (np.log(w) - 0.5 * np.log(2 * np.pi * V).sum(1))[None] - 0.5 * (
            (x * x) @ (1 / V).T - 2 * x @ (M / V).T + ((M * M) / V).sum(1)[None])
        ll -= ll.max(1, keepdims=True)
        p = np.exp(ll)
        out[a:a + 100000] = p / p.sum(1, keepdims=True)
    return out


def occupancy_stats(Y, G, M):
    """per recording: n_c = sum_t g_tc, F_c = sum_t g_tc (y_t - m_c) (G dense or hard labels)."""
    C, d = M.shape
    if G.ndim == 1:  # hard labels
        key = frec * C + G
        n = np.bincount(key, minlength=n_rec * C).reshape(n_rec, C).astype(float)
        F = np.zeros((n_rec * C, d))
        np.add.at(F, key, Y - M[G])
        return np.hstack([n, F.reshape(n_rec, C * d)])
    n = R @ G
    F = np.zeros((n_rec, C * d))
    for c in range(C):
        F[:, c * d:(c + 1) * d] = R @ (G[:, c:c + 1] * (Y - M[c]))
    return np.hstack([n, F])


def sv_feats(S, C, d, kind, w=None, V=None, r=16.0):
    n = S[:, :C]
    F = S[:, C:].reshape(len(S), C, d)
    N = n.sum(1, keepdims=True)
    if kind == "occ":
        return n / N
    if kind == "svN":  # sum (x - m_c) / N over frames of c, plus occupancies
        return np.hstack([n / N, (F / N[:, :, None]).reshape(len(S), -1)])
    if kind == "map":  # MAP mean offsets (relevance r), scaled by sqrt(w_c) / sigma_c
        off = F / (n[:, :, None] + r)
        if V is not None:
            off = off * (np.sqrt(w)[:, None] / np.sqrt(V))[None]
        return off.reshape(len(S), -1)
    raise ValueError(kind)


# ---------------------------------------------------------------- back-ends
def wccn(Z, spk, reg=1e-3):
    d = Z.shape[1]
    Sw = np.zeros((d, d))
    k = 0
    for s in np.unique(spk):
        z = Z[spk == s]
        if len(z) < 2:
            continue
        z = z - z.mean(0)
        Sw += z.T @ z / len(z)
        k += 1
    Sw /= k
    Sw += reg * np.trace(Sw) / d * np.eye(d)
    L = cholesky(Sw, lower=True)
    return solve_triangular(L, np.eye(d), lower=True)  # W = L^-1


def lda(Z, spk, k, reg=1e-3):
    d = Z.shape[1]
    us = np.unique(spk)
    mus = np.array([Z[spk == s].mean(0) for s in us])
    Sb = np.cov(mus.T, bias=True)
    Sw = np.zeros((d, d))
    for s, m in zip(us, mus):
        z = Z[spk == s] - m
        Sw += z.T @ z / max(len(z), 1)
    Sw /= len(us)
    Sw += reg * np.trace(Sw) / d * np.eye(d)
    ev, V = eigh(Sb, Sw)
    return V[:, ::-1][:, :k].T  # rows = projection


def backend_fit(X, spk, be):
    """be: 'wccn' | 'lda:K' | 'pca:P+lda:K' | 'none'. Returns (mu, sd, P) with z = P (x - mu) / sd."""
    mu, sd = X.mean(0), X.std(0) + 1e-12
    Z = (X - mu) / sd
    P = np.eye(X.shape[1])
    for step in be.split("+"):
        Zp = Z @ P.T
        if step.startswith("wccn"):
            P = wccn(Zp, spk, float(step[5:]) if ":" in step else 1e-3) @ P
        elif step.startswith("pca:"):
            p = int(step[4:])
            c = Zp - Zp.mean(0)
            _, _, Vt = np.linalg.svd(c, full_matrices=False)
            P = Vt[:p] @ P
        elif step.startswith("lda:"):
            P = lda(Zp, spk, int(step[4:])) @ P
        elif step == "none":
            pass
        else:
            raise ValueError(step)
    return mu, sd, P


def unit(Z):
    return Z / np.linalg.norm(Z, axis=1, keepdims=True)


# ---------------------------------------------------------------- metrics
def rates(gen, imp):
    gen, imp = np.asarray(gen), np.asarray(imp)
    s = np.concatenate([gen, imp])
    lab = np.concatenate([np.ones(len(gen)), np.zeros(len(imp))])
    o = np.argsort(-s, kind="stable")
    s, lab = s[o], lab[o]
    # accept if score >= t; sweep thresholds at each distinct score
    ta = np.cumsum(lab)
    fa = np.cumsum(1 - lab)
    last = np.r_[s[1:] != s[:-1], True]
    far = fa[last] / len(imp)
    frr = 1 - ta[last] / len(gen)
    i = np.argmin(np.abs(far - frr))
    eer = (far[i] + frr[i]) / 2
    out = {"eer": eer, "n_gen": len(gen), "n_imp": len(imp)}
    for target in (0.01, 0.02):
        ok = far <= target
        out[f"frr@far{int(target * 100)}"] = frr[ok].min() if ok.any() else 1.0
        out[f"far@far{int(target * 100)}"] = far[ok][np.argmin(frr[ok])] if ok.any() else 0.0
    return out


def threshold_for_far(imp, target):
    """lowest threshold (accept score >= t) accepting at most target of imp"""
    imp = np.sort(np.asarray(imp))[::-1]
    k = int(np.floor(target * len(imp)))
    return np.nextafter(imp[k], np.inf) if k < len(imp) else -np.inf


def nested(gen, imp, fg, fi, target):
    """each fold counted at a threshold calibrated (FAR <= target) on the other folds' impostor scores only"""
    gen, imp, fg, fi = map(np.asarray, (gen, imp, fg, fi))
    fa = fr = 0
    for f in range(FOLDS):
        t = threshold_for_far(imp[fi != f], target)
        fa += (imp[fi == f] >= t).sum(); fr += (gen[fg == f] < t).sum()
    return [fa / len(imp), fr / len(gen)]


# ---------------------------------------------------------------- evaluation
def evaluate(stats_fn, feat_fn, be, pooled_enroll=False, label="", snorm=False):
    """stats_fn(train_mask_rec) -> (S per recording, ctx); feat_fn(S, ctx) -> raw X. Fitted per fold."""
    t0 = time.time()
    res = {"1": ([], []), "3": ([], [])}
    fid = {"1": ([], []), "3": ([], [])}
    for f in range(FOLDS):
        tr = fold != f
        S, ctx = stats_fn(tr)
        X = feat_fn(S, ctx)
        mu, sd, P = backend_fit(X[tr], speakers[tr], be)
        proj = lambda Xs: ((Xs - mu) / sd) @ P.T
        Zr = proj(X)
        te_t = [k for k, s in enumerate(tmpl_spk) if fold_of_spk[s] == f]
        if pooled_enroll:
            T = unit(proj(feat_fn(EP[te_t] @ S, ctx)))
        else:
            T = unit(np.array([Zr[plan[tmpl_spk[k]]].mean(0) for k in te_t]))
        te = np.flatnonzero(fold == f)
        U = unit(Zr[te])
        sc = U @ T.T
        if snorm:  # symmetric score normalisation against the training speakers' mean vectors (public cohort)
            trs = np.unique(speakers[tr])
            K = unit(np.array([Zr[tr & (speakers == s)].mean(0) for s in trs]))
            def norm(sc, U):
                a, b = U @ K.T, T @ K.T
                return 0.5 * ((sc - a.mean(1)[:, None]) / a.std(1)[:, None] + (sc - b.mean(1)[None]) / b.std(1)[None])
            sc = norm(sc, U)
        for j, k in enumerate(te_t):
            s = tmpl_spk[k]
            mask = ~np.isin(te, plan[s])
            g = speakers[te] == s
            res["1"][0].extend(sc[mask & g, j]); res["1"][1].extend(sc[mask & ~g, j])
            fid["1"][0].extend([f] * int((mask & g).sum())); fid["1"][1].extend([f] * int((mask & ~g).sum()))
        gi = np.flatnonzero(g3_fold == f)
        U3 = unit(proj(feat_fn(G3[gi] @ S, ctx)))
        sc3 = U3 @ T.T
        if snorm:
            sc3 = norm(sc3, U3)
        for j, k in enumerate(te_t):
            g = g3_spk[gi] == tmpl_spk[k]
            res["3"][0].extend(sc3[g, j]); res["3"][1].extend(sc3[~g, j])
            fid["3"][0].extend([f] * int(g.sum())); fid["3"][1].extend([f] * int((~g).sum()))
    out = {"method": label + (" +snorm" if snorm else ""), "backend": be, "pooled_enroll": pooled_enroll, "secs": round(time.time() - t0, 1)}
    for k in ("1", "3"):
        for m, v in rates(*res[k]).items():
            out[f"{k}:{m}"] = v
        for target in (0.01, 0.02):
            out[f"{k}:nested{int(target * 100)}"] = nested(*res[k], *fid[k], target)
    print(fmt(out), flush=True)
    with open(os.path.join(os.environ["STUDY_DIR"], "results.jsonl"), "a") as fh:
        fh.write(json.dumps(out, default=float) + "\n")
    return out


def fmt(o):
    return (f"{o['method']:<34} {o['backend']:<22} pe={int(o['pooled_enroll'])} | 1rec EER {100 * o['1:eer']:5.2f} "
            f"FRR@1 {100 * o['1:frr@far1']:5.1f} FRR@2 {100 * o['1:frr@far2']:5.1f} ({o['1:n_gen']}/{o['1:n_imp']}) | "
            f"3rec EER {100 * o['3:eer']:5.2f} FRR@1 {100 * o['3:frr@far1']:5.1f} FRR@2 {100 * o['3:frr@far2']:5.1f} "
            f"({o['3:n_gen']}/{o['3:n_imp']}) nested@2 1rec {100*o['1:nested2'][0]:.2f}/{100*o['1:nested2'][1]:.1f} 3rec {100*o['3:nested2'][0]:.2f}/{100*o['3:nested2'][1]:.1f} [{o['secs']}s]")


# ---------------------------------------------------------------- methods
def fixed(S):
    return lambda tr: (S, None)


_cache = {}


def cached(key, fn):
    if key not in _cache:
        _cache[key] = fn()
    return _cache[key]


def base_stats():
    return cached("base", lambda: moment_stats(VM))


def run_baseline(be="wccn", pe=False):
    evaluate(fixed(base_stats()), lambda S, c: moment_feats(S, 13, skip_mean0=True), be, pe, "baseline (25: mean c1-12, sd c0-12)")


def run_mel(be="wccn"):
    S = cached("mel", lambda: moment_stats(VF))
    evaluate(fixed(S), lambda S, c: moment_feats(S, 26), be, False, "mel (52: mean+sd of 26 log-mel)")
    Sb = base_stats()
    SS = np.hstack([Sb, S])
    evaluate(fixed(SS), lambda S, c: np.hstack([moment_feats(S[:, :27], 13, True), moment_feats(S[:, 27:], 26)]), be,
             False, "mel+cep (77)")


def melcep_stats():
    return np.hstack([base_stats(), cached("mel", lambda: moment_stats(VF))])


def melcep_feats(S, c=None):
    return np.hstack([moment_feats(S[:, :27], 13, True), moment_feats(S[:, 27:80], 26)])


def run_delta(be="wccn"):
    Sb = base_stats()
    Sd = cached("delta", lambda: moment_stats(VD()))
    SS = np.hstack([Sb, Sd])
    evaluate(fixed(SS), lambda S, c: np.hstack([moment_feats(S[:, :27], 13, True), moment_feats(S[:, 27:], 13)[:, 13:]]),
             be, False, "baseline+sd(delta) (38)")
    Y = np.hstack([VM, VD()])
    Sdd = cached("dd", lambda: moment_stats(Y))
    evaluate(fixed(Sdd), lambda S, c: moment_feats(S, 26, True), be, False, "baseline+mean,sd(delta) (51)")


def run_cov(be="wccn"):
    S = cached("cov", lambda: cov_stats(VM))
    for kind in ("cov", "corr"):
        evaluate(fixed(S), lambda S, c, k=kind: cov_feats(S, 13, k), be, False, f"full {kind} c0-12 (12+91=103)")


def vq_stats_fn(C, use_c0=False, soft=False, sub=150000, scaled=True, feats="mfcc"):
    """codebook (k-means, or diagonal GMM if soft) on the training folds' voiced frames (c1..c12 [+c0]),
    each dimension divided by its training-frame std if scaled (a fixed public diagonal scaling)."""
    Y0 = {"mfcc": VM if use_c0 else VM[:, 1:], "mel": VF}[feats]

    def fn(tr):
        key = ("vq", C, use_c0, soft, scaled, feats, tuple(tr))
        def make():
            trf = np.flatnonzero(tr[frec])
            Y = Y0 / Y0[trf].std(0) if scaled else Y0
            rng = np.random.default_rng(RNG_SEED)
            sample = Y[rng.choice(trf, min(sub, len(trf)), replace=False)]
            if soft:
                w, M, V = gmm_fit(sample, C)
                G = gmm_post(Y, w, M, V)
            else:
                M = kmeans(sample, C)
                V = np.array([sample[assign(sample, M) == c].var(0) + 1e-3 for c in range(C)])
                w = np.bincount(assign(sample, M), minlength=C) / len(sample)
                G = assign(Y, M)
            S = occupancy_stats(Y, G, M)
            return np.hstack([base_stats(), S]), {"C": C, "d": Y.shape[1], "w": w, "V": V}
        return cached(key, make)
    return fn


def vq_feats(kind, with_base):
    def fn(S, ctx):
        X = sv_feats(S[:, 27:], ctx["C"], ctx["d"], kind, ctx["w"], ctx["V"])
        if with_base:
            X = np.hstack([moment_feats(S[:, :27], 13, True), X])
        return X
    return fn


def best_stats(diff=deltas):
    """mel+cep+sd(delta c)+sd(delta mel): [base 27 | mel 53 | delta c 27 | delta mel 53]"""
    key = ("best", diff.__name__)
    return cached(key, lambda: np.hstack([melcep_stats(), moment_stats(diff(MF)[vidx]), moment_stats(diff(FB)[vidx])]))


def best_feats(S, c=None):
    return np.hstack([melcep_feats(S), moment_feats(S[:, 80:107], 13)[:, 13:], moment_feats(S[:, 107:160], 26)[:, 26:]])


METHODS = {}
if __name__ == "__main__":
    print(f"{n_rec} recordings with voiced frames (of {n_all}), {len(names)} speakers, {len(plan)} templates, "
          f"{len(groups3)} 3-groups, {len(vidx)} voiced frames", flush=True)
    for arg in sys.argv[1:]:
        exec(arg)
