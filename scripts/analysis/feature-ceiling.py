#!/usr/bin/env python3
"""How much do the input features carry, whatever the model?

Reads the windows `rvtrain --dump-windows FILE` wrote (docs/training.md §6)
and trains a gradient-boosted tree classifier (scikit-learn) per frame on the
frame's features plus causal statistics of them (mean and standard deviation
over the last 0.25, 1 and 3 s of the window at 100 Hz). It is a second,
unrelated learner: when it cannot separate two classes from the same inputs
either, the limit is in the features (or the signal), not in the temporal
head or its training. Prints per-class recall and the confusion matrix on the
test windows (split 1; without any, a share of the streams).

    rvtrain --input csi --sim-sessions 80 --sim-duration 30 --sim-nodes 1 \\
            --test-sessions 30 --seq 2999 --stride 2999 --ctx-min 0 \\
            --map apnea=still --map lying=still --dump-windows w.rvtw
    scripts/analysis/feature-ceiling.py w.rvtw [--stats 25,100,300] [--every 5] [--dims 0-41] [--fuse]

Needs python3-numpy and python3-sklearn (apt-get install python3-sklearn);
maintainers' analysis only, nothing in the build or the tests uses it.
"""
import argparse
import struct
import sys

try:
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
except ImportError:
    sys.exit("feature-ceiling: needs numpy and scikit-learn "
             "(sudo apt-get install python3-sklearn)")


def load(path):
    with open(path, "rb") as f:
        b = f.read()
    if len(b) < 20 or b[:4] != b"RVTW":
        sys.exit(f"feature-ceiling: {path}: not an rvtrain window file (magic)")
    ver, dim, seq, ncls = struct.unpack_from("<4I", b, 4)
    if ver != 1:
        sys.exit(f"feature-ceiling: {path}: version {ver}, this script reads 1")
    off = 20
    names = [b[off + 32 * i: off + 32 * (i + 1)].split(b"\0")[0].decode()
             for i in range(ncls)]
    off += 32 * ncls
    (nwin,) = struct.unpack_from("<I", b, off)
    off += 4
    rec = 8 + 4 * seq * dim + 4 * seq
    if len(b) != off + nwin * rec:
        sys.exit(f"feature-ceiling: {path}: size {len(b)} does not match "
                 f"{nwin} windows of {seq} x {dim}")
    raw = np.frombuffer(b, np.uint8, nwin * rec, off).reshape(nwin, rec)
    head = raw[:, :8].copy().view("<u4")
    x = raw[:, 8:8 + 4 * seq * dim].copy().view("<f4").reshape(nwin, seq, dim)
    y = raw[:, 8 + 4 * seq * dim:].copy().view("<i4").reshape(nwin, seq)
    return names, head[:, 0], head[:, 1], x.astype(np.float64), y


def causal_stats(x, w):
    """Mean and std of each dim over the last w frames (inside the window)."""
    n, t, d = x.shape
    c1 = np.concatenate([np.zeros((n, 1, d)), np.cumsum(x, 1)], 1)
    c2 = np.concatenate([np.zeros((n, 1, d)), np.cumsum(x * x, 1)], 1)
    t1 = np.arange(t) + 1
    t0 = np.maximum(t1 - w, 0)
    cnt = (t1 - t0)[None, :, None]
    m = (c1[:, t1] - c1[:, t0]) / cnt
    v = (c2[:, t1] - c2[:, t0]) / cnt - m * m
    return m, np.sqrt(np.maximum(v, 0))


def frames(x, y, stats, every):
    parts = [x]
    for w in stats:
        parts += list(causal_stats(x, w))
    f = np.concatenate(parts, 2).reshape(-1, sum(p.shape[2] for p in parts))
    lab = y.reshape(-1)
    keep = np.flatnonzero(lab >= 0)[::every]
    return f[keep], lab[keep]


def fuse_sessions(src, split, x, y):
    """One window per session: the features of all its nodes side by side.

    Simulated streams are numbered session * 256 + node (rvtrain), and with
    one window per stream frame k of every node is the same moment of the
    same room; the labels are the room's, taken from the first node."""
    first = {}      # a stream one frame longer than --seq gives 2 windows
    for i, s in enumerate(src):
        first.setdefault((int(split[i]), int(s)), i)
    sessions = {}
    for (sp, s), i in first.items():
        sessions.setdefault((sp, s // 256), []).append(i)
    n = max(len(v) for v in sessions.values())
    keep = [sorted(v, key=lambda i: src[i]) for v in sessions.values()
            if len(v) == n]
    xs = np.stack([np.concatenate([x[i] for i in v], 1) for v in keep])
    ys = np.stack([y[v[0]] for v in keep])
    return (np.array([src[v[0]] for v in keep]),
            np.array([split[v[0]] for v in keep]), xs, ys)


def parse_dims(spec, dim):
    """'0-31,40,41' -> [0..31, 40, 41]; exits on a malformed or out-of-range list."""
    out = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi) if hi else int(lo)
        except ValueError:
            sys.exit(f"feature-ceiling: --dims: '{part}' is not N or N-M")
        if not 0 <= a <= b < dim:
            sys.exit(f"feature-ceiling: --dims: '{part}' is empty or outside 0..{dim - 1}")
        out += range(a, b + 1)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--stats", default="25,100,300",
                    help="causal statistic windows in frames (default 25,100,300)")
    ap.add_argument("--every", type=int, default=5,
                    help="use every N-th labelled frame (default 5)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dims", default="",
                    help="use only these feature dims, e.g. 0-41 or 0-31,40,41 "
                    "(default all)")
    ap.add_argument("--fuse", action="store_true",
                    help="one input row per session: all its nodes' features "
                    "side by side (needs --sim-nodes > 1 and one window per "
                    "stream)")
    a = ap.parse_args()
    stats = [int(s) for s in a.stats.split(",") if s]
    names, src, split, x, y = load(a.file)
    if a.dims:
        x = x[:, :, parse_dims(a.dims, x.shape[2])]
    if a.fuse:
        src, split, x, y = fuse_sessions(src, split, x, y)
    test = split == 1
    if not test.any():    # hold out whole streams
        test = (src * 2654435761 % 2 ** 32) % 5 == 0
    ftr, ytr = frames(x[~test], y[~test], stats, a.every)
    fte, yte = frames(x[test], y[test], stats, a.every)
    k = len(names)
    cnt = np.bincount(ytr, minlength=k)
    w = np.sqrt(cnt.max() / np.maximum(cnt, 1))
    clf = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1,
                                         random_state=a.seed)
    clf.fit(ftr, ytr, sample_weight=w[ytr])
    p = clf.predict(fte)
    print(f"{len(ytr)} training / {len(yte)} test frames, "
          f"{ftr.shape[1]} inputs per frame (stats over {stats} frames)")
    print(f"train accuracy {np.mean(clf.predict(ftr) == ytr):.4f}  "
          f"test accuracy {np.mean(p == yte):.4f}")
    cm = np.zeros((k, k), np.int64)
    np.add.at(cm, (yte, p), 1)
    print(f"{'class':<12}{'recall':>8}{'support':>9}")
    for i in range(k):
        s = cm[i].sum()
        print(f"{names[i]:<12}{(cm[i, i] / s if s else float('nan')):>8.3f}{s:>9}")
    print("confusion (rows true, columns predicted):")
    print(" " * 12 + "".join(f"{n[:7]:>8}" for n in names))
    for i in range(k):
        print(f"{names[i]:<12}" + "".join(f"{v:>8}" for v in cm[i]))


if __name__ == "__main__":
    main()
