#!/usr/bin/env python3
"""Live demo: rvsim (4 nodes, scripted 'demo' scenario, UDP loopback) into
rvcsisrc ! rvtemporalhead ! rvclassify with the built-in model; prints the
room's decision (what most nodes say) each time it changes, with the
simulator's true activity and every node's own decision beside it.

usage: demo.py --rvsim PATH [--duration S] [--nodes N] [--speed X]
Runs until Ctrl-C (or for --duration seconds of simulated time).
Needs GST_PLUGIN_PATH to contain the rvcsi plugin (scripts/demo.sh sets it).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GLib", "2.0")
from gi.repository import GLib, Gst  # noqa: E402

# Same priority as rvsim_session_label_at(): what a room "is doing" when
# several people do different things.
PRIORITY = ["fall", "wave", "push_pull", "circle", "sit_down", "stand_up",
            "walking", "apnea", "lying", "still", "empty"]


# The built-in model is trained with these merged (docs/training.md).
SAME_AS = {"apnea": "still", "lying": "still"}


def load_labels(path):
    segs = {}
    rate = 100.0
    with open(path) as f:
        for line in f:
            obj = json.loads(line)
            if obj.get("type") == "meta":
                rate = float(obj.get("rate_hz", rate))
                continue
            # Activity segments are the lines without a type; typed lines
            # (node placement, room, fall, reboot, ...) are not segments.
            if "type" not in obj and "node" in obj:
                segs.setdefault(obj["node"], []).append(
                    (obj["start"], obj["end"], obj["activity"]))
    return segs, rate


def truth_at(segs, node, t):
    acts = [a for (s, e, a) in segs.get(node, []) if s <= t < e]
    if not acts:
        return "?"
    return min(acts, key=lambda a: PRIORITY.index(a) if a in PRIORITY else 99)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rvsim", required=True, help="path of the rvsim tool")
    ap.add_argument("--duration", type=float, default=0,
                    help="simulated seconds (default: run until Ctrl-C)")
    ap.add_argument("--nodes", type=int, default=4)
    ap.add_argument("--speed", type=float, default=1.0,
                    help="pacing (2 = twice real time)")
    ap.add_argument("--per-node", action="store_true",
                    help="also print every node's own decision changes")
    args = ap.parse_args()

    Gst.init(None)
    if not Gst.ElementFactory.find("rvcsisrc"):
        sys.exit("demo: the rvcsi plugin is not found; set GST_PLUGIN_PATH "
                 "to the build's gst/ directory (scripts/demo.sh does)")
    pipeline = Gst.parse_launch(
        "rvcsisrc name=src port=0 address=127.0.0.1 stats-interval=0 ! "
        "queue max-size-buffers=0 max-size-bytes=0 max-size-time=0 ! "
        "rvtemporalhead ! rvclassify ! fakesink sync=false async=false")
    pipeline.set_state(Gst.State.READY)
    port = pipeline.get_by_name("src").get_property("port")

    tmp = tempfile.mkdtemp(prefix="rvcsi-demo-")
    labels_path = os.path.join(tmp, "labels.jsonl")
    # Until Ctrl-C: the demo scenario repeats, so a long duration is fine.
    duration = args.duration if args.duration > 0 else 24 * 3600
    sim = subprocess.Popen([
        args.rvsim, "--nodes", str(args.nodes), "--rate", "100",
        "--duration", str(duration), "--scenario", "demo", "--seed", "1",
        "--speed", str(args.speed), "--udp", "127.0.0.1:%d" % port,
        "--labels", labels_path, "--quiet"])
    # rvsim writes the labels before it starts sending.
    while not os.path.exists(labels_path) or os.path.getsize(labels_path) == 0:
        if sim.poll() is not None:
            sys.exit("demo: rvsim exited early")
        GLib.usleep(20000)
    segs, rate = load_labels(labels_path)

    loop = GLib.MainLoop()
    stats = {"decisions": 0, "agree": 0, "room": None, "error": None}
    current = {}  # node -> (label, confidence)

    def room_decision():
        # The room's activity: what most nodes say (confidence breaks ties).
        votes = {}
        for label, conf in current.values():
            n, c = votes.get(label, (0, 0.0))
            votes[label] = (n + 1, c + conf)
        return max(votes, key=lambda k: votes[k]) if votes else None

    def on_message(_bus, msg):
        if msg.type == Gst.MessageType.ELEMENT:
            s = msg.get_structure()
            if s.get_name() == "rvclassify":
                node = s.get_value("node")
                t = s.get_value("seq") / rate
                truth = truth_at(segs, node, t)
                label = s.get_value("label")
                current[node] = (label, s.get_value("confidence"))
                stats["decisions"] += 1
                if args.per_node:
                    print("t=%7.2fs  node %u  %-10s (%.2f)   truth: %s" % (
                        t, node, label, s.get_value("confidence"), truth),
                        flush=True)
                room = room_decision()
                if room != stats["room"]:
                    stats["room"] = room
                    # the built-in model calls apnea and lying "still"
                    agree = room in (truth, SAME_AS.get(truth, truth))
                    stats["agree"] += int(agree)
                    nodes = " ".join("%u:%s" % (n, current[n][0])
                                     for n in sorted(current))
                    print("t=%7.2fs  room: %-10s truth: %-10s %s  [%s]" % (
                        t, room, truth, "  " if agree else "!=", nodes),
                        flush=True)
        elif msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            stats["error"] = err.message
            print("error: %s (%s)" % (err.message, dbg), file=sys.stderr)
            loop.quit()
        return True

    bus = pipeline.get_bus()
    bus.add_watch(GLib.PRIORITY_DEFAULT, on_message)

    def check_sim():
        if sim.poll() is not None:
            # let the last packets through, then stop
            GLib.timeout_add(500, loop.quit)
            return False
        return True

    GLib.timeout_add(200, check_sim)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    pipeline.set_state(Gst.State.PLAYING)
    print("demo: %d simulated nodes -> udp://127.0.0.1:%d -> rvcsisrc ! "
          "rvtemporalhead ! rvclassify (built-in model); Ctrl-C stops"
          % (args.nodes, port), flush=True)
    try:
        loop.run()
    finally:
        sim_done = sim.poll()  # None: stopped early by Ctrl-C or an error
        if sim_done is None:
            sim.terminate()
            sim.wait()
        src_stats = pipeline.get_by_name("src").get_property("stats")
        pipeline.set_state(Gst.State.NULL)
        os.unlink(labels_path)
        os.rmdir(tmp)
    print("demo: %d node decision changes; room changes matching the true "
          "activity: %d; source: %s received, %s dropped" % (
              stats["decisions"], stats["agree"],
              src_stats.get_value("received"), src_stats.get_value("dropped")))
    # A failed run must fail the command (CI runs the demo briefly).
    if stats["error"]:
        sys.exit("demo: the pipeline failed: %s" % stats["error"])
    if sim_done is not None and sim_done != 0:
        sys.exit("demo: rvsim failed (exit status %d)" % sim_done)
    if sim_done is not None and stats["decisions"] == 0:
        sys.exit("demo: the simulation ended without a single decision")


if __name__ == "__main__":
    main()
