#!/usr/bin/env python3
"""What frame accuracy and fall recall can any one-link causal classifier reach?

Reads rvsim label files (JSON lines, docs/simulator.md) and counts, frame by
frame as rvtrain labels them (highest-priority activity of anyone in the
room, apnea and lying as still, the first --warmup seconds unlabelled), the
frames whose label cannot be known from one single-antenna link at the time
the frame arrives. Two causes, each derived from how the simulator moves a
body (src/sim/rvsim_body.c, rvsim_timeline.c), not from any model:

  push_pull / circle  One link sees a moving hand only through the
      projection of its motion on the link's bistatic direction. A push
      (a line along the facing direction) and a circle (lateral and
      vertical, a quarter period apart) both project to a sinusoid whose
      size depends on the facing, which is random. Only the repetition
      rate is left to tell them apart: 0.6-1.0 Hz and 0.5-0.9 Hz, drawn
      uniformly. Even knowing the rate exactly, a frame in the overlap
      (0.6-0.9 Hz, three quarters of either) is a coin toss, so the expected
      errors are 0.5 * 0.75 of these frames.
  fall onset  A fall is labelled from its first frame; the body follows
      u^2 of its way (u = share of the fall's duration). Its fastest point,
      the head, travels about 1.9 m (standing 1.65 m -> lying 0.12 m, plus
      the 0.5 m step). Until the head has moved --onset-mm, the frame cannot
      be told from the start of any other movement (a breath moves the
      chest 3-6 mm), so those first frames of every fall count as missed.

Also counted, not charged: gesture frames while another person walks,
sits, stands or falls (the gesture labels the frame by priority).

    for i in $(seq 0 8); do rvsim --scenario S_i --seed $((950000+i)) \\
        --duration 60 --labels l$i.jsonl; done
    scripts/analysis/label-ceiling.py l*.jsonl [--rate 100] [--warmup 2] [--onset-mm 1,2,5]

Maintainers' analysis (docs/training.md §4); nothing in the build uses it.
"""
import argparse
import math
import sys

import rvlabels

PRIORITY = {"fall": 10, "wave": 9, "push_pull": 9, "circle": 9,
            "sit_down": 8, "stand_up": 8, "walking": 7, "apnea": 6,
            "lying": 5, "still": 4, "empty": 0}
MERGE = {"apnea": "still", "lying": "still"}
PUSH_CIRCLE_COIN = 0.5 * 0.75   # expected error share, see above
FALL_HEAD_TRAVEL_M = 1.9
MOVING = {"walking", "sit_down", "stand_up", "fall"}
GESTURES = {"wave", "push_pull", "circle"}


def read_labels(path):
    """Per node, per person: [(start, end, activity)]; the session length."""
    meta, segments = rvlabels.read(path, "label-ceiling")
    if meta is None or "duration_s" not in meta:
        sys.exit(f"label-ceiling: {path}: no meta line (not an rvsim label file)")
    nodes = {}
    for node, person, start, end, act in segments:
        nodes.setdefault(node, {}).setdefault(person, []).append((start, end, act))
    return nodes, float(meta["duration_s"])


def activity_at(segs, t):
    for s, e, a in segs:
        if s <= t < e:
            return a
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("labels", nargs="+")
    ap.add_argument("--rate", type=float, default=100.0, help="frames per second")
    ap.add_argument("--warmup", type=float, default=2.0, help="unlabelled seconds per stream")
    ap.add_argument("--onset-mm", default="1,2,5",
                    help="head travel (mm) before a fall can be seen, comma list")
    a = ap.parse_args()
    try:
        onsets = [float(v) for v in a.onset_mm.split(",")]
    except ValueError:
        sys.exit("label-ceiling: --onset-mm takes numbers, e.g. 1,2,5")
    if a.rate <= 0 or a.warmup < 0 or any(v <= 0 for v in onsets):
        sys.exit("label-ceiling: --rate and --onset-mm must be > 0, --warmup >= 0")

    frames = {}
    push_circle = hidden = 0
    fall_onset = [0] * len(onsets)
    for path in a.labels:
        nodes, duration = read_labels(path)
        for people in nodes.values():
            segs = [s for p in people.values() for s in p]
            falls = [(s, e) for s, e, act in segs if act == "fall"]
            for k in range(int(math.ceil(a.warmup * a.rate)), int(duration * a.rate)):
                t = k / a.rate
                acts = [x for x in (activity_at(p, t) for p in people.values()) if x]
                acts = [x for x in acts if x in PRIORITY]
                if not acts:
                    continue
                top = max(acts, key=PRIORITY.get)
                label = MERGE.get(top, top)
                frames[label] = frames.get(label, 0) + 1
                if label in ("push_pull", "circle"):
                    push_circle += 1
                if label in GESTURES and len(acts) > 1 and \
                        any(x in MOVING for x in acts if x is not top):
                    hidden += 1
                if label == "fall":
                    s, e = next((s, e) for s, e in falls if s <= t < e)
                    travel_mm = 1000 * FALL_HEAD_TRAVEL_M * ((t - s) / (e - s)) ** 2
                    for i, mm in enumerate(onsets):
                        fall_onset[i] += travel_mm < mm

    total = sum(frames.values())
    if total == 0:
        sys.exit("label-ceiling: no labelled frames")
    falls_n = frames.get("fall", 0)
    print(f"labelled frames {total}: " +
          ", ".join(f"{k} {v}" for k, v in sorted(frames.items(), key=lambda kv: -kv[1])))
    pc_err = PUSH_CIRCLE_COIN * push_circle
    print(f"push_pull + circle frames {push_circle} ({100 * push_circle / total:.1f}%): "
          f"expected errors at best {pc_err:.0f} ({100 * pc_err / total:.2f}% of frames)")
    print(f"gesture frames while another person moves (not charged): {hidden} "
          f"({100 * hidden / total:.2f}%)")
    print("onset mm | fall frames not yet visible | fall recall at most | "
          "frame accuracy at most")
    for mm, n in zip(onsets, fall_onset):
        rec = 1 - n / falls_n if falls_n else float("nan")
        acc = 1 - (pc_err + n) / total
        print(f"{mm:8g} | {n:27d} | {100 * rec:18.1f}% | {100 * acc:21.1f}%")


if __name__ == "__main__":
    main()
