#!/usr/bin/env python3
"""Embed an rvcsi pipeline with PyGObject and print its events.

usage: rvcsi_events.py [PIPELINE]

Default pipeline: listen for ESP32 nodes on UDP port 5005 and classify with
the built-in model. Prints every rvclassify decision change, every rvmotion
state change, the source's periodic statistics and, when the sink is named
"sink", the nodes going offline and coming back (rvcsi-node events). Any
gst-launch-1.0 style description works, e.g. a replay:

  rvcsi_events.py "filesrc location=cap.pcap ! pcapparse ! rvcsiparse ! \
      rvtemporalhead ! rvclassify ! fakesink sync=true"

The plugin must be on GST_PLUGIN_PATH (e.g. GST_PLUGIN_PATH=build/gst).
"""
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GLib", "2.0")
from gi.repository import GLib, Gst  # noqa: E402

DEFAULT = ("rvcsisrc port=5005 stats-interval=5000000000 ! queue ! "
           "rvtemporalhead ! rvclassify ! fakesink sync=false")


def main():
    Gst.init(None)
    desc = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    try:
        pipeline = Gst.parse_launch(desc)
    except GLib.Error as e:
        sys.exit("cannot build pipeline: %s (is GST_PLUGIN_PATH set?)" % e)
    loop = GLib.MainLoop()
    failed = []

    def on_message(_bus, msg):
        t = msg.type
        if t == Gst.MessageType.ELEMENT:
            s = msg.get_structure()
            name = s.get_name()
            if name == "rvclassify":
                prev = s.get_value("previous-label") or "-"
                print("%10.3f s  node %3u/%u  %s -> %s  (confidence %.2f)" % (
                    s.get_value("timestamp") / 1e9, s.get_value("node"),
                    s.get_value("antenna"), prev, s.get_value("label"),
                    s.get_value("confidence")), flush=True)
            elif name == "rvmotion":
                print("%10.3f s  node %3u/%u  %s  (score %.3g, threshold %.3g)" % (
                    s.get_value("stream-time") / 1e9, s.get_value("node"),
                    s.get_value("antenna"),
                    "moving" if s.get_value("motion") else "quiet",
                    s.get_value("score"), s.get_value("threshold")), flush=True)
            elif name.endswith("-stats"):
                print("stats %s: received %d, accepted %d, dropped %d" % (
                    msg.src.get_name(), s.get_value("received"),
                    s.get_value("accepted"), s.get_value("dropped")),
                    flush=True)
        elif t == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            print("ERROR from %s: %s\n  %s" % (msg.src.get_name(), err.message,
                                               dbg), file=sys.stderr)
            failed.append(True)
            loop.quit()
        elif t == Gst.MessageType.WARNING:
            err, dbg = msg.parse_warning()
            print("warning: %s (%s)" % (err.message, dbg), file=sys.stderr)
        elif t == Gst.MessageType.EOS:
            loop.quit()
        return True

    def on_event(_pad, info):
        # node presence travels in the stream: the rvcsi-node event
        s = info.get_event().get_structure()
        if s is not None and s.get_name() == "rvcsi-node":
            print("%10.3f s  node %3u  %s" % (
                s.get_value("stream-time") / 1e9, s.get_value("node"),
                "back" if s.get_value("online") else "offline"), flush=True)
        return Gst.PadProbeReturn.OK

    sink = pipeline.get_by_name("sink") if isinstance(pipeline, Gst.Bin) \
        else None
    if sink is not None:
        sink.get_static_pad("sink").add_probe(
            Gst.PadProbeType.EVENT_DOWNSTREAM, on_event)

    bus = pipeline.get_bus()
    bus.add_watch(GLib.PRIORITY_DEFAULT, on_message)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    if pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
        # the error message on the bus says why; let the watch print it
        failed.append(True)
        GLib.idle_add(loop.quit)
    loop.run()
    pipeline.set_state(Gst.State.NULL)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
