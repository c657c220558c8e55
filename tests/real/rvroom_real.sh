#!/bin/sh
# rvroom on every vendored real recording (no falls in them). Each chip's
# session plays as one stream, its quiet `baseline` file then its
# `movement` file, as the motion benchmark measures (sessions.tsv). The
# default pipeline with rvroom must raise no rvfall, must post room states,
# and, after a warm-up of WARMUP_MS of stream time, its label must be a
# presence class (empty, still, lying, apnea) for at least MIN percent of
# the quiet time and another class for at least MIN percent of the
# movement time; each quiet part may change label at most MAX_CHANGES
# times. The figures are printed (docs/rooms.md).
# usage: rvroom_real.sh RVCONVERT DATA_DIR OUT_DIR [MIN [MAX_CHANGES]]
set -eu
rvconvert=$1 data=$2 out=$3 min=${4:-0} max_changes=${5:-1000}
warmup_ms=2000
mkdir -p "$out"
sessions=0 states=0 falls=0 quiet_ok=0 quiet_tot=0 move_ok=0 move_tot=0
worst_changes=0
while read -r chip base move; do
    case $chip in ''|'#'*) continue ;; esac
    "$rvconvert" -q -o "$out/r.pcap" -t "$out/r.truth" \
        "$data/$base" "$data/$move"
    # end of the quiet part and of the stream (ms), from the truth file
    set -- $(sed -n 's/^{"t":\([0-9.]*\),.*"label":"\([a-z]*\)".*/\1 \2/p' \
        "$out/r.truth" | awk '
            NR == 1 { t0 = $1 } $2 == "motion" && !m { m = $1 - t0 }
            { last = $1 - t0 }
            END { printf "%d %d\n", m * 1000, last * 1000 }')
    quiet_end=$1 end=$2
    log=$(gst-launch-1.0 -m filesrc location="$out/r.pcap" ! pcapparse ! \
        rvcsiparse ! rvtemporalhead ! rvclassify ! rvroom ! \
        fakesink sync=false 2>&1)
    s=$(printf '%s\n' "$log" | grep -c 'rvroom, ' || true)
    n=$(printf '%s\n' "$log" | grep -c 'rvfall, ' || true)
    [ "$s" -gt 0 ] || { echo "no rvroom state for $chip $base"; exit 1; }
    [ "$n" -eq 0 ] || { echo "$n false fall alarm(s) on $chip $base"; exit 1; }
    # stream time (ms) under the right kind of label, each state lasting
    # to the next (the last to the end), split at the quiet part's end
    set -- $(printf '%s\n' "$log" | grep 'rvroom, ' | sed -n \
        's/.*label=(string)\([a-z_]*\),.*stream-time=(guint64)\([0-9]*\).*/\1 \2/p' |
        awk -v w="$warmup_ms" -v qe="$quiet_end" -v end="$end" '
            function part(a, b, quiet,   d) {
                if (a < w) a = w
                d = b - a
                if (d <= 0) return
                if (quiet) { qt += d; if (pres) qo += d }
                else { mt += d; if (!pres) mo += d }
            }
            function add(t) {
                if (lab == "") return
                pres = lab ~ /^(empty|still|lying|apnea)$/
                part(t0, t < qe ? t : qe, 1)
                part(t0 > qe ? t0 : qe, t, 0)
            }
            { t = $2 / 1e6; add(t)
              if (lab != "" && $1 != lab && t >= w && t < qe) ch++
              lab = $1; t0 = t }
            END { add(end); printf "%d %d %d %d %d\n", qo, qt, mo, mt, ch }')
    quiet_ok=$((quiet_ok + $1)) quiet_tot=$((quiet_tot + $2))
    move_ok=$((move_ok + $3)) move_tot=$((move_tot + $4))
    [ "$5" -le "$worst_changes" ] || worst_changes=$5
    sessions=$((sessions + 1)) states=$((states + s)) falls=$((falls + n))
done < "$data/sessions.tsv"
rm -f "$out/r.pcap" "$out/r.truth"
qp=$((quiet_tot > 0 ? quiet_ok * 100 / quiet_tot : 0))
mp=$((move_tot > 0 ? move_ok * 100 / move_tot : 0))
echo "quiet: presence label for ${qp}% of ${quiet_tot} ms"
echo "movement: motion label for ${mp}% of ${move_tot} ms"
echo "quiet label changes after the warm-up: at most ${worst_changes} per session"
echo "rvroom on $sessions real sessions: $states room states, $falls fall alarms"
[ "$qp" -ge "$min" ] || { echo "quiet: under $min%"; exit 1; }
[ "$mp" -ge "$min" ] || { echo "movement: under $min%"; exit 1; }
[ "$worst_changes" -le "$max_changes" ] ||
    { echo "quiet: more than $max_changes label changes"; exit 1; }
