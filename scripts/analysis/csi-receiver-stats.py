#!/usr/bin/env python3
"""Receiver statistics of CSI recordings: real (ESPectre .npz) or simulated
(rvsim .pcap of ADR-018 frames), one table row per file and node.

    scripts/analysis/csi-receiver-stats.py FILE... [--markdown]

Measured per stream, on the LLTF's informative subcarriers 1 <= |k| <= 26
(64-pair frames; other counts use every non-null pair):

  rate      packets per second (npz: packets / duration_ms; pcap: timestamps)
  jitter    std of the inter-packet interval / its mean (pcap only)
  nulls     subcarriers k whose pair is zero in >= 99 % of the packets
  noise     median over subcarriers of the temporal std of the relative
            amplitude r_k = A_k / mean_k A_k, in % of its mean (AGC removed)
  rho1      median lag-1 autocorrelation of r_k: 0 white noise, 1 slow drift
  dphase    median over frames of the rms change of the sanitised phase
            (unwrapped over the tones, least-squares line removed) from the
            previous frame, rad
  gain_sd   std of the frame's mean amplitude, dB (AGC + channel)
  jumps/s   frame-to-frame changes of that level above 1 dB, per second
  jump_db   median size of those changes, dB

Standard library only: .npz files are zip archives of .npy arrays, read
here directly (int8 csi_data of shape (packets, 2 * subcarriers), imaginary
first, with scalar chip, duration_ms and gain_locked entries).
"""
import argparse
import ast
import math
import statistics
import struct
import sys
import zipfile

RV_MAGIC_CSI = 0xC5110001


def fail(msg):
    sys.exit(f"csi-receiver-stats: {msg}")


def read_npy(raw, name):
    if raw[:6] != b"\x93NUMPY":
        fail(f"{name}: not a .npy array")
    major = raw[6]
    if major == 1:
        hlen, off = struct.unpack("<H", raw[8:10])[0], 10
    elif major in (2, 3):
        hlen, off = struct.unpack("<I", raw[8:12])[0], 12
    else:
        fail(f"{name}: .npy version {major} not understood")
    try:
        hdr = ast.literal_eval(raw[off:off + hlen].decode("latin1"))
    except (ValueError, SyntaxError):
        fail(f"{name}: malformed .npy header")
    if not isinstance(hdr, dict) or hdr.get("fortran_order"):
        fail(f"{name}: only C-order .npy arrays are read")
    return hdr["descr"], tuple(hdr["shape"]), raw[off + hlen:]


def npy_scalar(z, key, path):
    member = key + ".npy"
    if member not in z.namelist():
        return None
    descr, shape, data = read_npy(z.read(member), f"{path}:{member}")
    if shape != ():
        fail(f"{path}:{member}: expected a scalar")
    if descr.startswith("<U"):
        n = int(descr[2:])
        return data[:4 * n].decode("utf-32-le").rstrip("\0")
    fmt = {"<f8": "<d", "<i8": "<q", "|b1": "?", "<i4": "<i"}.get(descr)
    if not fmt:
        fail(f"{path}:{member}: type {descr} not understood")
    return struct.unpack(fmt, data[:struct.calcsize(fmt)])[0]


def load_npz(path):
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        fail(f"{path}: {e}")
    if "csi_data.npy" not in z.namelist():
        fail(f"{path}: no csi_data array")
    descr, shape, data = read_npy(z.read("csi_data.npy"), f"{path}:csi_data")
    if descr != "|i1" or len(shape) != 2 or shape[1] % 2:
        fail(f"{path}: csi_data must be int8 (packets, 2 * subcarriers)")
    n, w = shape
    if len(data) < n * w:
        fail(f"{path}: csi_data truncated")
    frames = [struct.unpack_from(f"{w}b", data, i * w) for i in range(n)]
    dur = npy_scalar(z, "duration_ms", path)
    meta = {
        "chip": npy_scalar(z, "chip", path) or "?",
        "label": npy_scalar(z, "label", path) or "?",
        "gain_locked": npy_scalar(z, "gain_locked", path),
        "rate": n / (dur / 1000.0) if dur else None,
        "jitter": None,
    }
    return [(meta, frames)]


