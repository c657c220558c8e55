#!/usr/bin/python3
"""What the CSI model decides on the real recordings, per chip.

    scripts/analysis/real-model-eval.py [--build DIR] [--model FILE.rvne]...

For every session of tests/data/real/espectre/sessions.tsv (a chip's quiet
baseline and its movement recording, back to back as one stream, converted
by rvconvert) the default pipeline

    filesrc ! pcapparse ! rvcsiparse ! rvtemporalhead ! rvclassify ! fakesink

runs with each given model (default: the built-in one; rvclassify's motion
gate off unless --motion-gate, so the rows show the model's own view) and rvclassify's
decision-change messages are mapped back onto the packets by time (the
message's running time against the packet's time; the stream starts at 0). Per chip, both sessions pooled, after a warm-up of 2 s of stream
time at the start of each stream:

  quiet->motion  % of quiet packets whose decision is a motion class
                 (walking, sit_down, stand_up, fall, wave, push_pull, circle)
  move->motion   % of movement packets whose decision is a motion class
  quiet changes  decision changes during the quiet part, per session
  top quiet      the decision held longest on the quiet part

The recordings carry no RSSI or noise floor; the frames get --rssi (default
-50 dBm) and -95 dBm, typical of the simulator and of indoor nodes.

No chip's recordings were used to train the shipped models, so every row is
a chip the model did not train on (leave-one-chip-out holds trivially).
Needs Debian's python3-gi and gstreamer1.0 GObject introspection (the
plugin's own test dependencies) and a build with rvconvert and the plugin.
"""
import argparse
import collections
import json
import os
import struct
import subprocess
import sys
import tempfile

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

MOTION = {"walking", "sit_down", "stand_up", "fall", "wave", "push_pull", "circle"}
WARMUP_S = 2.0
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data", "real", "espectre")


def fail(msg):
    sys.exit(f"real-model-eval: {msg}")


def sessions():
    path = os.path.join(DATA, "sessions.tsv")
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        fail(f"{path}: {e}")
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            fail(f"{path}:{n}: expected chip, baseline, movement separated by tabs")
        out.append(parts)
    return out


def convert(build, files, tmp, tag):
    pcap, truth = os.path.join(tmp, tag + ".pcap"), os.path.join(tmp, tag + ".jsonl")
    cmd = [os.path.join(build, "src", "tools", "rvconvert"), "-q", "-o", pcap, "-t", truth]
    r = subprocess.run(cmd + [os.path.join(DATA, f) for f in files], capture_output=True, text=True)
    if r.returncode:
        fail(f"rvconvert: {r.stderr.strip()}")
    rows = []
    for n, line in enumerate(open(truth, encoding="utf-8"), 1):
        try:
            o = json.loads(line)
            rows.append((o["seq"], o["t"], o["label"]))
        except (ValueError, KeyError) as e:
            fail(f"{truth}:{n}: {e}")
    return pcap, rows


def set_rssi(pcap, rssi, noise_floor):
    """Write RSSI and noise floor into every raw CSI frame of a pcap in place.
    The recordings carry neither, so rvconvert leaves both 0 dBm, a level
    no receiver reports and no model was trained on (features 28, 29)."""
    raw = bytearray(open(pcap, "rb").read())
    off = 24
    while off + 16 <= len(raw):
        incl = struct.unpack_from("<I", raw, off + 8)[0]
        pkt = off + 16
        ihl = (raw[pkt + 14] & 0x0F) * 4
        pay = pkt + 14 + ihl + 8
        if struct.unpack_from("<I", raw, pay)[0] == 0xC5110001:
            raw[pay + 16] = rssi & 0xFF
            raw[pay + 17] = noise_floor & 0xFF
            raw[pkt + 14 + ihl + 6:pkt + 14 + ihl + 8] = b"\0\0"   # no UDP checksum
        off = pkt + incl
    open(pcap, "wb").write(raw)


