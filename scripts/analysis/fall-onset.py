#!/usr/bin/env python3
"""How much does the CSI change in the first frames of a fall?

Reads an rvsim capture (one node, raw CSI frames) and its label file and
prints the frame-to-frame change of the subcarrier amplitudes (root mean
square over subcarriers, in int8 steps) at each frame around the start of
every labelled fall (median over the falls), and the same over frames of
still / lying people. Run it on the same seed with and without
--ideal-receiver to see a fall's first frames against the receiver noise
(docs/training.md §4, the ceiling on fall recall).

    rvsim --scenario fall --seed 962000 --duration 1200 --pcap f.pcap --labels f.jsonl
    scripts/analysis/fall-onset.py f.pcap f.jsonl [--rate 100]

Maintainers' analysis; needs python3-numpy.
"""
import argparse
import struct
import sys

import rvlabels

try:
    import numpy as np
except ImportError:
    sys.exit("fall-onset: needs numpy (sudo apt-get install python3-numpy)")

CSI_MAGIC = 0xC5110001
ETH_IP_UDP = 42       # rvsim writes Ethernet + IPv4 (no options) + UDP


def amplitudes(path):
    """{sequence: amplitude per subcarrier} of node 1's raw CSI frames."""
    try:
        with open(path, "rb") as f:
            b = f.read()
    except OSError as e:
        sys.exit(f"fall-onset: {path}: {e.strerror}")
    if len(b) < 24 or struct.unpack_from("<I", b, 0)[0] != 0xA1B2C3D4:
        sys.exit(f"fall-onset: {path}: not a little-endian classic pcap")
    out, off = {}, 24
    while off + 16 <= len(b):
        incl = struct.unpack_from("<I", b, off + 8)[0]
        p = b[off + 16 + ETH_IP_UDP: off + 16 + incl]
        off += 16 + incl
        if len(p) < 20 or struct.unpack_from("<I", p, 0)[0] != CSI_MAGIC or p[4] != 1:
            continue
        n = struct.unpack_from("<H", p, 6)[0] * p[5]
        if len(p) < 20 + 2 * n:
            continue
        iq = np.frombuffer(p, np.int8, 2 * n, 20).astype(float)
        out[struct.unpack_from("<I", p, 12)[0]] = np.hypot(iq[0::2], iq[1::2])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pcap")
    ap.add_argument("labels")
    ap.add_argument("--rate", type=float, default=100.0, help="CSI frames per second")
    a = ap.parse_args()
    amp = amplitudes(a.pcap)
    _, segments = rvlabels.read(a.labels, "fall-onset")
    segs = [(s, e, act) for node, _, s, e, act in segments if node == 1]

    def change(k):
        if k in amp and k - 1 in amp and len(amp[k]) == len(amp[k - 1]):
            return float(np.sqrt(np.mean((amp[k] - amp[k - 1]) ** 2)))
        return None

    starts = [int(np.ceil(s * a.rate)) for s, e, act in segs if act == "fall"]
    if not starts or not amp:
        sys.exit("fall-onset: no falls or no CSI frames of node 1")
    print(f"{len(starts)} falls; amplitude change per frame (rms over subcarriers, int8 steps)")
    for j in range(-2, 6):
        v = [c for c in (change(k + j) for k in starts) if c is not None]
        print(f"  fall frame {j:+d}: median {np.median(v):.3f}")
    calm = [change(k) for s, e, act in segs if act in ("still", "lying")
            for k in range(int(s * a.rate) + 50, int(e * a.rate) - 50, 7)]
    calm = [c for c in calm if c is not None]
    if calm:
        print(f"  still / lying frames: median {np.median(calm):.3f}, "
              f"90th percentile {np.percentile(calm, 90):.3f}")


if __name__ == "__main__":
    main()
