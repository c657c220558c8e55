#!/usr/bin/env python3
"""How many falls does a pipeline catch, and how many false fall alarms?

Plays each labelled capture (rvsim --pcap/--labels, or a real capture with a
label file of the same shape) through

    filesrc ! pcapparse ! rvcsiparse ! rvtemporalhead [model=M] ! rvclassify [model=M] PROPS ! fakesink

and compares rvclassify's decision changes (its bus messages) with the
labelled falls, per event rather than per frame: a fall is caught when the
stream's decision is `fall` at some time between the fall's start and GRACE
seconds after its end; a run of `fall` decisions that overlaps no such
interval is a false alarm. Prints one line per capture and the totals.

    rvsim --scenario fall --seed 961000 --duration 1200 --pcap f.pcap --labels f.jsonl
    GST_PLUGIN_PATH=build/gst scripts/analysis/fall-events.py f.pcap f.jsonl \\
        [--model my.rvne] [--classify "hold-time=300000000"] [--grace 1.0]

Needs python3-gi and gir1.2-gst-1.0, and pcapparse (gstreamer1.0-plugins-bad).
"""
import argparse
import os
import sys

import rvlabels

try:
    import gi
    gi.require_version("Gst", "1.0")
    from gi.repository import Gst
except (ImportError, ValueError):
    sys.exit("fall-events: needs GStreamer's Python bindings "
             "(sudo apt-get install python3-gi gir1.2-gst-1.0)")


def labelled_falls(path):
    """Per node: [(start, end)] of every labelled fall (any person); the
    capture's duration in seconds (meta line), None if not given."""
    meta, segments = rvlabels.read(path, "fall-events")
    falls = {}
    for node, _, start, end, act in segments:
        if act == "fall":
            falls.setdefault(node, []).append((start, end))
    duration = float(meta["duration_s"]) if meta and "duration_s" in meta else None
    return falls, duration


def decisions(pcap, model, classify_props):
    """Per node: [(stream time s, label)] of every decision change."""
    desc = (f"filesrc name=src ! pcapparse ! rvcsiparse ! rvtemporalhead name=th ! "
            f"rvclassify name=cl {classify_props} ! fakesink sync=false")
    try:
        p = Gst.parse_launch(desc)
    except gi.repository.GLib.Error as e:
        sys.exit(f"fall-events: pipeline: {e.message}")
    p.get_by_name("src").set_property("location", pcap)
    if model:
        p.get_by_name("th").set_property("model", model)
        p.get_by_name("cl").set_property("model", model)
    bus = p.get_bus()
    p.set_state(Gst.State.PLAYING)
    out = {}
    while True:
        m = bus.timed_pop_filtered(Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS |
                                   Gst.MessageType.ERROR | Gst.MessageType.ELEMENT)
        if m.type == Gst.MessageType.ERROR:
            err, dbg = m.parse_error()
            p.set_state(Gst.State.NULL)
            sys.exit(f"fall-events: {pcap}: {err.message}")
        if m.type == Gst.MessageType.EOS:
            break
        s = m.get_structure()
        if s.get_name() == "rvclassify":
            t = s.get_value("stream-time") / 1e9
            out.setdefault(s.get_value("node"), []).append((t, s.get_value("label")))
    p.set_state(Gst.State.NULL)
    return out


def score(falls, changes, grace, duration):
    """(falls, caught, false alarms, seconds observed, [delay of each catch])."""
    runs = [(t, changes[i + 1][0] if i + 1 < len(changes) else float("inf"))
            for i, (t, lab) in enumerate(changes) if lab == "fall"]
    def hits(r, f):
        return r[0] < f[1] + grace and r[1] > f[0]
    delays = [max(0.0, min(r[0] for r in runs if hits(r, f)) - f[0])
              for f in falls if any(hits(r, f) for r in runs)]
    false = sum(not any(hits(r, f) for f in falls) for r in runs)
    if duration is None:   # no meta line: the span of the decisions
        duration = changes[-1][0] - changes[0][0] if changes else 0.0
    return len(falls), len(delays), false, duration, delays


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", help="CAPTURE.pcap LABELS.jsonl pairs")
    ap.add_argument("--model", help="CSI model .rvne (default: the built-in one)")
    ap.add_argument("--classify", default="", help="rvclassify properties")
    ap.add_argument("--grace", type=float, default=1.0,
                    help="seconds after a fall in which a fall decision still catches it")
    a = ap.parse_args()
    if len(a.files) % 2 or a.grace < 0:
        sys.exit("fall-events: give CAPTURE LABELS pairs and --grace >= 0")
    Gst.init(None)
    tot, delays = [0, 0, 0, 0.0], []
    for pcap, labels in zip(a.files[::2], a.files[1::2]):
        if not os.path.isfile(pcap):
            sys.exit(f"fall-events: {pcap}: no such capture")
        (falls, duration), changes = labelled_falls(labels), decisions(pcap, a.model, a.classify)
        for node in sorted(set(falls) | set(changes)):
            r = score(falls.get(node, []), changes.get(node, []), a.grace, duration)
            tot = [x + y for x, y in zip(tot, r[:4])]
            delays += r[4]
            print(f"{pcap} node {node}: falls {r[0]}, caught {r[1]}, "
                  f"false alarms {r[2]} in {r[3] / 60:.1f} min")
    n, caught, false, span = tot
    delays.sort()
    print(f"total: falls {n}, caught {caught}"
          + (f" ({100 * caught / n:.1f}%)" if n else "")
          + (f", median delay {delays[len(delays) // 2]:.2f} s" if delays else "")
          + f", false alarms {false} in {span / 60:.1f} min"
          + (f" ({60 * false / span:.2f} per min)" if span else ""))


if __name__ == "__main__":
    main()