def decisions(pcap, model, gate):
    """[(seconds, label)] of rvclassify's decision changes on one pcap;
    "unknown"/"offline" (no decision) map to None."""
    m = f" model={model}" if model else ""
    desc = (f"filesrc location={pcap} ! pcapparse ! rvcsiparse ! rvtemporalhead{m} ! "
            f"rvclassify{m} motion-gate={'true' if gate else 'false'} ! fakesink")
    p = Gst.parse_launch(desc)
    bus = p.get_bus()
    p.set_state(Gst.State.PLAYING)
    out = []
    while True:
        msg = bus.timed_pop_filtered(Gst.CLOCK_TIME_NONE, Gst.MessageType.ELEMENT |
                                     Gst.MessageType.EOS | Gst.MessageType.ERROR)
        if msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            p.set_state(Gst.State.NULL)
            fail(f"pipeline: {err.message} ({dbg})")
        if msg.type == Gst.MessageType.EOS:
            break
        s = msg.get_structure()
        if s and s.get_name() == "rvclassify":
            label = s.get_value("label")
            out.append((s.get_value("timestamp") / 1e9,
                         None if s.get_value("label-index") < 0 else label))
    p.set_state(Gst.State.NULL)
    return out


def score(rows, changes):
    """Per-packet decisions from the change list, after the warm-up."""
    t0 = rows[0][1]
    i, cur = 0, None
    res = {"quiet": 0, "quiet_motion": 0, "move": 0, "move_motion": 0, "quiet_changes": 0}
    held = collections.Counter()
    prev = None
    for _seq, t, label in rows:
        while i < len(changes) and changes[i][0] <= t - t0 + 1e-6:
            cur = changes[i][1]
            i += 1
        if t - t0 < WARMUP_S:
            prev = cur
            continue
        if label == "quiet":
            res["quiet"] += 1
            res["quiet_motion"] += cur in MOTION
            res["quiet_changes"] += prev is not None and cur != prev
            held[cur or "(none)"] += 1
        elif label == "motion":
            res["move"] += 1
            res["move_motion"] += cur in MOTION
        prev = cur
    res["held"] = held
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="meson build dir")
    ap.add_argument("--model", action="append", default=[],
                    help=".rvne to evaluate (repeatable; default: the built-in model)")
    ap.add_argument("--motion-gate", action="store_true",
                    help="keep rvclassify's motion gate on (the shipped pipeline); "
                         "default off: the model's own decisions")
    ap.add_argument("--rssi", type=int, default=-50,
                    help="RSSI written into the frames, dBm (the recordings have none; "
                         "0 keeps rvconvert's 0 dBm); noise floor -95 dBm")
    a = ap.parse_args()
    os.environ["GST_PLUGIN_PATH"] = os.path.join(a.build, "gst")
    Gst.init(None)
    models = a.model or [""]
    per = collections.OrderedDict()
    with tempfile.TemporaryDirectory() as tmp:
        for k, (chip, base, move) in enumerate(sessions()):
            pcap, rows = convert(a.build, [base, move], tmp, f"s{k}")
            if a.rssi:
                set_rssi(pcap, a.rssi, -95)
            for m in models:
                r = score(rows, decisions(pcap, m, a.motion_gate))
                agg = per.setdefault((m, chip), {"n": 0, "held": collections.Counter()})
                agg["n"] += 1
                for key, v in r.items():
                    if key == "held":
                        agg["held"].update(v)
                    else:
                        agg[key] = agg.get(key, 0) + v
    print("| model | chip | quiet->motion | move->motion | quiet changes / session | top quiet decision |")
    print("|---|---|---:|---:|---:|---|")
    for (m, chip), g in per.items():
        top = g["held"].most_common(1)[0] if g["held"] else ("-", 0)
        name = os.path.basename(m) if m else "built-in"
        print(f"| {name} | {chip} | {100 * g['quiet_motion'] / max(g['quiet'], 1):.1f}% | "
              f"{100 * g['move_motion'] / max(g['move'], 1):.1f}% | "
              f"{g['quiet_changes'] / g['n']:.1f} | {top[0]} "
              f"({100 * top[1] / max(g['quiet'], 1):.0f}%) |")


if __name__ == "__main__":
    main()
