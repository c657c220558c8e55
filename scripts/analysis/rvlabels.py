"""rvsim label files (JSON lines, docs/simulator.md) for the analysis scripts.

    meta, segments = rvlabels.read(path, "my-script")

meta is the file's meta line as a dict (None if it has none); segments are
(node, person, start, end, activity) tuples, one per activity line. A
missing file or a malformed line ends the program with a message that names
the script, the file and the line.
"""
import json
import sys


def read(path, tool):
    meta, segments = None, []
    try:
        f = open(path)
    except OSError as e:
        sys.exit(f"{tool}: {path}: {e.strerror}")
    with f:
        try:
            lines = f.readlines()
        except UnicodeDecodeError:
            sys.exit(f"{tool}: {path}: not UTF-8 text (not a label file)")
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                o = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{tool}: {path}:{n}: not JSON ({e.msg})")
            if not isinstance(o, dict):
                sys.exit(f"{tool}: {path}:{n}: not a JSON object")
            if o.get("type") == "meta":
                meta = o
            elif "type" not in o and "activity" in o:
                try:
                    segments.append((int(o["node"]), int(o.get("person", 0)),
                                     float(o["start"]), float(o["end"]),
                                     str(o["activity"])))
                except (KeyError, TypeError, ValueError):
                    sys.exit(f"{tool}: {path}:{n}: activity line without "
                             "numeric node/start/end")
    return meta, segments
