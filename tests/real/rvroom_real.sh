#!/bin/sh
# rvroom on every vendored real recording (no falls in them): the default
# pipeline with rvroom must raise no rvfall, must post room states, and
# its label must say what the recording holds: a presence class (empty,
# still, lying, apnea) in the quiet `baseline` files, another class in the
# `movement` files, for at least MIN percent of the stream time of each
# kind (the figures are printed; docs/rooms.md).
# usage: rvroom_real.sh RVCONVERT DATA_DIR OUT_DIR [MIN]
set -eu
rvconvert=$1 data=$2 out=$3 min=${4:-0}
mkdir -p "$out"
files=0 states=0 falls=0 seconds=0
for kind in baseline movement; do
    right=0 total=0
    for f in "$data"/$kind/*.npz; do
        dur=$("$rvconvert" -o "$out/r.pcap" "$f" 2>&1 |
            sed -n 's/.*, \([0-9.]*\) s, to .*/\1/p')
        log=$(gst-launch-1.0 -m filesrc location="$out/r.pcap" ! pcapparse ! \
            rvcsiparse ! rvtemporalhead ! rvclassify ! rvroom ! \
            fakesink sync=false 2>&1)
        s=$(printf '%s\n' "$log" | grep -c 'rvroom, ' || true)
        n=$(printf '%s\n' "$log" | grep -c 'rvfall, ' || true)
        [ "$s" -gt 0 ] || { echo "no rvroom state for $f"; exit 1; }
        [ "$n" -eq 0 ] || { echo "$n false fall alarm(s) on $f"; exit 1; }
        # stream time (ms) under the right kind of label, from each state
        # to the next (the last to the end of the recording)
        set -- $(printf '%s\n' "$log" | grep 'rvroom, ' | sed -n \
            's/.*label=(string)\([a-z_]*\),.*stream-time=(guint64)\([0-9]*\).*/\1 \2/p' |
            awk -v kind=$kind -v end="${dur:-0}" '
                function add(t) { if (lab != "") { d = t - t0; tot += d;
                    pres = lab ~ /^(empty|still|lying|apnea)$/;
                    if (pres == (kind == "baseline")) ok += d } }
                { t = $2 / 1e6; add(t); lab = $1; t0 = t }
                END { add(end * 1000); printf "%d %d %d\n", ok, tot, t0 / 1000 }')
        right=$((right + $1)) total=$((total + $2)) seconds=$((seconds + $3))
        files=$((files + 1)) states=$((states + s)) falls=$((falls + n))
    done
    pct=$((total > 0 ? right * 100 / total : 0))
    echo "$kind: label right for ${pct}% of ${total} ms"
    [ "$pct" -ge "$min" ] || { echo "$kind: under $min%"; exit 1; }
done
rm -f "$out/r.pcap"
echo "rvroom on $files real recordings (~${seconds} s to the last state):" \
    "$states room states, $falls fall alarms"
