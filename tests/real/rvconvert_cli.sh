#!/bin/sh
# rvconvert on a vendored session: packet count, frame header, truth file,
# jitter, and the command-line contract (--help, specific errors, exit 2).
# usage: rvconvert_cli.sh RVCONVERT SIM_PCAP_DUMP
set -u
CONV="$1"; DUMP="$2"
D="$RV_SOURCE_DIR/tests/data/real/espectre"
B="$D/baseline/baseline_c3_64sc_20260329_130303.npz"
M="$D/movement/movement_c3_64sc_20260329_130321.npz"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$CONV" --help > "$T/help" || fail "--help exited nonzero"
for o in --output --truth --node --channel --start --jitter --seed --quiet; do
  grep -q -- "$o" "$T/help" || fail "--help does not document $o"
done

"$CONV" -q -o "$T/a.pcap" -t "$T/a.jsonl" --node 7 --channel 11 --start 5 "$B" "$M" \
  || fail "conversion failed"
"$DUMP" "$T/a.pcap" > "$T/hex" || fail "pcap unreadable"
[ "$(wc -l < "$T/hex")" -eq 2037 ] || fail "expected 1017 + 1020 packets, got $(wc -l < "$T/hex")"
# magic 0xC5110001, node 7, 1 antenna, 64 subcarriers, 2462 MHz, seq 0
head -1 "$T/hex" | grep -q '^010011c5070140009e09000000000000' || fail "header: $(head -1 "$T/hex" | cut -c1-40)"
[ "$(wc -l < "$T/a.jsonl")" -eq 2037 ] || fail "truth lines"
[ "$(grep -c '"label":"quiet"' "$T/a.jsonl")" -eq 1017 ] || fail "quiet packets"
[ "$(grep -c '"label":"motion"' "$T/a.jsonl")" -eq 1020 ] || fail "motion packets"
head -1 "$T/a.jsonl" | grep -q '^{"t":5.000000,"seq":0,"node":7,"file":"baseline_c3_64sc_20260329_130303.npz","label":"quiet"}$' \
  || fail "first truth line: $(head -1 "$T/a.jsonl")"
# the movement file starts after the baseline's 10.003303 s
sed -n 1018p "$T/a.jsonl" | grep -q '"t":15.003303,"seq":1017' || fail "second file start: $(sed -n 1018p "$T/a.jsonl")"

"$CONV" -q -o "$T/j.pcap" -t "$T/j.jsonl" --jitter 20 --seed 3 "$B" || fail "jitter run"
cmp -s "$T/j.jsonl" "$T/a.jsonl" && fail "jitter changed nothing"
"$CONV" -q -o "$T/j2.pcap" --jitter 20 --seed 3 "$B" || fail "jitter rerun"
cmp -s "$T/j.pcap" "$T/j2.pcap" || fail "same seed, different pcap"

expect_fail() {
  code=0
  "$CONV" "$@" > "$T/out" 2> "$T/err" || code=$?
  [ "$code" -ne 0 ] || fail "accepted: $*"
  [ -s "$T/err" ] || fail "no message for: $*"
}
expect_fail "$B"
grep -q "no output" "$T/err" || fail "missing -o message"
expect_fail -o "$T/x.pcap"
grep -q "no input" "$T/err" || fail "missing input message"
expect_fail --bogus -o "$T/x.pcap" "$B"
grep -q "unknown option '--bogus'" "$T/err" || fail "unknown option message: $(cat "$T/err")"
expect_fail --node 0 -o "$T/x.pcap" "$B"
expect_fail --node 256 -o "$T/x.pcap" "$B"
expect_fail --channel 20 -o "$T/x.pcap" "$B"
expect_fail --jitter -1 -o "$T/x.pcap" "$B"
expect_fail --jitter nan -o "$T/x.pcap" "$B"
expect_fail --start 2x -o "$T/x.pcap" "$B"
expect_fail --seed -1 -o "$T/x.pcap" "$B"
expect_fail -o "$T/x.pcap" "$T/missing.npz"
grep -q "missing.npz" "$T/err" || fail "missing file message: $(cat "$T/err")"
head -c 1000 "$B" > "$T/cut.npz"
expect_fail -o "$T/x.pcap" "$T/cut.npz"
grep -q "zip:" "$T/err" || fail "truncated file message: $(cat "$T/err")"
echo "ok"
