#!/usr/bin/env python3
"""Print one closing line 'N passed, N failed' from a meson test log."""
import json, sys, pathlib

build, label = sys.argv[1], sys.argv[2]
log = pathlib.Path(build) / "meson-logs" / "testlog.json"
counts = {"OK": 0, "FAIL": 0, "SKIP": 0, "TIMEOUT": 0, "ERROR": 0, "EXPECTEDFAIL": 0, "UNEXPECTEDPASS": 0}
for line in log.read_text().splitlines():
    r = json.loads(line)
    counts[r["result"]] = counts.get(r["result"], 0) + 1
failed = counts["FAIL"] + counts["TIMEOUT"] + counts["ERROR"] + counts["UNEXPECTEDPASS"]
print(f"{label}: {counts['OK'] + counts['EXPECTEDFAIL']} passed, {failed} failed, {counts['SKIP']} skipped")