def load_pcap(path):
    try:
        raw = open(path, "rb").read()
    except OSError as e:
        fail(f"{path}: {e}")
    if len(raw) < 24:
        fail(f"{path}: shorter than a pcap header")
    magic = struct.unpack("<I", raw[:4])[0]
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        fail(f"{path}: not a little-endian pcap file")
    tscale = 1e-6 if magic == 0xA1B2C3D4 else 1e-9
    if struct.unpack("<I", raw[20:24])[0] != 1:
        fail(f"{path}: link type is not Ethernet")
    nodes = {}
    off = 24
    while off + 16 <= len(raw):
        sec, frac, incl, _ = struct.unpack_from("<IIII", raw, off)
        off += 16
        pkt = raw[off:off + incl]
        off += incl
        # Ethernet II, IPv4, UDP
        if len(pkt) < 42 or pkt[12:14] != b"\x08\x00" or pkt[23] != 17:
            continue
        ihl = (pkt[14] & 0x0F) * 4
        pay = pkt[14 + ihl + 8:]
        if len(pay) < 20 or struct.unpack_from("<I", pay)[0] != RV_MAGIC_CSI:
            continue
        node, n_ant, n_sc = pay[4], pay[5], struct.unpack_from("<H", pay, 6)[0]
        if n_ant < 1 or len(pay) != 20 + 2 * n_ant * n_sc:
            continue
        iq = struct.unpack_from(f"{2 * n_sc}b", pay, 20)   # antenna 0
        nodes.setdefault(node, []).append((sec + frac * tscale, iq))
    if not nodes:
        fail(f"{path}: no raw CSI frames (0xC5110001) found")
    out = []
    for node, pk in sorted(nodes.items()):
        t = [p[0] for p in pk]
        dt = [b - a for a, b in zip(t, t[1:]) if b > a]
        span = t[-1] - t[0]
        mdt = statistics.fmean(dt) if dt else 0
        meta = {"chip": f"sim node {node}", "label": "?", "gain_locked": None,
                "rate": (len(t) - 1) / span if span > 0 else None,
                "jitter": statistics.pstdev(dt) / mdt if len(dt) > 1 and mdt > 0 else None}
        out.append((meta, [p[1] for p in pk]))
    return out


def lltf_k(p):
    return p if p < 32 else p - 64


def sanitised_phase(f, use, ks):
    """Phase over the used tones, unwrapped in frequency order, with the
    least-squares line over k removed (docs/features.md §2)."""
    ph, out = [math.atan2(f[2 * p], f[2 * p + 1]) for p in use], []
    acc, prev = 0.0, None
    for v in ph:
        if prev is not None:
            d = v - prev
            d -= 2 * math.pi * math.floor((d + math.pi) / (2 * math.pi))
            acc += d
        else:
            acc = v
        out.append(acc)
        prev = v
    mk, mp = statistics.fmean(ks), statistics.fmean(out)
    sxx = sum((k - mk) ** 2 for k in ks)
    a = sum((k - mk) * (p - mp) for k, p in zip(ks, out)) / sxx
    return [p - (mp + a * (k - mk)) for k, p in zip(ks, out)]


