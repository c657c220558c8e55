#!/bin/sh
# rvroom on every vendored real recording (no falls in them): the default
# pipeline with rvroom must raise no rvfall, and must post room states.
# usage: rvroom_real.sh RVCONVERT DATA_DIR OUT_DIR
set -eu
rvconvert=$1 data=$2 out=$3
mkdir -p "$out"
files=0 states=0 falls=0 seconds=0
for f in "$data"/baseline/*.npz "$data"/movement/*.npz; do
    "$rvconvert" -o "$out/r.pcap" "$f" >/dev/null
    log=$(gst-launch-1.0 -m filesrc location="$out/r.pcap" ! pcapparse ! \
        rvcsiparse ! rvtemporalhead ! rvclassify ! rvroom ! \
        fakesink sync=false 2>&1)
    s=$(printf '%s\n' "$log" | grep -c 'rvroom, ' || true)
    n=$(printf '%s\n' "$log" | grep -c 'rvfall, ' || true)
    last=$(printf '%s\n' "$log" | grep 'rvroom, ' | tail -1 |
        sed -n 's/.*stream-time=(guint64)\([0-9]*\).*/\1/p')
    seconds=$((seconds + ${last:-0} / 1000000000))
    [ "$s" -gt 0 ] || { echo "no rvroom state for $f"; exit 1; }
    [ "$n" -eq 0 ] || { echo "$n false fall alarm(s) on $f"; exit 1; }
    files=$((files + 1)) states=$((states + s)) falls=$((falls + n))
done
rm -f "$out/r.pcap"
echo "rvroom on $files real recordings (~${seconds} s to the last state):" \
    "$states room states, $falls fall alarms"