def stats(meta, frames):
    n_sc = len(frames[0]) // 2
    frames = [f for f in frames if len(f) == 2 * n_sc]
    amp = [[math.hypot(f[2 * p], f[2 * p + 1]) for p in range(n_sc)] for f in frames]
    zero = [sum(1 for a in amp if a[p] == 0) for p in range(n_sc)]
    null_p = [p for p in range(n_sc) if zero[p] >= 0.99 * len(amp)]
    if n_sc == 64:
        nulls = sorted(lltf_k(p) for p in null_p)
        use = [p for p in range(64) if 1 <= abs(lltf_k(p)) <= 26]
    else:
        nulls = null_p
        use = [p for p in range(n_sc) if p not in null_p]
    use = [p for p in use if zero[p] < 0.5 * len(amp)]
    level, rel = [], []
    for a in amp:
        m = statistics.fmean(a[p] for p in use)
        if m <= 0:
            continue
        level.append(20 * math.log10(m))
        rel.append([a[p] / m for p in use])
    noise, rho = [], []
    for j in range(len(use)):
        x = [r[j] for r in rel]
        mu = statistics.fmean(x)
        var = statistics.pvariance(x, mu)
        noise.append(100 * math.sqrt(var) / mu if mu > 0 else 0)
        if var > 0:
            c1 = sum((a - mu) * (b - mu) for a, b in zip(x, x[1:])) / (len(x) - 1)
            rho.append(c1 / var)
    order = sorted(use, key=lambda p: lltf_k(p) if n_sc == 64 else p)
    ks = [lltf_k(p) if n_sc == 64 else p for p in order]
    sp = [sanitised_phase(f, order, ks) for f in frames
          if all(f[2 * p] or f[2 * p + 1] for p in order)]
    dph = [math.sqrt(statistics.fmean(
        (((b - a) + math.pi) % (2 * math.pi) - math.pi) ** 2 for a, b in zip(x, y)))
        for x, y in zip(sp, sp[1:])]
    d = [b - a for a, b in zip(level, level[1:])]
    jumps = [abs(v) for v in d if abs(v) > 1.0]
    rate = meta["rate"]
    secs = len(level) / rate if rate else None
    return {
        "packets": len(frames), "n_sc": n_sc, "nulls": nulls,
        "noise": statistics.median(noise), "rho1": statistics.median(rho) if rho else 0,
        "dphase": statistics.median(dph) if dph else 0,
        "gain_sd": statistics.pstdev(level) if len(level) > 1 else 0,
        "jumps": len(jumps) / secs if secs else None,
        "jump_db": statistics.median(jumps) if jumps else 0,
    }


def fmt_nulls(nulls):
    """Runs of consecutive subcarriers as a-b."""
    out, i = [], 0
    while i < len(nulls):
        j = i
        while j + 1 < len(nulls) and nulls[j + 1] == nulls[j] + 1:
            j += 1
        out.append(str(nulls[i]) if i == j else f"{nulls[i]}..{nulls[j]}")
        i = j + 1
    return ",".join(out) or "-"


def summary_row(name, cols, rows):
    """name | streams | ranges of the numeric columns | distinct null patterns."""
    cells = [name, str(len(rows))]
    for i, c in enumerate(cols):
        if c in ("file", "chip", "label", "lock", "packets"):
            continue
        if c == "nulls":
            cells.append("; ".join(sorted(set(r[i] for r in rows))))
            continue
        v = [float(r[i]) for r in rows if r[i] != "-"]
        cells.append(f"{min(v):g}..{max(v):g}" if v else "-")
    return "| " + " | ".join(cells) + " |"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", help=".npz (ESPectre) or .pcap (rvsim)")
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    ap.add_argument("--summary", metavar="NAME",
                    help="one markdown row NAME with the min..max of every column over all streams")
    a = ap.parse_args()
    cols = ("file", "chip", "label", "lock", "packets", "rate", "jitter", "nulls",
            "noise%", "rho1", "dphase", "gain_sd", "jumps/s", "jump_db")
    rows = []
    for path in a.files:
        streams = load_npz(path) if path.endswith(".npz") else load_pcap(path)
        for meta, frames in streams:
            if not frames:
                continue
            s = stats(meta, frames)
            lock = meta["gain_locked"]
            rows.append((path.rsplit("/", 1)[-1], meta["chip"], meta["label"],
                         "-" if lock is None else ("yes" if lock else "no"),
                         str(s["packets"]),
                         f"{meta['rate']:.1f}" if meta["rate"] else "-",
                         f"{meta['jitter']:.2f}" if meta["jitter"] is not None else "-",
                         fmt_nulls(s["nulls"]), f"{s['noise']:.1f}", f"{s['rho1']:.2f}",
                         f"{s['dphase']:.3f}",
                         f"{s['gain_sd']:.2f}",
                         f"{s['jumps']:.2f}" if s["jumps"] is not None else "-",
                         f"{s['jump_db']:.1f}"))
    if a.summary:
        print(summary_row(a.summary, cols, rows))
    elif a.markdown:
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        w = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
        print("  ".join(c.ljust(w[i]) for i, c in enumerate(cols)))
        for r in rows:
            print("  ".join(v.ljust(w[i]) for i, v in enumerate(r)))


if __name__ == "__main__":
    main()
